"""Stale translations: the source language's file changed after the translation was stamped."""

from __future__ import annotations

from pathlib import Path

from .. import git
from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult
from ..project import Project
from ..translations import stale_translations


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    diagnostics = []
    for (slug, lang), stale in sorted(stale_translations(loaded).items()):
        entry = stale.stamped
        line, col = entry.position("translated_from")
        source_lang = entry.translated_from[0] if entry.translated_from else "?"
        if stale.source is None:
            message = f"translated from {slug}.{source_lang}.md, which does not exist"
            hint = f"fix 'translated_from' (a configured language whose file exists: {', '.join(project.languages)})"
        else:
            # the date is a courtesy: only when the project is in git, and never a reason to fail
            changed = git.last_change(project.root, Path(project.root, stale.source.path))
            when = f" (last committed change {changed})" if changed else ""
            message = f"{Path(stale.source.path).name} changed after this translation was stamped{when}"
            hint = (f"update the translation (glossary translations diff {slug} --lang {lang} shows what "
                    f"changed), then run glossary translations stamp {slug} --lang {lang}")
        diagnostics.append(Diagnostic(entry.path, line, col, Rule.STALE_TRANSLATION, message, hint))
    return diagnostics
