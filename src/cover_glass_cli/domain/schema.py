"""The fact-file schema: every kind of record, its fields and what they mean.

Records stay plain dicts (cheap to load, cheap to dump as JSON). Every command that
shows records needs this module, so it holds only the schema; checking a fact file
against it is validation.py's job, needed only when a file is parsed.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 2
"""2 added `rank` and `rank_reason` (claim ranks) to every kind but sources and renamed
market_facts' ranking position from `rank` to `position`. Files of schema 1 are still
read: validation.upgrade_v1 renames their market_facts `rank` to `position`."""

UNITS = ("INR crore", "INR lakh", "INR million", "INR billion", "percent")
QUALIFIERS = ("exact", "over", "under", "approximate", "range")
STATUSES = ("planned", "operating")
RANKS = ("preferred", "normal", "deprecated")  # as claims.RANKS: which claim a view shows
MAX_FIGURE = 1e15  # no real figure in this domain comes near it
MAX_TEXT = 10_000


# Plain classes with __slots__, not NamedTuple: a NamedTuple class costs a few hundred
# microseconds to create, and this module is imported by every command.


class Field:
    """One field of a kind of record: its type ("str", "int", "number", "strlist"; "bool"
    for derived fields only), whether
    the fact file must give it, what it means, the kinds an id in it may name, its values."""

    __slots__ = ("choices", "doc", "name", "ref", "required", "type")

    def __init__(
        self,
        name: str,
        type: str,
        required: bool,
        doc: str,
        ref: tuple[str, ...] = (),
        choices: tuple[str, ...] = (),
    ) -> None:
        self.name, self.type, self.required, self.doc = name, type, required, doc
        self.ref, self.choices = ref, choices


def _common_head() -> tuple[Field, ...]:
    return (
        Field("id", "str", True, "Stable identifier: lower case letters, digits, '-', '.', '_'."),
    )


def _common_tail(*, cited: bool = True) -> tuple[Field, ...]:
    tail: tuple[Field, ...] = (
        Field("inferred", "strlist", False, "Fields implied by the source rather than stated."),
        Field("note", "str", False, "Curator's remark: caveats, how an inference was made."),
    )
    if cited:
        tail += (
            Field("source", "str", True, "Id of the source record.", ref=("sources",)),
            Field(
                "rank",
                "str",
                False,
                "Claim rank: preferred, normal (the default) or deprecated; views show a "
                "subject's preferred claims, else its normal ones.",
                choices=RANKS,
            ),
            Field("rank_reason", "str", False, "Why the claim has its rank."),
        )
        tail += _evidence()
    return tail


def _evidence() -> tuple[Field, ...]:
    """The claim's evidence: spans of its source's document (see domain/evidence.py)."""
    doc = "Spans of the source's words that state the claim: fingerprints, never the words."
    return (Field("evidence", "spans", False, doc),)


def _kind(*fields: Field, cited: bool = True) -> tuple[Field, ...]:
    return _common_head() + fields + _common_tail(cited=cited)


def _figure(qualifiers: tuple[str, ...]) -> tuple[Field, ...]:
    return (
        Field("unit", "str", True, "Unit of the figure.", choices=UNITS),
        Field("qualifier", "str", True, "How the source states the figure.", choices=qualifiers),
    )


def _source_document() -> tuple[Field, ...]:
    """What lets a source's document be checked and linked (see domain/evidence.py)."""
    return (
        Field("url", "str", False, "Web address of the document, for links."),
        Field("accessed", "str", False, "When the document was read, YYYY-MM-DD."),
        Field("sha256", "str", False, "SHA-256 of the document's bytes (64 hex digits)."),
    )


