"""Walk the content folder and build the Glossary (all languages, slugs, aliases)."""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .body import mask_code
from .diagnostics import Diagnostic, Rule
from .files import Stamp, UnsafeFile, check_file, read_capped, stamp
from .frontmatter import MAX_FILE_BYTES, decode, split
from .model import Category, Glossary, Term, Translation
from .project import Project, load_categories
from .schema import RESERVED_SLUGS, SLUG_RE, RawEntry, validate
from .suggest import did_you_mean

T = TypeVar("T")


class Reuse:
    """What a long-running process (``glossary serve``) keeps from one check of a project to the next,
    so that after an edit only what changed is read and judged again: per file, what reading it
    gave while its stamp (``files.stamp``) stays the same; per text, what a check found in it (the
    key holds everything the result depends on but the configuration: 'glossary serve' starts a new
    one whenever anything but an entry's file changes). Each check keeps only what it used, so files
    and texts that went away are forgotten with it."""

    def __init__(self) -> None:
        self._last: dict[Hashable, Any] = {}
        self._now: dict[Hashable, Any] = {}
        # stamps the caller took just before the check (serve's snapshot of the docs folder); a file
        # not among them is stamped when asked
        self.seen: Mapping[str, Stamp] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key in self._now:
            return self._now[key]
        value = self._last[key] if key in self._last else compute()
        self._now[key] = value
        return value

    def file(self, kind: str, path: str, root: Path, compute: Callable[[], T]) -> T:
        """``compute()`` for the file at ``path``, or what it gave while the file is unchanged.

        Whether the file may be read at all (a regular file inside ``root``) is judged anew each time:
        a link's own stamp and its target's stay the same when a folder on the way to the target is
        moved out of the project and linked back. A link's key holds where it leads now."""
        try:
            check_file(path, root)
            found = self.seen.get(path) or stamp(path)
        except (OSError, UnsafeFile):  # gone, or refused: compute says so
            return compute()
        leads = os.path.realpath(path) if len(found) > 4 else path  # a link (files.stamp): where it leads now
        return self.get((kind, path, found, leads), compute)

    def done(self) -> None:
        """The check is over: what it did not use is dropped."""
        self._last, self._now = self._now, {}
        self.seen = {}


