"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports."""

__version__ = "1.0.0"


def main() -> None:
    """The `cgcli` command, as installed and as `python -m cover_glass_cli`.

    A run lasts a fraction of a second, so two things Python does for long-lived
    programs are pure cost here (benchmarks/run.py):
    - the cyclic garbage collector's passes over everything imported (about 5% of
      start-up, 8% of parsing a large file): switched off before anything is imported;
    - tearing the interpreter down at exit, module by module and object by object
      (about 10% of start-up): once the output is flushed, the process just ends.
      Nothing in cgcli needs that teardown: files are closed as they are written and
      no exit handlers are registered.
    """
    import gc

    gc.disable()
    from .cli import main as run

    try:
        run()
    except SystemExit as done:
        import contextlib
        import os
        import sys

        code = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
                stream.flush()
        os._exit(code)
