"""Walk the content folder and build the Glossary (all languages, slugs, aliases)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Rule
from .frontmatter import decode, split
from .model import Category, Glossary, Term, Translation
from .project import Project, load_categories
from .schema import NEUTRAL_FIELDS, SLUG_RE, RawEntry, did_you_mean, validate


@dataclass
class LoadResult:
    glossary: Glossary
    entries: dict[tuple[str, str], RawEntry]  # (slug, lang) -> entry
    diagnostics: list[Diagnostic]
    files: int


def entry_files(project: Project, paths: Iterable[Path] | None = None) -> list[Path]:
    """Entry files under the glossary folder (only those inside it when paths are given)."""
    root = project.glossary_dir.resolve()
    if not paths:
        return sorted(root.glob("*.md"), key=str) if root.is_dir() else []
    found: set[Path] = set()
    for path in paths:
        path = path.resolve()
        if path.is_dir():
            found.update(p for p in path.rglob("*.md") if p.parent == root)
        elif path.parent == root:
            found.add(path)
    return sorted(found)


def read_entry(path: Path, shown: str, project: Project) -> tuple[RawEntry | None, list[Diagnostic]]:
    name = path.name[:-3]
    slug, _, lang = name.rpartition(".")
    if not slug or not SLUG_RE.fullmatch(slug):
        return None, [Diagnostic(shown, 1, 1, Rule.FILENAME, f"file name {path.name!r} is not <slug>.<lang>.md",
                                 f"use a lowercase ASCII slug with hyphens and a language suffix, e.g. "
                                 f"neural-network.{project.languages[0]}.md")]
    if lang not in project.languages:
        hint = did_you_mean(lang, project.languages) or f"configured languages: {', '.join(project.languages)}"
        return None, [Diagnostic(shown, 1, 1, Rule.UNKNOWN_LANGUAGE, f"language {lang!r} is not configured", hint)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(shown, 1, 1, Rule.ENCODING, f"cannot read the file: {exc.strerror}")]
    text, problems = decode(raw, shown)
    if text is None:
        return None, problems
    return validate(split(text, shown), slug, lang)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Loading allocates many long-lived containers; each generation-2 pass would walk all of
    them again, which made collection a third of the run on 30,000 files. Nothing built here
    forms reference cycles, so pausing frees nothing later than it otherwise would.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_glossary(project: Project) -> LoadResult:
    """Parse and merge every entry. Raises GlossaryError only for unusable configuration."""
    with gc_paused():
        return _load(project)


def _load(project: Project) -> LoadResult:
    categories = load_categories(project)
    diagnostics: list[Diagnostic] = []
    entries: dict[tuple[str, str], RawEntry] = {}
    files = entry_files(project)
    for path in files:
        entry, problems = read_entry(path, project.rel(path), project)
        diagnostics.extend(problems)
        if entry is not None:
            entries[(entry.slug, entry.lang)] = entry
    terms, merge_problems = _merge(entries, project.languages, categories)
    diagnostics.extend(merge_problems)
    aliases, alias_problems = _aliases(terms, entries, project.languages)
    diagnostics.extend(alias_problems)
    glossary = Glossary(project.languages, categories, terms, aliases)
    diagnostics.extend(_resolve_related(glossary, entries))
    return LoadResult(_with_resolved_related(glossary), entries, diagnostics, len(files))


def _diag(entry: RawEntry, key: tuple[str | int, ...], rule: Rule, message: str, hint: str = "") -> Diagnostic:
    line, col = entry.position(*key)
    return Diagnostic(entry.path, line, col, rule, message, hint)


def _merge(entries: dict[tuple[str, str], RawEntry], languages: tuple[str, ...],
           categories: dict[str, Category]) -> tuple[dict[str, Term], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    by_slug: dict[str, list[RawEntry]] = {}
    order = {lang: i for i, lang in enumerate(languages)}
    for entry in entries.values():
        by_slug.setdefault(entry.slug, []).append(entry)
    label_index = {cid.casefold(): cid for cid in categories}
    for cid, spec in categories.items():
        for label in spec.labels.values():
            label_index.setdefault(label.casefold(), cid)
    terms: dict[str, Term] = {}
    for slug, group in by_slug.items():
        group.sort(key=lambda e: order[e.lang])
        neutral: dict[str, object] = {}
        origin: dict[str, RawEntry] = {}
        for entry in group:
            for name in NEUTRAL_FIELDS:
                if name not in entry.neutral:
                    continue
                if name not in neutral:
                    neutral[name], origin[name] = entry.neutral[name], entry
                elif neutral[name] != entry.neutral[name]:
                    first = origin[name]
                    diagnostics.append(_diag(
                        entry, (name,), Rule.TRANSLATION_CONFLICT,
                        f"'{name}' differs from the value in {Path(first.path).name}",
                        f"language-neutral fields are written once; remove '{name}' here"))
        head = group[0]
        category_name = neutral.get("category")
        if not isinstance(category_name, str) and any("category" in e.refused for e in group):
            category = ""  # the parser refused the value and said so
        elif not isinstance(category_name, str):
            diagnostics.append(Diagnostic(head.path, 1, 1, Rule.NO_NEUTRAL_FIELDS,
                                          f"no file of '{slug}' gives its category",
                                          f"add 'category:' to one language's file (known: {', '.join(categories)})"))
            category = ""
        else:
            assert isinstance(category_name, str)
            found = label_index.get(category_name.casefold())
            if found is None:
                labels = [c for c in categories] + [lb for c in categories.values() for lb in c.labels.values()]
                hint = did_you_mean(category_name, labels) or f"known categories: {', '.join(categories)}"
                diagnostics.append(_diag(origin["category"], ("category",), Rule.UNKNOWN_CATEGORY,
                                         f"unknown category {category_name!r}", hint))
            category = found or ""
        terms[slug] = Term(
            slug=slug,
            category=category,
            sources=tuple(neutral.get("sources", ())),  # type: ignore[arg-type]
            related=tuple(neutral.get("related", ())),  # type: ignore[arg-type]
            aliases=tuple(neutral.get("aliases", ())),  # type: ignore[arg-type]
            examples=tuple(neutral.get("examples", ())),  # type: ignore[arg-type]
            translations={e.lang: Translation(slug, e.lang, e.title, e.body, e.path, e.body_line) for e in group},
        )
    return terms, diagnostics


def _neutral_entry(term: Term, field: str, entries: dict[tuple[str, str], RawEntry],
                   languages: tuple[str, ...]) -> RawEntry:
    """The file that gave a term's neutral field (for positions)."""
    candidates = [entries[(term.slug, lang)] for lang in languages if (term.slug, lang) in entries]
    for entry in candidates:
        if field in entry.neutral:
            return entry
    return candidates[0]


