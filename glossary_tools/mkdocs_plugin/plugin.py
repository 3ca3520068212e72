"""MkDocs events only: load and check the glossary, run examples once, generate pages.

Runs beside mkdocs-static-i18n, which rebuilds the site once per language: everything
expensive happens once per process and is reused by the language builds.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .. import pages, sanitize
from ..checks import run_all
from ..diagnostics import GlossaryError, Report, Severity
from ..loader import LoadResult, load_glossary
from ..notebooks.render import render
from ..notebooks.runner import Summary, run_examples
from ..project import Project, load_project
from ..schema import entry_slug
from ..translations import stale_translations
from . import search
from .config import GlossaryConfig

log = logging.getLogger("mkdocs.plugins.glossary")
ASSETS = "assets/examples"


class GlossaryPlugin(BasePlugin[GlossaryConfig]):
    def __init__(self) -> None:
        self.project: Project | None = None
        self.loaded: LoadResult | None = None
        self.examples: Summary | None = None
        self.images: dict[str, bytes] = {}
        self.rendered: dict[tuple[str, str, str, str], str] = {}  # one rendering per example, language and URLs
        self.checked: dict[str, tuple[int, int]] = {}  # Markdown files the check read: path -> (mtime, size)

    # -- configuration: load, check and execute once --------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.loaded is None:
            self._load(config)
        return config

    def _load(self, config: MkDocsConfig) -> None:
        try:
            self.project = load_project(Path(config.config_file_path).parent, Path(config.config_file_path))
            self.loaded = load_glossary(self.project)
            report = Report(self.loaded.diagnostics)
            report.extend(run_all(self.project, self.loaded))  # terminology.yml may be unusable: a config error
        except GlossaryError as exc:
            raise PluginError(Report(exc.diagnostics).format_text()) from None
        for d in report:
            text = f"{d.path}:{d.line}:{d.column}: {d.level.value}[{d.rule.id}]: {d.message}"
            (log.error if d.level is Severity.ERROR else log.info)(text + (f" ({d.hint})" if d.hint else ""))
        if report.errors:
            raise PluginError(f"glossary: {len(report.errors)} errors in the entries (see above); "
                              "run 'glossary check' for details")
        self.checked = _markdown_snapshot(self.project.docs_dir)  # what the check saw
        if self.project.examples.execute and self.project.example_names():  # the option, unless GLOSSARY_EXECUTE=0
            self.examples = run_examples(self.project)
            print(self.examples.line(), flush=True)
            if self.examples.failures:
                raise PluginError("\n".join(["glossary: examples failed:", *self.examples.failures]))

    # -- files: generated pages for the language being built ------------------------------
    @event_priority(-150)  # after mkdocs-static-i18n (-100) has chosen each language's files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.loaded is not None and self.project is not None
        _refuse_unsafe_files(files, self.project, self.checked)
        glossary, lang = self.loaded.glossary, _current_language(config, self.loaded.glossary.languages)
        generated: dict[str, Callable[[pages.Url], str]] = {
            "glossary/index.md": partial(pages.index_markdown, glossary, lang),
            "glossary/categories.md": partial(pages.categories_markdown, glossary, lang),
            "glossary/translations.md": partial(pages.translations_markdown, glossary, lang, self._names,
                                                stale=stale_translations(self.loaded)),
        }
        if self._example_names:
            generated["examples.md"] = partial(pages.examples_markdown, glossary, lang, self._example_names)
        if len(glossary.languages) == 1:
            del generated["glossary/translations.md"]
        for cid in glossary.categories:
            generated[f"glossary/category/{cid}.md"] = partial(pages.category_markdown, glossary, cid, lang)
        self._generators = generated
        for src_uri in generated:
            files.append(self._generated_file(config, src_uri, lang, glossary.languages))
        if lang == glossary.default_language and self.examples:
            self._add_notebook_pages(files, config)
        return files

    def _generated_file(self, config: MkDocsConfig, src_uri: str, lang: str, languages: tuple[str, ...]) -> File:
        file = File.generated(config, src_uri, content="")  # content is made per page in on_page_markdown
        if lang != languages[0]:
            file.dest_uri = f"{lang}/{file.dest_uri}"
            file.url = file._get_url(config.use_directory_urls)
            file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))
        # what mkdocs-static-i18n reads to point the language switcher at this page's twins
        site_path = file.url[len(lang) + 1:] if lang != languages[0] else file.url
        for attribute in ("locale", "locale_alternate_of", "localization"):
            setattr(file, attribute, lang)
        file.alternates = {lg: SimpleNamespace(url=(site_path if lg == languages[0] else f"{lg}/{site_path}"))  # type: ignore[attr-defined]
                           for lg in languages}
        return file

    def _add_notebook_pages(self, files: Files, config: MkDocsConfig) -> None:
        jupyter = config.plugins.get("mkdocs-jupyter")
        assert self.examples is not None
        pages_dir = self.project.examples.cache_dir / "pages" if self.project else None
        for name, result in self.examples.results.items():
            if result.notebook is None or jupyter is None or pages_dir is None:
                continue
            # a real file under its own src_dir: mkdocs-jupyter's File wrapper cannot see generated content
            _write_default_language_notebook(result.notebook, pages_dir / "examples" / f"{name}.ipynb")
            file = File(f"examples/{name}.ipynb", src_dir=str(pages_dir), dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
            for wrapped in jupyter.on_files(Files([file]), config=config):
                files.append(wrapped)

    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        """Without a 'nav' in mkdocs.yml, MkDocs lists every page on every page: with thousands of
        entries that is a quadratic build. Entries and category pages stay out; the index lists them."""
        if config.nav is None and self.loaded is not None:
            languages = self.loaded.glossary.languages
            nav.items = _without_entries(nav.items, languages)
        return nav

    # -- pages ------------------------------------------------------------------------------
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.loaded is not None
        glossary = self.loaded.glossary
        lang = _current_language(config, glossary.languages)

        def url(target_lang: str, site_path: str) -> str:
            prefix = "" if target_lang == glossary.default_language else f"{target_lang}/"
            return get_relative_url(prefix + site_path, page.url)

        src = page.file.src_uri
        if src in getattr(self, "_generators", {}) and page.file.generated_by:
            text = self._generators[src](url)
            page.meta["title"] = pages.esc(_first_heading(text))
            return text
        slug = entry_slug(src, glossary.languages)
        if slug is None or slug not in glossary.terms:
            if "title" in page.meta:  # MkDocs and Material insert it unescaped
                page.meta["title"] = pages.esc(str(page.meta["title"]))
            return markdown
        term = glossary.terms[slug]
        page.meta["title"] = pages.esc(term.in_language(lang, glossary.default_language).title)
        blocks = []
        for name in term.examples:
            result = self.examples.results.get(name) if self.examples else None
            if result is None or result.notebook is None:
                continue
            key = (name, lang, url(glossary.default_language, ASSETS).rstrip("/"),
                   url(glossary.default_language, f"examples/{name}/"))
            if key not in self.rendered:
                rendered = render(result.notebook, name, lang, key[2], key[3])
                self.images.update(rendered.images)
                self.rendered[key] = rendered.html
            blocks.append(self.rendered[key])
        return pages.entry_markdown(glossary, slug, lang, self._names, url, "\n".join(blocks))

    @event_priority(-1000)  # last: after every other plugin has changed the page's HTML
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Every page's HTML passes the one allowlist (entries, generated pages, any Markdown page, notebooks)."""
        _clean_toc(page.toc)
        return sanitize.clean(html, notebook=page.file.src_uri.endswith(".ipynb"))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        assert self.loaded is not None
        lang = _current_language(config, self.loaded.glossary.languages)
        return search.rebase(output, lang) if lang != self.loaded.glossary.default_language else output

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and merged search
    def on_post_build(self, config: MkDocsConfig) -> None:
        target = Path(config.site_dir) / ASSETS
        target.mkdir(parents=True, exist_ok=True)
        for name, data in self.images.items():
            path = target / name
            if not path.exists():
                path.write_bytes(data)
        i18n = config.plugins.get("i18n")
        if self.loaded and not getattr(i18n, "building", False):
            search.split_index(Path(config.site_dir), self.loaded.glossary.languages)

    # -- helpers ----------------------------------------------------------------------------
    @property
    def _names(self) -> dict[str, str]:
        return self.project.language_names if self.project else {}

    @property
    def _example_names(self) -> list[str]:
        return self.project.example_names() if self.project else []


