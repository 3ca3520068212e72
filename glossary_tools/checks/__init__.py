"""Checks across the whole glossary: (Project, LoadResult) -> Diagnostics.

The loader reports only what keeps a file from becoming part of the model; every rule that
judges the model lives in one module here.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..loader import LoadResult, Reuse, gc_paused, load_glossary
from ..project import Project
from . import examples, html, i18n, links, references, stale, terminology, terms

CHECKS = (terms, links, references, html, i18n, stale, terminology, examples)


def run_all(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    return [d for module in CHECKS for d in module.check(project, loaded)]


def check_glossary(project: Project, *, exiting: bool = False,
                   reuse: Reuse | None = None) -> tuple[LoadResult, list[Diagnostic]]:
    """Load every entry and run every check: what 'glossary check' does (its benchmark calls this too).

    ``exiting``: the caller exits soon after (a command), so what was loaded is frozen out of the
    garbage collector's reach instead of being walked again (see ``gc_paused``).
    ``reuse``: what the last check of this project read and found ('glossary serve' keeps one): an
    unchanged file is not read again, an unchanged text not judged again.
    """
    with gc_paused(freeze=exiting):
        try:
            loaded = load_glossary(project, reuse)
            return loaded, [*loaded.diagnostics, *run_all(project, loaded)]
        finally:
            if reuse is not None:
                reuse.done()
