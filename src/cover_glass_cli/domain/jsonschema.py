"""JSON Schemas (draft 2020-12) for every JSON output of cgcli, generated from the schema.

One contract per command name (`names()`), built from the registry of kinds so that
the schemas, the fact-file checks and the README's field tables cannot drift apart.
Rows (what listing commands print) carry every field of `fields_of(kind)`: stored
fields the fact file may omit, and derived ones, are nullable; list fields are
arrays of strings, never null. Stored records (what `export --format json` prints)
carry only the fields the fact file gives, and never null.

Knows nothing of click or rich; builds plain dicts, cheap enough to build per call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .facts import SCHEMA_VERSION
from .registry import MAX_TEXT, Field, kind_of, kinds, source_kind

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,99}$"  # as validation.py's _bad_id accepts
FIELD_TYPES = ("str", "int", "number", "strlist", "bool", "spans")
_RUNGS = ["exact", "moved", "reformatted", "changed", "not found"]


def _object(
    properties: dict[str, Any], required: list[str] | None = None, title: str = ""
) -> dict[str, Any]:
    """An object of PROPERTIES and no others, REQUIRED of them (None: all)."""
    out: dict[str, Any] = {"type": "object", "title": title} if title else {"type": "object"}
    out["properties"] = properties
    out["required"] = list(properties) if required is None else required
    out["additionalProperties"] = False
    return out


def listings() -> dict[str, str]:
    """Listing commands: command name -> the kind each prints. A kind whose command
    shows it in a shape of its own (`venture`: each with its sites) is not among them;
    one whose listing has a name of its own is there by that name."""
    return {
        k.listed if isinstance(k.listed, str) else k.command: k.name
        for k in kinds().values()
        if k.listed
    }


def names() -> tuple[str, ...]:
    """Every name `cgcli schema` knows: the listings, then the other commands."""
    return (*listings(), *_BUILDERS)


_JSON_TYPES = {"str": "string", "int": "integer", "number": "number", "bool": "boolean"}

# One evidence span (domain/spans.py): offsets into the source's text, end excluded, the
# SHA-256 of the text between them and, in the second format, the fingerprints the ladder
# of `cgcli verify` needs to find the passage in any copy of the page.
_CONTEXT_PRINT: dict[str, Any] = {
    "type": "array",
    "prefixItems": [
        {"type": "string", "pattern": "^[0-9a-f]{8}$", "description": "CRC-32 of 32 characters."},
        {"type": "integer", "minimum": 0, "description": "Distance from the passage."},
    ],
    "minItems": 2,
    "maxItems": 2,
}
SPAN: dict[str, Any] = _object(
    {
        "start": {"type": "integer", "minimum": 0, "description": "First character."},
        "end": {"type": "integer", "minimum": 1, "description": "Character after the last."},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "Of the text."},
        "norm": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "SHA-256 of the text normalised.",
        },
        "length": {"type": "integer", "minimum": 1, "description": "Normalised characters."},
        "head": {**_CONTEXT_PRINT, "description": "The passage's first landmark."},
        "before": {**_CONTEXT_PRINT, "description": "A landmark before the passage."},
        "after": {**_CONTEXT_PRINT, "description": "A landmark after the passage."},
        "figures": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"},
            "description": "The numbers written in the passage.",
        },
    },
    ["start", "end", "sha256"],
)
SPAN["dependentRequired"] = {"norm": ["length"], "length": ["norm"]}


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of the JSON that `cgcli NAME` prints (with --json, or export's json)."""
    listed = listings()
    if name in listed:
        kind = listed[name]
        body = {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}}
        return _document(name, f"The rows of `cgcli {name} --json`.", body, _row_defs(kind))
    if name not in _BUILDERS:
        raise ValueError(f"no JSON schema named {name!r}; names are: {', '.join(names())}")
    description, build = _BUILDERS[name]
    body, defs = build()
    return _document(name, description, body, defs)


def _document(
    name: str, description: str, body: dict[str, Any], defs: dict[str, Any]
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"urn:cgcli:schema-{SCHEMA_VERSION}:{name}",
        "title": f"cgcli {name}",
        "description": description,
        **body,
    }
    if defs:
        doc["$defs"] = defs
    return doc


# --- values, rows and stored records ---------------------------------------------------


def _value(field: Field, *, nullable: bool, derived: bool = False) -> dict[str, Any]:
    """The schema of one field's value."""
    doc = field.doc
    if field.ref:
        doc += f" Names a record of: {', '.join(field.ref)}."
    if field.type == "spans":
        out: dict[str, Any] = {"type": "array", "items": SPAN}
    elif field.type == "strlist":
        items: dict[str, Any] = {"type": "string"}
        if field.ref:
            items["pattern"] = ID_PATTERN
        out = {"type": "array", "items": items}
    else:
        json_type = _JSON_TYPES[field.type]
        out = {"type": [json_type, "null"] if nullable else json_type}
        if field.choices:
            out["enum"] = [*field.choices, None] if nullable else list(field.choices)
        if field.name == "id" or (field.ref and not derived):
            out["pattern"] = ID_PATTERN
        elif field.type == "str" and not derived:
            out["maxLength"] = MAX_TEXT
            if field.required:
                out["minLength"] = 1
    out["description"] = doc
    if derived:
        out["readOnly"] = True  # computed by cgcli, not stored in the fact file
    return out


