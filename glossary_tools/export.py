"""The glossary as JSON: ``site/glossary.json`` (every language) and ``site/glossary.<lang>.json``.

The shape is ``schemas/glossary.schema.json`` (JSON Schema draft 2020-12); a language's file has the
same shape with only that language. Texts are plain (not HTML); ``url`` is relative to the site's
root (``site_url`` gives the base when mkdocs.yml sets one).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .model import Glossary, Source
from .writer import atomic_write

VERSION = 1


def _sources(sources: tuple[Source, ...]) -> list[dict[str, str]]:
    return [{"text": s.text, "url": s.url} for s in sources]


def export(glossary: Glossary, languages: tuple[str, ...], path: Callable[[str, str], str],
           summary: Callable[[str, str], str], updated: Mapping[str, str | None], site_url: str | None = None
           ) -> dict[str, Any]:
    """The export for ``languages``. ``path(lang, "glossary/x/")`` is a page's path from the site root;
    ``summary(slug, lang)`` its first sentence; ``updated`` maps a translation's file (as in
    ``Translation.path``) to the date of its last commit."""
    default = glossary.default_language
    categories = [{"id": c.id, "label": {lg: c.label(lg, default) for lg in languages},
                   "description": {lg: c.description(lg, default) for lg in languages}}
                  for c in glossary.categories.values()]
    terms = []
    for slug in sorted(glossary.terms):
        term = glossary.terms[slug]
        category = glossary.categories.get(term.category)
        per_language = {}
        for lg in languages:
            tr = term.in_language(lg, default)
            per_language[lg] = {
                "title": tr.title,
                "translated": tr.lang == lg,
                "url": path(lg, f"glossary/{slug}/"),
                "summary": summary(slug, lg),
                "sources": _sources(term.sources_of(tr)),
                "last_updated": updated.get(tr.path),
            }
        terms.append({
            "slug": slug,
            "category": {"id": term.category,
                         "label": {lg: category.label(lg, default) if category else term.category
                                   for lg in languages}},
            "aliases": list(term.aliases),
            "related": list(glossary.related(slug)),
            "backlinks": list(glossary.backlinks(slug)),
            "examples": list(term.examples),
            "languages": per_language,
        })
    return {"version": VERSION, "site_url": site_url or None, "default_language": default,
            "languages": list(languages), "categories": categories, "terms": terms}


def write(site_dir: Path, glossary: Glossary, path: Callable[[str, str], str], summary: Callable[[str, str], str],
          updated: Mapping[str, str | None], site_url: str | None = None) -> list[Path]:
    """``glossary.json`` and one ``glossary.<lang>.json`` per language, at the site's root."""
    written = []
    targets = [("glossary.json", glossary.languages)] + [(f"glossary.{lg}.json", (lg,)) for lg in glossary.languages]
    for name, languages in targets:
        data = export(glossary, languages, path, summary, updated, site_url)
        target = site_dir / name
        atomic_write(target, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", force=True)
        written.append(target)
    return written
