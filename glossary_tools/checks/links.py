"""Links and anchors between entries, [n] source references, unsafe HTML in bodies."""

from __future__ import annotations

import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from .. import body as md
from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult
from ..model import Glossary
from ..project import Project
from ..schema import did_you_mean

_EXTERNAL = ("http://", "https://", "mailto:", "ftp://", "//")
_SIBLING_RE = re.compile(r"([a-z0-9-]+)\.md(?:#([\w-]+))?")


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    glossary = loaded.glossary
    docs = project.docs_dir.resolve()

    @cache
    def anchors_of(slug: str, lang: str) -> frozenset[str]:
        return frozenset(md.anchors(glossary.terms[slug].in_language(lang, glossary.default_language).body))

    diagnostics: list[Diagnostic] = []
    for slug, term in glossary.terms.items():
        sources = len(term.sources)
        for tr in term.translations.values():
            masked = md.mask_code(tr.body)
            problems: list[tuple[md.Found, Rule, str, str]] = []
            for ref in md.source_refs(tr.body, masked):
                n = int(ref.value)
                if not 1 <= n <= sources:
                    have = f"the entry has {sources} source{'s' if sources != 1 else ''}"
                    problems.append((ref, Rule.SOURCE_REF, f"[{n}] refers to no source ({have})",
                                     "add the source under 'sources' or fix the number"))
            for bad in md.unsafe_html(tr.body, masked):
                problems.append((bad, Rule.UNSAFE_HTML, f"unsafe HTML {bad.value.strip()!r} in the body",
                                 "remove scripts, frames and on* handlers; write Markdown instead"))
            for link in md.links(tr.body, masked):
                problem = _check_link(link.value, slug, tr.lang, glossary, docs, anchors_of)
                if problem:
                    problems.append((link, *problem))
            for found, rule, message, hint in problems:
                line, col = found.position(masked)
                diagnostics.append(Diagnostic(tr.path, tr.body_line + line, col, rule, message, hint))
    return diagnostics


def _check_link(target: str, slug: str, lang: str, glossary: Glossary, docs: Path,
                anchors_of: object) -> tuple[Rule, str, str] | None:
    if target.lower().startswith(_EXTERNAL):
        return None
    simple = _SIBLING_RE.fullmatch(target)
    if simple and simple.group(1) in glossary.terms:  # the common case: a link to another entry
        anchor = simple.group(2)
        if not anchor or anchor in anchors_of(simple.group(1), lang):  # type: ignore[operator]
            return None
    if ":" in target.split("/", 1)[0]:
        scheme = target.split(":", 1)[0]
        return Rule.BROKEN_LINK, f"link scheme {scheme!r}: is not allowed", "link to entries by file name"
    path, _, anchor = unquote(target).partition("#")
    if not path:
        target_slug: str | None = slug
    else:
        joined = posixpath.normpath(posixpath.join("glossary", path))
        if joined.startswith("../") or joined.startswith("/") or path.startswith("/"):
            return Rule.BROKEN_LINK, f"link {target!r} leaves the content folder", "link to entries by file name"
        directory, name = posixpath.split(joined)
        if not name.endswith(".md"):
            return _check_asset(target, joined, docs)
        stem = name[:-3]
        base, _, suffix = stem.rpartition(".")
        if base and suffix in glossary.languages:
            stem = base
        if directory == "glossary":
            target_slug = stem if stem in glossary.terms else None
            if target_slug is None:
                guess = glossary.resolve(stem)
                hint = f"'{stem}' is an alias; link to {guess}.md" if guess else (
                    did_you_mean(stem, glossary.terms) or "link to an existing entry's <slug>.md")
                return Rule.BROKEN_LINK, f"link to missing entry {target!r}", hint
        else:
            candidates = [f"{directory}/{stem}.{lg}.md" for lg in glossary.languages] + [f"{directory}/{stem}.md"]
            if not any((docs / c).is_file() for c in candidates):
                return Rule.BROKEN_LINK, f"link to missing page {target!r}", "check the path"
            return None
    if anchor and target_slug is not None:
        known = anchors_of(target_slug, lang)  # type: ignore[operator]
        if anchor not in known:
            hint = did_you_mean(anchor, known) or (
                f"headings there: {', '.join(sorted(known))}" if known else "the target has no headings")
            return Rule.BROKEN_ANCHOR, f"no heading '#{anchor}' in {target_slug}", hint
    return None


def _check_asset(target: str, joined: str, docs: Path) -> tuple[Rule, str, str] | None:
    if (docs / joined).is_file():
        return None
    return Rule.BROKEN_LINK, f"link to missing file {target!r}", "check the path"
