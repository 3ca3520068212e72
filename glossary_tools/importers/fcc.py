"""freeCodeCamp guide articles: ``title`` (English) and maybe ``localeTitle`` front matter, a leading
heading that repeats the title, relative links to other articles, a "More Information" list."""

from __future__ import annotations

import posixpath
import re
from pathlib import PurePath
from typing import Any

from .base import (
    LINK_RE,
    Document,
    ImportedEntry,
    ImportProblem,
    Tokens,
    drop_line,
    first_heading,
    is_external,
    meta_title,
    outside_protected,
    plain_title,
    same_text,
    source_from,
)

NAME = "fcc"
_MORE_INFO_RE = re.compile(
    r"^ {0,3}(?:#{1,6}[ \t]+)?(?:\*\*)?(?:more information|further reading|mais informa[çc](?:ões|oes)|"
    r"leitura adicional|m[áa]s informaci[óo]n|lecturas? adicionales?)[ \t]*:?[ \t]*(?:\*\*)?[ \t]*:?[ \t]*$",
    re.I | re.M)
_ITEM_RE = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
_ITEM_LINK_RE = re.compile(r"^\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)\s*\.?$")


def detect(doc: Document, path: PurePath) -> float:
    if doc.meta is None or not meta_title(doc):
        return 0.0
    if doc.field("localeTitle") is not None:
        return 0.95
    other = {k.casefold() for k in doc.meta} - {"title"}
    return 0.6 if not other else 0.0


def article_key(path: PurePath) -> str:
    """How guide articles name each other: the folder of an index.md, else the file's stem."""
    return path.parent.name if path.name.lower() in ("index.md", "index.markdown") else path.stem


def _more_information(body: str, entry: ImportedEntry) -> str:
    match = _MORE_INFO_RE.search(body)
    if not match:
        return body
    lines = body[match.end():].splitlines()
    sources, kept, end = [], [], len(lines)
    for i, line in enumerate(lines):
        item = _ITEM_RE.match(line)
        if item is None:
            if line.strip() == "":
                continue
            end = i
            break
        link = _ITEM_LINK_RE.match(item.group(1).strip())
        found = source_from(link.group(1), link.group(2)) if link else None
        if found is None:
            kept.append(line)
        else:
            sources.append(found)
    if not sources:
        return body
    entry.sources = sources
    rest = "\n".join(lines[end:])
    if kept:  # items that are not links stay in the text, under the heading
        return body[:match.end()] + "\n" + "\n".join(kept) + "\n\n" + rest
    return body[:match.start()].rstrip() + ("\n\n" + rest if rest.strip() else "") + "\n"


def convert(doc: Document, context: Any) -> ImportedEntry:
    english = meta_title(doc)
    locale = doc.field("localeTitle")
    title = plain_title(locale) if isinstance(locale, str) and plain_title(locale) else english
    if not title:
        raise ImportProblem("it has no title")
    entry = ImportedEntry(doc.source, NAME, title, doc.body, key=article_key(doc.path))
    if english and english != title:
        entry.other_titles.append(english)
    lang = doc.field("lang", "language", "locale")
    entry.lang = lang if isinstance(lang, str) else None
    body = doc.body
    heading = first_heading(body)
    if heading and (same_text(plain_title(heading[1]), title) or same_text(plain_title(heading[1]), english or "")):
        body = drop_line(body, heading[2])
    body = _more_information(body, entry)
    tokens = Tokens(entry)

    def relink(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            bang, label, target = match.groups()
            if is_external(target) or target.startswith("#"):
                return match.group(0)
            path, _, _anchor = target.partition("#")
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path.as_posix()), path))
            url = context.original_url(doc, joined)
            if bang:  # an image: kept as an image with an absolute URL, when there is one
                if url:
                    return f"![{label}]({url})"
                entry.notes.append(f"image {target!r} has no absolute URL: pass --source-url or add it by hand")
                return label or target
            return tokens.add("article", article_key(PurePath(joined)), label or target, url)
        return LINK_RE.sub(one, text)

    entry.body = outside_protected(body, relink)
    entry.lang_text = entry.body
    return entry
