"""What ``glossary serve`` keeps of a full build to re-render single entry pages afterwards.

A full build leaves, per language, the files, navigation and template environment MkDocs used;
an edit that changes only the text of existing entries re-renders those entries' pages through
MkDocs' own page steps (so every plugin's page events run as in a full build). Anything that
changes what other pages show (titles, categories, aliases, relations, sources, examples, the
set of files, translation staleness) needs a full build instead.
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from ..loader import LoadResult
from ..schema import entry_slug
from ..translations import Stale


@dataclass
class View:
    """One language's build: MkDocs' files, navigation and template environment."""

    files: Any = None
    nav: Any = None
    env: Any = None
    pages: dict[str, list[Any]] = field(default_factory=dict)  # entry file -> the pages made from it


def shape(loaded: LoadResult, stale: dict[tuple[str, str], Stale]) -> Hashable:
    """Everything about the glossary that pages other than an entry's own show."""
    glossary = loaded.glossary
    return (glossary.languages, tuple(glossary.categories.items()), tuple(glossary.aliases.items()),
            tuple((slug, term.category, term.related, term.aliases, term.examples, term.sources,
                   tuple((lang, tr.title, tr.sources) for lang, tr in term.translations.items()))
                  for slug, term in glossary.terms.items()),
            tuple(sorted(stale)))


def index_pages(view: View, languages: tuple[str, ...]) -> None:
    """Entry pages by the file they are made from (a language without its own file uses another's)."""
    view.pages = {}
    for file in view.files.documentation_pages():
        if file.page is not None and file.abs_src_path and entry_slug(file.src_uri, languages) is not None:
            view.pages.setdefault(os.path.normpath(file.abs_src_path), []).append(file.page)


def entry_changes(before: dict[str, Any], after: dict[str, Any], glossary_dir: str,
                  languages: tuple[str, ...]) -> set[str] | None:
    """The files that changed, if they are all existing entry files; else None."""
    if before.keys() != after.keys():
        return None
    changed = set()
    for path, stamp in after.items():
        if before[path] == stamp:
            continue
        name = os.path.basename(path)
        slug = entry_slug(f"glossary/{name}", languages) if os.path.dirname(path) == glossary_dir else None
        if slug is None:
            return None
        changed.add(path)
    return changed