def _markdown_snapshot(docs_dir: Path) -> dict[str, tuple[int, int]]:
    from ..checks.html import MARKDOWN_SUFFIXES

    found: dict[str, tuple[int, int]] = {}
    for folder, _, names in os.walk(docs_dir):
        for name in names:
            if name.lower().endswith(MARKDOWN_SUFFIXES):
                path = os.path.join(folder, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                found[os.path.normpath(path)] = (info.st_mtime_ns, info.st_size)
    return found


def _refuse_unsafe_files(files: Files, project: Project, checked: dict[str, tuple[int, int]]) -> None:
    """Publish only regular files inside the project, and only Markdown the check has read.

    A symlinked asset pointing at /etc/passwd, a FIFO or a device is dropped and fails the build;
    so does a page written or changed after the check (by an example, say), which would otherwise
    be published unchecked."""
    from ..checks.html import MARKDOWN_SUFFIXES
    from ..files import UnsafeFile, check_file

    problems: list[str] = []
    docs = os.path.normpath(project.docs_dir)
    for file in list(files):
        source = file.abs_src_path
        if file.generated_by or not source or not os.path.normpath(source).startswith(docs + os.sep):
            continue
        path = os.path.normpath(source)
        try:
            check_file(Path(path), project.root)
        except UnsafeFile as exc:
            problems.append(f"{project.rel(path)}: the file {exc}; it is not published")
            files.remove(file)
            continue
        if path.lower().endswith(MARKDOWN_SUFFIXES):
            info = os.lstat(path)
            if checked.get(path) != (info.st_mtime_ns, info.st_size):
                problems.append(f"{project.rel(path)}: written or changed after 'glossary check' ran in this "
                                "build (by an example?); it is not published unchecked")
                files.remove(file)
    if problems:
        for problem in problems:
            log.error(problem)
        raise PluginError(f"glossary: {len(problems)} files refused (see above)")


def _current_language(config: MkDocsConfig, languages: tuple[str, ...]) -> str:
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages[0]


def _without_entries(items: list[Any], languages: tuple[str, ...]) -> list[Any]:
    kept = []
    for item in items:
        file = getattr(item, "file", None)
        if file is not None and (entry_slug(file.src_uri, languages) or file.src_uri.startswith("glossary/category/")):
            continue
        if getattr(item, "children", None):
            item.children = _without_entries(item.children, languages)
        kept.append(item)
    return kept


def _clean_toc(items: Any) -> None:
    """Table-of-contents labels are text (attr_list's data-toc-label is inserted as HTML otherwise)."""
    for item in items or ():
        item.title = sanitize.text(item.title)
        _clean_toc(item.children)


def _first_heading(markdown: str) -> str:
    import html

    match = re.search(r"<h1[^>]*>(.*?)</h1>", markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))) if match else ""


def _write_default_language_notebook(notebook: Any, path: Path) -> None:
    """The notebook page shows the default language's prose only."""
    import copy

    import nbformat

    from ..writer import atomic_write

    page_nb = copy.deepcopy(notebook)
    page_nb.cells = [c for c in page_nb.cells if not (c.cell_type == "markdown" and c.metadata.get("lang"))]
    atomic_write(path, nbformat.writes(page_nb), force=True)
