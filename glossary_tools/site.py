"""The site's shape, independent of MkDocs: URLs per language, the generated pages, what may be
published. The MkDocs plugin only maps its events onto these.
"""

from __future__ import annotations

import html as html_lib
import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from . import graph, pages
from .files import Stamp, UnsafeFile, check_file, stamp
from .labels import label
from .loader import LoadResult
from .project import Project
from .schema import entry_slug


@dataclass(frozen=True)
class Layout:
    """The default language lives at the site root, every other under ``<lang>/`` (static-i18n's rule)."""

    languages: tuple[str, ...]

    @property
    def default(self) -> str:
        return self.languages[0]

    def prefix(self, lang: str) -> str:
        return "" if lang == self.default else f"{lang}/"

    def path(self, lang: str, site_path: str) -> str:
        """``site_path`` (relative to a language's root) as a path from the site root."""
        return self.prefix(lang) + site_path

    def within(self, lang: str, site_path: str) -> str:
        """A path from the site root, relative to ``lang``'s root (the inverse of ``path``)."""
        prefix = self.prefix(lang)
        return site_path[len(prefix):] if prefix and site_path.startswith(prefix) else site_path

    def language_of(self, site_path: str) -> str:
        return next((lg for lg in self.languages[1:] if site_path.startswith(f"{lg}/")), self.default)


@dataclass(frozen=True)
class Generated:
    """A page the plugin adds: its title (text) and its Markdown, made once the page's URL is known."""

    title: str
    markdown: Callable[[pages.Url], str]


def generated_pages(loaded: LoadResult, lang: str, language_names: dict[str, str], example_names: list[str],
                    stale: Collection[tuple[str, str]], overview: graph.Overview | None = None,
                    descriptions: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Generated]:
    """The pages the plugin adds for ``lang``, by source path (``overview``: the term graph's
    aggregation, computed once per build by the caller; ``descriptions``: each example's one line
    per language)."""
    glossary = loaded.glossary
    found = {
        "glossary/index.md": Generated(label(lang, "index_title"), partial(pages.index_markdown, glossary, lang)),
        "glossary/categories.md": Generated(label(lang, "categories_title"),
                                            partial(pages.categories_markdown, glossary, lang)),
        "glossary/graph.md": Generated(label(lang, "graph_title"),
                                       partial(graph.overview_markdown, overview or graph.Overview(glossary), lang)),
    }
    if len(glossary.languages) > 1:
        found["glossary/translations.md"] = Generated(
            label(lang, "status_title"),
            partial(pages.translations_markdown, glossary, lang, language_names, stale=stale))
    if example_names:
        found["examples.md"] = Generated(label(lang, "examples_title"),
                                         partial(pages.examples_markdown, glossary, lang, example_names,
                                                 descriptions=descriptions))
    for cid, category in glossary.categories.items():
        found[f"glossary/category/{cid}.md"] = Generated(category.label(lang, glossary.default_language),
                                                         partial(pages.category_markdown, glossary, cid, lang))
    return found


def listed_in_navigation(src_uri: str, languages: tuple[str, ...]) -> bool:
    """Entries and category pages stay out of an automatic navigation (it would be quadratic)."""
    return entry_slug(src_uri, languages) is None and not src_uri.startswith("glossary/category/")


def snapshot(docs_dir: Path) -> dict[str, Stamp]:
    """Every file under ``docs_dir`` as the check saw it: path -> its stamp (``files.stamp``)."""
    found: dict[str, Stamp] = {}
    for folder, _, names in os.walk(docs_dir):
        for name in names:
            path = os.path.join(folder, name)
            try:
                found[os.path.normpath(path)] = stamp(path)
            except OSError:
                continue
    return found


def stamps(paths: Iterable[str]) -> dict[str, Stamp]:
    """``snapshot`` of each folder and the stamp of each file among ``paths`` (missing ones left out)."""
    found: dict[str, Stamp] = {}
    for path in paths:
        if os.path.isdir(path):
            found.update(snapshot(Path(path)))
        else:
            try:
                found[os.path.normpath(path)] = stamp(path)
            except OSError:
                continue
    return found


# files a browser runs script from when opened directly; SVG is published only without script
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".js", ".mjs")
_SVG_SCRIPT_RE = re.compile(r"<\s*(?:script|foreignobject|iframe|embed|object|handler)\b|\son[a-z]+\s*=|"
                            r"(?:href|src)\s*=\s*[\"']?\s*(?!https?:|#|[./\w-]*(?:[\"'\s>]|$))", re.I)


