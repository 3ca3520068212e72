"""Writing entry files: atomic, inside the content root, never overwriting unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .diagnostics import GlossaryError, Rule
from .project import Project, load_categories
from .schema import SLUG_RE
from .translations import read_source, source_hash


def atomic_write(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename; refuse to overwrite unless forced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError instead of replacing
            os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _fail(path: str, rule: Rule, message: str, hint: str = "") -> GlossaryError:
    return GlossaryError.at(path, rule, message, hint)


def new_entry(project: Project, slug: str, lang: str, title: str | None, category: str | None,
              *, force: bool = False) -> Path:
    if not SLUG_RE.fullmatch(slug):
        raise _fail(slug, Rule.INVALID_SLUG, f"{slug!r} is not a valid slug",
                    "use lowercase ASCII letters, digits and hyphens, e.g. neural-network")
    if lang not in project.languages:
        raise _fail(slug, Rule.UNKNOWN_LANGUAGE, f"language {lang!r} is not configured",
                    f"configured: {', '.join(project.languages)}")
    path = project.glossary_dir / f"{slug}.{lang}.md"
    shown = project.rel(path)
    if path.exists() and not force:
        raise _fail(shown, Rule.CONFIG, f"{shown} already exists", "pass --force to overwrite it")
    siblings = [p for p in project.glossary_dir.glob(f"{slug}.*.md") if p != path]
    fields: dict[str, object] = {"title": title or slug.replace("-", " ").capitalize()}
    if not siblings:
        categories = load_categories(project)
        if category is None or category not in categories:
            raise _fail(shown, Rule.UNKNOWN_CATEGORY, f"a new term needs a category (got {category!r})",
                        f"pass --category, one of: {', '.join(categories)}")
        fields.update({"category": category, "sources": [{"text": "Author, Title, Year", "url": "https://"}],
                       "related": []})
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=False)
    source_lang = project.languages[0]
    source = read_source(project, slug, source_lang) if lang != source_lang else None
    if source is not None:  # a translation records what it was translated from (see translations.py)
        front += f"translated_from: {{lang: {source_lang}, hash: {source_hash(source.title, source.body)}}}\n"
    text = f"---\n{front}---\n\nA **{fields['title']}** is ... [1]\n"
    try:
        atomic_write(path, text, force=force)
    except FileExistsError:
        raise _fail(shown, Rule.CONFIG, f"{shown} already exists", "pass --force to overwrite it") from None
    return path
