"""Links and anchors between entries and to the site's files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from .. import body as md
from ..diagnostics import Diagnostic, Rule
from ..loader import LoadResult
from ..model import Glossary, Translation
from ..pages import generated_anchors
from ..project import Project
from ..suggest import Suggester

_EXTERNAL = ("http://", "https://", "mailto:", "ftp://", "//")
_SIBLING_RE = re.compile(r"([a-z0-9-]+)\.md(?:#([\w-]+))?")
# ids the page generator gives its own parts (pages.generated_anchors): only such a heading can collide
_MAY_BE_GENERATED = re.compile(r"sources|related|(?:source|example)-.+").fullmatch


def check(project: Project, loaded: LoadResult) -> list[Diagnostic]:
    glossary = loaded.glossary
    docs = project.docs_dir.resolve()
    slugs = Suggester(glossary.terms)

    @cache
    def generated_of(slug: str, lang: str) -> frozenset[str]:
        return generated_anchors(glossary, slug, lang)

    @cache
    def headings_of(slug: str, lang: str) -> tuple[md.Found, ...]:
        tr = glossary.terms[slug].in_language(lang, glossary.default_language)
        return tuple(md.headings(tr.body, loaded.masked(tr)))

    @cache
    def heading_ids(slug: str, lang: str) -> frozenset[str]:
        return frozenset(h.value for h in headings_of(slug, lang))

    @cache
    def anchors_of(slug: str, lang: str) -> frozenset[str]:
        return heading_ids(slug, lang) | generated_of(slug, lang)

    def has_anchor(slug: str, lang: str, anchor: str) -> bool:  # (most links name a heading)
        return anchor in heading_ids(slug, lang) or anchor in generated_of(slug, lang)

    @cache
    def anchor_names(slug: str, lang: str) -> Suggester:
        return Suggester(sorted(anchors_of(slug, lang)))

    diagnostics: list[Diagnostic] = []
    for slug, term in glossary.terms.items():
        for tr in term.translations.values():
            masked = loaded.masked(tr)
            headings = headings_of(slug, tr.lang)
            if any(_MAY_BE_GENERATED(h.value) for h in headings):
                diagnostics.extend(_collisions(tr, masked, headings, generated_of(slug, tr.lang)))
            for link in md.links(tr.body, masked):
                simple = _SIBLING_RE.fullmatch(link.value)  # the common case: a link to another entry
                if simple and simple.group(1) in glossary.terms and (
                        not simple.group(2) or has_anchor(simple.group(1), tr.lang, simple.group(2))):
                    continue
                problem = _check_link(link.value, slug, tr.lang, glossary, docs, anchors_of, anchor_names, slugs)
                if problem:
                    line, col = link.position(masked)
                    diagnostics.append(Diagnostic(tr.path, tr.body_line + line, col, *problem))
    return diagnostics


def _collisions(tr: Translation, masked: str, headings: tuple[md.Found, ...],
                generated: frozenset[str]) -> list[Diagnostic]:
    """A body heading whose id is also the id of a part the page generator adds (two equal ids)."""
    found = []
    for heading in headings:
        if heading.value in generated:
            line, col = heading.position(masked)
            found.append(Diagnostic(tr.path, tr.body_line + line, col, Rule.BROKEN_ANCHOR,
                                    f"the heading's id '#{heading.value}' is also the id of a part the site adds "
                                    "to the page", f"give the heading another id: {{#{heading.value}-1}}"))
    return found


def _check_link(target: str, slug: str, lang: str, glossary: Glossary, docs: Path,
                anchors_of: Callable[[str, str], frozenset[str]], anchor_names: Callable[[str, str], Suggester],
                slugs: Suggester) -> tuple[Rule, str, str] | None:
    if target.lower().startswith(_EXTERNAL):
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
                    slugs.hint(stem) or "link to an existing entry's <slug>.md")
                return Rule.BROKEN_LINK, f"link to missing entry {target!r}", hint
        else:
            candidates = [f"{directory}/{stem}.{lg}.md" for lg in glossary.languages] + [f"{directory}/{stem}.md"]
            if not any((docs / c).is_file() for c in candidates):
                return Rule.BROKEN_LINK, f"link to missing page {target!r}", "check the path"
            return None
    if anchor and target_slug is not None:
        known = anchors_of(target_slug, lang)
        if anchor not in known:
            hint = anchor_names(target_slug, lang).hint(anchor) or (
                f"headings there: {', '.join(sorted(known))}" if known else "the target has no headings")
            return Rule.BROKEN_ANCHOR, f"no heading '#{anchor}' in {target_slug}", hint
    return None


def _check_asset(target: str, joined: str, docs: Path) -> tuple[Rule, str, str] | None:
    if (docs / joined).is_file():
        return None
    return Rule.BROKEN_LINK, f"link to missing file {target!r}", "check the path"