def row_properties(kind: str) -> dict[str, dict[str, Any]]:
    """Property schemas of a row of KIND: every field of fields_of(kind), in order."""
    declared = kind_of(kind)
    stored = {f.name: _value(f, nullable=not f.required) for f in declared.fields}
    derived = {f.name: _value(f, nullable=True, derived=True) for f in declared.derived}
    return {**stored, **derived}


def _row(kind: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return _object({**row_properties(kind), **(extra or {})}, title=f"A row of {kind}")


def _row_defs(*kinds: str) -> dict[str, Any]:
    return {kind: _row(kind) for kind in kinds}


def _stored(kind: str) -> dict[str, Any]:
    """A record of KIND as the fact file holds it: the fields given, none null."""
    fields = kind_of(kind).fields
    properties = {f.name: _value(f, nullable=False) for f in fields}
    required = [f.name for f in fields if f.required]
    return _object(properties, required, title=f"A stored record of {kind}")


def _array_of(kind: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}}


# --- the other commands ----------------------------------------------------------------

Built = tuple[dict[str, Any], dict[str, Any]]  # (the document's body, its $defs)


def _search() -> Built:
    match = _object(
        {
            "kind": {"enum": list(kinds()), "description": "Kind of the record."},
            "id": {"type": "string", "pattern": ID_PATTERN, "description": "Id of the record."},
            "label": {"type": "string", "description": "A short human name for the record."},
            "matched_fields": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Fields of the row in which the words were found.",
            },
            "record": {"type": "object", "description": "The row, in its kind's shape."},
        }
    )
    match["allOf"] = [
        {
            "if": {"properties": {"kind": {"const": kind}}},
            "then": {"properties": {"record": {"$ref": f"#/$defs/{kind}"}}},
        }
        for kind in kinds()
    ]
    return {"type": "array", "items": match}, _row_defs(*kinds())


def _company_lists() -> list[str]:
    """The lists `company --json` gives beside the company's fields: the kinds its detail
    view shows (Kind.related, in order), then the sources they cite."""
    shown = sorted((k for k in kinds().values() if k.related), key=lambda k: k.related or 0)
    return [*(k.name for k in shown), source_kind()]


def _company() -> Built:
    from .kinds.companies import KIND as COMPANIES

    lists = {kind: _array_of(kind) for kind in _company_lists()}
    if set(lists) & set(row_properties(COMPANIES.name)):  # pragma: no cover - a schema change
        raise ValueError("a company field has the name of one of its lists")
    body = _row(COMPANIES.name, lists)
    del body["title"]  # the document's own title stands
    return body, _row_defs(*_company_lists())


def _venture() -> Built:
    from .kinds.sites import KIND as SITES
    from .kinds.ventures import KIND as VENTURES

    item = _row(VENTURES.name, {SITES.name: _array_of(SITES.name)})
    item["title"] = "A venture with its sites"
    return {"type": "array", "items": item}, _row_defs(SITES.name)


def _export() -> Built:
    properties: dict[str, Any] = {
        "schema_version": {
            "const": SCHEMA_VERSION,
            "description": "Version of the fact-file schema these records follow.",
        }
    }
    properties |= {kind: _array_of(kind) for kind in kinds()}
    return _object(properties), {kind: _stored(kind) for kind in kinds()}


def _fields() -> Built:
    spec = _object(
        {
            "name": {"type": "string"},
            "type": {"enum": list(FIELD_TYPES)},
            "required": {"type": "boolean", "description": "Whether the fact file must give it."},
            "derived": {"type": "boolean", "description": "Computed by cgcli, not stored."},
            "choices": {"type": "array", "items": {"type": "string"}},
            "references": {"type": "array", "items": {"enum": list(kinds())}},
            "doc": {"type": "string"},
        }
    )
    body = {
        "type": "object",
        "propertyNames": {"enum": list(kinds())},
        "additionalProperties": {"type": "array", "items": spec},
        "minProperties": 1,
    }
    return body, {}


