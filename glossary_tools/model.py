"""The glossary's data model: frozen dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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


@dataclass(frozen=True, slots=True)
class Translation:
    """One language's file of a term."""

    slug: str
    lang: str
    title: str
    body: str
    path: str
    body_line: int


@dataclass(frozen=True, slots=True)
class Term:
    """A term with its language-neutral fields and its translations."""

    slug: str
    category: str
    sources: tuple[Source, ...]
    related: tuple[str, ...]
    aliases: tuple[str, ...]
    examples: tuple[str, ...]
    translations: Mapping[str, Translation]

    def in_language(self, lang: str, default_lang: str) -> Translation:
        """The translation for ``lang``, falling back to the default language, then any."""
        found = self.translations.get(lang) or self.translations.get(default_lang)
        return found or next(iter(self.translations.values()))


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

    def backlinks(self, slug: str) -> list[str]:
        return sorted(s for s, t in self.terms.items() if slug in t.related and s != slug)

    def title(self, slug: str, lang: str) -> str:
        return self.terms[slug].in_language(lang, self.default_language).title

    def sorted_slugs(self, lang: str, slugs: list[str] | None = None) -> list[str]:
        """Slugs ordered by their title in ``lang`` (case- and accent-insensitive)."""
        return sorted(self.terms if slugs is None else slugs,
                      key=lambda s: (sort_key(self.title(s, lang)), s))

    def in_category(self, category: str) -> list[str]:
        return [s for s, t in self.terms.items() if t.category == category]


def sort_key(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def initial(text: str) -> str:
    """The A-Z index letter of a title ('#' for anything that is not a letter)."""
    key = sort_key(text).lstrip()
    return key[0].upper() if key and key[0].isalpha() else "#"
