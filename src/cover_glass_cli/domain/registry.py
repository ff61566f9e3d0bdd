"""The registry of kinds: everything about a kind of record is declared once, in its own
module of domain/kinds/ (one module per kind), and every layer reads it from here.

A kind module defines `KIND = Kind(...)`: its fields and what each is (type, required,
bounds, choices, the field holding its unit or qualifier, long text, indexed for
filters, what evidence must show of it), its derived fields and how they are derived,
the fields that name its subject, whether its records carry figures, its table columns
and title, and its documentation for exports. The registry finds the kind modules by
listing the folder: no list names them, so adding a kind is adding its module (and, for
a command of its own, its command module and a line in the command list).

Knows nothing of click or rich, and imports no other module of the package: the schema,
validation, queries, the cache, the exports and the views all build on it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

UNITS = ("INR crore", "INR lakh", "INR million", "INR billion", "percent")
QUALIFIERS = ("exact", "over", "under", "approximate", "range")
RANKS = ("preferred", "normal", "deprecated")  # as claims.RANKS: which claim a view shows
MAX_FIGURE = 1e15  # no real figure in this domain comes near it
MAX_TEXT = 10_000

Record = dict[str, Any]
# A kind's derivation: given the facts and the records being shaped, a function giving
# each record's derived fields. (The facts are a domain.facts.Facts; typed loosely here
# so that this module imports nothing of the package.)
Deriver = Callable[[Any, list[Record]], Callable[[Record], Record]]


# Plain classes with __slots__, not NamedTuple: a NamedTuple class costs a few hundred
# microseconds to create, and every command reads the registry.


class Field:
    """One field of a kind of record.

    name, type   "str", "int", "number", "strlist", "spans"; "bool" for derived fields only
    required     whether the fact file must give it
    doc          what it means
    ref          the kinds an id in it may name
    choices      the values it may take, when fixed
    bounds       (low, high) for a number, with `bounds_message` saying what the value is not
    long_text    several sentences: a newline or a tab may belong in it
    indexed      a column of the cache's table that lookups filter on; `casefold` when
                 matched in any case
    evidence     what its claim's evidence must show of it (see evidence.figures_of):
                 "name", "term" (any case), "names" (or an alias), "ref" (the name behind
                 each id), "amount", "figure" (value, or low and high, in the record's
                 unit and qualifier), "fiscal_year", "quarter", "ordinal"
    unit         the unit of an "amount" (None: the record's unit field, or none at all)
    qualifier    the field that holds an "amount"'s qualifier (None: exact)
    label        what names the amount in a problem: "founded ", "growth "
    ungrouped    a whole number shown as written (a year, a count), never as 1,993
    derived      computed by cgcli; `searched`: search looks in it too; `names_of`: the
                 field whose ids' names it gives; `exported`: kept as a column of the
                 SQLite export and data package, with `links` the kind it names there;
                 `best_only`: only a subject's best claims carry it in an all-claims listing
    """

    __slots__ = (
        "best_only",
        "bounds",
        "bounds_message",
        "casefold",
        "choices",
        "derived",
        "doc",
        "evidence",
        "exported",
        "indexed",
        "label",
        "links",
        "long_text",
        "name",
        "names_of",
        "qualifier",
        "ref",
        "required",
        "searched",
        "type",
        "ungrouped",
        "unit",
    )

    def __init__(
        self,
        name: str,
        type: str,
        required: bool,
        doc: str,
        ref: tuple[str, ...] = (),
        choices: tuple[str, ...] = (),
        *,
        bounds: tuple[float, float] | None = None,
        bounds_message: str = "",
        long_text: bool = False,
        indexed: bool = False,
        casefold: bool = False,
        evidence: str | None = None,
        unit: str | None = None,
        qualifier: str | None = None,
        label: str = "",
        ungrouped: bool = False,
        derived: bool = False,
        searched: bool = False,
        names_of: str | None = None,
        exported: bool = False,
        links: str | None = None,
        best_only: bool = False,
    ) -> None:
        self.name, self.type, self.required, self.doc = name, type, required, doc
        self.ref, self.choices = ref, choices
        self.bounds, self.bounds_message, self.long_text = bounds, bounds_message, long_text
        self.indexed, self.casefold = indexed, casefold
        self.evidence, self.unit, self.qualifier, self.label = evidence, unit, qualifier, label
        self.ungrouped, self.derived, self.searched = ungrouped, derived, searched
        self.names_of, self.exported, self.links = names_of, exported, links
        self.best_only = best_only

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r})"


def derived(name: str, type: str, doc: str, **attrs: Any) -> Field:
    """A field computed by cgcli, never stored in a fact file."""
    return Field(name, type, False, doc, derived=True, **attrs)


class Col:
    """A column of a kind's table for people: its header, the field it shows (or `cell`,
    the name of a cell the ui draws: "figure", "growth", "computed", "check", "count"),
    and whether it holds numbers (right-aligned)."""

    __slots__ = ("cell", "field", "header", "numeric")

    def __init__(
        self, header: str, field: str = "", *, cell: str = "", numeric: bool = False
    ) -> None:
        self.header, self.field, self.cell, self.numeric = header, field, cell, numeric


class Kind:
    """One kind of record (see the module's docstring).

    name       its identifier: the fact file's array of tables and the output's
    order      where it comes among the kinds: in exports, `cgcli fields`, search results
    fields     stored fields, in order (id first; the common tail is added by `kind()`)
    derived    derived fields, in order; `derive` computes the kind's own (names behind
               ids and claim fields are computed for every kind from the declarations;
               `pooled`: its `derive` gives the claim fields too, from the records it fetches)
    subject    the fields naming what a record is about; ("id",): the record itself
    figures    its records carry a figure: value (or low and high), unit and qualifier
    cited      its records are claims citing a source (not so a source itself)
    source     it is the kind of the sources the others cite
    title      the title of its table; `title_of(rows)` may say more of the rows shown
    columns    its table's columns (Col); `varying` fields get a column when rows differ
    listed     its command (`cgcli people`) lists its rows as they are; not so
               where a command of its own shows them in another shape (`cgcli venture`)
    indexes    the cache's indexes on its indexed fields (default: one for each)
    doc        its documentation in the SQLite export and data package
    label      a short human name of a record, when it has no name, title or statement
    cited_as   what a citation says the record is, when more than its label
    detail     (label, text) of a record listed in another's detail view
    related    its place among the sections of a company's or venture's detail view
    search_text  what search finds a record by besides its fields (an export's period)
    renamed    {schema version: {old field name: new one}}: files of older schemas read
    defaults   what `facts add` fills in when not given; `default_id(record)` its id
    singular   its name for one record, in column names: company (person)
    examples   command lines that show it, for help and docs
    """

    __slots__ = (
        "cited",
        "cited_as",
        "columns",
        "default_id",
        "defaults",
        "derive",
        "derived",
        "detail",
        "doc",
        "examples",
        "field_map",
        "fields",
        "figures",
        "indexes",
        "label",
        "listed",
        "name",
        "order",
        "pooled",
        "related",
        "renamed",
        "search_text",
        "singular",
        "source",
        "subject",
        "title",
        "title_of",
        "varying",
    )

    def __init__(
        self,
        name: str,
        order: int,
        fields: tuple[Field, ...],
        *,
        title: str,
        doc: str,
        columns: tuple[Col, ...],
        derived: tuple[Field, ...] = (),
        derive: Deriver | None = None,
        pooled: bool = False,
        subject: tuple[str, ...] = ("id",),
        figures: bool = False,
        cited: bool = True,
        source: bool = False,
        title_of: Callable[[list[Record]], str] | None = None,
        varying: tuple[str, ...] = (),
        listed: bool = True,
        indexes: tuple[tuple[str, ...], ...] | None = None,
        label: Callable[[Record], str] | None = None,
        cited_as: Callable[[Record], str] | None = None,
        detail: Callable[[Record], tuple[str, str]] | None = None,
        related: int | None = None,
        search_text: Callable[[Record], list[str]] | None = None,
        renamed: dict[int, dict[str, str]] | None = None,
        defaults: dict[str, Any] | None = None,
        default_id: Callable[[Record], str | None] | None = None,
        singular_name: str | None = None,
        examples: tuple[str, ...] = (),
    ) -> None:
        self.name, self.order, self.cited, self.source = name, order, cited, source
        self.fields = (*_head(), *fields, *_tail(cited=cited))
        self.field_map = {f.name: f for f in self.fields}
        self.derived = (*derived, *(CLAIMS if cited else ()))
        self.derive, self.pooled, self.subject, self.figures = derive, pooled, subject, figures
        self.indexes = (
            indexes if indexes is not None else tuple((f.name,) for f in self.fields if f.indexed)
        )
        self.search_text, self.listed = search_text, listed
        self.title, self.doc, self.columns, self.title_of = title, doc, columns, title_of
        self.varying, self.label, self.detail, self.related = varying, label, detail, related
        self.cited_as = cited_as
        self.renamed, self.examples = renamed or {}, examples
        self.defaults, self.default_id = defaults or {}, default_id
        self.singular = singular_name or singular(name)

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"

    @property
    def command(self) -> str:
        """Its name as a command or an argument writes it: '-' for '_'."""
        return self.name.replace("_", "-")

    @property
    def all_fields(self) -> tuple[Field, ...]:
        """Every field a row of it has, in output order: stored, then derived."""
        return self.fields + self.derived

    def indexed(self) -> tuple[Field, ...]:
        """The fields lookups filter on: the cache's columns of this kind (see `indexes`)."""
        return tuple(f for f in self.fields if f.indexed)


def singular(name: str) -> str:
    """companies -> company, partners -> partner."""
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") else name


# --- fields every kind has ---------------------------------------------------------


def _head() -> tuple[Field, ...]:
    return (
        Field("id", "str", True, "Stable identifier: lower case letters, digits, '-', '.', '_'."),
    )


def _tail(*, cited: bool) -> tuple[Field, ...]:
    tail: tuple[Field, ...] = (
        Field("inferred", "strlist", False, "Fields implied by the source rather than stated."),
        Field(
            "note",
            "str",
            False,
            "Curator's remark: caveats, how an inference was made.",
            long_text=True,
        ),
    )
    if cited:
        tail += (
            Field("source", "str", True, "Id of the source record.", ref=(_SOURCE_REF,)),
            Field(
                "rank",
                "str",
                False,
                "Claim rank: preferred, normal (the default) or deprecated; views show a "
                "subject's preferred claims, else its normal ones.",
                choices=RANKS,
            ),
            Field("rank_reason", "str", False, "Why the claim has its rank."),
            Field(
                "evidence",
                "spans",
                False,
                "Spans of the source's words that state the claim: {start, end, sha256} each.",
            ),
        )
    return tail


_SOURCE_REF = ":source"  # stands for the source kind's name until the kinds are read


def figure(qualifiers: tuple[str, ...]) -> tuple[Field, ...]:
    """The unit and qualifier of a kind's figure."""
    return (
        Field("unit", "str", True, "Unit of the figure.", choices=UNITS),
        Field("qualifier", "str", True, "How the source states the figure.", choices=qualifiers),
    )


CLAIMS: tuple[Field, ...] = (
    derived(
        "claims", "int", "How many claims the data holds about this row's subject.", ungrouped=True
    ),
    derived("disputed", "bool", "Whether the subject's best claims disagree (see dispute)."),
    derived(
        "best",
        "bool",
        "Whether this claim is one its subject's best: preferred, else normal, rank.",
    ),
    derived("dispute", "str", "When disputed: each best claim's figure and source."),
    derived("also", "str", "The subject's other claims: figure, source and rank."),
)
"""Derived fields of every cited kind: a record is a claim about a subject (Kind.subject),
and a listing shows one row per subject unless asked for all."""


# --- the registry ------------------------------------------------------------------

_KINDS: dict[str, Kind] = {}


def kinds() -> dict[str, Kind]:
    """Every kind, by name, in order: read from the modules of domain/kinds/ on first use."""
    if not _KINDS:
        _KINDS.update((k.name, k) for k in sorted(_discover(), key=lambda k: k.order))
        for kind in _KINDS.values():
            _cite(kind)
    return _KINDS


def _cite(kind: Kind) -> None:
    """Point KIND's `source` field at the kind of the sources."""
    for field in kind.fields:
        if field.ref == (_SOURCE_REF,):
            field.ref = (source_kind(),)


def _discover() -> Iterable[Kind]:
    """The KIND of each module of domain/kinds/, found by listing the folder."""
    folder = os.path.join(os.path.dirname(__file__), "kinds")
    names = sorted(
        {n.partition(".")[0] for n in os.listdir(folder) if n.endswith((".py", ".pyc"))}
        - {"__init__"}
    )
    for name in names:
        module = __import__(f"{__package__}.kinds.{name}", fromlist=["KIND"])
        yield module.KIND


def register(kind: Kind) -> None:
    """Add KIND to the registry (for a kind defined outside domain/kinds/, as tests do)."""
    known = kinds()
    known[kind.name] = kind
    _cite(kind)
    ordered = sorted(known.values(), key=lambda k: k.order)
    known.clear()
    known.update((k.name, k) for k in ordered)


def unregister(name: str) -> None:
    kinds().pop(name, None)


def kind(name: str) -> Kind:
    return kinds()[name]


def source_kind() -> str:
    """The name of the kind of the sources that every claim cites."""
    found = [k.name for k in (_KINDS.values() if _KINDS else kinds().values()) if k.source]
    return found[0]


def kind_name(text: str) -> str | None:
    """A kind's name as given (any case, '-' for '_'), or None when it names no kind."""
    name = text.strip().lower().replace("-", "_")
    return name if name in kinds() else None


def empty_record(kind_: str) -> dict[str, Any]:
    """Every field of KIND, absent ones as null (lists as []): the stable JSON shape."""
    return {f.name: ([] if f.type in ("strlist", "spans") else None) for f in kinds()[kind_].fields}
