"""The glossary's data model: frozen dataclasses, no I/O."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    labels: Mapping[str, str]
    descriptions: Mapping[str, str]

    def label(self, lang: str, default_lang: str) -> str:
        return self.labels.get(lang) or self.labels.get(default_lang) or self.id

    def description(self, lang: str, default_lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get(default_lang, "")


@dataclass(frozen=True, slots=True)
class Translation:
    """One language's file of a term."""

    slug: str
    lang: str
    title: str
    body: str
    path: str
    body_line: int
    sources: tuple[Source, ...] | None = None  # this language's own list, if it gives one


@dataclass(frozen=True, slots=True)
class Term:
    """A term with its language-neutral fields (as written) and its translations."""

    slug: str
    category: str  # the category id, or "" when none could be resolved (reported by the checks)
    sources: tuple[Source, ...]  # the default list: the default language's, else the first language's
    related: tuple[str, ...]  # slugs or aliases, as written
    aliases: tuple[str, ...]
    examples: tuple[str, ...]
    translations: Mapping[str, Translation]
    origins: Mapping[str, str] = field(default_factory=dict)  # neutral field -> language whose file gave it

    def in_language(self, lang: str, default_lang: str) -> Translation:
        """The translation for ``lang``, falling back to the default language, then any."""
        found = self.translations.get(lang) or self.translations.get(default_lang)
        return found or next(iter(self.translations.values()))

    def sources_of(self, translation: Translation) -> tuple[Source, ...]:
        """The sources a translation's ``[n]`` refer to: its own list, else the term's."""
        return self.sources if translation.sources is None else translation.sources


@dataclass(frozen=True)
class Glossary:
    languages: tuple[str, ...]  # the first is the default language
    categories: Mapping[str, Category]
    terms: Mapping[str, Term]
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def resolve(self, name: str) -> str | None:
        """The slug that ``name`` (a slug or an alias) refers to."""
        return name if name in self.terms else self.aliases.get(name)

    @cached_property
    def _links(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """Resolved related slugs and backlinks of every term, computed once in one pass."""
        related: dict[str, tuple[str, ...]] = {}
        backlinks: dict[str, list[str]] = {}
        for slug, term in self.terms.items():
            resolved: dict[str, None] = {}
            for name in term.related:
                target = self.resolve(name)
                if target is not None and target != slug:
                    resolved[target] = None
            related[slug] = tuple(resolved)
            for target in resolved:
                backlinks.setdefault(target, []).append(slug)
        return related, {slug: tuple(sorted(sources)) for slug, sources in backlinks.items()}

    def related(self, slug: str) -> tuple[str, ...]:
        """The terms ``slug`` lists as related, resolved to slugs (no duplicates, not itself)."""
        return self._links[0].get(slug, ())

    def backlinks(self, slug: str) -> tuple[str, ...]:
        """The terms that list ``slug`` as related, sorted by slug."""
        return self._links[1].get(slug, ())

    def title(self, slug: str, lang: str) -> str:
        return self.terms[slug].in_language(lang, self.default_language).title

    def sorted_slugs(self, lang: str, slugs: list[str] | tuple[str, ...] | None = None) -> list[str]:
        """Slugs ordered by their title in ``lang`` (case- and accent-insensitive)."""
        keys = self._sort_keys
        found = keys.get(lang)
        if found is None:
            found = keys[lang] = {s: (sort_key(self.title(s, lang)), s) for s in self.terms}
        return sorted(self.terms if slugs is None else slugs, key=found.__getitem__)

    @cached_property
    def _sort_keys(self) -> dict[str, dict[str, tuple[str, str]]]:
        """Per language, each slug's sort key (made once: every entry page sorts its neighbours)."""
        return {}

    @cached_property
    def _by_category(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for slug, term in self.terms.items():
            found.setdefault(term.category, []).append(slug)
        return found

    def in_category(self, category: str) -> list[str]:
        return list(self._by_category.get(category, ()))

    @cached_property
    def _example_users(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for slug, term in self.terms.items():
            for name in term.examples:
                found.setdefault(name, []).append(slug)
        return found

    def example_users(self, name: str) -> list[str]:
        """The terms that show the example ``name``."""
        return list(self._example_users.get(name, ()))


def sort_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def initial(text: str) -> str:
    """The A-Z index letter of a title ('#' for anything that is not a letter)."""
    key = sort_key(text).lstrip()
    return key[0].upper() if key and key[0].isalpha() else "#"
