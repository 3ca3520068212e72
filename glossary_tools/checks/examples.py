"""Examples referenced by entries exist in the examples folder; their prose's formulas can be shown."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..body import mask_code
from ..diagnostics import Diagnostic, Rule, line_col
from ..frontmatter import MAX_FILE_BYTES
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
    return diagnostics + math_problems(project)


_CELL_RE = re.compile(r"^# %%(.*)$")


def _markdown_cells(script: str) -> Iterator[tuple[list[int], str]]:
    """Each Markdown cell of a jupytext percent script: the script line of each of its lines, and
    its text (the lines without their '# ')."""
    lines: list[int] | None = None
    texts: list[str] = []
    for number, line in enumerate(script.split("\n"), 1):
        marker = _CELL_RE.match(line)
        if marker:
            if lines:
                yield lines, "\n".join(texts)
            lines, texts = ([], []) if "[markdown]" in marker.group(1) else (None, [])
        elif lines is not None:
            lines.append(number)
            texts.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
    if lines:
        yield lines, "\n".join(texts)


def math_problems(project: Project) -> list[Diagnostic]:
    """Formulas in the examples' Markdown cells that cannot be shown (as in entries: math-syntax),
    at their line in the script."""
    from ..math import MathError, formula_at, to_mathml

    found = []
    for name in project.example_names():
        path = project.examples.directory / f"{name}.py"
        try:
            script = path.read_bytes()[:MAX_FILE_BYTES].decode("utf-8", "replace")
        except OSError:
            continue
        for numbers, text in _markdown_cells(script):
            masked, at = mask_code(text), 0
            memo: dict[str, tuple[int, int, int]] = {}
            while True:
                at = min((i for i in (masked.find("$", at), masked.find("\\(", at), masked.find("\\[", at)) if i >= 0),
                         default=-1)
                if at < 0:
                    break
                formula = formula_at(masked, at, memo)
                if formula is None:
                    at += 2 if masked.startswith("$$", at) else 1
                    continue
                try:
                    to_mathml(formula.tex, formula.display)
                except MathError as exc:
                    line, col = line_col(masked, at)
                    found.append(Diagnostic(project.rel(path), numbers[line], col + 2, Rule.MATH_SYNTAX,
                                            f"this formula cannot be shown: {exc}",
                                            "write LaTeX that latex2mathml knows (\\frac, \\sum, \\sqrt, "
                                            "\\mathrm, ...); a literal dollar sign is \\$"))
                at = formula.end
    return found
