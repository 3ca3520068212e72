"""Examples per language: output selection, merged prints, collapsed code, figure size and alt text,
the notebook page's copy per language, and the helper examples draw with (issue 12)."""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402

from glossary_tools import sanitize  # noqa: E402
from glossary_tools.notebooks import i18n  # noqa: E402
from glossary_tools.notebooks.render import (  # noqa: E402
    NotebookPages,
    language_notebook,
    merge_streams,
    png_size,
    render,
    select_outputs,
)

out = nbformat.v4


def png(width: int, height: int, color: str = "red") -> bytes:
    fig = plt.figure(figsize=(width / 100, height / 100), dpi=100)
    fig.patch.set_facecolor(color)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()


def image(raw: bytes, alt: str, lang: str | None = None, size: tuple[int, int] | None = None):  # type: ignore[no-untyped-def]
    metadata: dict = {}
    if size:
        metadata["image/png"] = {"width": size[0], "height": size[1]}
    if lang:
        metadata["glossary"] = {"lang": lang}
    return out.new_output("display_data", data={"image/png": base64.b64encode(raw).decode(), "text/plain": alt},
                          metadata=metadata)


def said(text: str, lang: str):  # type: ignore[no-untyped-def]
    return out.new_output("display_data", data={"text/plain": text}, metadata={"glossary": {"lang": lang}})


def stream(text: str, name: str = "stdout"):  # type: ignore[no-untyped-def]
    return out.new_output("stream", name=name, text=text)


def notebook() -> nbformat.NotebookNode:
    nb = out.new_notebook()
    title = out.new_markdown_cell("# Title\nEnglish prose.")
    pt = out.new_markdown_cell("# Título\nTexto em português.")
    pt.metadata["lang"] = "pt"
    setup_numbered = out.new_code_cell("for i in range(3):\n    print(i)", execution_count=2)
    setup_numbered.outputs = [stream("0\n"), stream("1\n"), stream("warn\n", "stderr"), stream("2\n")]
    figure = out.new_code_cell("draw()", execution_count=3)
    figure.outputs = [
        image(png(200, 100, "red"), "Loss; horizontal axis: epoch", "en", (300, 150)),
        image(png(200, 100, "blue"), "Perda; eixo horizontal: época", "pt", (300, 150)),
        image(png(200, 100, "green"), "Pérdida; eje horizontal: época", "es", (300, 150)),
        image(png(120, 80), "<Figure size 1000x400 with 2 Axes>"),
        said("claim holds: 2 > 1", "en"), said("a afirmação se confirma: 2 > 1", "pt"),
        said("la afirmación se cumple: 2 > 1", "es"),
    ]
    nb.cells = [title, pt, setup_numbered, figure]
    nb.metadata["glossary"] = {"device": "cpu", "quick": True, "seconds": 1.0, "torch": "2"}
    return nb


def test_select_outputs_keeps_the_page_language_and_untagged_ones() -> None:
    outputs = notebook().cells[3].outputs
    texts = [o["data"]["text/plain"] for o in select_outputs(outputs, "pt", "en")]
    assert texts == ["Perda; eixo horizontal: época", "<Figure size 1000x400 with 2 Axes>",
                     "a afirmação se confirma: 2 > 1"]
    fallback = [o["data"]["text/plain"] for o in select_outputs(outputs, "fr", "en")]
    assert fallback[0].startswith("Loss") and "claim holds: 2 > 1" in fallback  # no French: the default's


def test_consecutive_prints_are_one_box() -> None:
    merged = merge_streams(notebook().cells[2].outputs)
    assert [(o["name"], o["text"]) for o in merged] == [("stdout", "0\n1\n"), ("stderr", "warn\n"), ("stdout", "2\n")]
    original = notebook().cells[2].outputs
    merge_streams(original)
    assert original[0]["text"] == "0\n"  # the cached notebook is not changed


