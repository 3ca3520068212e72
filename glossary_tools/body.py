"""Reading entry bodies: code masking, headings and their anchors, links and [n] references.

Shared by the checks (to report) and the site plugin (to render), so both agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1\2[ \t]*$|\Z)", re.M | re.S)
_INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_ATTR_ID_RE = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
_LINK_RE = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_SOURCE_REF_RE = re.compile(r"(?<![\\!\]\w])\[(\d{1,4})\](?![\(\[:])")
_UNSAFE_HTML_RE = re.compile(
    r"<\s*(?:script|iframe|object|embed|style)\b|<[^>]*\son[a-z]+\s*=|<[^>]*(?:href|src)\s*=\s*[\"']?\s*javascript:",
    re.I,
)
_INLINE_MD_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`~]|<[^>]+>")


def mask_code(text: str) -> str:
    """Blank out fenced and inline code (keeping newlines and offsets)."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _INLINE_CODE_RE.sub(blank, _FENCE_RE.sub(blank, text))


def slugify(text: str, separator: str = "-") -> str:
    """The anchor Python-Markdown's toc extension gives a heading (its default slugify)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, text)


def heading_text(raw: str) -> str:
    return _INLINE_MD_RE.sub(lambda m: m.group(1) or "", _ATTR_ID_RE.sub("", raw)).strip()


def anchors(body: str) -> set[str]:
    """Anchor ids of the body's headings, with toc's _1, _2 suffixes for repeats."""
    found: set[str] = set()
    for match in _HEADING_RE.finditer(mask_code(body)):
        explicit = _ATTR_ID_RE.search(match.group(2))
        anchor = explicit.group(1) if explicit else slugify(heading_text(match.group(2)))
        unique, n = anchor, 0
        while unique in found:
            n += 1
            unique = f"{anchor}_{n}"
        found.add(unique)
    return found


@dataclass(frozen=True, slots=True)
class Found:
    line: int  # 0-based line within the body
    column: int  # 1-based
    value: str


def _locate(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def links(body: str) -> Iterator[Found]:
    masked = mask_code(body)
    for match in _LINK_RE.finditer(masked):
        line, col = _locate(masked, match.start(2))
        yield Found(line, col, match.group(2))


def source_refs(body: str) -> Iterator[Found]:
    masked = mask_code(body)
    for match in _SOURCE_REF_RE.finditer(masked):
        line, col = _locate(masked, match.start())
        yield Found(line, col, match.group(1))


def unsafe_html(body: str) -> Iterator[Found]:
    masked = mask_code(body)
    for match in _UNSAFE_HTML_RE.finditer(masked):
        line, col = _locate(masked, match.start())
        yield Found(line, col, match.group(0))


def link_source_refs(body: str, count: int, href: str = "#source-{n}") -> str:
    """Turn ``[n]`` (n within the sources) into links to the numbered source list."""
    masked = mask_code(body)
    pieces, last = [], 0
    for match in _SOURCE_REF_RE.finditer(masked):
        n = int(match.group(1))
        if 1 <= n <= count:
            pieces.append(body[last:match.start()])
            pieces.append(f'<sup class="glossary-ref">[[{n}]]({href.format(n=n)})</sup>')
            last = match.end()
    pieces.append(body[last:])
    return "".join(pieces)
