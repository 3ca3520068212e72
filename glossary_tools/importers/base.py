"""What every importer shares: the document read from a file, the entry it becomes, text helpers.

Foreign front matter (YAML ``---``, TOML ``+++``, JSON ``{...}``) is found and split by
python-frontmatter's handlers. Values are then loaded with guards: YAML through our own safe
parser (text only, no aliases or tags, bounded), JSON with the standard library, TOML with
``tomllib`` (python-frontmatter's TOML handler needs the third-party ``toml`` package). Every value
is turned into text, lists or mappings of text, so no YAML 1.1 boolean or date reaches a title.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePath
from typing import Any

from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from .. import body as md
from ..diagnostics import Rule
from ..frontmatter import MAX_FRONTMATTER_BYTES, ParsedFile, parse_yaml
from ..model import Source
from ..schema import URL_SCHEMES


class ImportProblem(Exception):
    """A file cannot be imported; the message says why in plain words (the caller names the file)."""


class _TOMLHandler(BaseHandler):
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_HANDLERS: tuple[tuple[str, BaseHandler], ...] = (("yaml", YAMLHandler()), ("toml", _TOMLHandler()),
                                                   ("json", JSONHandler()))


@dataclass
class Document:
    """One input file: its text split into foreign front matter (as text values) and body."""

    source: str  # the name shown in messages and in the table
    path: PurePath  # the file (for stdin: a made-up name)
    root: Path | None  # the folder the input came from (attachments, relative links); None for stdin
    text: str
    meta: dict[str, Any] | None = None  # None: no front matter
    meta_kind: str | None = None
    body: str = ""

    def field(self, *names: str) -> Any:
        """The first of ``names`` the front matter gives (case-insensitive)."""
        if not self.meta:
            return None
        lowered = {k.casefold(): v for k, v in self.meta.items()}
        for name in names:
            if name.casefold() in lowered:
                return lowered[name.casefold()]
        return None


def as_text(value: Any) -> Any:
    """Foreign values as text, lists and mappings of text (None stays None)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, date, datetime, time)):
        return value.isoformat() if isinstance(value, (date, datetime, time)) else str(value)
    if isinstance(value, dict):
        return {str(as_text(k)): as_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_text(v) for v in value]
    return str(value)


def read_document(text: str, source: str, path: PurePath, root: Path | None) -> Document:
    """Split foreign front matter from the body; ImportProblem when the front matter is unusable."""
    doc = Document(source, path, root, text, body=text)
    first = text.lstrip("\ufeff")
    for kind, handler in _HANDLERS:
        if not handler.detect(first):
            continue
        if kind == "json" and not first.startswith("{"):
            continue
        try:
            front, body = handler.split(first)
        except ValueError:
            raise ImportProblem(f"its {kind.upper()} front matter is never closed") from None
        if len(front.encode("utf-8")) > MAX_FRONTMATTER_BYTES:
            raise ImportProblem(f"its front matter is larger than {MAX_FRONTMATTER_BYTES:,} bytes")
        meta = _load(kind, handler, front, source, first)
        if meta is not None:
            doc.meta, doc.meta_kind, doc.body = meta, kind, body
        return doc
    return doc


def _load(kind: str, handler: BaseHandler, front: str, source: str, text: str) -> dict[str, Any] | None:
    """The front matter's fields; None when the '---' lines are Markdown rules around text, not fields."""
    if kind == "yaml":
        if not front.strip():
            return {}
        parsed = ParsedFile(source, None)
        parse_yaml(front, parsed, first_line=2)
        if parsed.diagnostics and parsed.diagnostics[0].rule is Rule.FRONTMATTER_NOT_MAPPING:
            return None
        if parsed.diagnostics:
            first = parsed.diagnostics[0]
            raise ImportProblem(f"line {first.line}: {first.message}")
        if parsed.data is None:
            raise ImportProblem("its front matter is not a set of fields")
        return parsed.data
    try:
        data = handler.load(front)
    except (ValueError, tomllib.TOMLDecodeError, RecursionError) as exc:
        message = " ".join(str(exc).split()) if not isinstance(exc, RecursionError) else "nests too deeply"
        raise ImportProblem(f"its {kind.upper()} front matter is invalid: {message}") from None
    if not isinstance(data, dict):
        raise ImportProblem(f"its {kind.upper()} front matter is not a set of fields")
    try:
        result: dict[str, Any] = as_text(data)
    except RecursionError:
        raise ImportProblem(f"its {kind.upper()} front matter nests too deeply") from None
    return result


@dataclass
class Link:
    """A link whose target is known only once the whole batch is read; ``token`` stands in the body."""

    token: str
    kind: str  # "wiki" (a note name), "article" (a relative path to another article), "embed"
    target: str
    label: str
    url: str | None = None  # where it points if it does not resolve (e.g. the original page)


