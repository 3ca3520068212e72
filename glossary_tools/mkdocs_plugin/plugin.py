"""MkDocs events mapped onto the library (glossary_tools.site, pages, sanitize, notebooks).

Runs beside mkdocs-static-i18n, which rebuilds the site once per language: loading, checking and
executing happen once per process and are reused by the language builds.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .. import pages, sanitize, site
from ..checks import run_all
from ..diagnostics import GlossaryError, Report, Severity
from ..loader import LoadResult, load_glossary
from ..notebooks.render import default_language_notebook
from ..notebooks.runner import run_examples
from ..project import Project, load_project
from ..schema import entry_slug
from ..translations import Stale, stale_translations
from ..writer import atomic_write
from . import pagefind, search
from .config import GlossaryConfig

log = logging.getLogger("mkdocs.plugins.glossary")


class GlossaryPlugin(BasePlugin[GlossaryConfig]):
    project: Project
    loaded: LoadResult
    layout: site.Layout

    def __init__(self) -> None:
        self.examples = site.ExampleBlocks({})
        self.checked: dict[str, site.Stamp] = {}  # the files under docs_dir as the check saw them
        self.generated: dict[str, site.Generated] = {}
        self.example_names: list[str] = []
        self.stale: dict[tuple[str, str], Stale] = {}
        self.search = "material"  # or "pagefind": see _search_mode
        self.ready = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.search = self._search_mode(config)
        if self.search == "pagefind" and pagefind.SCRIPT not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(pagefind.SCRIPT)
        if self.ready:
            return config
        try:
            self.project = load_project(Path(config.config_file_path).parent, Path(config.config_file_path))
            self.loaded = load_glossary(self.project)
            report = Report(self.loaded.diagnostics)
            report.extend(run_all(self.project, self.loaded))
        except GlossaryError as exc:
            raise PluginError(Report(exc.diagnostics).format_text()) from None
        for d in report:
            (log.error if d.level is Severity.ERROR else log.info)(d.one_line())
        if report.errors:
            raise PluginError(f"glossary: {len(report.errors)} errors (see above); run 'glossary check' for details")
        self.layout = site.Layout(self.loaded.glossary.languages)
        self.checked = site.snapshot(self.project.docs_dir)
        # the same for every language build: computed once
        self.example_names = self.project.example_names()
        self.stale = stale_translations(self.loaded)
        if self.project.examples.execute and self.example_names:  # unless GLOSSARY_EXECUTE=0
            summary = run_examples(self.project)
            print(summary.line(), flush=True)
            if summary.failures:
                raise PluginError("\n".join(["glossary: examples failed:", *summary.failures]))
            self.examples = site.ExampleBlocks(dict(summary.results))
        self.ready = True
        return config

    @event_priority(-150)  # after mkdocs-static-i18n (-100) has chosen each language's files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        refused = site.refused([f.abs_src_path for f in files if f.abs_src_path and not f.generated_by],
                               self.project, self.checked)
        if refused:
            for message in refused.values():
                log.error(message)
            raise PluginError(f"glossary: {len(refused)} files refused (see above)")
        lang = self._language(config)
        self.generated = site.generated_pages(self.loaded, lang, self.project.language_names,
                                              self.example_names, self.stale)
        for src_uri in self.generated:
            files.append(self._generated_file(config, src_uri, lang))
        if lang == self.layout.default:
            self._add_notebook_pages(files, config)
        if self.search == "pagefind" and files.get_file_from_path(pagefind.SCRIPT) is None:
            files.append(File.generated(config, pagefind.SCRIPT, content=pagefind.script()))
        return files

    def _search_mode(self, config: MkDocsConfig) -> str:
        """'pagefind' or 'material' (the 'search' option; 'auto' keeps a site's Material search plugin)."""
        chosen = str(self.config["search"])  # read here: only the plugin uses it (glossary check validates it)
        material = any(name in config.plugins for name in ("search", "material/search"))
        if chosen == "auto":
            chosen = "material" if material or not pagefind.available() else "pagefind"
        if chosen == "pagefind" and material:
            raise PluginError("glossary: 'search: pagefind' replaces Material's search: remove 'search' from "
                              "plugins in mkdocs.yml, or set 'search: material'")
        if chosen == "pagefind" and not pagefind.available():
            raise PluginError("glossary: 'search: pagefind' needs the pagefind[bin] package "
                              "(pip install 'glossary-tools[site]')")
        return chosen

    def _generated_file(self, config: MkDocsConfig, src_uri: str, lang: str) -> File:
        file = File.generated(config, src_uri, content="")  # the Markdown is made in on_page_markdown
        url, dest_uri = file.url, file.dest_uri  # (MkDocs derives url from dest_uri when it is read)
        file.dest_uri = self.layout.path(lang, dest_uri)
        file.url = self.layout.path(lang, url)
        file.abs_dest_path = str(Path(config.site_dir) / file.dest_uri)
        # what mkdocs-static-i18n reads to point the language switcher at this page's twins
        for attribute in ("locale", "locale_alternate_of", "localization"):
            setattr(file, attribute, lang)
        within = self.layout.within(lang, file.url)
        file.alternates = {lg: SimpleNamespace(url=self.layout.path(lg, within))  # type: ignore[attr-defined]
                           for lg in self.layout.languages}
        return file

    def _add_notebook_pages(self, files: Files, config: MkDocsConfig) -> None:
        jupyter = config.plugins.get("mkdocs-jupyter")
        pages_dir = self.project.examples.cache_dir / "pages"
        for name, result in self.examples.results.items():
            notebook = getattr(result, "notebook", None)
            if notebook is None or jupyter is None:
                continue
            # a real file under its own src_dir: mkdocs-jupyter's File wrapper cannot see generated content
            import nbformat

            atomic_write(pages_dir / "examples" / f"{name}.ipynb",
                         nbformat.writes(default_language_notebook(notebook)), force=True)
            file = File(f"examples/{name}.ipynb", src_dir=str(pages_dir), dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
            for wrapped in jupyter.on_files(Files([file]), config=config):
                files.append(wrapped)

    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        if config.nav is None:  # MkDocs' automatic navigation would list every entry on every page
            nav.items = _listed(nav.items, self.layout.languages)
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        glossary, lang = self.loaded.glossary, self._language(config)

        def url(target_lang: str, site_path: str) -> str:
            return get_relative_url(self.layout.path(target_lang, site_path), page.url)

        src = page.file.src_uri
        if src in self.generated and page.file.generated_by:
            page.meta["title"] = pages.esc(self.generated[src].title)
            return self.generated[src].markdown(url)
        slug = entry_slug(src, glossary.languages)
        if slug is None or slug not in glossary.terms:  # any other page: the theme inserts its meta as is
            page.meta, _ = site.safe_meta(page.meta)  # what is left out is reported by 'glossary check'
            return markdown
        page.meta["title"] = pages.esc(glossary.title(slug, lang))
        blocks = self.examples.html(glossary.terms[slug].examples, lang, url, glossary.default_language)
        return pages.entry_markdown(glossary, slug, lang, self.project.language_names, url, blocks)

    @event_priority(-1000)  # last: after every other plugin has changed the page's HTML
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        sanitize.clean_toc(page.toc)
        if "title" not in page.meta:  # from the first heading: escaped HTML, which the theme's striptags undoes
            title = sanitize.plain(str(page.title or "")).strip()
            page.meta["title"] = pages.esc(title or page.file.name.replace("-", " ").replace("_", " "))
        html = sanitize.clean(html, notebook=page.file.src_uri.endswith(".ipynb"))
        slug = entry_slug(page.file.src_uri, self.loaded.glossary.languages)
        if self.search == "pagefind" and slug is not None and slug in self.loaded.glossary.terms \
                and not page.file.generated_by:
            html = pagefind.entry_html(html, self.loaded.glossary, slug)  # escaped data, after the sanitizer
        return html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        lang = self._language(config)
        if self.search == "material" and lang != self.layout.default:
            return search.rebase(output, lang)
        return output

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and merged search
    def on_post_build(self, config: MkDocsConfig) -> None:
        self.examples.write_images(Path(config.site_dir))
        if getattr(config.plugins.get("i18n"), "building", False):
            return  # the next language is still to be built: index once, after the last
        if self.search == "material":
            search.split_index(Path(config.site_dir), self.layout)
        else:
            try:
                pagefind.index(Path(config.site_dir))
            except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
                raise PluginError(f"glossary: the search index could not be built: {exc}") from None

    def _language(self, config: MkDocsConfig) -> str:
        return getattr(config.plugins.get("i18n"), "current_language", None) or self.layout.default


def _listed(items: list[Any], languages: tuple[str, ...]) -> list[Any]:
    kept = []
    for item in items:
        file = getattr(item, "file", None)
        if file is None or site.listed_in_navigation(file.src_uri, languages):
            if getattr(item, "children", None):
                item.children = _listed(item.children, languages)
            kept.append(item)
    return kept
