"""Checks across the whole glossary: (Project, LoadResult) -> Diagnostics.

The loader reports only what keeps a file from becoming part of the model; every rule that
judges the model lives in one module here.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..loader import LoadResult
from ..project import Project
from . import examples, html, i18n, links, references, stale, terminology, terms

CHECKS = (terms, links, references, html, i18n, stale, terminology, examples)


def run_all(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    return [d for module in CHECKS for d in module.check(project, loaded)]
