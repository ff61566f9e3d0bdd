"""cgcli statements"""

from . import listing

statements = listing("statements", "What the companies and their people said, in our words.")
