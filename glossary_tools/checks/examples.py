"""Examples referenced by entries exist in the examples folder."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult, origin_entry
from ..project import Project
from ..suggest import Suggester


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    names = project.example_names()
    known, suggest = set(names), Suggester(names)
    diagnostics = []
    for term in loaded.glossary.terms.values():
        for i, name in enumerate(term.examples):
            if name in known:
                continue
            line, col = origin_entry(loaded, term, "examples").position("examples", i)
            hint = suggest.hint(name) or f"add examples/{name}.py or remove it from 'examples'"
            diagnostics.append(Diagnostic(origin_entry(loaded, term, "examples").path, line, col,
                                          Rule.MISSING_EXAMPLE, f"example {name!r} does not exist", hint))
    return diagnostics
