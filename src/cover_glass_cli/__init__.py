"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports.

Also where `cgcli` (script) and `python -m cover_glass_cli` (main) start, and the one place
where Ctrl-C becomes "cgcli: interrupted" and exit status 130, whenever it comes: while the
modules load, while a command runs (click's prompts turn it into Abort; cli.run gives it
back as KeyboardInterrupt), or while the output is flushed. The package root imports
nothing of cgcli's: the command's modules are imported by _run(), from cli.py.
"""

# No imports at all up here, not even __future__: a Ctrl-C that lands while this module
# loads, before script() is running, would print a traceback (tests/test_streams.py).
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
    """`python -m cover_glass_cli`, and callers of main(): an ordinary exit."""
    try:
        _run()
    except KeyboardInterrupt:
        interrupted()


def script() -> None:
    """The `cgcli` console script: the command, then an exit that skips the interpreter's
    clean-up.

    Tearing down every imported module (and the collection that comes with it) takes
    about 7 ms, an eighth of a cached lookup (benchmarks/run.py). Nothing of cgcli's
    needs it: files are written, renamed and closed before the command returns. Standard
    output and error are flushed, then the process ends with the command's exit status.
    Only here: `python -m cover_glass_cli` and callers of main() exit the ordinary way,
    and so does `cgcli` when CGCLI_NO_FAST_EXIT=1.
    """
    try:
        try:
            _run()
        except SystemExit as e:
            _exit_now(e)
    except KeyboardInterrupt:
        interrupted(fast=True)


def _run() -> None:
    """The command. A run lasts a fraction of a second, so the cyclic garbage collector's
    passes over everything imported are pure cost here: it is switched off before
    anything is imported."""
    import gc

    gc.disable()
    from .cli import main as run

    run()


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
        # an output that cannot be written: the command has told of it already
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)


INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program ended by Ctrl-C


def interrupted(*, fast: bool = False) -> None:
    """Say "interrupted" and end with status 130 (at once when FAST)."""
    import contextlib
    import os
    import sys

    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stdout.flush()  # what was already written stays written
    try:
        sys.stderr.write("cgcli: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # no stderr to tell: the status still does
    if fast:
        os._exit(INTERRUPTED)
    raise SystemExit(INTERRUPTED) from None
