"""Write a valid synthetic fact file with N export records, for scale tests.

    python benchmarks/make_facts.py --records 100000 big.toml [--json big.json]

The records are India-like export figures spread over fiscal years 1995-2040, by
country, product and quarter, each unique, all citing one synthetic source, plus a
few companies and sites so that every command has something to show. Like a curated
file, it starts with a comment, and some records list what is inferred. With --json,
the same data is also written as JSON (the shape of `cgcli export --format json`),
for comparing with jq.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

YEARS = list(range(1995, 2041))
PRODUCTS = [
    "mobile phones",
    "cover glass",
    "displays",
    "batteries",
    "chargers",
    "cameras",
    "speakers",
    "chips",
]


def generate(n: int, seed: int = 1) -> dict[str, object]:
    rng = random.Random(seed)
    exports = []
    countries = max(1, n // (len(YEARS) * len(PRODUCTS) * 5) + 1)
    i = 0
    for c in range(countries):
        for product in PRODUCTS:
            for fy in YEARS:
                for quarter in (None, 1, 2, 3, 4):
                    if i == n:
                        break
                    record = {
                        "id": f"x{i}",
                        "country": f"Country {c}",
                        "product": product,
                        "fy": fy,
                        "value": rng.randint(100, 200_000),
                        "unit": "INR crore",
                        "qualifier": rng.choice(["exact", "over", "approximate"]),
                        "source": "synthetic",
                    }
                    if quarter:
                        record["quarter"] = quarter
                    if rng.random() < 0.3:
                        record["growth_pct"] = rng.randint(-50, 150)
                        record["growth_qualifier"] = "exact"
                        if rng.random() < 0.05:  # as curated files mark what is inferred
                            record["inferred"] = ["growth_pct"]
                    exports.append(record)
                    i += 1
    return {
        "schema_version": 1,
        "sources": [
            {"id": "synthetic", "title": "Synthetic figures for scale tests", "kind": "dataset"}
        ],
        "companies": [
            {"id": f"co{k}", "name": f"Company {k}", "business": "glass", "source": "synthetic"}
            for k in range(5)
        ],
        "sites": [
            {
                "id": f"site{k}",
                "operator": f"co{k}",
                "country": "India",
                "status": "planned",
                "makes": "glass",
                "source": "synthetic",
            }
            for k in range(5)
        ],
        "exports": exports,
    }


def to_toml(data: dict[str, object]) -> str:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from cover_glass_cli.store.tomltext import toml_document

    return toml_document(data)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, required=True, help="number of export records")
    parser.add_argument("--json", type=Path, help="also write the same data as JSON here")
    parser.add_argument("out", type=Path, help="the TOML fact file to write")
    args = parser.parse_args()
    data = generate(args.records)
    head = f"# {args.records:,} synthetic export records for scale tests (make_facts.py)\n"
    args.out.write_text(head + to_toml(data), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(data), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {args.records:,} export records)")


if __name__ == "__main__":
    main()
