"""Raw HTML in bodies that could run script."""

from __future__ import annotations

from .. import body as md
from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult
from ..project import Project


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for term in loaded.glossary.terms.values():
        for tr in term.translations.values():
            masked = loaded.masked(tr)
            for bad in md.unsafe_html(tr.body, masked):
                line, col = bad.position(masked)
                diagnostics.append(Diagnostic(tr.path, tr.body_line + line, col, Rule.UNSAFE_HTML,
                                              f"unsafe HTML {bad.value.strip()!r} in the body",
                                              "remove scripts, frames and on* handlers; write Markdown instead"))
    return diagnostics
