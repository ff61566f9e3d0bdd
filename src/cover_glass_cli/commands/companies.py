"""cgcli companies"""

from . import listing

companies = listing("companies", "List the companies: when founded, what they do, their role.")
