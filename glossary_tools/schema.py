"""Field rules for one entry file: ParsedFile -> RawEntry + diagnostics (all at once)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, Rule
from .frontmatter import ParsedFile
from .model import Source
from .suggest import did_you_mean

SLUG_RE = re.compile(r"(?=.{1,100}$)[a-z0-9]+(?:-[a-z0-9]+)*")  # at most 100 characters: a file name
# C0 and C1 controls (tab allowed), DEL, and the bidirectional overrides and isolates
MAX_TITLE = 200  # characters: a term's name, not a paragraph
CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ALIAS_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
EXAMPLE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
URL_SCHEMES = ("http://", "https://", "mailto:")
# Names the site generates under glossary/ (the A-Z index, category and translation pages, the
# examples list): an entry with one of these slugs would collide with a generated page.
def entry_slug(src_uri: str, languages: tuple[str, ...]) -> str | None:
    """The slug of an entry page's source path (``glossary/<slug>.md`` or ``glossary/<slug>.<lang>.md``)."""
    folder, _, name = src_uri.rpartition("/")
    if folder != "glossary" or not name.endswith(".md"):
        return None
    stem = name[:-3]
    slug, _, lang = stem.rpartition(".") if "." in stem else (stem, "", languages[0])
    return slug if lang in languages and SLUG_RE.fullmatch(slug) and slug not in RESERVED_SLUGS else None


RESERVED_SLUGS = frozenset(("index", "categories", "translations", "category", "examples", "graph"))

NEUTRAL_FIELDS = ("category", "related", "aliases", "examples")  # written once per term, in any language
FIELDS = ("title", "sources", *NEUTRAL_FIELDS, "translated_from")  # sources: per language, inherited from the default language
SOURCE_FIELDS = ("text", "url")
STAMP_FIELDS = ("lang", "hash")
STAMP_HASH_RE = re.compile(r"[0-9a-f]{12,64}")


@dataclass(slots=True)
class RawEntry:
    """One validated file: its title, the neutral fields it gives, and where each value is."""

    path: str
    slug: str
    lang: str
    title: str
    body: str
    body_line: int
    neutral: dict[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] | None = None  # None: the file gives no 'sources' (inherits them)
    parsed: ParsedFile | None = None
    refused: frozenset[str] = frozenset()  # fields whose values the parser refused (already reported)
    translated_from: tuple[str, str] | None = None  # (source language, hash of its title and body) when stamped

    def position(self, *key: str | int) -> tuple[int, int]:
        return self.parsed.position(*key) if self.parsed else (1, 1)


class _Validator:
    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.diagnostics: list[Diagnostic] = []

    def report(self, key: tuple[str | int, ...], rule: Rule, message: str, hint: str = "") -> None:
        line, col = self.parsed.position(*key)
        self.diagnostics.append(Diagnostic(self.parsed.path, line, col, rule, message, hint))

    def text(self, key: tuple[str | int, ...], value: Any, what: str) -> str | None:
        if isinstance(value, str):
            bad = CONTROL_RE.search(value)
            if bad:
                self.report(key, Rule.FIELD_TYPE, f"{what} contains the control character U+{ord(bad.group()):04X}",
                            "remove it: line breaks, escapes and direction overrides do not belong in a field")
                return None
            if value.strip():
                return value.strip()
            self.report(key, Rule.MISSING_FIELD, f"{what} is empty", f"write the {what} as text")
            return None
        if value is None:
            self.report(key, Rule.MISSING_FIELD, f"{what} is empty", f"write the {what} as text")
        else:
            self.report(key, Rule.FIELD_TYPE, f"{what} must be text, not {_kind(value)}",
                        f"write the {what} on one line, quoted if it contains ': '")
        return None

    def text_list(self, name: str, value: Any, pattern: re.Pattern[str], what: str) -> list[str]:
        if isinstance(value, str):
            self.report((name,), Rule.FIELD_TYPE, f"'{name}' must be a list, not text",
                        f"write '{name}: [{value}]' or one '- {value}' line per item")
            return []
        if not isinstance(value, list):
            if value is not None:
                self.report((name,), Rule.FIELD_TYPE, f"'{name}' must be a list, not {_kind(value)}",
                            f"write one '- item' line per {what}")
            return []
        items = []
        for i, item in enumerate(value):
            text = self.text((name, i), item, what)
            if text is None:
                continue
            if not pattern.fullmatch(text):
                self.report((name, i), Rule.INVALID_SLUG, f"{what} {text!r} is not a valid name",
                            "use lowercase ASCII letters, digits and hyphens; no paths")
                continue
            items.append(text)
        return items

    def sources(self, value: Any) -> list[Source]:
        if not isinstance(value, list):
            if value is not None:
                self.report(("sources",), Rule.FIELD_TYPE, f"'sources' must be a list, not {_kind(value)}",
                            "write one '- text: ...' / '  url: ...' pair per source")
            return []
        result = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.report(("sources", i), Rule.FIELD_TYPE, "each source must have 'text' and 'url'",
                            "write '- text: Title, Author, Year' and '  url: https://...'")
                continue
            for key in item:
                if key not in SOURCE_FIELDS:
                    self.report(("sources", i, key, "#key"), Rule.UNKNOWN_FIELD,
                                f"unknown source field {key!r}", did_you_mean(key, SOURCE_FIELDS)
                                or "a source has only 'text' and 'url'")
            text = self.text(("sources", i, "text"), item.get("text"), "source text")
            url = self.text(("sources", i, "url"), item.get("url"), "source url")
            if url and not url.lower().startswith(URL_SCHEMES):
                self.report(("sources", i, "url"), Rule.URL_SCHEME, f"source url {url!r} is not http, https or mailto",
                            "link to the source with an https:// address")
                url = None
            if text and url:
                result.append(Source(text, url))
        return result

    def stamp(self, value: Any) -> tuple[str, str] | None:
        key = ("translated_from",)
        if not isinstance(value, dict):
            self.report(key, Rule.FIELD_TYPE, f"'translated_from' must be a mapping, not {_kind(value)}",
                        "write 'translated_from: {lang: en, hash: ...}' (glossary translations stamp writes it)")
            return None
        for name in value:
            if name not in STAMP_FIELDS:
                self.report((*key, name, "#key"), Rule.UNKNOWN_FIELD, f"unknown translated_from field {name!r}",
                            did_you_mean(name, STAMP_FIELDS) or "it has only 'lang' and 'hash'")
        lang = self.text((*key, "lang"), value.get("lang"), "translated_from lang")
        digest = self.text((*key, "hash"), value.get("hash"), "translated_from hash")
        if digest and not STAMP_HASH_RE.fullmatch(digest):
            self.report((*key, "hash"), Rule.FIELD_TYPE, f"translated_from hash {digest!r} is not 12 to 64 hex digits",
                        "let 'glossary translations stamp SLUG --lang LANG' write it")
            return None
        return (lang, digest) if lang and digest else None


