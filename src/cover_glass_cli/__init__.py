"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports."""

__version__ = "1.0.0"


def main() -> None:
    """The `cgcli` command, as installed and as `python -m cover_glass_cli`.

    A run lasts a fraction of a second and reference counting frees what it makes,
    so the cyclic garbage collector's passes over everything imported are pure cost:
    about 5% of start-up and 8% of parsing a large fact file (benchmarks/run.py).
    It is switched off here, before click or anything else is imported.
    """
    import gc

    gc.disable()
    from .cli import main as run

    run()
