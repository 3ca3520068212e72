"""Obsidian notes: ``[[Note]]`` links, ``![[image.png]]`` embeds, ``#tags``, ``$math$`` and callouts."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from .base import (
    LINK_RE,
    Document,
    ImportedEntry,
    Tokens,
    drop_line,
    first_heading,
    is_external,
    meta_list,
    meta_title,
    one_line,
    outside_protected,
    plain_title,
)

NAME = "obsidian"
_WIKI_RE = re.compile(r"(!?)\[\[([^\[\]\n|#^]*)(?:[#^]([^\[\]\n|]*))?(?:\|([^\[\]\n]*))?\]\]")
_TAG_RE = re.compile(r"(?<![\w/&#\]\[(])#([^\W\d][\w/-]*)")
_CALLOUT_RE = re.compile(r"^>[ \t]*\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*(.*)$")
_CALLOUT_START_RE = re.compile(r"^>[ \t]*\[![A-Za-z]", re.M)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
IMAGE_SUFFIXES = frozenset((".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif"))
# Obsidian's callout types (and their aliases) -> the admonition types Material styles
_ADMONITIONS = {
    "note": "note", "abstract": "abstract", "summary": "abstract", "tldr": "abstract", "info": "info",
    "todo": "info", "tip": "tip", "hint": "tip", "important": "tip", "success": "success", "check": "success",
    "done": "success", "question": "question", "help": "question", "faq": "question", "warning": "warning",
    "caution": "warning", "attention": "warning", "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger", "bug": "bug", "example": "example", "quote": "quote", "cite": "quote",
}


def detect(doc: Document, path: PurePath) -> float:
    body = doc.body
    if "[[" in body and _WIKI_RE.search(body) or "[!" in body and _CALLOUT_START_RE.search(body):
        return 0.8
    if doc.meta is not None:
        return 0.5 if meta_title(doc) or doc.field("tags", "aliases") is not None else 0.3
    if any(c.isalpha() for c in body):
        return 0.35 if path.suffix.lower() in (".md", ".markdown") else 0.25
    return 0.0


def callouts(body: str) -> str:
    """``> [!type] Title`` blocks as admonitions (``!!! type "Title"``, body indented four spaces)."""
    if "[!" not in body:
        return body
    out: list[str] = []
    lines = body.split("\n")
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE_RE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            out.append(line)
            i += 1
            continue
        if opened:
            fence = opened.group(1)
            out.append(line)
            i += 1
            continue
        match = _CALLOUT_RE.match(line)
        if not match:
            out.append(line)
            i += 1
            continue
        kind = _ADMONITIONS.get(match.group(1).lower(), "note")
        marker = {"-": "???", "+": "???+"}.get(match.group(2), "!!!")
        title = plain_title(match.group(3))
        if out and out[-1].strip():
            out.append("")
        out.append(f'{marker} {kind} "{title}"' if title else f"{marker} {kind}")
        i += 1
        while i < len(lines) and lines[i].startswith(">"):
            inner = lines[i][1:]
            inner = inner[1:] if inner.startswith(" ") else inner
            out.append(f"    {inner}" if inner.strip() else "")
            i += 1
        if i < len(lines) and lines[i].strip():
            out.append("")
    return "\n".join(out)


def convert(doc: Document, context: Any) -> ImportedEntry:
    body = doc.body
    title = meta_title(doc)
    heading = first_heading(body)
    if title is None and heading and heading[0] == 1 and plain_title(heading[1]):
        title = plain_title(heading[1])
        body = drop_line(body, heading[2])
    elif title and heading and plain_title(heading[1]) == title:
        body = drop_line(body, heading[2])
    if title is None:
        title = one_line(doc.path.stem.replace("_", " ")) if doc.root is not None else ""
    entry = ImportedEntry(doc.source, NAME, title, body)
    lang = doc.field("lang", "language", "locale")
    entry.lang = lang if isinstance(lang, str) else None
    entry.aliases = [a for a in meta_list(doc.field("aliases")) if a]
    tags = meta_list(doc.field("tags"))
    category = doc.field("category")
    if isinstance(category, str) and one_line(category):
        entry.category = one_line(category)
    tokens = Tokens(entry)

    def rewrite(text: str) -> str:
        def wiki(match: re.Match[str]) -> str:
            bang, target, _anchor, label = match.groups()
            target = target.strip()
            if bang and PurePath(target).suffix.lower() in IMAGE_SUFFIXES:
                return context.embed(doc, entry, target, label if label and not label.isdigit() else "")
            shown = (label or target or (_anchor or "")).strip()
            if not target:  # a link to a heading of this same note
                return shown
            return tokens.add("wiki", target, shown)

        def image(match: re.Match[str]) -> str:
            bang, label, target = match.groups()
            if is_external(target) or target.startswith("#"):
                return match.group(0)
            if bang and PurePath(target).suffix.lower() in IMAGE_SUFFIXES:
                return context.embed(doc, entry, target, label)
            name = PurePath(target.partition("#")[0]).stem.replace("%20", " ")
            return tokens.add("wiki", name, label or name)

        for tag in _TAG_RE.findall(text):
            tags.append(tag)
        text = LINK_RE.sub(image, text) if "](" in text else text
        return _WIKI_RE.sub(wiki, text) if "[[" in text else text

    body = outside_protected(callouts(body), rewrite)
    entry.body = body
    entry.lang_text = body
    if entry.category is None:
        entry.category = context.category_from_tags(tags)
    return entry
