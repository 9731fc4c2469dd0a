"""A notice's text, from its PDF bytes, with the header and footer of every page removed.

The library is pypdfium2 (PDFium, the PDF engine of Chromium), chosen by measurement on
generated Portuguese notices against pypdf and pdfminer.six (``docs/notices.md``,
``bench/pdf_libs.py``): as exact on accents and words, table cells in reading order where
pdfminer.six splits a two-column table into its columns, and several times faster than either.
PDFium is not thread-safe: every use goes through one lock.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

# Fewer visible characters than this over the whole notice: a scan without a text layer.
MIN_TEXT_CHARS = 40
# Lines looked at, at the top and at the bottom of each page, for a repeated header or footer.
EDGE_LINES = 3

_LOCK = threading.Lock()
_DIGITS = re.compile(r"\d+")
# PDFium marks a hyphen at a line break (U+FFFE, or U+0002 in older builds) and ends lines \r\n.
_SOFT_HYPHEN = re.compile("[\ufffe\x02]\r?\n?")


class NoticeUnreadable(Exception):
    """The bytes are not a notice whose text can be read; ``reason`` says why, in a few words
    ("not a PDF", "encrypted (it needs a password)", ...), for a warning that names the call."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _edge_key(line: str) -> str:
    """A header or footer line with its numbers folded, so "Página 2 de 4" repeats."""
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def strip_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """The pages' lines without the lines repeated at the top or bottom of most pages.

    A line counts as a header (footer) when, numbers aside, it is among the first (last)
    ``EDGE_LINES`` non-empty lines of at least two pages and of more than half of them. A
    notice of one page keeps every line: nothing repeats.
    """
    if len(pages) < 2:
        return pages
    needed = max(2, len(pages) // 2 + 1)
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line.strip()]
        tops.update({_edge_key(line) for line in filled[:EDGE_LINES]})
        bottoms.update({_edge_key(line) for line in filled[-EDGE_LINES:]})
    heads = {key for key, seen in tops.items() if seen >= needed}
    feet = {key for key, seen in bottoms.items() if seen >= needed}
    kept = []
    for lines in pages:
        body = list(lines)
        while body and (not body[0].strip() or _edge_key(body[0]) in heads):
            body.pop(0)
        while body and (not body[-1].strip() or _edge_key(body[-1]) in feet):
            body.pop()
        kept.append(body)
    return kept


def _page_lines(data: bytes) -> list[list[str]]:
    import pypdfium2 as pdfium  # a native library: loaded when a notice is read, not at start

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.casefold():
            raise NoticeUnreadable("encrypted (it needs a password to be read)") from None
        detail = message.removeprefix("Failed to load document ").strip(" ().")
        raise NoticeUnreadable(f"a corrupt PDF ({detail or 'PDFium could not load it'})") from None
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            text = _SOFT_HYPHEN.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
            pages.append(text.split("\n"))
        return pages
    except pdfium.PdfiumError as exc:
        detail = str(exc).strip(" .") or "a page could not be read"
        raise NoticeUnreadable(
            f"a corrupt PDF (PDFium: {detail[:1].lower()}{detail[1:]})"
        ) from None
    finally:
        document.close()


def extract_text(data: bytes) -> str:
    """The notice's text: pages in order, separated by a blank line, headers and footers
    removed, lines kept (a table row stays on one line).

    Raises NoticeUnreadable when the bytes are not a PDF, are corrupt or encrypted, or hold no
    text (a scanned image).
    """
    if b"%PDF-" not in data[:1024]:  # where the PDF standard lets the marker be
        shown = data[:20].lstrip().decode("latin-1", "replace")
        start = f" (it starts with {shown!r})" if shown else " (it is empty)"
        raise NoticeUnreadable(f"not a PDF{start}")
    with _LOCK:
        pages = _page_lines(data)
    body = strip_page_furniture(pages)
    text = "\n\n".join("\n".join(line.rstrip() for line in lines) for lines in body).strip()
    if sum(not char.isspace() for char in text) < MIN_TEXT_CHARS:
        raise NoticeUnreadable(
            "no text in it (a scanned image?); the notice's criteria cannot be read"
        )
    return text
