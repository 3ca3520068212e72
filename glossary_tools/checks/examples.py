"""Examples referenced by entries exist in the examples folder."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult
from ..project import Project
from ..schema import did_you_mean


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    names = project.example_names()
    diagnostics = []
    for slug, term in loaded.glossary.terms.items():
        for i, name in enumerate(term.examples):
            if name in names:
                continue
            entry = next(e for (s, _), e in loaded.entries.items() if s == slug and "examples" in e.neutral)
            line, col = entry.position("examples", i)
            hint = did_you_mean(name, names) or f"add examples/{name}.py or remove it from 'examples'"
            diagnostics.append(Diagnostic(entry.path, line, col, Rule.MISSING_EXAMPLE,
                                          f"example {name!r} does not exist", hint))
    return diagnostics
