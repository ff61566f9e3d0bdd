"""cgcli market-facts"""

from . import listing

market_facts = listing(
    "market_facts",
    "Other facts about the market: challenges, goals, forecasts.\n\n"
    "Ranks among exporters and producers are `cgcli rankings`, each with what it ranks.",
)