KINDS: dict[str, tuple[Field, ...]] = {
    "sources": _kind(
        Field("title", "str", True, "What the source is about, in our words."),
        Field("kind", "str", True, "News report, filing, dataset ..."),
        Field("publisher", "str", False, "Who published it."),
        Field("published", "str", False, "Publication date, YYYY-MM-DD, when known."),
        Field("location", "str", False, "Where to find it: a path or URL."),
        *_source_document(),
        cited=False,
    ),
    "companies": _kind(
        Field("name", "str", True, "Name as the source gives it."),
        Field("aliases", "strlist", False, "Other names the source uses."),
        Field("founded", "int", False, "Year founded."),
        Field("business", "str", True, "What the company does."),
        Field("specialties", "strlist", False, "Fields of expertise."),
        Field("products", "strlist", False, "Named products."),
        Field("role", "str", False, "Its part in the story."),
    ),
    "people": _kind(
        Field("name", "str", True, "Full name."),
        Field("title", "str", True, "Position held."),
        Field("company", "str", True, "Id of the company.", ref=("companies",)),
    ),
    "statements": _kind(
        Field("speaker", "str", True, "Id of the person or company.", ref=("people", "companies")),
        Field("topic", "str", True, "What it is about."),
        Field("summary", "str", True, "What was said, in our words."),
    ),
    "ventures": _kind(
        Field("name", "str", True, "Name, or a description where it has none."),
        Field("kind", "str", True, "Joint venture, partnership ..."),
        Field("partners", "strlist", True, "Ids of the partner companies.", ref=("companies",)),
        Field("announced_by", "str", False, "Id of the announcing company.", ref=("companies",)),
        Field("announced", "str", False, "When it was announced."),
        Field("country", "str", True, "Where it will operate."),
        Field("products", "strlist", False, "What it will make."),
        Field("distinction", "str", False, "What sets it apart."),
        Field("goal", "str", False, "Its stated goal."),
        Field("goal_years", "int", False, "Years in which to reach the goal."),
    ),
    "sites": _kind(
        Field(
            "operator", "str", True, "Id of the company or venture.", ref=("companies", "ventures")
        ),
        Field("country", "str", True, "Country."),
        Field("city", "str", False, "City, when known."),
        Field("status", "str", True, "planned or operating.", choices=STATUSES),
        Field("makes", "str", True, "What is made there."),
    ),
    "customers": _kind(
        Field("supplier", "str", True, "Id of the supplying company.", ref=("companies",)),
        Field("name", "str", True, "Customer's name."),
        Field("sector", "str", False, "What kind of customer."),
    ),
    "exports": _kind(
        Field("country", "str", True, "Exporting country."),
        Field("product", "str", True, "What was exported."),
        Field(
            "fy", "int", True, "Indian fiscal year, by its end: 2023 is April 2022 - March 2023."
        ),
        Field("quarter", "int", False, "Quarter of the fiscal year, 1 (Apr-Jun) to 4 (Jan-Mar)."),
        Field("value", "number", True, "The figure."),
        *_figure(QUALIFIERS[:-1]),
        Field("growth_pct", "number", False, "Growth as stated, in per cent."),
        Field(
            "growth_qualifier",
            "str",
            False,
            "How the growth is stated.",
            choices=QUALIFIERS[:-1],
        ),
    ),
    "value_addition": _kind(
        Field("country", "str", True, "Country."),
        Field("value", "number", False, "The share, when one figure is given."),
        Field("low", "number", False, "Low end, when a range is given."),
        Field("high", "number", False, "High end, when a range is given."),
        *_figure(QUALIFIERS),
        Field("scope", "str", False, "What the share measures."),
    ),
    "market_facts": _kind(
        Field("subject", "str", True, "Who or what the fact is about."),
        Field("topic", "str", True, "What it concerns."),
        Field("position", "int", False, "Position in a ranking (schema 1 called it rank)."),
        Field("statement", "str", True, "The fact, in our words."),
    ),
}

FIELD_MAP: dict[str, dict[str, Field]] = {k: {f.name: f for f in fs} for k, fs in KINDS.items()}


def empty_record(kind: str) -> dict[str, Any]:
    """Every field of KIND, absent ones as null (lists as []): the stable JSON shape."""
    return {f.name: ([] if f.type in ("strlist", "spans") else None) for f in KINDS[kind]}


def kind_name(text: str) -> str | None:
    """Accept 'value-addition', 'Value_Addition' ... for 'value_addition'."""
    name = text.strip().lower().replace("-", "_")
    return name if name in KINDS else None


class Problem:
    """What is wrong, and where: FILE:LINE: key.path: message."""

    __slots__ = ("file", "key", "line", "message")

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        self.file, self.line, self.key, self.message = file, line, key, message

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.file, self.line or 0, self.key)
