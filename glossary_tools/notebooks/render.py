"""Render an executed notebook into an HTML block for one language's page.

Prose cells are localised: an untagged Markdown cell (the default language) may be
followed by variants with cell metadata ``lang="pt"`` etc.; each page shows its own
language's variant, or the untagged one. Images become files (shared by all languages)
instead of inline data, so pages stay small.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass, field

import nbformat

from ..labels import label


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


def default_language_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without the translated prose cells (``lang`` metadata): the notebook page's text."""
    import copy

    page = copy.deepcopy(notebook)
    page.cells = [c for c in page.cells if not (c.cell_type == "markdown" and c.metadata.get("lang"))]
    # the page keeps nbconvert's own stylesheet; a <style> from a cell or an output becomes text
    for cell in page.cells:
        if cell.cell_type == "markdown":
            cell.source = _STYLE_RE.sub("&lt;", cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("text/html", "text/markdown", "image/svg+xml"):
                if mime in data:
                    text = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                    data[mime] = _STYLE_RE.sub("&lt;", text)
    return page


_STYLE_RE = re.compile(r"<(?=\s*/?\s*style)", re.I)


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
           notebook_url: str | None = None) -> Rendered:
    """HTML for ``lang``'s page; ``asset_url`` is where the images will be served from."""
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
            text = item.get(lang) or item.get("") or next(iter(item.values()))
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
        parts.append(f'<div class="glossary-example-code">{_code(cell.source)}</div>')
        for output in cell.get("outputs", []):
            parts.append(_output(output, images, asset_url, name))
    parts.append("</div>")
    return Rendered("\n".join(p for p in parts if p), images)


def _output(output: nbformat.NotebookNode, images: dict[str, bytes], asset_url: str, name: str) -> str:
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
            alt = html.escape(data.get("text/plain", f"Plot from {name}"))
            size = png_size(raw)
            dimensions = f'width="{size[0]}" height="{size[1]}" ' if size else ""
            return (f'<figure class="glossary-plot"><img src="{asset_url}/{file_name}" alt="{alt}" '
                    f'{dimensions}loading="lazy"></figure>')
        if "text/html" in data:
            import nh3

            return f'<div class="glossary-output-html">{nh3.clean(str(data["text/html"]))}</div>'
        if "text/plain" in data:
            return f'<pre class="glossary-output">{html.escape(str(data["text/plain"]))}</pre>'
    return ""
