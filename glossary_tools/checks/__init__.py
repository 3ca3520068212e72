"""Checks across the whole glossary: Glossary -> Diagnostics."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..loader import LoadResult
from ..project import Project
from . import examples, i18n, links


def run_all(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    return [
        *links.check(project, loaded),
        *i18n.check(project, loaded),
        *examples.check(project, loaded),
    ]
