"""Render an executed notebook into an HTML block for one language's page.

Prose cells are localised: an untagged Markdown cell (the default language) may be
followed by variants with cell metadata ``lang="pt"`` etc.; each page shows its own
language's variant, or the untagged one. Outputs are localised the same way: an output
tagged ``metadata={"glossary": {"lang": "pt"}}`` (what ``glossary_tools.notebooks.i18n``'s
``show`` and ``say`` write) is shown on that language's pages only, an untagged one on every
page. Images become files instead of inline data, so pages stay small.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..labels import label
from .i18n import METADATA_KEY


@dataclass
class Rendered:
    html: str
    images: dict[str, bytes] = field(default_factory=dict)


def prose_groups(notebook: nbformat.NotebookNode) -> list[tuple[str, object]]:
    """Cells in order, with localised Markdown cells grouped: ('markdown', {lang: text}) or ('code', cell)."""
    groups: list[tuple[str, object]] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lang = cell.metadata.get("lang")
            if lang and groups and groups[-1][0] == "markdown":
                variants = groups[-1][1]
                assert isinstance(variants, dict)
                variants.setdefault(lang, cell.source)
                continue
            groups.append(("markdown", {lang or "": cell.source}))
        elif cell.cell_type == "code":
            groups.append(("code", cell))
    return groups


def prose_in(variants: dict[str, str], lang: str) -> str:
    """A localised Markdown group's text for ``lang``: its variant, else the untagged one, else any."""
    return variants.get(lang) or variants.get("") or next(iter(variants.values()))


def output_language(output: nbformat.NotebookNode) -> str | None:
    """The language an output is tagged with (``metadata.glossary.lang``), None for all languages."""
    tag = output.get("metadata", {}).get(METADATA_KEY, {})
    lang = tag.get("lang") if isinstance(tag, dict) else None
    return lang if isinstance(lang, str) and lang else None


def select_outputs(outputs: list[nbformat.NotebookNode], lang: str, default: str) -> list[nbformat.NotebookNode]:
    """One cell's outputs for ``lang``'s page: every untagged output, and the tagged ones of ``lang``
    (of the default language where the cell has none for ``lang``, else of its first language)."""
    tagged = [output_language(o) for o in outputs]
    present = [t for t in tagged if t]
    chosen = lang if lang in present else default if default in present else (present[0] if present else None)
    return [o for o, t in zip(outputs, tagged, strict=True) if t is None or t == chosen]


