"""Finding and reading the documents that sources cite, to check evidence offline.

A source's document is a plain UTF-8 text file kept locally; cgcli never fetches one.
For a source, the first of these that exists is its document:

1. `--source ID=PATH`: the file given for that source id;
2. `--sources-dir DIR`, else the environment variable CGCLI_SOURCES_DIR: in DIR, the file
   named as the last part of the source's `location`, else `ID.txt`, else `ID`;
3. the source's `location`, when it is a path (not a URL): an absolute path as it is; a
   relative one against the folder of the fact file that holds the source record, then
   against each folder above it, nearest first. So the bundled `shared/source/...` is
   found with `shared/` beside the repository (as CI clones it) or further up.

The text is a page's article or a text file's text (store/pages.py), newlines left as
they are (offsets count its characters); a file that is missing, not a regular file,
larger than 16 MiB or not text is an error, at once, that says which source it is, what
was tried and how to point at the right file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ENV = "CGCLI_SOURCES_DIR"
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # a news report is kilobytes; a book fits too

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class DocumentError(Exception):
    """A source's document cannot be read: which source, why, and what was tried."""

    def __init__(self, source_id: str, reason: str, tried: Iterable[Path] = ()) -> None:
        super().__init__(f"source {source_id}: {reason}")
        self.source_id, self.reason, self.tried = source_id, reason, list(tried)

    def hint(self) -> str:
        """How to point cgcli at the document."""
        return (
            f"Point at it with --source {self.source_id}=PATH, or put it in a folder named by "
            f"--sources-dir DIR or {ENV} (as the file its location names, or "
            f"{self.source_id}.txt)."
        )

    def lines(self) -> list[str]:
        """The message for people: the reason, each path tried, and the hint."""
        out = [f"cgcli: cannot read the document of source {self.source_id}: {self.reason}"]
        out += [f"  tried {path}" for path in self.tried]
        return [*out, self.hint()]


def parse_source_options(values: Iterable[str]) -> dict[str, Path]:
    """`--source ID=PATH` values as {id: path}; ValueError for one that is not ID=PATH."""
    given: dict[str, Path] = {}
    for value in values:
        sid, sep, path = value.partition("=")
        if not sep or not sid.strip() or not path.strip():
            raise ValueError(f"{value!r} is not ID=PATH (a source id, '=', a file)")
        if "\0" in path:
            raise ValueError(f"{value!r}: a file name cannot hold a NUL character")
        given[sid.strip()] = _expand(Path(path.strip()))
    return given


def is_url(location: str) -> bool:
    """Whether LOCATION is a URL (scheme://...) rather than a local path."""
    return bool(_URL.match(location))


def candidates(
    source: Mapping[str, Any],
    fact_file: Path | None = None,
    *,
    sources_dir: Path | None = None,
    given: Mapping[str, Path] | None = None,
) -> list[Path]:
    """Where SOURCE's document may be, in the order they are tried (see the module doc).

    FACT_FILE is the file holding the source record (None: relative locations are
    tried against the working folder only)."""
    sid = str(source.get("id"))
    if given and sid in given:
        return [given[sid]]  # named for this source: nothing else is tried
    location = source.get("location")
    path = location if isinstance(location, str) and location and not is_url(location) else None
    out: list[Path] = []
    if sources_dir is not None:
        if path is not None and Path(path).name:
            out.append(sources_dir / Path(path).name)
        out += [sources_dir / f"{sid}.txt", sources_dir / sid]
    if path is not None:
        relative = Path(path)  # data: no ~ expansion
        if relative.is_absolute() or fact_file is None:
            out.append(relative)
        else:
            folder = fact_file.resolve().parent
            out += [base / relative for base in (folder, *folder.parents)]
    return list(dict.fromkeys(out))  # each path once, in order


def _refuse_special(mode: int, path: Path, source_id: str) -> None:
    """DocumentError when MODE (PATH's) is not that of a regular file."""
    if stat.S_ISDIR(mode):
        raise DocumentError(source_id, f"{path} is a folder, not a file", [path])
    if not stat.S_ISREG(mode):
        what = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise DocumentError(source_id, f"{path} is {what}, not a regular file", [path])


