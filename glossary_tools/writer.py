"""Writing entry files: atomic, inside the content root, never overwriting unless asked."""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml

from .diagnostics import GlossaryError, Rule
from .frontmatter import MAX_FILE_BYTES
from .project import Project, load_categories
from .schema import CONTROL_RE, MAX_TITLE, RESERVED_SLUGS, SLUG_RE
from .translations import read_source, source_hash


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def atomic_write(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (or bytes) to ``path`` via a temporary file and a rename; refuse to overwrite unless forced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a new entry gets the usual mode
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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


# The order fields are written in; fields the format does not know (kept when a file is
# rewritten, so nothing is lost) follow them.
FIELD_ORDER = ("title", "category", "aliases", "related", "sources", "examples")


def check_slug(slug: str) -> None:
    """GlossaryError unless ``slug`` may name an entry file."""
    if not SLUG_RE.fullmatch(slug):
        raise _fail(slug, Rule.INVALID_SLUG, f"{slug!r} is not a valid slug",
                    "use lowercase ASCII letters, digits and hyphens (at most 100), e.g. neural-network")
    if slug in RESERVED_SLUGS:
        raise _fail(slug, Rule.INVALID_SLUG, f"{slug!r} is the name of a generated page",
                    f"choose another slug; reserved: {', '.join(sorted(RESERVED_SLUGS))}")


def entry_path(project: Project, slug: str, lang: str) -> Path:
    """Where the entry ``slug`` in ``lang`` lives (after checking both names)."""
    check_slug(slug)
    if lang not in project.languages:
        raise _fail(slug, Rule.UNKNOWN_LANGUAGE, f"language {lang!r} is not configured",
                    f"configured: {', '.join(project.languages)}")
    return project.glossary_dir / f"{slug}.{lang}.md"


def entry_text(fields: Mapping[str, object], body: str) -> str:
    """The file text of an entry: ordered YAML front matter, a blank line, the body."""
    ordered = {name: fields[name] for name in FIELD_ORDER if name in fields}
    ordered.update((name, value) for name, value in fields.items() if name not in ordered)
    front = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                      width=1_000_000)
    body = _LEADING_BLANK_LINES.sub("", body).rstrip()
    return f"---\n{front}---\n\n{body}\n" if body else f"---\n{front}---\n"


_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when built with it
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)+")


def write_entry(project: Project, slug: str, lang: str, fields: Mapping[str, object], body: str,
                *, force: bool = False) -> Path:
    """Write one entry file atomically; refuse to overwrite an existing file unless forced."""
    path = entry_path(project, slug, lang)
    shown = project.rel(path)
    if path.exists() and not force:
        raise _fail(shown, Rule.CONFIG, f"{shown} already exists", "pass --force to overwrite it")
    text = entry_text(fields, body)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise _fail(shown, Rule.FILE_TOO_LARGE, f"{shown} would be larger than {MAX_FILE_BYTES:,} bytes",
                    "split the entry or move data out of it")
    try:
        atomic_write(path, text, force=force)
    except FileExistsError:
        raise _fail(shown, Rule.CONFIG, f"{shown} already exists", "pass --force to overwrite it") from None
    return path


def new_entry(project: Project, slug: str, lang: str, title: str | None, category: str | None,
              *, force: bool = False) -> Path:
    path = entry_path(project, slug, lang)
    shown = project.rel(path)
    if path.exists() and not force:
        raise _fail(shown, Rule.CONFIG, f"{shown} already exists", "pass --force to overwrite it")
    if title is not None:
        bad = CONTROL_RE.search(title)
        if bad or not title.strip() or len(title) > MAX_TITLE:
            why = (f"contains the control character U+{ord(bad.group()):04X}" if bad else
                   "is empty" if not title.strip() else f"is longer than {MAX_TITLE} characters")
            raise _fail(shown, Rule.FIELD_TYPE, f"the title {why}", "give the term's name on one line")
    siblings = [p for p in project.glossary_dir.glob(f"{slug}.*.md") if p != path]
    fields: dict[str, object] = {"title": title or slug.replace("-", " ").capitalize()}
    if not siblings or lang == project.languages[0]:  # the default language's file holds the neutral fields
        given = project.has_categories_file
        categories = load_categories(project) if given else {}
        if category is None or (given and category not in categories) or not category.strip():
            raise _fail(shown, Rule.UNKNOWN_CATEGORY, f"a new term needs a category (got {category!r})",
                        f"pass --category, one of: {', '.join(categories)}" if given else "pass --category")
        fields.update({"category": category, "related": [],
                       "sources": [{"text": "Author, Title, Year", "url": "https://"}]})
    source_lang = project.languages[0]
    source = read_source(project, slug, source_lang) if lang != source_lang else None
    if source is not None:  # a translation records what it was translated from (see translations.py)
        fields["translated_from"] = {"lang": source_lang, "hash": source_hash(source.title, source.body)}
    shown_title = _MARKUP_RE.sub(r"\\\g<0>", html.escape(str(fields["title"]), quote=False))  # text, not markup
    return write_entry(project, slug, lang, fields, f"A **{shown_title}** is ... [1]\n", force=force)


_MARKUP_RE = re.compile(r"[\\`*_{}\[\]()#+!|~]")