def test_entry_block_code_collapsed_figure_sized_and_described() -> None:
    html = render(notebook(), "demo", "pt", "../assets/examples", "../../pt/examples/demo/").html
    kept = sanitize.clean(html)  # what the site publishes
    assert "<details" in kept and "<summary>" in kept and 'width="300" height="150"' in kept
    code = re.findall(r'<details class="glossary-example-code"( open)?><summary>([^<]+)</summary>', html)
    assert code and all(not opened and summary == "Mostrar o código" for opened, summary in code)
    assert html.count('<pre class="glossary-output glossary-stdout">') == 2  # 0 1 / warn / 2
    images = re.findall(r'<img src="[^"]+" alt="([^"]*)"( width="\d+" height="\d+")?', html)
    assert images == [("Perda; eixo horizontal: época", ' width="300" height="150"'),
                      ("Gráfico desenhado pelo exemplo demo", ' width="120" height="80"')]
    assert "a afirmação se confirma" in html and "claim holds" not in html and "Loss" not in html
    assert 'href="../../pt/examples/demo/"' in html
    english = render(notebook(), "demo", "en", "../assets/examples").html
    src = re.compile(r'<img src="([^"]+)"')
    assert src.findall(html)[0] != src.findall(english)[0]  # each language its own image file
    assert src.findall(html)[1] == src.findall(english)[1]  # an untagged plot is shared


def test_language_notebook_for_the_notebook_page() -> None:
    page = language_notebook(notebook(), "pt", "en")
    assert [c.cell_type for c in page.cells] == ["markdown", "code", "code"]
    assert page.cells[0].source.startswith("# Título")
    assert [c.execution_count for c in page.cells if c.cell_type == "code"] == [1, 2]  # In [1] first
    texts = [o["data"].get("text/plain") for o in page.cells[2].outputs]
    assert "a afirmação se confirma: 2 > 1" in texts and "claim holds: 2 > 1" not in texts
    assert len(page.cells[1].outputs) == 3
    english = language_notebook(notebook(), "en", "en")
    assert english.cells[0].source.startswith("# Title") and "lang" not in english.cells[0].metadata


def test_notebook_page_loses_inline_css_and_data_images() -> None:
    nb = language_notebook(notebook(), "es", "en")
    pages = NotebookPages()
    pages.add(nb, "demo", "es")
    data = nb.cells[2].outputs[0]["data"]["image/png"]
    content = (f'<style>.jp-Cell {{ color: red }}</style><div class="jp-RenderedImage">'
               f'<img alt="No description has been provided for this image" src="data:image/png;base64,{data}"\n'
               f'width=300\nheight=150></div>')
    cleaned = pages.page_content(content, lambda path: "../../" + path, "assets/examples")
    assert "<style" not in cleaned and "data:image" not in cleaned
    match = re.search(r'<img src="\.\./\.\./assets/examples/(\w+)\.png" alt="([^"]+)" width="300" height="150"', cleaned)
    assert match and match.group(2) == "Pérdida; eje horizontal: época"
    assert match.group(1) + ".png" in pages.images
    linked = pages.link_stylesheet("<html><head></head></html>", "../../assets/glossary-notebook.css")
    assert '<link rel="stylesheet" href="../../assets/glossary-notebook.css">\n</head>' in linked


def test_png_size_reads_the_header() -> None:
    assert png_size(png(123, 45)) == (123, 45)
    assert png_size(b"not a png") is None


@pytest.mark.parametrize("lang, words", [("en", "horizontal axis"), ("pt", "eixo horizontal"),
                                         ("es", "eje horizontal")])
def test_alt_text_from_title_axes_and_legend(lang: str, words: str) -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1], label="residual")
    ax.set(title="Loss\ncurve", xlabel="epoch", ylabel="loss")
    ax.legend()
    text = i18n.describe(fig, lang)
    plt.close(fig)
    assert text.startswith("Loss curve; ") and f"{words}: epoch" in text and "residual" in text


def test_figure_text_is_legible_on_a_phone() -> None:
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([1, 10, 100])
    ax.set(xlabel="epoch", title="t")
    ax.annotate("small", (1, 1), fontsize=6)
    i18n.legible(fig)
    fig.canvas.draw()
    smallest = i18n.min_font_points(fig)
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text() and t.get_visible()]
    sizes += [t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    plt.close(fig)
    assert min(sizes) >= smallest - 1e-6
    # shown PHONE_PX wide, the smallest text is at least 10 CSS px high
    assert smallest / 72 * 96 * i18n.PHONE_PX / (6 * 96) >= 10 - 1e-6


def test_languages_come_english_first() -> None:
    assert [lang for lang, _ in i18n.figure_languages({"pt": 1, "es": 2, "en": 3})] == ["en", "es", "pt"]