def _verify() -> Built:
    problem = _object(
        {
            "id": {"type": "string", "description": "Id of the record at fault."},
            "kind": {"enum": list(kinds()), "description": "Its kind (ids are unique per kind)."},
            "field": {"type": ["string", "null"], "description": "The field at fault, if one."},
            "message": {"type": "string", "description": "What is wrong, in words."},
        },
        ["id", "message"],
    )
    where = {"type": ["integer", "null"], "minimum": 0}
    rung = {"enum": _RUNGS}
    span = _object(
        {
            "recorded_start": {"type": "integer", "minimum": 0},
            "recorded_end": {"type": "integer", "minimum": 1},
            "start": {**where, "description": "Where the passage is in the copy read."},
            "end": where,
            "rung": rung,
        }
    )
    claim = _object(
        {
            "id": {"type": "string"},
            "kind": {"enum": list(kinds())},
            "source": {"type": "string"},
            "rung": {**rung, "description": "The lowest rung its spans reached."},
            "ok": {"type": "boolean", "description": "exact, moved or reformatted; no problem."},
            "spans": {"type": "array", "items": span},
            "problems": {"type": "array", "items": {"type": "string"}},
        }
    )
    body = _object(
        {
            "ok": {"type": "boolean", "description": "True when no problem was found."},
            "claims": {"type": "array", "items": claim, "description": "One per claim checked."},
            "problems": {"type": "array", "items": problem},
            "checked": {
                "type": "integer",
                "minimum": 0,
                "description": "How many records were checked.",
            },
            "waiting": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 1},
                "description": "Web pages cgcli holds no copy of, by source id: how many "
                "of their claims wait for your saved copy (--source ID=FILE). Not a problem.",
            },
        }
    )
    # ok is true exactly when there are no problems.
    body["if"] = {"properties": {"ok": {"const": True}}}
    body["then"] = {"properties": {"problems": {"maxItems": 0}}}
    body["else"] = {"properties": {"problems": {"minItems": 1}}}
    return body, {}


def _facts_path() -> Built:
    text = {"type": "string"}
    file = _object(
        {
            "order": {"type": "integer", "minimum": 1, "description": "Position in the chain."},
            "path": {**text, "description": "The file."},
            "origin": {**text, "description": "Why it is in use: bundled, user, --facts ..."},
            "exists": {"type": "boolean", "description": "Whether the file exists."},
            "records_in_use": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "How many of its records are in use (null when unusable).",
            },
        }
    )
    hidden = _object(
        {
            "kind": {"enum": list(kinds())},
            "id": {"type": "string", "pattern": ID_PATTERN},
            "file": {**text, "description": "The later file, whose record wins."},
            "replaces": {**text, "description": "The file whose record it hides."},
        }
    )
    body = _object(
        {
            "files": {"type": "array", "items": file},
            "user_file": {**text, "description": "Where your own fact file lives."},
            "cache_dir": {**text, "description": "Where the cache lives."},
            "replaced": {"type": "array", "items": hidden},
        }
    )
    return body, {}


def _evidence() -> Built:
    where = {"type": ["integer", "null"], "minimum": 0}
    text = {"type": "string"}
    mark = _object({"start": {"type": "integer"}, "end": {"type": "integer"}, "text": text})
    span = _object(
        {
            "start": {**where, "description": "Where the passage is in your copy."},
            "end": where,
            "recorded_start": {"type": "integer", "minimum": 0},
            "recorded_end": {"type": "integer", "minimum": 1},
            "sha256": {"type": ["string", "null"]},
            "rung": {"enum": _RUNGS},
            "unchanged": {"type": "boolean", "description": "The rung is exact."},
            "text": {**text, "description": "The passage, read from your copy."},
            "before": text,
            "after": text,
            "marks": {"type": "array", "items": mark, "description": "Figures and names."},
            "link": {"type": ["string", "null"], "description": "Text-fragment link, if any."},
        },
        ["start", "end", "recorded_start", "recorded_end", "rung", "text", "marks"],
    )
    body = _object(
        {
            "id": text,
            "kind": {"enum": list(kinds())},
            "source": text,
            "document": {**text, "description": "The copy read."},
            "rung": {"enum": _RUNGS, "description": "The lowest rung its spans reached."},
            "spans": {"type": "array", "items": span},
            "problems": {"type": "array", "items": text},
        }
    )
    return body, {}


def _facts_backups() -> Built:
    backup = _object(
        {
            "id": {"type": "integer", "minimum": 1, "description": "Stable: restore takes it."},
            "made": {"type": "string", "description": "ISO 8601 time, with its offset."},
            "command": {"type": "string", "description": "The write that made it (or empty)."},
            "bytes": {"type": "integer", "minimum": 0},
            "path": {"type": "string"},
        }
    )
    return {"type": "array", "items": backup}, {}


_BUILDERS: dict[str, tuple[str, Callable[[], Built]]] = {
    "search": ("The matches of `cgcli search TEXT --json`.", _search),
    "company": ("`cgcli company NAME --json`: one company and what links to it.", _company),
    "venture": ("`cgcli venture --json`: the ventures, each with its sites.", _venture),
    "export": ("`cgcli export --format json`: every stored record, by kind.", _export),
    "fields": ("`cgcli fields --json`: the fields of each kind.", _fields),
    "verify": ("`cgcli verify --json`: the result of checking the facts.", _verify),
    "facts-path": ("`cgcli facts path --json`: the fact files in use.", _facts_path),
    "evidence": ("`cgcli evidence ID --json`: a claim's passages in your copy.", _evidence),
    "facts-backups": ("`cgcli facts backups --json`: the kept versions.", _facts_backups),
}

LISTINGS = listings()  # as they are when the module is first imported
NAMES = names()
