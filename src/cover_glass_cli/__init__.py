"""cgcli: facts on the Optiemus-Corning cover-glass venture and India's smartphone exports."""

__version__ = "1.0.0"
