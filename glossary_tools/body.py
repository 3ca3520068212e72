"""Reading entry bodies: code masking, headings and their anchors, links and [n] references.

Shared by the checks (to report) and the site plugin (to render), so both agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .diagnostics import line_col

_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1\2[ \t]*$|\Z)", re.M | re.S)
_INLINE_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+([^\n]+)")
_ATTR_ID_RE = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
_LINK_RE = re.compile(r"\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_RUN_RE = re.compile(r"(?:\[\d{1,4}\])+(?![\(\[:])")  # [1] or a run such as [1][2]
_REF_RE = re.compile(r"\[(\d{1,4})\]")
_UNSAFE_HTML_RE = re.compile(
    r"<\s*(?:script|iframe|object|embed|style)\b|<[^>]*\son[a-z]+\s*=|<[^>]*(?:href|src)\s*=\s*[\"']?\s*javascript:",
    re.I,
)
_INLINE_MD_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`~]|<[^>]+>")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_code(text: str) -> str:
    """Blank out fenced and inline code (keeping newlines and offsets)."""
    if "`" not in text and "~~~" not in text:
        return text
    if "```" in text or "~~~" in text:
        text = _FENCE_RE.sub(_blank, text)
    return _INLINE_CODE_RE.sub(_blank, text) if "`" in text else text


def slugify(text: str, separator: str = "-") -> str:
    """The anchor Python-Markdown's toc extension gives a heading (its default slugify)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _NON_WORD_RE.sub("", text).strip().lower()
    return _SEPARATOR_RE.sub(separator, text) if separator == "-" else re.sub(rf"[{separator}\s]+", separator, text)


_NON_WORD_RE = re.compile(r"[^\w\s-]")
_SEPARATOR_RE = re.compile(r"[-\s]+")
_MARKUP_CHARS = frozenset("*_`[<{~!")


def heading_text(raw: str) -> str:
    if _MARKUP_CHARS.isdisjoint(raw):
        return raw.strip()
    return _INLINE_MD_RE.sub(lambda m: m.group(1) or "", _ATTR_ID_RE.sub("", raw)).strip()


def anchors(body: str) -> set[str]:
    """Anchor ids of the body's headings, with toc's _1, _2 suffixes for repeats."""
    found: set[str] = set()
    if "#" not in body:
        return found
    text = mask_code(body)
    position = text.find("#")
    while position >= 0:
        line_start = text.rfind("\n", 0, position) + 1
        # a heading's '#' starts its line, after at most three spaces; other '#' are skipped cheaply
        match = _HEADING_RE.match(text, line_start) if position - line_start <= 3 else None
        if match:
            raw = match.group(2).rstrip(" \t#")
            explicit = _ATTR_ID_RE.search(raw) if "{" in raw else None
            anchor = explicit.group(1) if explicit else slugify(heading_text(raw))
            unique, n = anchor, 0
            while unique in found:
                n += 1
                unique = f"{anchor}_{n}"
            found.add(unique)
        next_line = text.find("\n", position)
        if next_line < 0:
            break
        position = text.find("#", next_line)
    return found


@dataclass(frozen=True, slots=True)
class Found:
    offset: int  # in the body text
    value: str

    def position(self, text: str) -> tuple[int, int]:
        """0-based line and 1-based column within ``text`` (computed only when reported)."""
        return line_col(text, self.offset)


def _ref_matches(masked: str) -> Iterator[re.Match[str]]:
    """Each [n] of a run like [1] or [1][2], unless the run is preceded by a backslash, '!', ']'
    or a word character, or followed by '(', '[' or ':' (links, images, reference definitions)."""
    for run in _REF_RUN_RE.finditer(masked):
        start = run.start()
        before = masked[start - 1] if start else ""
        if before and (before in "\\!]" or before.isalnum() or before == "_"):
            continue
        yield from _REF_RE.finditer(masked, start, run.end())


def links(body: str, masked: str | None = None) -> Iterator[Found]:
    masked = mask_code(body) if masked is None else masked
    if "](" not in masked:
        return
    for match in _LINK_RE.finditer(masked):
        if match.start() and masked[match.start() - 1] == "!":
            continue  # an image
        yield Found(match.start(2), match.group(2))


_AUTOLINK_RE = re.compile(r"<((?:https?|HTTPS?)://[^\s<>]+)>")


def autolinks(body: str, masked: str | None = None) -> Iterator[Found]:
    """``<https://...>`` autolinks (the offset is the URL's)."""
    masked = mask_code(body) if masked is None else masked
    if "<" not in masked:
        return
    for match in _AUTOLINK_RE.finditer(masked):
        yield Found(match.start(1), match.group(1))


def source_refs(body: str, masked: str | None = None) -> Iterator[Found]:
    masked = mask_code(body) if masked is None else masked
    if "[" not in masked:
        return
    for match in _ref_matches(masked):
        yield Found(match.start(), match.group(1))


def unsafe_html(body: str, masked: str | None = None) -> Iterator[Found]:
    masked = mask_code(body) if masked is None else masked
    if "<" not in masked:
        return
    for match in _UNSAFE_HTML_RE.finditer(masked):
        yield Found(match.start(), match.group(0))


def link_source_refs(body: str, count: int, href: str = "#source-{n}") -> str:
    """Turn ``[n]`` (n within the sources) into links to the numbered source list."""
    masked = mask_code(body)
    pieces, last = [], 0
    for match in _ref_matches(masked):
        n = int(match.group(1))
        if 1 <= n <= count:
            pieces.append(body[last:match.start()])
            pieces.append(f'<sup class="glossary-ref">[[{n}]]({href.format(n=n)})</sup>')
            last = match.end()
    pieces.append(body[last:])
    return "".join(pieces)