def read_document(path: Path, source_id: str = "?") -> str:
    """The text of the document at PATH (store/pages.py: a page's article, or a text in
    UTF-8, UTF-16, UTF-32 or cp1252). DocumentError at once when it is not a regular file
    (a FIFO, a device or a folder is never read: it might never end), is larger than
    MAX_DOCUMENT_BYTES, or is not text."""
    from .pages import TextError, page_text

    limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
    nonblock = getattr(os, "O_NONBLOCK", 0)
    try:
        if not nonblock:  # Windows: refuse a special file by name, before opening it
            with contextlib.suppress(OSError):  # the open says what is wrong
                _refuse_special(os.stat(path).st_mode, path, source_id)
        # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a
        # writer; fstat then says what the file is, before a byte is read.
        fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_NOCTTY", 0))
    except IsADirectoryError:
        raise DocumentError(source_id, f"{path} is a folder, not a file", [path]) from None
    except OSError as e:
        raise DocumentError(source_id, f"{path}: {e.strerror or e}", [path]) from None
    try:
        info = os.fstat(fd)
        _refuse_special(info.st_mode, path, source_id)
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise DocumentError(source_id, f"{path} is larger than {limit} MiB", [path])
        with os.fdopen(fd, "rb") as f:
            fd = -1  # the file object owns it now
            data = f.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as e:
        raise DocumentError(source_id, f"{path}: {e.strerror or e}", [path]) from None
    finally:
        if fd != -1:
            os.close(fd)
    if len(data) > MAX_DOCUMENT_BYTES:  # it grew while being read
        raise DocumentError(source_id, f"{path} is larger than {limit} MiB", [path])
    try:
        return page_text(data, path.name)
    except TextError as e:
        raise DocumentError(source_id, f"{path} cannot be read as text: {e}", [path]) from None


def file_sha256(path: Path, source_id: str = "?") -> str:
    """The SHA-256 of a document, as a source's `sha256` gives it: of its text's UTF-8
    bytes, so the file must be a readable UTF-8 document (DocumentError otherwise)."""
    from ..domain.spans import sha256_text

    return sha256_text(read_document(path, source_id))


def sources_dir_from(option: str | os.PathLike[str] | None) -> Path | None:
    """The folder of documents: the option's, else CGCLI_SOURCES_DIR's, else None."""
    if option:
        return _expand(Path(option))
    env = os.environ.get(ENV, "").strip()
    return _expand(Path(env)) if env else None


def _expand(path: Path) -> Path:
    """~ and ~user expanded in a path the user typed; left as it is when unknown."""
    try:
        return path.expanduser()
    except (RuntimeError, ValueError):  # no home folder, no such user, a NUL in the name
        return path