def merge_streams(outputs: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """Consecutive stream outputs of the same stream become one (a loop's prints are one box)."""
    import copy

    merged: list[nbformat.NotebookNode] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (previous is not None and output.get("output_type") == "stream"
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = previous.get("text", "") + output.get("text", "")
            continue
        merged.append(copy.deepcopy(output) if output.get("output_type") == "stream" else output)
    return merged


def language_notebook(notebook: nbformat.NotebookNode, lang: str, default: str = "en") -> nbformat.NotebookNode:
    """A copy for ``lang``'s notebook page: its prose variant in place of each localised Markdown
    group, its outputs (see ``select_outputs``), streams merged, execution counts from 1, and no
    ``<style>`` from a cell or an output (the page keeps nbconvert's stylesheet only)."""
    import copy

    page = copy.deepcopy(notebook)
    cells: list[nbformat.NotebookNode] = []
    count = 0
    for kind, item in prose_groups(page):
        if kind == "markdown":
            assert isinstance(item, dict)
            text = prose_in(item, lang)
            if _MATH_MARKS.search(text):
                # formulas as on the entry pages (MathML, no script): the cell goes to the notebook
                # page already rendered (and sanitized), which nbconvert passes through as HTML
                text = _markdown(text)
            cell = nbformat.v4.new_markdown_cell(_STYLE_RE.sub("&lt;", text))
            cell.id = f"prose-{len(cells) + 1}"  # not nbformat's random id: the page is the same at every build
            if lang != default:
                cell.metadata["lang"] = lang
            cells.append(cell)
            continue
        cell = item
        assert isinstance(cell, nbformat.NotebookNode)
        cell.outputs = merge_streams(select_outputs(cell.get("outputs", []), lang, default))
        if cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = count
        for output in cell.outputs:
            data = output.get("data", {})
            for mime in ("text/html", "text/markdown", "image/svg+xml"):
                if mime in data:
                    text = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                    data[mime] = _STYLE_RE.sub("&lt;", text)
        cells.append(cell)
    page.cells = cells
    return page


_STYLE_RE = re.compile(r"<(?=\s*/?\s*style)", re.I)
_MATH_MARKS = re.compile(r"\$|\\\(|\\\[")  # what may open a formula (glossary_tools.math)


def _markdown(text: str) -> str:
    import markdown

    from ..math import MathExtension
    from ..sanitize import clean

    # formulas as on entry pages (MathML); the site's allowlist, which keeps MathML, not nh3's default
    return clean(markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists", MathExtension()]))


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk (the browser reserves the space before it loads)."""
    if len(data) >= 24 and data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if 0 < width < 100_000 and 0 < height < 100_000:
            return width, height
    return None


def _code(source: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return str(highlight(source, PythonLexer(), HtmlFormatter(cssclass="highlight", wrapcode=True)))


def render(notebook: nbformat.NotebookNode, name: str, lang: str, asset_url: str,
           notebook_url: str | None = None, default: str = "en") -> Rendered:
    """HTML for ``lang``'s page; ``asset_url`` is where the images will be served from.

    Definition first: each code cell is a closed ``<details>`` (its outputs stay visible), the
    outputs are ``lang``'s (``select_outputs``) with consecutive prints merged, and each image has
    its CSS width and height and an alt text (the figure's own, or a sentence naming the example).
    """
    images: dict[str, bytes] = {}
    parts = [f'<div class="glossary-example" data-example="{html.escape(name)}">']
    meta = notebook.metadata.get("glossary", {})
    parts.append(f'<h2 id="example-{html.escape(name)}">{html.escape(label(lang, "example"))}: '
                 f'<code>{html.escape(name)}</code></h2>')
    if meta:
        line = label(lang, "example_meta", device=html.escape(str(meta.get("device", "?"))).upper(),
                     torch=html.escape(str(meta.get("torch", "?"))), seconds=meta.get("seconds", "?"))
        if meta.get("quick"):
            line += " " + label(lang, "example_quick")
        parts.append(f'<p class="glossary-example-meta">{line}')
        if notebook_url:
            parts.append(f' <a href="{html.escape(notebook_url)}">{html.escape(label(lang, "notebook"))}</a>')
        parts.append("</p>")
    first_markdown = True
    for kind, item in prose_groups(notebook):
        if kind == "markdown":
            assert isinstance(item, dict)
            text = prose_in(item, lang)
            if first_markdown and text.lstrip().startswith("# "):
                text = text.lstrip().split("\n", 1)[1] if "\n" in text.lstrip() else ""
            first_markdown = False
            if text.strip():
                parts.append(f'<div class="glossary-example-prose">{_markdown(text)}</div>')
            continue
        cell = item
        assert isinstance(cell, nbformat.NotebookNode)
        if not cell.source.strip():
            continue
        summary = html.escape(label(lang, "show_code"))
        parts.append(f'<details class="glossary-example-code"><summary>{summary}</summary>'
                     f'{_code(cell.source)}</details>')
        for output in merge_streams(select_outputs(cell.get("outputs", []), lang, default)):
            parts.append(_output(output, images, asset_url, name, lang))
    parts.append("</div>")
    return Rendered("\n".join(p for p in parts if p), images)


def _image_size(output: nbformat.NotebookNode, raw: bytes) -> tuple[int, int] | None:
    """CSS width and height: the output's own (``metadata["image/png"]``), else the PNG's pixels."""
    declared = output.get("metadata", {}).get("image/png", {})
    if isinstance(declared, dict):
        width, height = declared.get("width"), declared.get("height")
        if isinstance(width, int | float) and isinstance(height, int | float) and width > 0 and height > 0:
            return round(width), round(height)
    return png_size(raw)


_DEFAULT_ALT = re.compile(r"^\s*<(Figure|matplotlib\.)[^>]*>\s*$")


def _output(output: nbformat.NotebookNode, images: dict[str, bytes], asset_url: str, name: str,
            lang: str = "en") -> str:
    kind = output.get("output_type")
    if kind == "stream":
        stream = "stderr" if output.get("name") == "stderr" else "stdout"
        return f'<pre class="glossary-output glossary-{stream}">{html.escape(output.get("text", ""))}</pre>'
    if kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        if "image/png" in data:
            raw = base64.b64decode(data["image/png"])
            file_name = hashlib.sha256(raw).hexdigest()[:20] + ".png"
            images[file_name] = raw
            text = str(data.get("text/plain", ""))
            alt = html.escape(label(lang, "plot_alt", name=name) if not text.strip() or _DEFAULT_ALT.match(text)
                              else text)
            size = _image_size(output, raw)
            dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
            return (f'<figure class="glossary-plot"><img src="{asset_url}/{file_name}" alt="{alt}"{dims} '
                    f'loading="lazy"></figure>')
        if "text/html" in data:
            import nh3

            return f'<div class="glossary-output-html">{nh3.clean(str(data["text/html"]))}</div>'
        if "text/plain" in data:
            return f'<pre class="glossary-output">{html.escape(str(data["text/plain"]))}</pre>'
    return ""


_PAGE_STYLE_RE = re.compile(r"<style[^>]*>(.*?)</style\s*>", re.S | re.I)
_DATA_IMG_RE = re.compile(r'<img\b[^>]*?\bsrc="data:image/png;base64,([A-Za-z0-9+/=\s]+)"[^>]*>', re.S | re.I)


class NotebookPages:
    """What the notebook pages share, taken out of each page so a page stays small.

    mkdocs-jupyter inlines nbconvert's stylesheet (about 600 KB) and every image as a data URL in
    each page: the stylesheet becomes one file (``STYLESHEET``) linked from each notebook page,
    and each image a file beside the entry pages' plots, with its CSS size and its alt text (the
    figure's own, from the notebook: nbconvert writes "No description has been provided").
    """

    STYLESHEET = "assets/glossary-notebook.css"

    def __init__(self) -> None:
        self.images: dict[str, bytes] = {}
        self._described: dict[str, tuple[str, tuple[int, int] | None]] = {}
        self._css: list[str] = []

    def add(self, notebook: nbformat.NotebookNode, name: str, lang: str) -> None:
        """Record the alt text and size of each image of a language's notebook page."""
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" not in data:
                    continue
                raw = base64.b64decode(data["image/png"])
                text = str(data.get("text/plain", ""))
                alt = label(lang, "plot_alt", name=name) if not text.strip() or _DEFAULT_ALT.match(text) else text
                self._described[hashlib.sha256(raw).hexdigest()] = (alt, _image_size(output, raw))

    def page_content(self, content: str, url: Callable[[str], str], assets: str) -> str:
        """``content`` without its ``<style>`` elements (kept for the stylesheet) and with its
        images as files; ``url`` makes a site path relative to the page."""
        for css in _PAGE_STYLE_RE.findall(content):
            if css not in self._css:
                self._css.append(css)
        content = _PAGE_STYLE_RE.sub("", content)

        def image(match: re.Match[str]) -> str:
            raw = base64.b64decode("".join(match.group(1).split()))
            digest = hashlib.sha256(raw).hexdigest()
            file_name = digest[:20] + ".png"
            self.images[file_name] = raw
            alt, size = self._described.get(digest, ("", png_size(raw)))
            dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
            return (f'<img src="{html.escape(url(f"{assets}/{file_name}"))}" alt="{html.escape(alt)}"{dims} '
                    f'loading="lazy">')

        return _DATA_IMG_RE.sub(image, content)

    def link_stylesheet(self, output: str, href: str) -> str:
        link = f'<link rel="stylesheet" href="{html.escape(href)}">'
        return output.replace("</head>", link + "\n</head>", 1) if "</head>" in output else output

    def stylesheet_path(self) -> str:
        return self.STYLESHEET

    def write_stylesheet(self, site_dir: Path) -> None:
        if self._css:
            target = site_dir / self.STYLESHEET
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(self._css), encoding="utf-8")
