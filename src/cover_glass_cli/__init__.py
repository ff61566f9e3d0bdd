"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports."""

__version__ = "1.1.0.dev0"


def main() -> None:
    """The `cgcli` console script (and `python -m cover_glass_cli`).

    A run lasts a fraction of a second, so the cyclic garbage collector's passes over
    everything imported are pure cost here: it is switched off before anything is
    imported. Everything else is an ordinary exit.
    """
    import gc
    import signal

    gc.disable()
    # Ctrl-C while the modules load (the first tens of milliseconds) ends the run with one
    # line, never a traceback from whichever import it hit; once loaded, cgcli handles it.
    signal.signal(signal.SIGINT, _interrupted_while_loading)
    from .cli import main as run

    run()  # which handles Ctrl-C itself from here on


def _interrupted_while_loading(signum: int, frame: object) -> None:
    import os

    os.write(2, b"cgcli: interrupted\n")
    os._exit(130)  # nothing is written yet: there is nothing to clean up
