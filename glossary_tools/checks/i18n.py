"""Translation coverage: every term in every configured language."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult
from ..project import Project


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    diagnostics = []
    for slug, term in loaded.glossary.terms.items():
        head = term.in_language(project.languages[0], project.languages[0])
        for lang in project.languages:
            if lang not in term.translations:
                name = project.language_names.get(lang, lang)
                diagnostics.append(Diagnostic(
                    head.path, 1, 1, Rule.MISSING_TRANSLATION, f"'{slug}' has no {name} ({lang}) translation",
                    f"create {slug}.{lang}.md (glossary new {slug} --lang {lang}); the site shows "
                    f"the {head.lang} text meanwhile"))
    return diagnostics
