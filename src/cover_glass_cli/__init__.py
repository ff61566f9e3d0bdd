"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports."""

__version__ = "1.1.0.dev0"

# Set to 1 to end the `cgcli` command the ordinary way, running atexit handlers (as
# coverage of subprocesses needs): see launch.script(). The package root imports nothing
# of cgcli's: the `cgcli` command starts in launch.py, which imports cli.py.
NO_FAST_EXIT = "CGCLI_NO_FAST_EXIT"


def env_flag(name: str) -> bool:
    """Whether environment variable NAME is set to true: 1, true, yes or on, in any case,
    as click reads the flags it takes from the environment."""
    import os

    return os.environ.get(name, "").strip().lower() in ("1", "true", "t", "yes", "y", "on")
