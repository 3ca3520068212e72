"""What the site's sanitizer would remove from a rendered body, and bodies too costly to render.

The body is rendered with the project's Markdown extensions and judged by the same allowlist the
site plugin applies to every page (glossary_tools.sanitize), so what the check reports is exactly
what the build would strip: no separate regex to fall out of step. Rendering is skipped for the
bodies that cannot produce anything to strip (no '<', '{', '&' and no link with a scheme other than
http, https or mailto), which is nearly all of them.

Every Markdown page the site publishes from the docs folder is judged, not only entries.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import body as md
from .. import sanitize
from ..diagnostics import Diagnostic, Rule, line_col
from ..files import MARKDOWN_SUFFIXES, UnsafeFile, read_capped
from ..frontmatter import MAX_FILE_BYTES, decode, split
from ..loader import LoadResult
from ..model import Translation
from ..project import Project

# a scheme-like word before ':' (the lookbehind keeps the scan linear: only word starts are tried)
_SCHEME_RE = re.compile(r"(?<![\w+.\-])([A-Za-z][\w+.\-]{0,30}):(?=\S)")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    renderer = _Renderer(project)
    diagnostics: list[Diagnostic] = []
    for term in loaded.glossary.terms.values():
        for tr in term.translations.values():
            diagnostics.extend(loaded.remember(("html", tr.path, tr.body_line, tr.body),
                                               functools.partial(_judged, tr, loaded, renderer)))
    diagnostics.extend(_other_pages(project, renderer, loaded))
    return diagnostics


def _judged(tr: Translation, loaded: LoadResult, renderer: _Renderer) -> list[Diagnostic]:
    return list(judge(tr.body, loaded.masked(tr), tr.path, tr.body_line, renderer))


def needs_rendering(masked: str) -> bool:
    """Whether the rendered body could hold anything the sanitizer removes."""
    if "<" in masked or "{" in masked or "&" in masked:
        return True
    if "$" in masked or ("\\" in masked and ("\\(" in masked or "\\[" in masked)):  # formulas: judged as rendered
        return True
    colon = masked.find(":")
    while colon >= 0:  # most bodies have no colon or a few: look only at the word before each
        start = max(0, colon - 40)
        match = _SCHEME_RE.search(masked, start, colon + 2)
        while match and match.end() <= colon:
            match = _SCHEME_RE.search(masked, match.end(), colon + 2)
        if match and match.group(1).lower() not in _SAFE_SCHEMES:
            return True
        colon = masked.find(":", colon + 1)
    return False


def _count(text: str, sub: str) -> int:
    """``text.count(sub)``, answered at memchr speed when its first character is absent (the usual case:
    counting, or looking for more than one character, scans the whole body at a slower pace)."""
    return text.count(sub) if sub[0] in text else 0


def judge(body: str, masked: str, path: str, body_line: int, renderer: _Renderer) -> Iterator[Diagnostic]:
    # each opener or line rescans at most the whole body, each heading at most every heading: when even that
    # bound is within the budget (nearly every body), the exact estimate is not needed
    angles = _count(masked, "<")
    openers = _count(masked, "[") + angles + _count(masked, "{") + masked.count("\n") + 1
    headings = _count(masked, "#")
    bounded = (openers * len(masked) + headings * headings <= md.RENDER_BUDGET
               and _count(masked, "\\") <= 64 and angles <= 64 and _count(masked, "&") <= 64
               and _count(body, "`") + _count(body, "~~~") <= 64 and not md.too_deep(masked))
    cost, at = (0, 0) if bounded else md.render_cost(masked, body)
    if cost > md.RENDER_BUDGET:
        deep = md.DEEP_NESTING_RE.search(masked)
        line, col = line_col(masked, deep.start() if deep else at)
        yield Diagnostic(path, body_line + line, col, Rule.BODY_COMPLEXITY,
                         "this line nests more than 40 lists or quotes (Markdown would run out of recursion)"
                         if deep else f"rendering this body would rescan about {cost:,} characters "
                         f"(the limit is {md.RENDER_BUDGET:,})",
                         "close the '[', '<', '(', '{' and HTML elements you open, split long paragraphs, give "
                         "repeated headings distinct names, nest less, escape fewer characters")
        return
    if not needs_rendering(masked):
        return
    cursor = 0
    rendered = renderer.render(body)
    yield from _math_errors(masked, path, body_line, renderer)
    for finding in [*sanitize.findings(rendered), *renderer.toc_label_findings()]:
        offset = _locate(masked, finding.evidence, cursor)
        cursor = offset + 1 if offset >= 0 else cursor  # the next finding of the same kind is further on
        line, col = line_col(masked, max(offset, 0))
        yield Diagnostic(path, body_line + line, col, Rule.UNSAFE_HTML,
                         f"the site's sanitizer removes the {finding.describe()}",
                         "write Markdown instead; links may use http, https, mailto or a relative path, "
                         "and {: } attribute lists may set only id, class and title")


def _math_errors(masked: str, path: str, body_line: int, renderer: _Renderer) -> Iterator[Diagnostic]:
    """Formulas the math extension could not convert, at their opening delimiter in the source: the
    first occurrence of the formula's first line not already given to another (display blocks are
    converted before the paragraphs' inline formulas, so the errors do not come in source order)."""
    used: set[int] = set()
    for formula, message in renderer.math_errors():
        first_line = formula.source.split("\n", 1)[0]
        offset = masked.find(first_line)
        while offset in used:
            offset = masked.find(first_line, offset + 1)
        if offset < 0:
            offset = max(masked.find(formula.opener), 0)
        used.add(offset)
        line, col = line_col(masked, offset)
        yield Diagnostic(path, body_line + line, col, Rule.MATH_SYNTAX, f"this formula cannot be shown: {message}",
                         "write LaTeX that latex2mathml knows (\\frac, \\sum, \\sqrt, \\mathrm, ...); a literal "
                         "dollar sign is \\$")