class Documents:
    """The documents of the sources in use, found and read once each.

    SOURCES are the source records; FILES[i] the fact file holding SOURCES[i] (or None).
    """

    def __init__(
        self,
        sources: list[Mapping[str, Any]],
        files: list[Path | None],
        *,
        sources_dir: Path | None = None,
        given: Mapping[str, Path] | None = None,
    ) -> None:
        self._sources = {str(s.get("id")): (s, f) for s, f in zip(sources, files, strict=True)}
        self.sources_dir, self.given = sources_dir, dict(given or {})
        self._texts: dict[str, str | DocumentError] = {}

    @classmethod
    def for_facts(
        cls,
        facts: Any,
        *,
        sources_dir: Path | None = None,
        given: Mapping[str, Path] | None = None,
    ) -> Documents:
        """The documents of FACTS's sources (a domain Facts: its files say where each
        source record was read, for relative locations)."""
        from ..domain.registry import source_kind

        sources = facts[source_kind()]
        origins = facts.origins(source_kind())
        files: list[Path | None] = [
            Path(facts.files[i]) if i is not None and 0 <= i < len(facts.files) else None
            for i in (origins if len(origins) == len(sources) else [None] * len(sources))
        ]
        return cls(sources, files, sources_dir=sources_dir, given=given)

    def unknown_given(self) -> list[str]:
        """Ids named by --source that no source record has."""
        return sorted(sid for sid in self.given if sid not in self._sources)

    def source_ids(self) -> list[str]:
        return list(self._sources)

    def path(self, source_id: str) -> Path:
        """The file of SOURCE_ID's document; DocumentError when none is found."""
        if source_id not in self._sources:
            raise DocumentError(source_id, "no source record has this id")
        source, fact_file = self._sources[source_id]
        tried = candidates(source, fact_file, sources_dir=self.sources_dir, given=self.given)
        for path in tried:
            if path.is_file() or source_id in self.given:
                return path
        location = source.get("location")
        if not tried:
            why = (
                f"its location is a URL ({location}), and no local copy is named"
                if isinstance(location, str) and is_url(location)
                else "it gives no location"
            )
        else:
            why = "no such file"
        raise DocumentError(source_id, why, tried)

    def text(self, source_id: str) -> str:
        """SOURCE_ID's document text, read once; DocumentError when it cannot be read."""
        if source_id not in self._texts:
            try:
                self._texts[source_id] = read_document(self.path(source_id), source_id)
            except DocumentError as e:
                self._texts[source_id] = e
        found = self._texts[source_id]
        if isinstance(found, DocumentError):
            raise found
        return found

    def get(self, source_id: str) -> str | None:
        """SOURCE_ID's document text, or None when it cannot be read."""
        try:
            return self.text(source_id)
        except DocumentError:
            return None


def curate(
    kind: str,
    record: dict[str, Any],
    quotes: tuple[str, ...] | list[str],
    hash_from: str | None,
    documents: Documents,
    records_by_kind: Mapping[str, Any],
    fact_file: Path,
) -> list[str]:
    """Complete a record that `facts add` is about to write, or say why it must not be:

    - with QUOTES, a claim gets `evidence` anchored in its source's document
      (domain.evidence.anchor), and is refused when a quote is not found once or its
      words do not state every figure and name of the claim;
    - a new source gets `sha256` of its document: the file HASH_FROM, else the file its
      `location` names, found as `verify` will find it (relative to FACT_FILE's folder,
      then the folders above). A `sha256` given that differs from the file's is refused.

    DOCUMENTS finds the documents of the sources in use; RECORDS_BY_KIND (the facts in
    use) gives the names of companies and people for the checks."""
    from ..domain.checking import anchor
    from ..domain.evidence import names_by_id
    from ..domain.registry import source_kind

    if kind == source_kind():
        if quotes:
            return ["--quote anchors a claim to its source's words; a source has none"]
        return _source_hash(record, hash_from, fact_file, documents)
    if hash_from:
        return ["--hash-from gives a new source's sha256; use it with `facts add sources`"]
    if not quotes:
        return []
    sid = str(record.get("source"))
    try:
        document = documents.text(sid)
    except DocumentError as e:
        return e.lines()
    evidence, problems = anchor(kind, record, quotes, document, names_by_id(records_by_kind))
    if problems:
        return [f"{record.get('id')}: {problem}" for problem in problems]
    record["evidence"] = evidence
    return []


def _source_hash(
    record: dict[str, Any], hash_from: str | None, fact_file: Path, documents: Documents
) -> list[str]:
    sid = str(record.get("id"))
    if hash_from:
        paths = [_expand(Path(hash_from))]
    else:
        paths = [
            p
            for p in candidates(
                record, fact_file, sources_dir=documents.sources_dir, given=documents.given
            )
            if p.is_file()
        ][:1]
        if not paths:
            return []  # no document at hand: the source is stored without sha256
    try:
        digest = file_sha256(paths[0], sid)
    except DocumentError as e:
        return e.lines()[:1]
    given = record.get("sha256")
    if given is not None and given != digest:
        return [f"{sid}: sha256 {given!r} is not that of {paths[0]} ({digest})"]
    record["sha256"] = digest
    return []
