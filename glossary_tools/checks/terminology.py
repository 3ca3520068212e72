"""Terminology: discouraged variants and English terms left untranslated (content/terminology.yml)."""

from __future__ import annotations

import functools

from ..diagnostics import Diagnostic, Rule, line_col
from ..loader import LoadResult
from ..model import Translation
from ..project import Project
from ..terminology import FILE_NAME, VARIANT, Terminology, load_terminology


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    terminology = load_terminology(project)
    if terminology is None:
        return []
    diagnostics: list[Diagnostic] = []
    for slug, term in loaded.glossary.terms.items():
        for tr in term.translations.values():
            diagnostics.extend(loaded.remember(("terminology", slug, tr.path, tr.lang, tr.body_line, tr.body),
                                               functools.partial(_scan, terminology, slug, tr, loaded)))
    return diagnostics


def _scan(terminology: Terminology, slug: str, tr: Translation, loaded: LoadResult) -> list[Diagnostic]:
    diagnostics = []
    masked = loaded.masked(tr)
    for hit in terminology.scan(tr.lang, slug, masked):
        line, col = line_col(masked, hit.offset)
        usage = hit.usage
        rule = Rule.TERMINOLOGY if usage.kind == VARIANT else Rule.UNTRANSLATED_TERM
        if rule is Rule.TERMINOLOGY:
            message = f"{hit.text!r} is discouraged: write {usage.preferred!r}"
        else:
            message = f"the English term {hit.text!r} is left untranslated: write {usage.preferred!r}"
        hint = (f"{FILE_NAME} ({usage.concept}) prefers {usage.preferred!r} in {tr.lang}; to mention the "
                f"word itself, italicise or quote it, or add this entry to the concept's allow_in")
        diagnostics.append(Diagnostic(tr.path, tr.body_line + line, col, rule, message, hint))
    return diagnostics
