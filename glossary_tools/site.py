"""The site's shape, independent of MkDocs: URLs per language, the generated pages, what may be
published. The MkDocs plugin only maps its events onto these.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import pages
from .files import MARKDOWN_SUFFIXES, UnsafeFile, check_file
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
                    stale: Collection[tuple[str, str]]) -> dict[str, Generated]:
    """The pages the plugin adds for ``lang``, by source path."""
    glossary = loaded.glossary
    found = {
        "glossary/index.md": Generated(label(lang, "index_title"), partial(pages.index_markdown, glossary, lang)),
        "glossary/categories.md": Generated(label(lang, "categories_title"),
                                            partial(pages.categories_markdown, glossary, lang)),
    }
    if len(glossary.languages) > 1:
        found["glossary/translations.md"] = Generated(
            label(lang, "status_title"),
            partial(pages.translations_markdown, glossary, lang, language_names, stale=stale))
    if example_names:
        found["examples.md"] = Generated(label(lang, "examples_title"),
                                         partial(pages.examples_markdown, glossary, lang, example_names))
    for cid, category in glossary.categories.items():
        found[f"glossary/category/{cid}.md"] = Generated(category.label(lang, glossary.default_language),
                                                         partial(pages.category_markdown, glossary, cid, lang))
    return found


def listed_in_navigation(src_uri: str, languages: tuple[str, ...]) -> bool:
    """Entries and category pages stay out of an automatic navigation (it would be quadratic)."""
    return entry_slug(src_uri, languages) is None and not src_uri.startswith("glossary/category/")


def markdown_snapshot(docs_dir: Path) -> dict[str, tuple[int, int]]:
    """Every Markdown file under ``docs_dir``: path -> (mtime, size), as the check saw them."""
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


def refused(sources: Iterable[str], project: Project, checked: dict[str, tuple[int, int]]) -> dict[str, str]:
    """The files under the docs folder that must not be published, with why.

    Only regular files inside the project (a symlinked asset pointing at /etc/passwd, a FIFO or a
    device is refused from ``stat`` alone), and only Markdown the check read, unchanged (a page
    written or changed after the check, by an example say, would be published unchecked)."""
    problems: dict[str, str] = {}
    docs = os.path.normpath(project.docs_dir)
    for source in sources:
        path = os.path.normpath(source)
        if not path.startswith(docs + os.sep):
            continue
        try:
            check_file(Path(path), project.root)
        except UnsafeFile as exc:
            problems[source] = f"{project.rel(path)}: the file {exc}; it is not published"
            continue
        if path.lower().endswith(MARKDOWN_SUFFIXES):
            info = os.lstat(path)
            if checked.get(path) != (info.st_mtime_ns, info.st_size):
                problems[source] = (f"{project.rel(path)}: written or changed after 'glossary check' ran in this "
                                    "build (by an example?); it is not published unchecked")
    return problems


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
            key = (name, lang, url(default, self.ASSETS).rstrip("/"), url(default, f"examples/{name}/"))
            if key not in self._rendered:
                rendered = render(notebook, name, lang, key[2], key[3])
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
