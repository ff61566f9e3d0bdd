"""`cgcli verify --update`: the offsets found in the user's copy, written into the user's
own fact files (never into the bundled data), each file kept as a backup first."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def relocate(facts: Any, checks: Iterable[Any]) -> list[str]:
    """Write, for each claim of CHECKS that verified (exact, moved or reformatted) with a
    span at new offsets, those offsets and the sha256 of the passage found into the fact
    file that holds it. Returns the lines to tell the user what was done, or not."""
    from . import bundled_path
    from .tomltext import toml_document
    from .writer import atomic_write, backup_numbers, backup_path, locked

    bundled = bundled_path().resolve()
    moves: dict[int, dict[tuple[str, str], list[Any]]] = {}
    for check in checks:
        if not check.ok or all(loc.digest is None for loc in check.locations):
            continue
        if any(loc.rung != "exact" and loc.digest is None for loc in check.locations):
            continue
        index = _file_of(facts, check.kind, check.key)
        if index is not None:
            moves.setdefault(index, {})[(check.kind, check.key)] = check.locations
    lines: list[str] = []
    for index, claims in sorted(moves.items()):
        path = Path(facts.files[index])
        ids = ", ".join(key for _, key in claims)
        if path.resolve() == bundled:
            lines.append(
                f"cgcli: not updated: {ids} are in the bundled data, which is never changed; "
                "their spans are found again at each run"
            )
            continue
        try:
            with locked(path):
                text = path.read_text(encoding="utf-8")
                data = tomllib.loads(text)
                count = _apply(data, claims)
                atomic_write(
                    path,
                    toml_document(data).encode("utf-8"),
                    command="verify --update",
                    follow=True,
                )
                newest = backup_numbers(path)[:1]
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            lines.append(f"cgcli: cannot update {path}: {getattr(e, 'strerror', None) or e}")
            continue
        comments = any(line.lstrip().startswith("#") for line in text.splitlines())
        kept = " (its comments are only in the backup)" if comments else ""
        lines.append(
            f"updated the evidence of {count} claim{'s' * (count != 1)} in {path}; "
            f"the previous version is {backup_path(path, newest[0]) if newest else 'kept'}{kept}"
        )
    return lines


def _file_of(facts: Any, kind: str, key: str) -> int | None:
    origins = facts.origins(kind)
    for i, record in enumerate(facts[kind]):
        if record.get("id") == key and i < len(origins):
            return int(origins[i])
    return None


def _apply(data: dict[str, Any], claims: dict[tuple[str, str], list[Any]]) -> int:
    """Put the new spans into DATA (a fact file's tables); how many claims changed."""
    count = 0
    for (kind, key), locations in claims.items():
        for record in data.get(kind, []):
            if not isinstance(record, dict) or record.get("id") != key:
                continue
            spans = []
            for loc in locations:
                if loc.digest is None:
                    spans.append(loc.span.as_toml())
                else:
                    spans.append(loc.span.moved_to(loc.start, loc.end, loc.digest).as_toml())
            record["evidence"] = spans
            count += 1
    return count
