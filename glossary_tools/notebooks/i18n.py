"""Per-language figures and conclusions for the runnable examples (imported inside the kernel).

Training runs once; drawing is cheap. An example keeps one label table per language and draws
each figure once per language::

    from glossary_tools.notebooks.i18n import figure_languages, say, show

    LABELS = {
        "en": {"title": "Training loss", "x": "epoch", "y": "loss"},
        "pt": {"title": "Perda no treino", "x": "época", "y": "perda"},
        "es": {"title": "Pérdida en el entrenamiento", "x": "época", "y": "pérdida"},
    }
    for lang, t in figure_languages(LABELS):
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(losses)
        ax.set(title=t["title"], xlabel=t["x"], ylabel=t["y"])
        show(fig, lang=lang)            # alt text from the title and axes, or alt=t["alt"]

    say({"en": f"claim holds: {acc:.1%}", "pt": f"a afirmação se confirma: {acc:.1%}", "es": ...})

``show`` displays a high-DPI PNG with its CSS width and height and the alt text as the output's
``text/plain``, tagged ``metadata={"glossary": {"lang": lang}}``; ``say`` prints one text per
language the same way. The site's renderer shows, for each cell, the outputs tagged with the
page's language (the default language's where the cell has none for it) and every untagged output.

Legibility: before saving, every text of the figure is raised to the size that stays at least
``MIN_TEXT_PX`` CSS pixels when the figure is shown ``PHONE_PX`` (340) CSS pixels wide, a little
under the content column of a 390 px phone, so a figure
wider than about 6.5 inches should be drawn narrower (stack two panels vertically).
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

DPI = 192  # two device pixels per CSS pixel (matplotlib's figure inch is 96 CSS px here)
CSS_PX_PER_INCH = 96
PHONE_PX = 340  # a little under the content column at a 390 px viewport (about 358 px)
MIN_TEXT_PX = 10
METADATA_KEY = "glossary"

_AXIS_WORDS = {
    "en": ("horizontal axis", "vertical axis", "legend"),
    "pt": ("eixo horizontal", "eixo vertical", "legenda"),
    "es": ("eje horizontal", "eje vertical", "leyenda"),
}


def figure_languages(labels: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """``(lang, labels[lang])`` for each language of the table, English first."""
    order = sorted(labels, key=lambda lang: (lang != "en", lang))
    for lang in order:
        yield lang, labels[lang]


def min_font_points(fig: Any) -> float:
    """The smallest font size (points) that is MIN_TEXT_PX CSS px at PHONE_PX column width."""
    width_inches = float(fig.get_size_inches()[0])
    return MIN_TEXT_PX * 72.0 * width_inches / PHONE_PX


def legible(fig: Any) -> None:
    """Raise every text in the figure to ``min_font_points`` and re-run the layout."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    smallest = min_font_points(fig)
    for text in fig.findobj(Text):
        if text.get_text() and text.get_fontsize() < smallest:
            text.set_fontsize(smallest)
    for ax in fig.axes:  # tick labels are re-created at draw time from the axis' tick settings
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            default = FontProperties(size=rcParams["xtick.labelsize" if name == "x" else "ytick.labelsize"]
                                     ).get_size_in_points()
            current = max((t.get_fontsize() for t in axis.get_ticklabels(which="both")), default=default)
            if current < smallest:
                ax.tick_params(axis=name, which="both", labelsize=smallest)
    if not fig.get_constrained_layout():
        with contextlib.suppress(ValueError, RuntimeError):  # a layout that cannot be tightened is still shown
            fig.tight_layout()


_MATHDEFAULT = re.compile(r"\$?\\mathdefault\{([^}]*)\}\$?")


def _plain(text: str) -> str:
    """A label as a reader sees it: matplotlib's ``$\\mathdefault{3}$`` tick and legend text is ``3``."""
    return _MATHDEFAULT.sub(r"\1", text)


def describe(fig: Any, lang: str) -> str:
    """Alt text from the figure: its title, and each axes' title, axis labels and legend."""
    horizontal, vertical, legend_word = _AXIS_WORDS.get(lang, _AXIS_WORDS["en"])
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        parts.append(suptitle.get_text())
    for ax in fig.axes:
        bits = []
        if ax.get_title():
            bits.append(ax.get_title())
        if ax.get_xlabel():
            bits.append(f"{horizontal}: {ax.get_xlabel()}")
        if ax.get_ylabel():
            bits.append(f"{vertical}: {ax.get_ylabel()}")
        legend = ax.get_legend()
        if legend is not None:
            entries = [_plain(t.get_text()) for t in legend.get_texts() if t.get_text()]
            if entries:
                bits.append(f"{legend_word}: " + ", ".join(entries))
        if bits:
            parts.append("; ".join(bits))
    seen: list[str] = []
    for part in parts:  # image grids repeat one title per panel
        if part not in seen:
            seen.append(part)
    return " ".join(". ".join(seen[:6]).split())


def show(fig: Any, *, lang: str | None = None, alt: str | None = None) -> None:
    """Display ``fig`` as a 2x PNG with its CSS size and alt text, tagged with ``lang``; close it."""
    import matplotlib.pyplot as plt
    from IPython.display import publish_display_data

    legible(fig)
    text = " ".join((alt or describe(fig, lang or "en") or "figure").split())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    width_in, height_in = fig.get_size_inches()
    plt.close(fig)
    metadata: dict[str, Any] = {"image/png": {"width": round(width_in * CSS_PX_PER_INCH),
                                              "height": round(height_in * CSS_PX_PER_INCH)}}
    if lang:
        metadata[METADATA_KEY] = {"lang": lang}
    publish_display_data({"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": text},
                         metadata=metadata)


def say(texts: Mapping[str, str]) -> None:
    """One printed line (or block) per language, each tagged with its language."""
    from IPython.display import publish_display_data

    for lang, _ in figure_languages(texts):
        publish_display_data({"text/plain": texts[lang]}, metadata={METADATA_KEY: {"lang": lang}})
