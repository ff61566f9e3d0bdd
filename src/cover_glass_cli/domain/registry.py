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
from collections.abc import Callable, Iterable, Sequence
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


# Plain classes, not NamedTuple or dataclasses: creating such a class (or importing
# dataclasses) costs start-up time, and every command reads the registry.


class Field:
    """One field of a kind of record.

    name, type   "str", "int", "number", "strlist", "spans"; "bool" for derived fields only;
                 an "int" (a year, a count) is `ungrouped`: shown as written, never as 1,993
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
    derived      computed by cgcli; `searched`: search looks in it too; `names_of`: the
                 field whose ids' names it gives (searched unless `searched` is False);
                 `exported`: kept as a column of the SQLite export and data package, with
                 `links` the kind it names there; `best_only`: only a subject's best claims
                 carry it in an all-claims listing
    """

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
        derived: bool = False,
        searched: bool | None = None,
        names_of: str | None = None,
        exported: bool = False,
        links: str | None = None,
        best_only: bool = False,
    ) -> None:
        self.name, self.type, self.required, self.doc = name, type, required, doc
        self._ref, self.choices = ref, choices
        self.bounds, self.bounds_message, self.long_text = bounds, bounds_message, long_text
        self.indexed, self.casefold = indexed, casefold
        self.evidence, self.unit, self.qualifier, self.label = evidence, unit, qualifier, label
        self.ungrouped = type == "int"
        self.derived = derived
        self.searched = names_of is not None if searched is None else searched
        self.names_of, self.exported, self.links = names_of, exported, links
        self.best_only = best_only

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r})"

    @property
    def ref(self) -> tuple[str, ...]:
        if self._ref == (_SOURCE_REF,):  # a claim's source: the kind of the sources
            self._ref = (source_kind(),)
        return self._ref


def derived(name: str, type: str, doc: str, **attrs: Any) -> Field:
    """A field computed by cgcli, never stored in a fact file."""
    return Field(name, type, False, doc, derived=True, **attrs)


def reference(name: str, type: str, required: bool, doc: str, *kinds: str, **attrs: Any) -> Field:
    """A field of ids of records of KINDS, whose names its claim's evidence must show."""
    return Field(name, type, required, doc, kinds, evidence="ref", **attrs)


