"""One module per kind of record, each defining `KIND`: see domain/registry.py.

No list names them: the registry finds every module of this folder.
"""
