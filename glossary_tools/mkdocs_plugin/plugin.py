"""MkDocs events mapped onto the library (glossary_tools.site, pages, sanitize, notebooks).

Runs beside mkdocs-static-i18n, which rebuilds the site once per language: loading, checking and
executing happen once per process and are reused by the language builds.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from .. import chrome, export, git, graph, math, pages, previews, sanitize, search_index, site
from ..checks import check_glossary
from ..diagnostics import GlossaryError, Report, Severity
from ..loader import LoadResult, Reuse
from ..notebooks.cluster import ExecutorUnavailable
from ..notebooks.render import NotebookPages, language_notebook
from ..notebooks.runner import run_examples
from ..project import Project, load_project
from ..schema import entry_slug
from ..translations import Stale, stale_translations
from ..writer import atomic_write
from . import live, render, search
from .config import GlossaryConfig

log = logging.getLogger("mkdocs.plugins.glossary")
STYLESHEET = "assets/glossary.css"  # the look of everything the plugin writes into pages
PREVIEWS = "assets/glossary-previews.js"  # link previews (glossary_tools.previews)


def _packaged(name: str) -> Callable[[], str]:
    return lambda: resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


# site path -> its text: what the plugin adds to every site it builds
ASSETS: dict[str, Callable[[], str]] = {STYLESHEET: _packaged("glossary.css"), PREVIEWS: _packaged("glossary-previews.js"),
                                        search.SCRIPT: search.script}
_IMAGE = re.compile(r"<img\b", re.I)


class GlossaryPlugin(BasePlugin[GlossaryConfig]):
    project: Project
    loaded: LoadResult
    layout: site.Layout

    def __init__(self) -> None:
        self.serving = False  # 'glossary serve': keep each language's build to re-render single pages
        self.dirty = False
        self._reset()

    def _reset(self) -> None:
        """Nothing carries over from one build to the next (MkDocs keeps a plugin that has on_startup
        for the whole process, across serve's rebuilds and across projects built in one process)."""
        self.examples = site.ExampleBlocks({})
        self.checked: dict[str, site.Stamp] = {}  # the files under docs_dir as the check saw them
        self.outside: dict[str, site.Stamp] = {}  # what else 'glossary serve' watches, as this build began
        self.generated: dict[str, site.Generated] = {}
        self.example_names: list[str] = []
        self.stale: dict[tuple[str, str], Stale] = {}
        self.updated: dict[str, str] = {}  # entry file (as Translation.path) -> ISO date of its last commit
        self.descriptions: dict[str, dict[str, str]] = {}  # example -> language -> one line
        self.not_found = ""  # the default language's 404 page (each language build renders one)
        self.notebook_pages = NotebookPages()  # their stylesheet as one file, their images as files
        self.search = "material"  # or "glossary": see _search_mode
        # entry pages, as each language build renders them: counted and written by a child process
        # (on another core) in a full build; here where 'glossary serve' re-renders pages into it
        self.index: search_index.SearchIndex | search_index.Background = (
            search_index.SearchIndex(incremental=self.serving) if self.serving or self.dirty
            else search_index.Background())
        self.stashes: dict[str, pages.Stash] = {}  # entry page -> its generated blocks, until rendered
        self.markdown = render.SharedMarkdown()  # one Markdown instance per language, reset between pages
        self.ready = False
        self.views: dict[str, live.View] = {}
        # under serve: what this build's check read and found, so that a re-render after an edit
        # reads and judges only the files and texts that changed
        self.reuse = Reuse() if self.serving else None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty  # 'mkdocs build --dirty' renders only the pages whose files changed

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # formulas become MathML in every page (as 'glossary check' renders them), unless the site
        # lists another math extension (pymdownx.arithmatex)
        if math.wanted(config.markdown_extensions):
            config.markdown_extensions.append(math.NAME)
        if not self.ready:  # else: the same build, in another language
            self._reset()
        self.search = self._search_mode(config)
        for path, listed in self._assets(config):  # the plugin's own stylesheet and scripts, on every page
            if path not in [str(item) for item in listed]:
                listed.append(path)
        if not self.ready:
            self._load(config)
        self._localize_chrome(config)
        if isinstance(self.index, search_index.Background) and self.search == "glossary":
            # static-i18n builds the languages one after another: the pages of those before this one
            # are all indexed, and the child writes them while this one renders
            try:
                self.index.stage_all_but(Path(config.site_dir), self._language(config))
            except search_index.IndexWorkerError as exc:
                raise PluginError(f"glossary: the search index could not be written: {exc}") from None
        return config

    def _load(self, config: MkDocsConfig) -> None:
        try:
            self.project = load_project(Path(config.config_file_path).parent, Path(config.config_file_path))
            self.loaded, found = check_glossary(self.project, reuse=self.reuse)
            report = Report(found)
        except GlossaryError as exc:
            raise PluginError(Report(exc.diagnostics).format_text()) from None
        for d in report:
            (log.error if d.level is Severity.ERROR else log.info)(d.one_line())
        if report.errors:
            raise PluginError(f"glossary: {len(report.errors)} errors (see above); run 'glossary check' for details")
        self.layout = site.Layout(self.loaded.glossary.languages)
        self.overview = graph.Overview(self.loaded.glossary)  # aggregated on first use, once per build
        self.previews = previews.Previews(self.loaded.glossary, self.layout.language_of, self.layout.within)
        self.checked = site.snapshot(self.project.docs_dir)
        self.outside = site.stamps(self._watched_outside(config)) if self.serving else {}
        # the same for every language build: computed once
        self.example_names = self.project.example_names()
        self.stale = stale_translations(self.loaded)
        if self.project.examples.execute and self.example_names:  # unless GLOSSARY_EXECUTE=0
            try:
                summary = run_examples(self.project)
            except ExecutorUnavailable as exc:
                raise PluginError(f"glossary: {exc}") from None
            print(summary.line(), flush=True)
            if summary.failures:
                raise PluginError("\n".join(["glossary: examples failed:", *summary.failures]))
            self.examples = site.ExampleBlocks(dict(summary.results))
        # git names files under its top folder, a real path: the root's real path joined with each entry's
        # path finds them without resolving every file (six system calls each, per page, twice a build)
        dates = git.last_commit_dates(self.project.root, self.project.docs_dir)
        root = self.project.root.resolve()
        self.updated = {tr.path: dates[root / tr.path] for term in self.loaded.glossary.terms.values()
                        for tr in term.translations.values() if root / tr.path in dates}
        self.descriptions = chrome.example_descriptions(self.project.examples.directory, self.example_names,
                                                        self.layout.languages)
        theme_dirs = config.theme.dirs  # our overrides: after the project's custom_dir, before Material
        if config.theme.name == "material" and str(chrome.THEME_DIR) not in theme_dirs:
            theme_dirs.insert(1 if config.theme.custom_dir else 0, str(chrome.THEME_DIR))
        self.ready = True

    def _localize_chrome(self, config: MkDocsConfig) -> None:
        """Per language build: the strings the theme takes from mkdocs.yml rather than from its own
        translations (the heading permalinks' tooltip, the palette toggles' names), unless the project
        wrote its own."""
        lang = self._language(config)
        ours = {key: {lg: label for lg, labels in chrome.LABELS.items() if (label := labels.get(key))}
                for key in ("permalink", "dark_mode", "light_mode", "auto_mode")}
        toc = config.mdx_configs.get("toc")
        if isinstance(toc, dict) and toc.get("permalink") and \
                toc.get("permalink_title", ours["permalink"]["en"]) in ours["permalink"].values():
            toc["permalink_title"] = chrome.label(lang, "permalink")
        palette = config.theme.get("palette")
        for option in palette if isinstance(palette, list) else []:
            toggle = option.get("toggle") if isinstance(option, dict) else None
            name = toggle.get("name") if isinstance(toggle, dict) else None
            key = next((k for k, texts in ours.items() if name in texts.values()), None)
            if key and key != "permalink" and isinstance(toggle, dict):
                toggle["name"] = chrome.label(lang, key)

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
                                              self.example_names, self.stale, self.overview, self.descriptions)
        for src_uri in self.generated:
            files.append(self._generated_file(config, src_uri, lang))
        self._add_notebook_pages(files, config, lang)
        for path, _ in self._assets(config):
            if files.get_file_from_path(path) is None:  # a file of the project's own at that path wins
                files.append(File.generated(config, path, content=ASSETS[path]()))
        return files

    def _assets(self, config: MkDocsConfig) -> list[tuple[str, list[Any]]]:
        """(site path, the config list that links it) of each file in ASSETS this site uses."""
        found: list[tuple[str, list[Any]]] = [(STYLESHEET, config.extra_css), (PREVIEWS, config.extra_javascript)]
        if self.search == "glossary":
            found.append((search.SCRIPT, config.extra_javascript))
        return found

    def _search_mode(self, config: MkDocsConfig) -> str:
        """'glossary' or 'material' (the 'search' option; 'auto' keeps a site's Material search plugin)."""
        chosen = str(self.config["search"])  # read here: only the plugin uses it (glossary check validates it)
        material = any(name in config.plugins for name in ("search", "material/search"))
        if chosen == "auto":
            chosen = "material" if material else "glossary"
        if chosen == "glossary" and material:
            raise PluginError("glossary: 'search: glossary' replaces Material's search: remove 'search' from "
                              "plugins in mkdocs.yml, or set 'search: material'")
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

    def _add_notebook_pages(self, files: Files, config: MkDocsConfig, lang: str) -> None:
        """Each example's notebook page in ``lang`` (its prose and outputs) at ``<lang>/examples/<name>/``,
        its language switcher and alternates pointing at the same notebook in the other languages."""
        jupyter = config.plugins.get("mkdocs-jupyter")
        pages_dir = self.project.examples.cache_dir / "pages" / lang
        import nbformat

        for name, result in self.examples.results.items():
            notebook = getattr(result, "notebook", None)
            if notebook is None or jupyter is None:
                continue
            page = language_notebook(notebook, lang, self.layout.default)
            self.notebook_pages.add(page, name, lang)
            # a real file under its own src_dir: mkdocs-jupyter's File wrapper cannot see generated content
            atomic_write(pages_dir / "examples" / f"{name}.ipynb", nbformat.writes(page), force=True)
            file = File(f"examples/{name}.ipynb", src_dir=str(pages_dir), dest_dir=config.site_dir,
                        use_directory_urls=config.use_directory_urls)
            for wrapped in jupyter.on_files(Files([file]), config=config):
                within = wrapped.url
                wrapped.url = self.layout.path(lang, within)
                wrapped.dest_path = self.layout.path(lang, wrapped.dest_path)
                wrapped.abs_dest_path = str(Path(config.site_dir) / wrapped.dest_path)
                for attribute in ("locale", "locale_alternate_of", "localization"):
                    setattr(wrapped, attribute, lang)
                wrapped.alternates = {lg: SimpleNamespace(url=self.layout.path(lg, within))
                                      for lg in self.layout.languages}
                files.append(wrapped)

    @event_priority(-110)  # after mkdocs-static-i18n has applied the project's nav_translations
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        if config.nav is None:  # MkDocs' automatic navigation would list every entry on every page
            nav.items = _listed(nav.items, self.layout.languages)
        elif self._language(config) != self.layout.default:
            # a generated page the project's nav names in its own words: in another language, the
            # page's own title, unless nav_translations gave one
            written = set(_nav_titles(config.nav))
            for page in nav.pages:
                if page.file.src_uri in self.generated and page.title in written:
                    page.title = self.generated[page.file.src_uri].title
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        if self.serving:
            view = self.views.setdefault(self._language(config), live.View())
            view.files, view.env = files, env
            live.index_pages(view, self.layout.languages)
        return env

    def refresh(self, config: MkDocsConfig) -> int | None:
        """After a full build under 'glossary serve': re-render the pages of the entries whose text
        changed and return how many; None when the change needs a full build (see live.py)."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import InclusionLevel

        i18n = config.plugins.get("i18n")
        if not self.views or (i18n is None and len(self.views) != 1):
            return None
        if site.stamps(self._watched_outside(config)) != self.outside:  # the configuration, an example, ...
            return None
        now = site.snapshot(self.project.docs_dir)
        changed = live.entry_changes(self.checked, now, os.path.normpath(self.project.glossary_dir),
                                     self.layout.languages)
        if changed is None:
            return None
        if self.reuse is not None:
            self.reuse.seen = now  # (the stamps just taken: the entries' files are not stamped again)
        try:
            loaded, found = check_glossary(self.project, reuse=self.reuse)
            report = Report(found)
        except GlossaryError:
            return None
        for d in report:
            (log.error if d.level is Severity.ERROR else log.info)(d.one_line())
        if report.errors:
            raise PluginError(f"glossary: {len(report.errors)} errors (see above)")
        stale = stale_translations(loaded)
        if live.shape(loaded, stale) != live.shape(self.loaded, self.stale):
            return None
        self.loaded, self.stale, self.checked = loaded, stale, now
        count = 0
        touched = set()
        for lang, view in self.views.items():
            if i18n is not None and hasattr(i18n, "current_language"):
                i18n.current_language = lang
                config = i18n.on_config(config)  # the language's theme, alternates and overrides
            doc_files = view.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            for path in changed:
                for page in view.pages.get(path, ()):
                    _populate_page(page, config, view.files)  # the index takes the page's new text
                    _build_page(page, config, doc_files, view.nav, view.env)
                    count += 1
                    touched.add(lang)
        if self.search == "glossary" and touched:
            self.index.write(Path(config.site_dir), touched)  # those languages' search, as the pages
        return count

    def _watched_outside(self, config: MkDocsConfig) -> list[str]:
        """What 'glossary serve' watches besides the docs folder: the configuration file, the examples
        folder and the site's own ``watch`` list (a change to any of them needs a full build)."""
        return [path for path in (config.config_file_path, os.fspath(self.project.examples.directory), *config.watch)
                if path]

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        # Markdown pages whose rendering no other plugin has taken over (mkdocs-jupyter's notebooks)
        if (self.config["shared_markdown"] and page.file.src_uri.endswith(".md") and render.own_rendering(page)
                and render.shareable(config.markdown_extensions, config.mdx_configs)):
            page.render = functools.partial(self.markdown.render, page)  # type: ignore[method-assign]
        return page

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        glossary, lang = self.loaded.glossary, self._language(config)

        def url(target_lang: str, site_path: str) -> str:
            return get_relative_url(self.layout.path(target_lang, site_path), page.url)

        src = page.file.src_uri
        if src in self.generated and page.file.generated_by:
            page.meta["title"] = pages.esc(self.generated[src].title)
            # all HTML: kept out of Markdown whole (its raw-HTML parsers would read every tag of a
            # 1,000-row table), swapped back in once rendered
            stash = self.stashes[src] = pages.Stash()
            return stash.put(self.generated[src].markdown(url))
        slug = entry_slug(src, glossary.languages)
        if slug is None or slug not in glossary.terms:  # any other page: the theme inserts its meta as is
            page.meta, _ = site.safe_meta(page.meta)  # what is left out is reported by 'glossary check'
            return markdown
        page.meta["title"] = pages.esc(glossary.title(slug, lang))
        blocks = self.examples.html(glossary.terms[slug].examples, lang, url, glossary.default_language)
        shown = glossary.terms[slug].in_language(lang, glossary.default_language)
        iso = self.updated.get(shown.path)
        updated = (iso, chrome.format_date(iso, lang)) if iso else None
        stash = self.stashes[src] = pages.Stash()
        return pages.entry_markdown(glossary, slug, lang, self.project.language_names, url, blocks, updated,
                                    raw=stash.put)

    @event_priority(100)  # first: before mkdocs-glightbox (0) wraps the images
    def _authored_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The page's own HTML sanitized once before other plugins add theirs, without the lightbox
        class: only mkdocs-glightbox's own wrappers may carry it."""
        slug = self._entry(page)
        stash = self.stashes.pop(page.file.src_uri, None)
        if stash is not None:
            html = stash.restore(html)  # the generated blocks, kept out of Markdown
            if page.present_anchor_ids is not None:  # MkDocs' anchor validation: they are on the page
                page.present_anchor_ids |= stash.ids
        if slug is not None:
            lang = self._language(config)

            def url(target_lang: str, site_path: str) -> str:
                return get_relative_url(self.layout.path(target_lang, site_path), page.url)

            # into the slot entry_markdown left (an HTML comment, which the sanitizer removes)
            html = pages.fill_graph(html, self.loaded.glossary, slug, lang, url)
        if "glightbox" not in page.meta and not _IMAGE.search(html) and not page.file.src_uri.endswith(".ipynb"):
            page.meta["glightbox"] = False  # mkdocs-glightbox works on (and loads its script into) pages with images only
        if not sanitize.may_carry_lightbox_class(html):  # nothing to take away: the last pass judges the rest
            return html
        return sanitize.clean(html, notebook=page.file.src_uri.endswith(".ipynb"), authored=True)

    @event_priority(-1000)  # last: after every other plugin has changed the page's HTML
    def _final_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        notebook = page.file.src_uri.endswith(".ipynb")
        slug = self._entry(page)
        if not notebook:
            lang = self._language(config)
            if slug is not None:
                html = self._generated_headings(html, page, config, slug, lang)
        sanitize.clean_toc(page.toc)
        if "title" not in page.meta:  # from the first heading: escaped HTML, which the theme's striptags undoes
            title = sanitize.plain(str(page.title or "")).strip()
            page.meta["title"] = pages.esc(title or page.file.name.replace("-", " ").replace("_", " "))
        if notebook:
            def notebook_url(site_path: str) -> str:
                return get_relative_url(site_path, page.url)

            html = self.notebook_pages.page_content(html, notebook_url, self.examples.ASSETS)
        html = sanitize.clean(html, notebook=notebook)
        # the links the page keeps, appended after the sanitizer: the element is escaped JSON in one attribute
        previews_element = "" if notebook else self.previews.element(html, page.url, lang)
        if self.search == "glossary" and slug is not None:
            glossary = self.loaded.glossary
            title = glossary.title(slug, lang)
            names = [glossary.title(slug, other) for other in glossary.languages if other != lang]
            self.index.add(lang, page.url, title, names + list(glossary.terms[slug].aliases), html,
                           pages.tail_markers(glossary, slug, lang))
        return html + previews_element

    def _entry(self, page: Page) -> str | None:
        """The slug of the term whose entry page this is (None for any other page)."""
        slug = entry_slug(page.file.src_uri, self.layout.languages)
        return slug if slug in self.loaded.glossary.terms and not page.file.generated_by else None

    def _generated_headings(self, html: str, page: Page, config: MkDocsConfig, slug: str, lang: str) -> str:
        """The headings the page generator writes as HTML (examples, Sources, Related terms) get what
        the toc extension gives the author's headings: a permalink and an entry in the table of contents."""
        ids = {i for i in pages.generated_anchors(self.loaded.glossary, slug, lang) if not i.startswith("source-")}
        toc_config = config.mdx_configs.get("toc", {}) if isinstance(config.mdx_configs, dict) else {}
        permalink = toc_config.get("permalink")
        found = []
        for anchor in sorted(ids, key=lambda i: -html.rfind(f'<h2 id="{i}">')):  # from the end of the page
            opening = f'<h2 id="{anchor}">'
            start = html.rfind(opening)  # the generated parts follow the body: the last such heading
            end = html.find("</h2>", start)
            if start < 0 or end < 0:
                continue
            inner = html[start + len(opening):end]
            # the generator's own text, escaped: as the sanitizer would give it unless it holds markup
            found.append((2, anchor, (sanitize.text(inner) if "<" in inner else inner).strip()))
            if permalink:
                symbol = "&para;" if permalink is True else pages.esc(str(permalink))
                title = toc_config.get("permalink_title", "Permanent link")
                link = (f'<a class="{pages.esc(toc_config.get("permalink_class", "headerlink"))}" href="#{anchor}"'
                        + (f' title="{pages.esc(title)}"' if title else "") + f">{symbol}</a>")
                inner = link + inner if toc_config.get("permalink_leading") else inner + link
                html = html[:start] + opening + inner + html[end:]
        found.reverse()  # in page order
        items = page.toc.items if hasattr(page.toc, "items") else None
        if items is not None:
            from mkdocs.structure.toc import AnchorLink

            for level, anchor, title in found:
                parent = items[-1].children if items and items[-1].level < level else items
                parent.append(AnchorLink(title, anchor, level))
        return html

    on_page_content = CombinedEvent(_authored_content, _final_content)

    @event_priority(0)  # after mkdocs-static-i18n (50) has pointed the switcher at this page's twins
    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if self.serving:  # what 'glossary serve' re-renders single pages with
            self.views.setdefault(self._language(config), live.View()).nav = nav
        base = urlsplit(config.site_url or "/").path
        # a page without twins (neither mkdocs-static-i18n nor this plugin gave it alternates) has no
        # translations: its switcher leads to each language's home (not to the twins of the page
        # rendered before it), and it gets no hreflang links
        twins = getattr(page.file, "alternates", None)
        switcher = _alternates(config) if twins is not None else list(config.extra.get("alternate") or [])
        # the switcher's links on a language's home page are absolute ('/pt/'): made relative, as on
        # every other page, so that the site works under any path and from file://
        config.extra.alternate = [  # type: ignore[attr-defined]
            {**alt, "link": (alt["link"][len(base):] or "./")
             if isinstance(alt.get("link"), str) and alt["link"].startswith(base) else alt.get("link")}
            for alt in switcher]
        context["glossary_chrome"] = self._chrome(  # type: ignore[typeddict-unknown-key]
            config, page.url, set(twins or ()))
        return context

    def on_template_context(self, context: TemplateContext, /, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext:
        if template_name == "404.html":
            lang = self._language(config)
            base = urlsplit(config.site_url or "/").path  # MkDocs' error pages use absolute paths
            path = self.layout.path(lang, "404.html")
            # the switcher and hreflang links point at each language's 404 page. An attribute, as
            # mkdocs-static-i18n sets it per page (the templates read the attribute before the item)
            config.extra.alternate = [  # type: ignore[attr-defined]
                {**alt, "link": base + self.layout.path(alt["lang"], "404.html")} for alt in _alternates(config)]
            chrome_context = self._chrome(config, path, set(self.layout.languages))
            glossary = self.loaded.glossary
            chrome_context.update(
                index_url=base + self.layout.path(lang, "glossary/"), home_url=base + self.layout.prefix(lang),
                terms=[{"s": slug, "t": glossary.title(slug, lang), "u": base + self.layout.path(lang, f"glossary/{slug}/")}
                       for slug in glossary.sorted_slugs(lang)])
            context["glossary_chrome"] = chrome_context  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """Static templates are written at the site root by every language build: each language's
        404 page goes to its own folder (the root keeps the default language's)."""
        lang = self._language(config)
        if template_name == "404.html":
            if lang == self.layout.default:
                self.not_found = output
                return output
            target = Path(config.site_dir) / self.layout.path(lang, "404.html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(search.rebase(output, lang) if self.search == "material" else output,
                              encoding="utf-8")
            return self.not_found  # the root keeps the default language's page
        return output

    def _chrome(self, config: MkDocsConfig, page_path: str, twins: set[str]) -> dict[str, Any]:
        """What our theme overrides show: labels in the build's language, and this page's
        translations (``twins``: their languages) as absolute URLs (under site_url; page-relative
        without one)."""
        lang = self._language(config)
        alternates = []
        base = urlsplit(config.site_url or "/").path
        for alt in _alternates(config):
            if alt.get("lang") not in twins:
                continue
            link = str(alt.get("link", ""))
            if link.startswith(("http://", "https://")):
                href = link
            else:
                path = link[len(base):] if link.startswith(base) else link.lstrip("/")
                path = "" if path in (".", "./") else path
                href = (config.site_url.rstrip("/") + "/" + path if config.site_url
                        else get_relative_url(path or ".", page_path) + ("/" if path.endswith("/") or not path else ""))
            alternates.append({"lang": alt.get("lang"), "href": href})
        return {"lang": lang, "labels": chrome.labels_for(lang), "alternates": alternates}

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        lang = self._language(config)
        if page.file.src_uri.endswith(".ipynb"):
            output = self.notebook_pages.link_stylesheet(output, get_relative_url(
                self.notebook_pages.stylesheet_path(), page.url))
        if self.search == "material" and lang != self.layout.default:
            return search.rebase(output, lang)
        return output

    @event_priority(-200)  # after mkdocs-static-i18n has built every language and merged search
    def on_post_build(self, config: MkDocsConfig) -> None:
        self.examples.images.update(self.notebook_pages.images)
        self.examples.write_images(Path(config.site_dir))
        self.notebook_pages.write_stylesheet(Path(config.site_dir))
        if not getattr(config.plugins.get("i18n"), "building", False):  # every language is built
            if self.search == "material":
                search.split_index(Path(config.site_dir), self.layout)
            elif self.dirty and not self._index_complete():
                log.warning("glossary: the search index is left as it was: a --dirty build renders only the "
                            "changed pages (a full build indexes them all)")
            else:
                try:
                    self.index.write(Path(config.site_dir))
                except (OSError, search_index.IndexWorkerError) as exc:
                    raise PluginError(f"glossary: the search index could not be written: {exc}") from None
            # Material requests sitemap.xml beside each page's search base (the language's folder);
            # the last language build wrote the whole site's at the root
            sitemap = Path(config.site_dir) / "sitemap.xml"
            for lang in self.layout.languages[1:] if sitemap.is_file() else ():
                target = Path(config.site_dir) / self.layout.path(lang, "sitemap.xml")
                if target.parent.is_dir():
                    shutil.copyfile(sitemap, target)
            self._export(Path(config.site_dir), config)
            log.debug("glossary: %d pages rendered by a shared Markdown instance", self.markdown.pages)
            self.ready = False  # a plugin with on_startup is kept across 'serve' rebuilds: the next one loads anew

    def _index_complete(self) -> bool:
        """Whether every entry page of every language was indexed in this build."""
        count = len(self.loaded.glossary.terms)
        return all(self.index.count(lang) == count for lang in self.layout.languages)

    def on_build_error(self, *, error: Exception) -> None:
        self.ready = False
        if isinstance(self.index, search_index.Background):
            self.index.close()

    def _export(self, site_dir: Path, config: MkDocsConfig) -> None:
        glossary = self.loaded.glossary
        updated = {}  # from the one git log read in _load
        for term in glossary.terms.values():
            for tr in term.translations.values():
                date = self.updated.get(tr.path)
                if date:
                    updated[tr.path] = date[:10]
        export.write(site_dir, glossary, self.layout.path, self.previews.summary, updated, config.site_url)

    def _language(self, config: MkDocsConfig) -> str:
        return getattr(config.plugins.get("i18n"), "current_language", None) or self.layout.default


def _alternates(config: MkDocsConfig) -> list[dict[str, Any]]:
    """The language switcher's links as the theme will read them (``config.extra.alternate`` in
    Jinja: the attribute mkdocs-static-i18n sets per page, else the item it sets per build)."""
    extra = config.extra
    found = extra.__dict__.get("alternate") if hasattr(extra, "__dict__") else None
    return list(found if found is not None else extra.get("alternate") or [])


def _nav_titles(items: Any) -> list[str]:
    """The titles written in mkdocs.yml's nav."""
    found: list[str] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                found.append(str(title))
                found += _nav_titles(value)
    return found


def _listed(items: list[Any], languages: tuple[str, ...]) -> list[Any]:
    kept = []
    for item in items:
        file = getattr(item, "file", None)
        if file is None or site.listed_in_navigation(file.src_uri, languages):
            if getattr(item, "children", None):
                item.children = _listed(item.children, languages)
            kept.append(item)
    return kept
