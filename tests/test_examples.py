"""Every example runs (reduced size), passes its own assertion and draws a plot."""

from __future__ import annotations

import pytest

from glossary_tools.notebooks.render import output_language
from glossary_tools.project import load_project

from .conftest import REPO

EXAMPLES = load_project(REPO).example_names()


def test_there_are_examples() -> None:
    assert "mnist_mlp" in EXAMPLES


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_runs_and_plots(name: str, executed_examples) -> None:  # type: ignore[no-untyped-def]
    result = executed_examples.results[name]
    assert result.status == "executed", result.error
    outputs = [o for c in result.notebook.cells for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{name} draws no plot"
    assert any(o.get("output_type") == "stream" for o in outputs), f"{name} prints no figures"
    prose = [c for c in result.notebook.cells if c.cell_type == "markdown"]
    langs = {c.metadata.get("lang", "en") for c in prose}
    assert {"en", "pt", "es"} <= langs, f"{name} prose is not localised: {langs}"
    # every figure and the final conclusion exist once per language (glossary_tools.notebooks.i18n)
    figures = [output_language(o) for o in outputs if "image/png" in o.get("data", {})]
    assert figures.count("en") == figures.count("pt") == figures.count("es") > 0 and None not in figures, figures
    for lang, opening in (("en", "claim holds"), ("pt", "a afirmação se confirma"), ("es", "la afirmación se cumple")):
        said = [o["data"]["text/plain"] for o in outputs if output_language(o) == lang and "image/png" not in o["data"]]
        assert any(text.startswith(opening) for text in said), (name, lang, said)
    alts = [o["data"]["text/plain"] for o in outputs if output_language(o) == "pt" and "image/png" in o["data"]]
    assert all(alt and not alt.startswith("<Figure") for alt in alts), alts
    sizes = [o["metadata"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    assert all(size["width"] <= 6.5 * 96 for size in sizes), f"{name}: a figure wider than 6.5 inches: {sizes}"