@dataclass
class LoadResult:
    glossary: Glossary
    entries: dict[tuple[str, str], RawEntry]  # (slug, lang) -> entry
    diagnostics: list[Diagnostic]
    files: int
    _masked: dict[str, str] = field(default_factory=dict, repr=False)
    reuse: Reuse | None = field(default=None, repr=False)  # under 'glossary serve': the last check's results

    def masked(self, translation: Translation) -> str:
        """The translation's body with code blanked out (computed once, shared by the checks)."""
        found = self._masked.get(translation.path)
        if found is None:
            body = translation.body
            found = self._masked[translation.path] = self.remember(("masked", body), functools.partial(mask_code, body))
        return found

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or what it gave in the last check when one is kept (``key`` must hold every input)."""
        return compute() if self.reuse is None else self.reuse.get(key, compute)


def entry_files(project: Project, paths: Iterable[Path] | None = None) -> list[Path]:
    """Entry files under the glossary folder (only those inside it when paths are given)."""
    root = project.glossary_dir.resolve()
    if not paths:
        return [Path(path) for path in _entry_paths(root)]
    found: set[Path] = set()
    for path in paths:
        path = path.resolve()
        if path.is_dir():
            found.update(p for p in path.rglob("*.md") if p.parent == root)
        elif path.parent == root:
            found.add(path)
    return sorted(found)


def _entry_paths(root: Path) -> list[str]:
    """Every '*.md' name in the folder (hidden ones and folders too: the loader reports what is not an
    entry), as sorted path strings (what pathlib's glob gives, without a Path object for each)."""
    try:
        with os.scandir(root) as found:
            return sorted(item.path for item in found if item.name.endswith(".md"))
    except OSError:  # no such folder, or not one
        return []


def read_entry(path: Path | str, shown: str, project: Project) -> tuple[RawEntry | None, list[Diagnostic]]:
    path = os.fspath(path)  # (a string from here on: each use of a Path converts it again)
    name = os.path.basename(path)[:-3]
    slug, _, lang = name.rpartition(".") if "." in name else (name, "", project.languages[0])
    if not slug or not SLUG_RE.fullmatch(slug):
        return None, [Diagnostic(shown, 1, 1, Rule.FILENAME, f"file name {name + '.md'!r} is not <slug>.<lang>.md or <slug>.md",
                                 f"use a lowercase ASCII slug with hyphens and a language suffix, e.g. "
                                 f"neural-network.{project.languages[0]}.md")]
    if slug in RESERVED_SLUGS:
        return None, [Diagnostic(shown, 1, 1, Rule.FILENAME, f"the slug {slug!r} is the name of a generated page",
                                 f"rename the file; reserved: {', '.join(sorted(RESERVED_SLUGS))}")]
    if lang not in project.languages:
        hint = did_you_mean(lang, project.languages) or f"configured languages: {', '.join(project.languages)}"
        return None, [Diagnostic(shown, 1, 1, Rule.UNKNOWN_LANGUAGE, f"language {lang!r} is not configured", hint)]
    try:
        raw = read_capped(path, project.root, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        return None, [Diagnostic(shown, 1, 1, Rule.UNSAFE_FILE, f"the file {exc}",
                                 "entries are regular files inside the project; remove or replace it")]
    text, problems = decode(raw, shown)
    if text is None:
        return None, problems
    return validate(split(text, shown), slug, lang)


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Loading allocates many long-lived containers; each generation-2 pass would walk all of
    them again, which made collection a third of the run on 30,000 files. Nothing built here
    forms reference cycles, so pausing frees nothing later than it otherwise would.

    ``freeze``, for a command that exits after using what it loaded: move every object alive at
    the end to the collector's permanent generation, so that the first collections after the
    pause do not walk them all again (0.1 to 0.2 s at 30,000 files). They are still freed by
    reference counting; only cycles among them would outlive the command.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def load_glossary(project: Project, reuse: Reuse | None = None) -> LoadResult:
    """Parse and merge every entry. Raises GlossaryError only for unusable configuration.

    ``reuse``: an unchanged file is not read again (what reading it gave last time is taken)."""
    with gc_paused():
        return _load(project, reuse)


def _load(project: Project, reuse: Reuse | None = None) -> LoadResult:
    categories = load_categories(project) if project.has_categories_file else {}
    diagnostics: list[Diagnostic] = []
    entries: dict[tuple[str, str], RawEntry] = {}
    files = _entry_paths(project.glossary_dir.resolve())
    for path in files:
        if reuse is None:
            entry, problems = read_entry(path, project.rel(path), project)
        else:
            entry, problems = reuse.file("entry", path, project.root,
                                         functools.partial(read_entry, path, project.rel(path), project))
        diagnostics.extend(problems)
        if entry is None:
            continue
        twin = entries.get((entry.slug, entry.lang))
        if twin is not None:  # <slug>.md and <slug>.<default>.md are the same entry
            diagnostics.append(Diagnostic(entry.path, 1, 1, Rule.FILENAME,
                                          f"{entry.slug!r} in {entry.lang} is already {twin.path}",
                                          "keep one of the two files"))
            continue
        entries[(entry.slug, entry.lang)] = entry
    if not project.has_categories_file:  # each category an entry names is one, labelled as written
        categories = _free_categories(entries, project.languages[0])
    terms = _merge(entries, project.languages, categories)
    glossary = Glossary(project.languages, categories, terms, _aliases(terms))
    return LoadResult(glossary, entries, diagnostics, len(files), reuse=reuse)


def _free_categories(entries: dict[tuple[str, str], RawEntry], default: str) -> dict[str, Category]:
    from .body import slugify

    found: dict[str, Category] = {}
    for entry in entries.values():
        written = entry.neutral.get("category")
        if isinstance(written, str) and written.strip():
            cid = slugify(written) or "category"
            found.setdefault(cid, Category(cid, {default: written.strip()}, {}))
    return dict(sorted(found.items()))


def category_index(categories: dict[str, Category]) -> dict[str, str]:
    """Every way to name a category (its id, any language's label; case-insensitive) -> its id."""
    index = {cid.casefold(): cid for cid in categories}
    for cid, spec in categories.items():
        for text in spec.labels.values():
            index.setdefault(text.casefold(), cid)
    return index


def _merge(entries: dict[tuple[str, str], RawEntry], languages: tuple[str, ...],
           categories: dict[str, Category]) -> dict[str, Term]:
    """One Term per slug: each neutral field from the first language (in configured order) that gives it.

    Judging (conflicting translations, unknown categories, missing fields) is left to the checks.
    """
    by_slug: dict[str, list[RawEntry]] = {}
    order = {lang: i for i, lang in enumerate(languages)}
    for entry in entries.values():
        by_slug.setdefault(entry.slug, []).append(entry)
    names = category_index(categories)
    terms: dict[str, Term] = {}
    for slug, group in by_slug.items():
        group.sort(key=lambda e: order[e.lang])
        neutral: dict[str, object] = {}
        origins: dict[str, str] = {}
        for entry in group:
            for name, value in entry.neutral.items():
                if name not in neutral:
                    neutral[name], origins[name] = value, entry.lang
        given = [e for e in group if e.sources is not None]
        if given:
            origins["sources"] = given[0].lang
        category = neutral.get("category")
        terms[slug] = Term(
            slug=slug,
            category=names.get(category.casefold(), "") if isinstance(category, str) else "",
            sources=given[0].sources if given and given[0].sources is not None else (),
            related=tuple(neutral.get("related", ())),  # type: ignore[arg-type]
            aliases=tuple(neutral.get("aliases", ())),  # type: ignore[arg-type]
            examples=tuple(neutral.get("examples", ())),  # type: ignore[arg-type]
            translations={e.lang: Translation(slug, e.lang, e.title, e.body, e.path, e.body_line, e.sources)
                          for e in group},
            origins=origins,
        )
    return terms


def _aliases(terms: dict[str, Term]) -> dict[str, str]:
    """Alias -> slug; the first claim (in slug order) wins, and an alias never shadows a slug."""
    aliases: dict[str, str] = {}
    for slug in sorted(terms):
        for alias in terms[slug].aliases:
            if alias not in terms and alias not in aliases:
                aliases[alias] = slug
    return aliases


def origin_entry(loaded: LoadResult, term: Term, field: str) -> RawEntry:
    """The file that gave a term's field (for positions), else its first file."""
    lang = term.origins.get(field)
    if lang is not None:
        return loaded.entries[(term.slug, lang)]
    return loaded.entries[(term.slug, next(iter(term.translations)))]
