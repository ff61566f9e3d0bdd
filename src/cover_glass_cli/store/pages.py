"""A saved page or text file as the text its evidence counts in.

Bytes are decoded by their byte-order mark (UTF-8, UTF-16 or UTF-32), else as UTF-8,
else as cp1252 (what Windows saves as "ANSI"). A page (a name ending .html, .htm or
.xhtml, or text that starts like HTML) becomes its article's text: the standard library's
html.parser reads it, entities decoded; scripts, styles, navigation, headers, footers,
asides and forms are left out (a <header> inside the <article>, its headline and
standfirst, is kept); of several <article>s the one with the most text is kept
(else <main>, else the body); each block (paragraph, heading, list item, ...) is one line
of text with its whitespace collapsed, as a browser shows it, blocks parted by a blank
line.
"""

from __future__ import annotations

import codecs
from html.parser import HTMLParser

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "textarea",
        "iframe",
        "object",
        "head",
        "dialog",
        "menu",
    ]
)
_SKIP_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "br",
        "hr",
        "tr",
        "td",
        "th",
        "table",
        "thead",
        "tbody",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "caption",
        "body",
        "html",
    ]
)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


class TextError(ValueError):
    """The bytes are not text cgcli can read (say why)."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of DATA: by its BOM, else UTF-8, else cp1252. TextError when none
    gives text (a NUL is taken as a sign of a binary file)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise TextError(f"its {encoding} text cannot be decoded (byte {e.start})") from None
            break
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as e:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise TextError(
                    f"it is neither UTF-8 (byte {e.start} cannot be decoded), nor UTF-16 "
                    "or UTF-32 with a byte-order mark, nor cp1252"
                ) from None
    if "\x00" in text:
        raise TextError(f"it holds NUL characters, so it is not text (read as {encoding})")
    return text, encoding


def looks_like_html(name: str, text: str) -> bool:
    """Whether a file named NAME holding TEXT is a web page."""
    if name.lower().endswith(HTML_SUFFIXES):
        return True
    start = text[:2048].lstrip().lower()
    return start.startswith(("<!doctype html", "<html")) or (
        start.startswith(("<?xml", "<!--", "<head")) and "<html" in start
    )


class _Article(HTMLParser):
    """Collects the text of each container (<article>, <main>, the page) by blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []  # the open elements being left out
        self.buckets: dict[tuple[str, int], list[str]] = {("page", 0): []}
        self.open: list[tuple[str, int]] = [("page", 0)]  # containers, innermost last
        self.line: list[str] = []
        self.count = 0

    def flush(self) -> None:
        if self.line:
            words = " ".join("".join(self.line).split())
            if words:
                self.buckets[self.open[-1]].append(words)
            self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] or (tag in _SKIP and tag not in _VOID):
                self.skipping.append(tag)
            return
        role = next((v for k, v in attrs if k == "role"), None)
        hidden = any(k == "hidden" or (k == "aria-hidden" and v == "true") for k, v in attrs)
        in_article = self.open[-1][0] == "article"
        skip = tag in _SKIP and not (tag == "header" and in_article)  # an article's own header
        if skip or (role or "").lower() in _SKIP_ROLES or hidden:
            if tag not in _VOID:
                self.flush()
                self.skipping.append(tag)
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("article", "main") and not any(k == "article" for k, _ in self.open):
            self.count += 1
            self.open.append((tag, self.count))
            self.buckets[self.open[-1]] = []

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in _BLOCKS:
            self.flush()
        if tag in ("article", "main") and self.open[-1][0] == tag:
            self.open.pop()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.line.append(data)

    def text(self) -> str:
        self.flush()
        chosen = [key for key in self.buckets if key[0] == "article"] or [
            key for key in self.buckets if key[0] == "main"
        ]
        key = max(chosen, key=lambda k: sum(map(len, self.buckets[k]))) if chosen else None
        if key is None or not self.buckets[key]:
            blocks = [b for k, v in self.buckets.items() for b in v]  # all, in order of kind
            return "\n\n".join(blocks) + "\n" if blocks else ""
        return "\n\n".join(self.buckets[key]) + "\n"


def html_text(page: str) -> str:
    """The article's text of PAGE (see the module doc)."""
    parser = _Article()
    parser.feed(page)
    parser.close()
    return parser.text()


def page_text(data: bytes, name: str) -> str:
    """The text of a file named NAME holding DATA: decoded, and a page's article
    extracted. TextError when it is not text."""
    text, _ = decode(data)
    if looks_like_html(name, text):
        text = html_text(text)
    if not text.strip():
        raise TextError("it has no text")
    return text