class Col:
    """A column of a kind's table for people: its header, the field it shows (by default
    the header's: "Founded" shows `founded`; or `cell`, the name of a cell the ui draws:
    "figure", "growth", "computed", "check", "count"), and whether it holds numbers
    (right-aligned)."""

    def __init__(
        self, header: str, field: str = "", *, cell: str = "", numeric: bool = False
    ) -> None:
        self.header, self.cell, self.numeric = header, cell, numeric
        self.field = field or ("" if cell else header.lower().replace(" ", "_"))


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
    compared   for a kind without figures, the fields whose values claims of different
               origins must share, or disagree (a ranking's position)
    cited      its records are claims citing a source (not so a source itself)
    source     it is the kind of the sources the others cite
    title      the title of its table (default: its name, "Market facts"); `title_of(rows)` may say more of the rows shown;
               `notes_of(rows)` adds lines under it (what the rows shown need said)
    columns    its table's columns (Col); `varying` fields get a column when rows differ
    listed     its command (`cgcli people`) lists its rows as they are; not so
               where a command of its own shows them in another shape (`cgcli venture`);
               the name of the listing command, when it is not named after the kind
    doc        its documentation in the SQLite export and data package
    label      a short human name of a record, when it has no name, title or statement
    cited_as   what a citation says the record is, when more than its label
    detail     (label, text) of a record listed in another's detail view
    related    its place among the sections of a company's or venture's detail view
    search_text  what search finds a record by besides its fields (an export's period)
    renamed    {schema version: {old field name: new one}}: files of older schemas read
    rules      what ties its fields together beyond each field's type and choices (a date's
               form, a field needed when another is given): a function of a record giving
               (field, problem) pairs; it must expect fields of any type
    defaults   what `facts add` fills in when not given; `default_id(record)` its id
    singular   its name for one record, in column names: company (person)
    named      its records' name and aliases are what evidence must show for an id of one
               (a field with evidence "ref"): companies, people
    examples   command lines that show it, for help and docs
    """

    def __init__(
        self,
        name: str,
        order: int,
        fields: tuple[Field, ...],
        *,
        doc: str,
        title: str = "",
        columns: tuple[Col, ...],
        derived: tuple[Field, ...] = (),
        derive: Deriver | None = None,
        pooled: bool = False,
        subject: tuple[str, ...] = ("id",),
        figures: bool = False,
        cited: bool = True,
        source: bool = False,
        title_of: Callable[[list[Record]], str] | None = None,
        notes_of: Callable[[list[Record]], list[str]] | None = None,
        compared: tuple[str, ...] = (),
        rules: Callable[[Record], list[tuple[str, str]]] | None = None,
        varying: tuple[str, ...] = (),
        listed: bool | str = True,
        label: Callable[[Record], str] | None = None,
        cited_as: Callable[[Record], str] | None = None,
        detail: Callable[[Record], tuple[str, str]] | None = None,
        related: int | None = None,
        search_text: Callable[[Record], Sequence[str]] | None = None,
        renamed: dict[int, dict[str, str]] | None = None,
        defaults: dict[str, Any] | None = None,
        default_id: Callable[[Record], str | None] | None = None,
        singular_name: str | None = None,
        named: bool = False,
        examples: tuple[str, ...] = (),
    ) -> None:
        self.name, self.order, self.cited, self.source = name, order, cited, source
        self.fields = (*_HEAD, *fields, *_TAIL, *(_CITING if cited else ()))
        self.field_map = {f.name: f for f in self.fields}
        self.derived = (*derived, *(CLAIMS if cited else ()))
        self.derive, self.pooled, self.subject, self.figures = derive, pooled, subject, figures
        self.search_text, self.listed = search_text, listed
        self.title = title or name.replace("_", " ").capitalize()
        self.doc, self.columns, self.title_of = doc, columns, title_of
        self.varying, self.label, self.detail, self.related = varying, label, detail, related
        self.cited_as = cited_as
        self.notes_of, self.compared, self.rules = notes_of, compared, rules
        self.renamed, self.examples = renamed or {}, examples
        self.defaults, self.default_id = defaults or {}, default_id
        self.singular, self.named = singular_name or singular(name), named

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


def singular(name: str) -> str:
    """companies -> company, partners -> partner."""
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") else name


# --- fields every kind has ---------------------------------------------------------
#
# Id first, then the kind's own fields, then inferred and note, and for a kind whose
# records cite a source, the claim's source, rank and evidence. One Field each, shared
# by every kind: a field is never changed once declared (the kind a source names is
# worked out once, the same for all).

_SOURCE_REF = ":source"  # stands for the source kind's name until that is asked for

_HEAD: tuple[Field, ...] = (
    Field("id", "str", True, "Stable identifier: lower case letters, digits, '-', '.', '_'."),
)
_TAIL: tuple[Field, ...] = (
    Field("inferred", "strlist", False, "Fields implied by the source rather than stated."),
    Field(
        "note",
        "str",
        False,
        "Curator's remark: caveats, how an inference was made.",
        long_text=True,
    ),
)
_CITING: tuple[Field, ...] = (
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
        "Spans of the source's words that state the claim: fingerprints, never the words.",
    ),
)


def figure(qualifiers: tuple[str, ...]) -> tuple[Field, ...]:
    """The unit and qualifier of a kind's figure."""
    return (
        Field("unit", "str", True, "Unit of the figure.", choices=UNITS),
        Field("qualifier", "str", True, "How the source states the figure.", choices=qualifiers),
    )


CLAIMS: tuple[Field, ...] = (
    derived("claims", "int", "How many claims the data holds about this row's subject."),
    derived(
        "source_label",
        "str",
        "Its source as a reader knows it: publisher and date (the source's id when it "
        "names neither).",
    ),
    derived(
        "origin",
        "str",
        "Who made the statement its source repeats: ICEA via PTI (the source's id when it "
        "names no origin).",
    ),
    derived(
        "origins",
        "int",
        "How many independent origins the subject's claims come from: reports of one "
        "origin (its source's `origin`, as a wire text printed by several outlets) count once.",
    ),
    derived(
        "disputed",
        "bool",
        "Whether the subject's best claims of different origins disagree (see dispute).",
    ),
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


def row_notes(rows: list[Record]) -> list[str]:
    """The curators' notes of the rows shown, rows with one note together: "Note
    (a, b, c): TEXT", for kinds whose tables must not hide a caveat (a list that may not
    be complete, a site that is a reading). Rows with inferred fields are left out: their
    note is said with the inferred mark."""
    said: dict[str, list[str]] = {}
    for row in rows:
        note = row.get("note")
        if isinstance(note, str) and note and not row.get("inferred"):
            said.setdefault(note, []).append(str(row.get("id")))
    return [f"Note ({', '.join(ids)}): {note}" for note, ids in said.items()]


# --- the registry ------------------------------------------------------------------
#
# A kind's module is read when the kind is first asked for: a lookup of exports reads
# only the exports module. kinds() reads them all, for what goes through every kind.

_LOADED: dict[str, Kind] = {}  # every kind read so far (or registered), by name
_ALL: dict[str, Kind] = {}  # every kind, in order, once kinds() has read them all
_MODULES: list[str] = []


def _modules() -> list[str]:
    """The names of the modules of domain/kinds/: each is the name of its kind."""
    if not _MODULES:
        folder = os.path.join(os.path.dirname(__file__), "kinds")
        found = {n.partition(".")[0] for n in os.listdir(folder) if n.endswith((".py", ".pyc"))}
        _MODULES.extend(sorted(found - {"__init__"}))
    return _MODULES


def kind_of(name: str) -> Kind:
    """The kind NAME (KeyError when there is none), its module read if need be."""
    found = _LOADED.get(name)
    if found is None:
        found = _read(name)
        if found is None:
            raise KeyError(name)
        if found.name != name:
            raise ValueError(f"domain/kinds/{name}.py declares the kind {found.name!r}")
        _LOADED[name] = found
    return found


def _read(name: str) -> Kind | None:
    """The kind that the module NAME of domain/kinds/ declares, None when there is no such
    module: imported by its name, so that a lookup of one kind lists no folder."""
    if _ALL or not name.isidentifier() or name.startswith("_"):
        return None  # every kind is read already, or NAME names no module of a kind
    module = f"{__package__}.kinds.{name}"
    try:
        found: Kind = __import__(module, fromlist=["KIND"]).KIND
    except ModuleNotFoundError as e:
        if e.name != module:  # a module that the kind's module imports is missing
            raise
        return None
    return found


def find_kind(name: str) -> Kind | None:
    """The kind NAME, or None when there is none."""
    try:
        return kind_of(name)
    except KeyError:
        return None


def kinds() -> dict[str, Kind]:
    """Every kind, by name, in order (Kind.order)."""
    if not _ALL:
        for name in _modules():
            kind_of(name)
        _ALL.update((k.name, k) for k in sorted(_LOADED.values(), key=lambda k: k.order))
    return _ALL


def loaded() -> Iterable[Kind]:
    """The kinds read so far."""
    return _LOADED.values()


def register(kind: Kind) -> None:
    """Add KIND to the registry (for a kind defined outside domain/kinds/, as tests do)."""
    _LOADED[kind.name] = kind
    _ALL.clear()


def unregister(name: str) -> None:
    _LOADED.pop(name, None)
    _ALL.clear()


def source_kind() -> str:
    """The name of the kind of the sources that every claim cites."""
    return next(k.name for k in kinds().values() if k.source)


def kind_name(text: str) -> str | None:
    """A kind's name as given (any case, '-' for '_'), or None when it names no kind."""
    name = text.strip().lower().replace("-", "_")
    return name if find_kind(name) is not None else None


def empty_record(kind: str) -> dict[str, Any]:
    """Every field of KIND, absent ones as null (lists as []): the stable JSON shape."""
    return {f.name: ([] if f.type in ("strlist", "spans") else None) for f in kind_of(kind).fields}
