"""Our own entry shape (YAML front matter with title, category, sources, related, ...): fields kept."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from ..model import Source
from ..schema import ALIAS_RE, EXAMPLE_RE
from .base import Document, ImportedEntry, ImportProblem, meta_list, meta_title, one_line, slugify, source_from

NAME = "canonical"
_OWN_FIELDS = ("category", "sources", "related", "aliases", "examples")


def detect(doc: Document, path: PurePath) -> float:
    if doc.meta is None or not meta_title(doc):
        return 0.0
    return 0.9 if any(doc.field(name) is not None for name in _OWN_FIELDS) else 0.0


def _names(value: Any, pattern: Any, what: str, entry: ImportedEntry) -> list[str]:
    names = []
    for item in meta_list(value):
        if pattern.fullmatch(item):
            names.append(item)
        elif slugify(item):
            names.append(slugify(item))
            entry.notes.append(f"{what} {item!r} written as {slugify(item)!r}")
    return names


def _sources(value: Any, entry: ImportedEntry) -> list[Source]:
    result = []
    for i, item in enumerate(value if isinstance(value, list) else [value], 1):
        found = None
        if isinstance(item, dict):
            text, url = item.get("text"), item.get("url")
            if isinstance(url, str):
                found = source_from(text if isinstance(text, str) else url, url)
        elif isinstance(item, str):
            found = source_from(item, item)
        if found is None:
            entry.notes.append(f"source {i} is not a text with an http(s) or mailto url: add it by hand")
        else:
            result.append(found)
    return result


def convert(doc: Document, context: Any) -> ImportedEntry:
    title = meta_title(doc)
    if title is None:
        raise ImportProblem("it has no title")
    entry = ImportedEntry(doc.source, NAME, title, doc.body, lang_text=doc.body, escape_refs=False)
    lang = doc.field("lang", "language", "locale")
    entry.lang = lang if isinstance(lang, str) else None
    category = doc.field("category")
    if isinstance(category, str) and one_line(category):
        entry.category = one_line(category)
    elif isinstance(category, list) and category and isinstance(category[0], str):
        entry.category = one_line(category[0])
        entry.notes.append(f"several categories given: kept {entry.category!r}")
    entry.related = _names(doc.field("related"), ALIAS_RE, "related term", entry)
    entry.aliases = _names(doc.field("aliases"), ALIAS_RE, "alias", entry)
    entry.examples = _names(doc.field("examples"), EXAMPLE_RE, "example", entry)
    if doc.field("sources") is not None:
        entry.sources = _sources(doc.field("sources"), entry)
    return entry