def _aliases(terms: dict[str, Term], entries: dict[tuple[str, str], RawEntry],
             languages: tuple[str, ...]) -> tuple[dict[str, str], list[Diagnostic]]:
    aliases: dict[str, str] = {}
    diagnostics = []
    for slug in sorted(terms):
        term = terms[slug]
        for i, alias in enumerate(term.aliases):
            other = alias if alias in terms else aliases.get(alias)
            if other is not None and other != slug or alias == slug:
                entry = _neutral_entry(term, "aliases", entries, languages)
                what = "the entry itself" if alias == slug else (
                    f"the slug of '{other}'" if alias in terms else f"already an alias of '{other}'")
                diagnostics.append(_diag(entry, ("aliases", i), Rule.ALIAS_CONFLICT,
                                         f"alias {alias!r} is {what}", "remove it or choose another spelling"))
                continue
            aliases[alias] = slug
    return aliases, diagnostics


def _resolve_related(glossary: Glossary, entries: dict[tuple[str, str], RawEntry]) -> list[Diagnostic]:
    diagnostics = []
    names = [*glossary.terms, *glossary.aliases]
    for slug, term in glossary.terms.items():
        for i, name in enumerate(term.related):
            target = glossary.resolve(name)
            if target is None or target == slug:
                entry = _neutral_entry(term, "related", entries, glossary.languages)
                if target == slug:
                    diagnostics.append(_diag(entry, ("related", i), Rule.SELF_RELATED,
                                             f"'{slug}' lists itself as related", "remove it"))
                else:
                    hint = did_you_mean(name, names) or "write the slug of an existing entry, or add an alias"
                    diagnostics.append(_diag(entry, ("related", i), Rule.UNRESOLVED_RELATED,
                                             f"related term {name!r} does not exist", hint))
    return diagnostics


def _with_resolved_related(glossary: Glossary) -> Glossary:
    """Replace related names (slugs or aliases) by slugs, dropping unresolved and duplicates."""
    terms = {}
    for slug, term in glossary.terms.items():
        resolved: list[str] = []
        for name in term.related:
            target = glossary.resolve(name)
            if target and target != slug and target not in resolved:
                resolved.append(target)
        terms[slug] = Term(term.slug, term.category, term.sources, tuple(resolved), term.aliases,
                           term.examples, term.translations)
    return Glossary(glossary.languages, glossary.categories, terms, glossary.aliases)
