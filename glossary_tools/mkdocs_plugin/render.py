"""Markdown pages rendered by one Markdown instance per configuration, reset between pages.

MkDocs (1.6) builds a new ``markdown.Markdown`` for every page: each of the site's extensions is
imported, instantiated and configured again (pymdownx.highlight deep-copies its defaults twice a
page), which is a tenth of a 3,000-page build. Python-Markdown supports reusing an instance
(``Markdown.reset()``, which every extension that keeps state between documents implements), so
pages are converted by one instance per language's configuration, with MkDocs' own per-page
processors (links made relative, anchors and title collected) registered afresh for each page.
The result is what ``Page.render`` gives; a test builds a site both ways and compares every file.

Only extensions known to reset cleanly are shared: a site that lists any other extension (or a
MkDocs other than 1.6) gets MkDocs' own rendering for every page, as does ``shared_markdown: false``.
"""

from __future__ import annotations

import logging
from typing import Any

import markdown
import mkdocs

# extensions whose state between documents is cleared by Markdown.reset() (or that keep none)
KNOWN = frozenset({
    *(f"{prefix}{name}" for prefix in ("", "markdown.extensions.") for name in (
        "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
        "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
        "wikilinks")),
    *(f"pymdownx.{name}" for name in (
        "betterem", "caret", "critic", "details", "emoji", "escapeall", "highlight", "inlinehilite", "keys",
        "magiclink", "mark", "saneheaders", "smartsymbols", "superfences", "tabbed", "tasklist", "tilde")),
    "glossary_tools.math",
})
_MAX_INSTANCES = 8  # configurations kept (one per language; serve's rebuilds may add a few)

try:  # MkDocs' own per-page processors (private: their use is limited to the version checked here)
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )
    from mkdocs.structure.pages import log as _page_log
    from mkdocs.structure.toc import get_toc

    _SUPPORTED = mkdocs.__version__.startswith("1.6.")
except ImportError:  # pragma: no cover - another MkDocs: its own rendering
    _SUPPORTED = False


def shareable(extensions: list[Any], configs: dict[str, Any] | None = None) -> bool:
    """Whether every extension in mkdocs.yml's list is one known to reset cleanly between pages."""
    if not _SUPPORTED:
        return False
    configs = configs or {}
    for ext in extensions:
        name = (ext if isinstance(ext, str) else type(ext).__module__).split(":", 1)[0]
        if name not in KNOWN:
            return False
        # footnotes' UNIQUE_IDS numbers each document its instance converts (fn:2-1 on every page
        # MkDocs renders, fn:3-1, fn:4-1, ... on a shared instance's pages)
        if _unique_footnotes(ext, name.rpartition(".")[2], configs):
            return False
    return True


def _unique_footnotes(ext: Any, short: str, configs: dict[str, Any]) -> bool:
    """Whether this extension is footnotes (or extra, which includes it) with UNIQUE_IDS on."""
    if short == "footnotes":
        if not isinstance(ext, str):
            return bool(ext.getConfig("UNIQUE_IDS"))
        options = configs.get(ext)
    elif short == "extra":
        given = configs.get(ext) if isinstance(ext, str) else ext.config
        options = given.get("footnotes") if isinstance(given, dict) else None
    else:
        return False
    return isinstance(options, dict) and bool(options.get("UNIQUE_IDS"))


def own_rendering(page: Any) -> bool:
    """Whether MkDocs' own ``Page.render`` would render this page: no plugin replaced it, for this
    page (mkdocs-jupyter does, for notebooks) or for every page."""
    method = type(page).render
    return ("render" not in vars(page) and getattr(method, "__module__", "") == "mkdocs.structure.pages"
            and getattr(method, "__qualname__", "") == "Page.render")


class SharedMarkdown:
    """``render(page, config, files)``: what ``Page.render`` does, with a reused Markdown instance."""

    def __init__(self) -> None:
        self._instances: dict[str, markdown.Markdown] = {}
        self.pages = 0  # rendered here (the build says how many, in verbose mode)

    def render(self, page: Any, config: Any, files: Any) -> None:
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        extensions, configs = config["markdown_extensions"], config["mdx_configs"] or {}
        key = repr((extensions, configs))  # per language: the plugin localizes toc's permalink title
        md = self._instances.get(key)
        if md is None:
            if len(self._instances) >= _MAX_INSTANCES:
                self._instances.clear()
            md = self._instances[key] = markdown.Markdown(extensions=extensions, extension_configs=configs)
        else:
            md.reset()
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)  # (each replaces the last page's processor of the same name)
        anchors = _ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = _RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        self.pages += 1
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if _page_log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors
