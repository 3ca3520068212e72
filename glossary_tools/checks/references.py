"""[n] in a body refers to the n-th source of that language's list."""

from __future__ import annotations

from .. import body as md
from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult
from ..project import Project


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for term in loaded.glossary.terms.values():
        for tr in term.translations.values():
            count = len(term.sources_of(tr))
            masked = loaded.masked(tr)
            for ref in md.source_refs(tr.body, masked):
                n = int(ref.value)
                if not 1 <= n <= count:
                    line, col = ref.position(masked)
                    have = f"the entry has {count} source{'s' if count != 1 else ''}"
                    diagnostics.append(Diagnostic(tr.path, tr.body_line + line, col, Rule.SOURCE_REF,
                                                  f"[{n}] refers to no source ({have})",
                                                  "add the source under 'sources' or fix the number"))
    return diagnostics
