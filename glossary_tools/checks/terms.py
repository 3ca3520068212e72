"""Rules across one term's files: neutral fields, categories, aliases, related terms, sources."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult, category_index, origin_entry
from ..project import Project
from ..schema import NEUTRAL_FIELDS, RawEntry
from ..suggest import Suggester


def _at(entry: RawEntry, key: tuple[str | int, ...], rule: Rule, message: str, hint: str = "") -> Diagnostic:
    line, col = entry.position(*key)
    return Diagnostic(entry.path, line, col, rule, message, hint)


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    glossary = loaded.glossary
    names = category_index(dict(glossary.categories))
    category_names = Suggester([*glossary.categories, *(lb for c in glossary.categories.values()
                                                        for lb in c.labels.values())])
    term_names = Suggester([*glossary.terms, *glossary.aliases])
    claimed: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for slug in sorted(glossary.terms):
        term = glossary.terms[slug]
        entries = [loaded.entries[(slug, lang)] for lang in glossary.languages if lang in term.translations]
        # a translation that repeats a neutral field must repeat it exactly
        for name in NEUTRAL_FIELDS:
            if name not in term.origins:
                continue
            first = loaded.entries[(slug, term.origins[name])]
            for entry in entries:
                if entry is not first and name in entry.neutral and entry.neutral[name] != first.neutral[name]:
                    diagnostics.append(_at(entry, (name,), Rule.TRANSLATION_CONFLICT,
                                           f"'{name}' differs from the value in {Path(first.path).name}",
                                           f"language-neutral fields are written once; remove '{name}' here"))
        # the category
        if "category" in term.origins:
            written = loaded.entries[(slug, term.origins["category"])].neutral["category"]
            if written.casefold() not in names:
                hint = category_names.hint(written) or f"known categories: {', '.join(glossary.categories)}"
                diagnostics.append(_at(origin_entry(loaded, term, "category"), ("category",),
                                       Rule.UNKNOWN_CATEGORY, f"unknown category {written!r}", hint))
        elif not any("category" in e.refused for e in entries):  # a refused value was reported already
            diagnostics.append(Diagnostic(entries[0].path, 1, 1, Rule.NO_NEUTRAL_FIELDS,
                                          f"no file of '{slug}' gives its category",
                                          f"add 'category:' to one language's file "
                                          f"(known: {', '.join(glossary.categories)})"))
        # aliases: unique across the glossary, never a slug
        for i, alias in enumerate(term.aliases):
            other = alias if alias in glossary.terms else claimed.get(alias)
            if alias == slug or other is not None:
                what = "the entry itself" if alias == slug else (
                    f"the slug of '{other}'" if alias in glossary.terms else f"already an alias of '{other}'")
                diagnostics.append(_at(origin_entry(loaded, term, "aliases"), ("aliases", i), Rule.ALIAS_CONFLICT,
                                       f"alias {alias!r} is {what}", "remove it or choose another spelling"))
            else:
                claimed[alias] = slug
        # related terms resolve to another entry
        for i, name in enumerate(term.related):
            target = glossary.resolve(name)
            if target == slug:
                diagnostics.append(_at(origin_entry(loaded, term, "related"), ("related", i), Rule.SELF_RELATED,
                                       f"'{slug}' lists itself as related", "remove it"))
            elif target is None:
                hint = term_names.hint(name) or "write the slug of an existing entry, or add an alias"
                diagnostics.append(_at(origin_entry(loaded, term, "related"), ("related", i),
                                       Rule.UNRESOLVED_RELATED, f"related term {name!r} does not exist", hint))
        # a translation with its own sources keeps every URL the default list cites
        cited = {s.url for s in term.sources}
        for entry in entries:
            if entry.sources is None or "sources" not in term.origins or entry.lang == term.origins["sources"]:
                continue
            dropped = sorted(cited - {s.url for s in entry.sources})
            if dropped:
                diagnostics.append(_at(entry, ("sources",), Rule.TRANSLATION_SOURCES,
                                       f"the sources here drop {', '.join(dropped)}, cited by "
                                       f"{Path(loaded.entries[(slug, term.origins['sources'])].path).name}",
                                       "keep every source of the default language (translate its text, "
                                       "add local editions beside it)"))
    return diagnostics
