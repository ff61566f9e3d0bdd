"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports."""

__version__ = "1.1.0.dev0"

# Set to 1 to end the `cgcli` command the ordinary way, running atexit handlers (as
# coverage of subprocesses needs): see script().
NO_FAST_EXIT = "CGCLI_NO_FAST_EXIT"


def env_flag(name: str) -> bool:
    """Whether environment variable NAME is set to true: 1, true, yes or on, in any case,
    as click reads the flags it takes from the environment."""
    import os

    return os.environ.get(name, "").strip().lower() in ("1", "true", "t", "yes", "y", "on")


def main() -> None:
    """`python -m cover_glass_cli`, and the body of the `cgcli` command.

    A run lasts a fraction of a second, so the cyclic garbage collector's passes over
    everything imported are pure cost here: it is switched off before anything is
    imported. Everything else is an ordinary exit.
    """
    try:
        import gc

        gc.disable()
        from .cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the modules load: one line, never a traceback
        _interrupted()
    run()


def script() -> None:
    """The `cgcli` console script: main(), then an exit that skips the interpreter's
    clean-up.

    Tearing down every imported module (and the collection that comes with it) takes
    about 7 ms, an eighth of a cached lookup (benchmarks/run.py). Nothing of cgcli's
    needs it: files are written, renamed and closed before main() returns. Standard
    output and error are flushed, then the process ends with main()'s exit status.
    Only here: `python -m cover_glass_cli` and callers of main() exit the ordinary way,
    and so does `cgcli` when CGCLI_NO_FAST_EXIT=1.
    """
    try:
        main()
    except KeyboardInterrupt:  # in the instants between main()'s own handlers
        _interrupted(fast=True)
    except SystemExit as e:
        try:
            _exit_now(e)
        except KeyboardInterrupt:  # Ctrl-C while flushing: as anywhere else, one line
            _interrupted(fast=True)


def _exit_now(e: SystemExit) -> None:
    """Flush standard output and error, then end the process with E's status (or raise E
    when CGCLI_NO_FAST_EXIT is set)."""
    import contextlib  # all three loaded long before: by now these are look-ups
    import os
    import sys

    if env_flag(NO_FAST_EXIT):
        raise e
    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    if not isinstance(e.code, int | None):  # a message, as Python itself would print it
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(f"{e.code}\n")
    for stream in (sys.stdout, sys.stderr):
        # an output that cannot be written: main() has told of it already
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)


def _interrupted(*, fast: bool = False) -> None:
    """Say "interrupted" and end with status 130."""
    import os
    import sys

    try:
        sys.stderr.write("cgcli: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # no stderr to tell: the status still does
    if fast:
        os._exit(130)
    raise SystemExit(130) from None