def _locate(masked: str, evidence: list[str], cursor: int) -> int:
    """Where the cause most likely is in the source: the first evidence found after ``cursor``,
    else anywhere (case-insensitive); -1 when none is found."""
    lowered = None
    for text in evidence:
        for start in (cursor, 0):
            found = masked.find(text, start)
            if found >= 0:
                return found
        lowered = lowered or masked.lower()
        found = lowered.find(text.lower())
        if found >= 0:
            return found
    return -1


class _Renderer:
    """Python-Markdown with the project's extensions (those that load), reused across bodies."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._md: Any = None

    def render(self, text: str) -> str:
        if self._md is None:
            self._md = _markdown(self.project)
        self._md.reset()
        try:
            return str(self._md.convert(text))
        except Exception:  # noqa: BLE001 - an extension failing on odd input: judge the raw text instead
            return text

    def math_errors(self) -> list[tuple[Any, str]]:
        """The formulas of the last rendered body that could not be converted, in order."""
        return list(getattr(self._md, "glossary_math_errors", None) or [])

    def toc_label_findings(self) -> list[sanitize.Finding]:
        """toc's data-toc-label leaves the HTML for the table of contents, where it would be markup."""
        found: list[sanitize.Finding] = []
        stack = list(getattr(self._md, "toc_tokens", None) or [])
        while stack:
            token = stack.pop(0)
            label = token.get("data-toc-label") or ""
            if "<" in label:
                found.append(sanitize.Finding(f"h{token.get('level', 1)}", "data-toc-label", label))
            stack.extend(token.get("children") or [])
        return found


def _markdown(project: Project) -> Any:
    import markdown

    usable: dict[str, dict[str, object]] = {}
    for name, options in project.markdown_extensions or (("attr_list", {}), ("md_in_html", {})):
        for attempt in (options, {}):
            try:
                markdown.Markdown(extensions=[name], extension_configs={name: attempt})
            except Exception:  # noqa: BLE001, S112 - an extension we cannot load or configure here
                continue
            usable[name] = attempt
            break
    from ..math import NAME, wanted

    if wanted(list(usable)):  # as the site plugin adds it
        usable[NAME] = {}
    return markdown.Markdown(extensions=list(usable), extension_configs=usable)


def _other_pages(project: Project, renderer: _Renderer, loaded: LoadResult) -> Iterator[Diagnostic]:
    """Everything else the site would publish from the docs folder: pages beside the entries (index
    pages, guides, sub-folders) judged like entries, their front matter, and every other file by the
    rules the build publishes with (site.publish_problem)."""
    from ..site import PAGE_META, publish_problem

    docs = project.docs_dir
    if not docs.is_dir():
        return
    glossary = os.fspath(project.glossary_dir)
    for folder, dirs, names in os.walk(docs):  # does not follow linked folders; they are reported
        dirs.sort()
        for name in [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            yield Diagnostic(project.rel(Path(folder) / name), 1, 1, Rule.UNSAFE_FILE,
                             f"the folder {name!r} is a link; MkDocs would publish what it leads to",
                             "copy the files in, or remove the link")
        for name in sorted(names):
            lowered = name.lower()
            if folder == glossary and lowered.endswith(MARKDOWN_SUFFIXES):
                if not name.endswith(".md"):
                    yield Diagnostic(project.rel(Path(folder) / name), 1, 1, Rule.FILENAME,
                                     f"entry file {name!r} does not end in '.md'", "rename it to <slug>.<lang>.md")
                continue  # entries: the loader reads and reports them
            path = Path(folder) / name
            if lowered.endswith(MARKDOWN_SUFFIXES):
                judged = functools.partial(_page, project, path, renderer, PAGE_META)
                yield from (judged() if loaded.reuse is None
                            else loaded.reuse.file("page", os.path.normpath(path), project.root, judged))
                continue
            why = publish_problem(path, project)  # (the same rule the build publishes with)
            if why:
                yield Diagnostic(project.rel(path), 1, 1, Rule.UNSAFE_FILE, f"the file {why}",
                                 "remove it, or keep it outside the docs folder")


def _page(project: Project, path: Path, renderer: _Renderer, allowed: frozenset[str]) -> list[Diagnostic]:
    shown = project.rel(path)
    try:
        raw = read_capped(path, project.root, MAX_FILE_BYTES)
    except UnsafeFile as exc:
        return [Diagnostic(shown, 1, 1, Rule.UNSAFE_FILE, f"the page {exc}",
                           "pages are regular files inside the project; remove or replace it")]
    text, problems = decode(raw, shown)
    if text is None:
        return problems
    found = []
    body, body_line = text, 1
    if text.startswith("---"):
        parsed = split(text, shown)
        if parsed.body or parsed.body_line > 1:
            body, body_line = parsed.body, parsed.body_line
        for key in parsed.data or {}:
            if key not in allowed:
                line, col = parsed.position(key, "#key")
                found.append(Diagnostic(shown, line, col, Rule.UNKNOWN_FIELD,
                                        f"the site does not pass {key!r} to the theme (a page may not choose its "
                                        "template or scripts)", f"fields a page may give: {', '.join(sorted(allowed))}"))
    return [*found, *judge(body, md.mask_code(body), shown, body_line, renderer)]
