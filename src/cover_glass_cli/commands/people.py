"""cgcli people"""

from . import listing

people = listing("people", "List the people named in the sources and their positions.")