_KINDS: dict[type, str] = {dict: "a mapping", list: "a list", str: "text"}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), f"a {type(value).__name__}")


def validate(parsed: ParsedFile, slug: str, lang: str) -> tuple[RawEntry | None, list[Diagnostic]]:
    """Check one file's fields. Returns the entry (None if unusable) and its diagnostics."""
    v = _Validator(parsed)
    v.diagnostics.extend(parsed.diagnostics)
    data = parsed.data
    if data is None:
        return None, v.diagnostics
    for key in data:
        if key not in FIELDS:
            hint = did_you_mean(key, FIELDS) or f"known fields: {', '.join(FIELDS)}"
            v.report((key, "#key"), Rule.UNKNOWN_FIELD, f"unknown field {key!r}", hint)
    stray = _STRAY_FIELD_RE.match(parsed.body)
    if stray and stray.group(2) in FIELDS:
        line = parsed.body_line + parsed.body.count("\n", 0, stray.start(2))
        v.diagnostics.append(Diagnostic(parsed.path, line, 1, Rule.FRONTMATTER_SPLIT,
                                        f"'{stray.group(2)}:' follows the '---' that ended the front matter, so it is "
                                        "body text", "remove the extra '---' line above it"))
    refused = parsed.refused
    title = None
    if "title" in refused:
        title = slug  # its value was refused (and reported); keep the entry so the others still merge
    elif "title" not in data:
        v.report((), Rule.MISSING_FIELD, "the entry has no 'title'", "add 'title: <the term>'")
    else:
        title = v.text(("title",), data["title"], "title")
        if title and title_repeats(title):
            v.report(("title",), Rule.TITLE_REPEATS, f"the title {title!r} repeats itself",
                     "keep only the term, e.g. the part before the colon")
    neutral: dict[str, Any] = {}
    sources = tuple(v.sources(data["sources"])) if "sources" in data else None
    if "category" in data:
        category = v.text(("category",), data["category"], "category")
        if category:
            neutral["category"] = category
    for name, pattern, what in (("related", ALIAS_RE, "related term"), ("aliases", ALIAS_RE, "alias"),
                                ("examples", EXAMPLE_RE, "example")):
        if name in data:
            neutral[name] = tuple(v.text_list(name, data[name], pattern, what))
    stamp = v.stamp(data["translated_from"]) if "translated_from" in data else None
    if title is None:
        return None, v.diagnostics
    entry = RawEntry(parsed.path, slug, lang, title, parsed.body, parsed.body_line, neutral, sources, parsed,
                     frozenset(refused), stamp)
    return entry, v.diagnostics


_STRAY_FIELD_RE = re.compile(r"(\s*)([A-Za-z_][\w-]*):(?:[ \t]|$)", re.M)
_TITLE_SPLIT = re.compile(r"^(.+?):\s+(.+)$")


def title_repeats(title: str) -> bool:
    if ": " not in title:
        return False
    match = _TITLE_SPLIT.match(title)
    if not match:
        return False
    head, tail = (re.sub(r"\W+", " ", p).strip().casefold() for p in match.groups())
    return bool(head) and (tail == head or tail.endswith(" " + head))
