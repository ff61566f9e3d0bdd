"""Links that make a browser scroll to the words of a source: URL Fragment Text
Directives (`#:~:text=`), built from a passage of the document as the user has it."""

from __future__ import annotations


class LinkError(ValueError):
    """The passage asked for is not words of the document."""


def _encode(text: str) -> str:
    """Percent-encode for a text directive: everything but letters, digits and '._~',
    so '-', ',' and '&' (the directive's own syntax) are encoded too."""
    from urllib.parse import quote

    return quote(text, safe="").replace("-", "%2D")


def text_fragment(document: str, start: int, end: int) -> str:
    """A `#:~:text=` fragment (URL Fragment Text Directives) that makes a browser scroll
    to DOCUMENT[START:END], widened to whole words: the whole text when short, else
    `start,end` with as few words each as make the first match ours; with the fewest
    words of `prefix-,` that do when even the whole text occurs earlier. Whitespace runs are one space (as a page renders
    them); uniqueness is judged case-insensitively, as browsers match."""
    if not 0 <= start < end <= len(document) or not document[start:end].strip():
        raise LinkError(f"span {start}-{end} is not words of a {len(document)}-character text")
    while start > 0 and document[start - 1].isalnum() and document[start].isalnum():
        start -= 1
    while end < len(document) and document[end - 1].isalnum() and document[end].isalnum():
        end += 1
    # the page as a browser renders it: whitespace runs one space (str.split and join, in C)
    hay = " ".join(document.split())
    lead = " ".join(document[:start].split())
    first = len(lead) + (1 if lead and document[start - 1].isspace() else 0)
    last = first + len(" ".join(document[start:end].split()))
    text = hay[first:last]
    folded = hay.casefold()
    at_start, at_end = len(hay[:first].casefold()), len(hay[:last].casefold())

    def ours(head: str, tail: str | None) -> bool:
        if folded.find(head.casefold()) != at_start:
            return False
        if tail is None:
            return True
        from_ = at_start + len(head.casefold())
        found = folded.find(tail.casefold(), from_)
        return found != -1 and found + len(tail.casefold()) == at_end

    words = text.split(" ")
    if len(words) > 8:
        for count in range(3, (len(words) - 1) // 2 + 1):
            head, tail = " ".join(words[:count]), " ".join(words[-count:])
            if ours(head, tail):
                return f"#:~:text={_encode(head)},{_encode(tail)}"
    if ours(text, None):
        return f"#:~:text={_encode(text)}"
    before = hay[:first].split()
    for count in range(1, min(len(before), 8) + 1):
        prefix = " ".join(before[-count:])
        if folded.find((prefix + " " + text).casefold()) == at_start - len(prefix.casefold()) - 1:
            break
    else:
        return f"#:~:text={_encode(text)}"  # the first passage of the document: no prefix
    return f"#:~:text={_encode(prefix)}-,{_encode(text)}"


def fragment_link(url: str, document: str, start: int, end: int) -> str:
    """URL with a text fragment to DOCUMENT[START:END]; an element fragment is kept, an
    earlier text directive replaced."""
    base, _, element = url.partition("#")
    element = element.split(":~:")[0]
    return base + "#" + element + text_fragment(document, start, end)[1:]
