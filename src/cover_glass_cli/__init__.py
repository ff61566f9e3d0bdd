"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports."""

__version__ = "1.1.0.dev0"


def main() -> None:
    """The `cgcli` console script (and `python -m cover_glass_cli`).

    A run lasts a fraction of a second, so the cyclic garbage collector's passes over
    everything imported are pure cost here: it is switched off before anything is
    imported. Everything else is an ordinary exit.
    """
    import gc

    gc.disable()
    try:
        from .cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the modules load: one line, never a traceback
        import sys

        sys.stderr.write("cgcli: interrupted\n")
        raise SystemExit(130) from None
    run()
