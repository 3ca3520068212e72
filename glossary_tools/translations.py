"""What a translation was translated from: the stamp, staleness, and what changed since.

A translation's front matter may record ``translated_from: {lang: en, hash: <hex>}``, the hash of
its source file's title and body when it was translated (``source_hash``, the one definition).
The translation is stale when the source no longer hashes to that value.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from . import git
from .diagnostics import GlossaryError, Rule
from .files import UnsafeFile, read_capped
from .frontmatter import MAX_FILE_BYTES, decode, split
from .loader import LoadResult, read_entry
from .project import Project
from .schema import RawEntry, validate

HASH_CHARS = 16


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_hash(title: str, body: str) -> str:
    """The stamp of a source file: its title and body, line endings normalised, trailing blank space ignored."""
    data = f"{_normalise(title).strip()}\n\n{_normalise(body).rstrip()}\n".encode()
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def matches(stamp: str, title: str, body: str) -> bool:
    return source_hash(title, body).startswith(stamp[:HASH_CHARS])


@dataclass(frozen=True, slots=True)
class Stale:
    slug: str
    lang: str
    source: RawEntry | None  # None: the source language's file is gone
    stamped: RawEntry


def stale_translations(loaded: LoadResult) -> dict[tuple[str, str], Stale]:
    """Every stamped translation whose source changed after the stamp (or disappeared)."""
    found: dict[tuple[str, str], Stale] = {}
    for (slug, lang), entry in loaded.entries.items():
        if entry.translated_from is None:
            continue
        source_lang, stamp = entry.translated_from
        source = loaded.entries.get((slug, source_lang))
        if source is None or not matches(stamp, source.title, source.body):
            found[(slug, lang)] = Stale(slug, lang, source, entry)
    return found


# -- stamping: rewrite one front matter field, keep every other byte --------------------------
_OPEN_RE = re.compile(r"---[ \t]*(\r?\n)")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_FIELD_RE = re.compile(r"^translated_from[ \t]*:.*(?:\r?\n|\Z)(?:(?:[ \t]+.*|[ \t]*)(?:\r?\n|\Z))*", re.M)


def with_stamp(text: str, lang: str, digest: str) -> str:
    """``text`` with its front matter's translated_from set; every other byte kept."""
    opening = _OPEN_RE.match(text.removeprefix("\ufeff"))
    if not opening:
        raise ValueError("the file has no front matter")
    start = opening.end() + (1 if text.startswith("\ufeff") else 0)
    closing = _CLOSE_RE.search(text, start)
    if closing is None:
        raise ValueError("the front matter is never closed")
    newline = opening.group(1)
    line = f"translated_from: {{lang: {lang}, hash: {digest}}}{newline}"
    block = text[start:closing.start()]
    existing = _FIELD_RE.search(block)
    if existing:
        # keep the blank lines that ended the old value (they separate it from what follows)
        tail = existing.group(0)
        kept = tail[len(tail.rstrip("\r\n \t")):]
        kept = kept[kept.find("\n") + 1:] if "\n" in kept else ""
        block = block[:existing.start()] + line + kept + block[existing.end():]
    else:
        block = block + ("" if not block or block.endswith("\n") else newline) + line
    return text[:start] + block + text[closing.start():]


def _read(project: Project, slug: str, lang: str) -> tuple[Path, RawEntry]:
    path = project.glossary_dir / f"{slug}.{lang}.md"
    shown = project.rel(path)
    if not path.is_file():
        raise GlossaryError.at(shown, Rule.CONFIG, f"{shown} does not exist",
                               f"create it with glossary new {slug} --lang {lang}")
    entry, problems = read_entry(path, shown, project)
    if entry is None:
        raise GlossaryError(problems or [])
    return path, entry


def source_language(project: Project, entry: RawEntry) -> str:
    return entry.translated_from[0] if entry.translated_from else project.languages[0]


def stamp(project: Project, slug: str, lang: str) -> tuple[Path, str]:
    """Record in ``slug.lang.md`` the current hash of its source; returns the path and the hash."""
    path, entry = _read(project, slug, lang)
    source_lang = source_language(project, entry)
    if source_lang == lang:
        raise GlossaryError.at(project.rel(path), Rule.CONFIG, f"{project.rel(path)} is in the source language",
                               "stamp translations, not their source")
    _, source = _read(project, slug, source_lang)
    digest = source_hash(source.title, source.body)
    from .writer import atomic_write

    raw = path.read_bytes().decode("utf-8")
    atomic_write(path, with_stamp(raw, source_lang, digest), force=True)
    return path, digest


# -- what changed in the source since the stamp ----------------------------------------------
def _as_text(title: str, body: str) -> list[str]:
    return f"# {_normalise(title).strip()}\n\n{_normalise(body).rstrip()}\n".splitlines(keepends=True)


def _parse(raw: bytes, shown: str, slug: str, lang: str) -> RawEntry | None:
    text, _ = decode(raw, shown)
    if text is None:
        return None
    entry, _ = validate(split(text, shown), slug, lang)
    return entry


def diff(project: Project, slug: str, lang: str) -> str:
    """A unified diff of the source's title and body, from the stamped version to the working file."""
    path, entry = _read(project, slug, lang)
    shown = project.rel(path)
    if entry.translated_from is None:
        raise GlossaryError.at(shown, Rule.CONFIG, f"{shown} has no translated_from stamp",
                               f"run glossary translations stamp {slug} --lang {lang} once it is up to date")
    source_lang, digest = entry.translated_from
    source_path, source = _read(project, slug, source_lang)
    source_shown = project.rel(source_path)
    if matches(digest, source.title, source.body):
        return f"{shown} is current: {source_shown} has not changed since the stamp"
    try:
        commits = git.history(project.root, source_path)
    except git.GitError as exc:
        raise GlossaryError.at(source_shown, Rule.CONFIG, f"cannot show what changed: {exc}",
                               "the stamped version can only be found in git history") from None
    for commit in commits:
        raw = git.show(project.root, commit, source_path)
        old = _parse(raw, source_shown, slug, source_lang) if raw is not None else None
        if old is not None and matches(digest, old.title, old.body):
            lines = difflib.unified_diff(_as_text(old.title, old.body), _as_text(source.title, source.body),
                                         f"{source_shown}@{commit[:10]}", f"{source_shown} (working file)")
            return "".join(lines).rstrip("\n")
    raise GlossaryError.at(source_shown, Rule.CONFIG,
                           f"no commit of {source_shown} hashes to the stamp {digest}",
                           "the stamped version was never committed; compare the texts by hand, then stamp again")


def read_source(project: Project, slug: str, lang: str) -> RawEntry | None:
    """The file ``slug.lang.md`` if it exists and parses (used by ``glossary new`` for the stamp)."""
    path = project.glossary_dir / f"{slug}.{lang}.md"
    if not path.is_file():
        return None
    try:
        raw = read_capped(path, project.root, MAX_FILE_BYTES)
    except UnsafeFile:
        return None
    return _parse(raw, project.rel(path), slug, lang)
