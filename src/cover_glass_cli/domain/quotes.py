"""Finding a quoted passage in a document, as a curator types or pastes it.

The quote and the document are both normalised (domain/normalise.py: spaces, quote
marks, dashes, ₹/Rs/INR and digit grouping aside; case counts) and the quote is found
with str.find, in time linear in the document. A quote longer than the document is
refused at once.
"""

from __future__ import annotations

from .normalise import Normalised


class QuoteError(ValueError):
    """A quote is absent from the document, or occurs more than once.

    `candidates` holds the (start, end) offsets of the passage that matches the longest
    beginning of the quote (absent) or of every occurrence (ambiguous)."""

    def __init__(self, message: str, candidates: list[tuple[int, int]]) -> None:
        super().__init__(message)
        self.candidates = candidates


def one_line(text: str, limit: int = 200) -> str:
    """TEXT quoted for a one-line message: whitespace runs as one space, control and
    format characters escaped (no terminal escapes, no bidi tricks), at most LIMIT chars."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    out = []
    for char in flat:
        if char == "\\" or char == '"':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return '"' + "".join(out) + '"'


_ASIDE = "spaces, quote marks, dashes, ₹/Rs/INR and digit grouping aside"


def find_quote(document: str | Normalised, quote: str) -> tuple[int, int]:
    """The (start, end) of the one passage of DOCUMENT that QUOTE gives, normalised.
    QuoteError when it is longer than the document, occurs nowhere (saying where the
    longest beginning of it is, and where it differs) or more than once."""
    needle = Normalised(quote).text.strip(" ")
    if not needle:
        raise QuoteError("the quote is empty", [])
    raw = document.raw if isinstance(document, Normalised) else document
    if len(needle) > len(raw):
        raise QuoteError(
            f"the quote ({len(needle)} characters) is longer than the document "
            f"({len(raw)} characters)",
            [],
        )
    doc = document if isinstance(document, Normalised) else Normalised(document)
    hay = doc.text
    if len(needle) > len(hay):
        raise QuoteError(
            f"the quote ({len(needle)} characters) is longer than the document "
            f"({len(hay)} characters, normalised)",
            [],
        )
    hits: list[tuple[int, int]] = []
    at = hay.find(needle)
    while at != -1 and len(hits) <= 10:
        hits.append(doc.raw_span(at, at + len(needle)))
        at = hay.find(needle, at + 1)
    if len(hits) == 1:
        return hits[0]
    if hits:
        lines = [_in_context(raw, s, e) for s, e in hits[:10]]
        more = "\n  … and more" if len(hits) > 10 else ""
        raise QuoteError(
            f"the quote occurs {'more than 10' if len(hits) > 10 else len(hits)} times; "
            "quote more of the passage to make it unique:\n" + "\n".join(lines) + more,
            hits[:10],
        )
    raise _absent(doc, needle)


def _absent(doc: Normalised, needle: str) -> QuoteError:
    """The error for a quote NEEDLE (normalised) absent from DOC: the longest beginning of
    it that the document has (found by halving: a logarithmic number of linear finds),
    and where the two part."""
    hay = doc.text
    low, high = 0, len(needle)  # needle[:low] occurs; needle[:high + 1] does not
    while low < high:
        mid = (low + high + 1) // 2
        if hay.find(needle[:mid]) != -1:
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return QuoteError(f"the quote is not in the document ({_ASIDE}); not even its start", [])
    at = hay.find(needle[:low])
    start, end = doc.raw_span(at, at + low)
    has = one_line(hay[at + low : at + low + 30], 40)
    wants = one_line(needle[low : low + 30], 40)
    return QuoteError(
        f"the quote is not in the document ({_ASIDE}); its first {low} characters are at "
        f"{start}-{end} ({one_line(doc.raw[start:end][-40:], 44)}), after which the document "
        f"has {has} where the quote has {wants}",
        [(start, end)],
    )


def _in_context(document: str, start: int, end: int, width: int = 30) -> str:
    before = document[max(0, start - width) : start]
    after = document[end : end + width]
    text = one_line(before + "[" + document[start:end] + "]" + after)
    return f"  {start}-{end}: {text}"