@dataclass
class ImportedEntry:
    """One converted file, before it is matched to a term and written."""

    source: str
    shape: str
    title: str
    body: str
    lang: str | None = None  # from the file's own front matter
    lang_text: str = ""  # the text whose language is detected (the body without site chrome)
    category: str | None = None
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # names as written (canonical: kept as they are)
    related_names: list[str] = field(default_factory=list)  # titles or names to resolve in the batch
    sources: list[Source] | None = None
    examples: list[str] = field(default_factory=list)
    other_titles: list[str] = field(default_factory=list)  # titles in other languages (for matching)
    links: list[Link] = field(default_factory=list)
    key: str = ""  # how other articles of the same tree link to this one (freeCodeCamp: its folder)
    notes: list[str] = field(default_factory=list)  # what the author must still do
    assets: list[Path] = field(default_factory=list)  # attachment copies the body refers to
    escape_refs: bool = True  # [n] that refer to no source become text (not for our own shape)


class Tokens:
    """Placeholders for links resolved after the whole batch is read."""

    _counter = 0

    def __init__(self, entry: ImportedEntry) -> None:
        self.entry = entry

    def add(self, kind: str, target: str, label: str, url: str | None = None) -> str:
        Tokens._counter += 1
        token = f"\ue000{Tokens._counter}\ue001"
        self.entry.links.append(Link(token, kind, target, label, url))
        return token


TOKEN_RE = re.compile("\ue000(\\d+)\ue001")

# Spans kept verbatim by every rewrite: fenced code, inline code, display and inline math.
_PROTECTED_RE = re.compile(
    r"(?ms)^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1\2[ \t]*$|\Z)"
    r"|(`+)(?!`).+?(?<!`)\3(?!`)"
    r"|\$\$.+?\$\$"
    r"|(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])"
)


def outside_protected(text: str, rewrite: Callable[[str], str]) -> str:
    """Apply ``rewrite`` to the parts of ``text`` outside code and math."""
    if "`" not in text and "$" not in text and "~~~" not in text:
        return rewrite(text)
    pieces, last = [], 0
    for match in _PROTECTED_RE.finditer(text):
        pieces.append(rewrite(text[last:match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(rewrite(text[last:]))
    return "".join(pieces)


_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                           "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "ð": "d", "ı": "i"})
_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


def slugify(text: str) -> str:
    """Lowercase ASCII with hyphens (``Aprendizagem Profunda`` -> ``aprendizagem-profunda``)."""
    folded = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG_RE.sub("-", folded.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug


def one_line(text: str) -> str:
    """Text for a front matter value: one line, no control characters, outer whitespace trimmed."""
    cleaned = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(cleaned.split())


_INLINE_MARKUP_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|\[\[([^\]|]*)(?:\|([^\]]*))?\]\]|[*_`]|<[^>]+>")


def plain_title(text: str) -> str:
    """A heading or line as a plain title: Markdown and wiki links reduced to their text."""
    text = _INLINE_MARKUP_RE.sub(lambda m: m.group(3) or m.group(2) or m.group(1) or "", text)
    return one_line(text.strip().strip("#").strip())


def source_from(text: str, url: str) -> Source | None:
    url, text = url.strip(), one_line(text) or url.strip()
    return Source(text, url) if url.lower().startswith(URL_SCHEMES) else None


def escape_source_refs(body: str, count: int) -> tuple[str, int]:
    """``[n]`` that refer to no source become ``\\[n]`` (literal text), and how many did: the importer
    adds no broken reference."""
    refs = [found for found in md.source_refs(body) if not 1 <= int(found.value) <= count]
    for found in reversed(refs):
        body = body[:found.offset] + "\\" + body[found.offset:]
    return body, len(refs)


_HEADING_LINE_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")


def first_heading(body: str) -> tuple[int, str, str] | None:
    """(level, text, whole line) of the first non-blank line when it is an ATX heading."""
    for line in body.splitlines():
        if not line.strip():
            continue
        match = _HEADING_LINE_RE.match(line)
        return (len(match.group(1)), match.group(2), line) if match else None
    return None


def drop_line(body: str, line: str) -> str:
    """``body`` without the first occurrence of the whole line ``line``."""
    index = body.find(line)
    if index < 0:
        return body
    end = body.find("\n", index)
    return body[:index] + ("" if end < 0 else body[end + 1:])


def same_text(a: str, b: str) -> bool:
    return bool(a) and slugify(a) == slugify(b)


def meta_title(doc: Document) -> str | None:
    value = doc.field("title")
    return plain_title(value) if isinstance(value, str) and value.strip() else None


def meta_list(value: Any) -> list[str]:
    """A foreign list field (or a comma-separated text) as a list of text items."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [one_line(v) for v in value if isinstance(v, str) and one_line(v)]
    return []


# Markdown links and images that are not absolute URLs or in-page anchors.
LINK_RE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\]\n]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = ("http://", "https://", "mailto:", "//")


def is_external(target: str) -> bool:
    return target.lower().startswith(EXTERNAL)