def svg_problem(name: str, size: int, read: Callable[[], bytes]) -> str | None:
    """Why an SVG may not be published (it would run what it holds when opened), or None; ``read``
    is called only when the file is small enough to inspect."""
    if name.lower().endswith(".svgz") or size > _MAX_SVG:
        return "is an SVG that cannot be inspected (compressed or over 8 MiB)"
    if _SVG_SCRIPT_RE.search(html_lib.unescape(read().decode("utf-8", "replace"))):
        return "is an SVG with script, event handlers or links to other schemes"
    return None


_MAX_SVG = 8 * 1024 * 1024


def publish_problem(path: Path, project: Project) -> str | None:
    """Why a file under the docs folder must not be published (``the file ...``), or None.

    Only regular files inside the project (a symlinked asset pointing at /etc/passwd, a FIFO or a
    device is refused from ``stat`` alone); no HTML, XML or script files unless mkdocs.yml names them
    (extra_javascript, extra_css), and SVG only without script: opened directly, the browser would
    run what they hold."""
    try:
        info = check_file(path, project.root)
    except UnsafeFile as exc:
        return str(exc)
    name = path.name.lower()
    if name.endswith(ACTIVE_SUFFIXES) and not project.names_in_config(path):
        return "is HTML, XML or script, which would run in the site's origin (only such files that " \
               "mkdocs.yml names, e.g. in extra_javascript, are published)"
    if name.endswith((".svg", ".svgz")):
        return svg_problem(name, info.st_size, path.read_bytes)
    return None


def refused(sources: Iterable[str], project: Project, checked: dict[str, Stamp]) -> dict[str, str]:
    """The files under the docs folder that must not be published, with why: what publish_problem
    refuses, and anything written or changed after the check (by an example, say), which would be
    published unchecked."""
    problems: dict[str, str] = {}
    docs = os.path.normpath(project.docs_dir)
    linked: dict[str, bool] = {}  # folder -> whether it or a folder above it (below docs) is a link
    for source in sources:
        path = os.path.normpath(source)
        if not path.startswith(docs + os.sep):
            continue
        problem = publish_problem(Path(path), project)
        why = f"the file {problem}" if problem else None
        if why is None and _in_linked_folder(path, docs, linked):
            why = "lies in a linked folder (a folder link is followed by MkDocs, not by the check)"
        if why is None:
            try:
                now: Stamp | None = stamp(path)
            except OSError:
                now = None
            if checked.get(path) != now:
                why = "was written or changed after 'glossary check' ran in this build (by an example?)"
        if why:
            problems[source] = f"{project.rel(path)}: {why}; it is not published"
    return problems


def _in_linked_folder(path: str, docs: str, known: dict[str, bool]) -> bool:
    """Whether a folder between ``docs`` and the file is a link (``known``: folders already asked)."""
    folder = os.path.dirname(path)
    if folder in known:
        return known[folder]
    found = len(folder) > len(docs) and (os.path.islink(folder)
                                         or _in_linked_folder(folder, docs, known))
    known[folder] = found
    return found


# front matter a content page may give the theme; the rest (template, location, ...) would let a
# page choose what the theme runs
PAGE_META = frozenset({"title", "description", "hide", "search", "status", "subtitle", "tags", "icon", "comments"})


def safe_meta(meta: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A content page's front matter with only the keys the theme may take, every text escaped;
    and the keys left out."""
    kept = {key: _escaped(value) for key, value in meta.items() if key in PAGE_META}
    return kept, sorted(str(key) for key in meta if key not in PAGE_META)


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return pages.esc(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


class ExampleBlocks:
    """Each example rendered once per language and URL base, its images collected for the build."""

    ASSETS = "assets/examples"

    def __init__(self, results: dict[str, object]) -> None:
        self.results = results
        self.images: dict[str, bytes] = {}
        self._rendered: dict[tuple[str, str, str, str], str] = {}

    def html(self, names: Iterable[str], lang: str, url: Callable[[str, str], str], default: str) -> str:
        from .notebooks.render import render

        blocks = []
        for name in names:
            notebook = getattr(self.results.get(name), "notebook", None)
            if notebook is None:
                continue
            # the notebook page of the page's own language (every language has one)
            key = (name, lang, url(default, self.ASSETS).rstrip("/"), url(lang, f"examples/{name}/"))
            if key not in self._rendered:
                rendered = render(notebook, name, lang, key[2], key[3], default)
                self.images.update(rendered.images)
                self._rendered[key] = rendered.html
            blocks.append(self._rendered[key])
        return "\n".join(blocks)

    def write_images(self, site_dir: Path) -> None:
        target = site_dir / self.ASSETS
        target.mkdir(parents=True, exist_ok=True)
        for name, data in self.images.items():
            if not (target / name).exists():
                (target / name).write_bytes(data)
