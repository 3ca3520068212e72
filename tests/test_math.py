"""Formulas: the Markdown extension (glossary_tools.math), its bounds, and the check's math-syntax rule."""

from __future__ import annotations

import time
from pathlib import Path

import markdown
import pytest

from glossary_tools import math, sanitize
from glossary_tools.cli import main

EXTENSIONS = ["toc", "admonition", "attr_list", "md_in_html", "tables", "pymdownx.highlight", "pymdownx.superfences"]


def render(text: str) -> tuple[str, list[tuple[math.Formula, str]]]:
    md = markdown.Markdown(extensions=[*EXTENSIONS, "glossary_tools.math"])
    html = md.convert(text)
    return html, list(md.glossary_math_errors)


def test_inline_dollars_become_inline_mathml() -> None:
    html, errors = render(r"The sigmoid $\sigma(z) = \frac{1}{1+e^{-z}}$ squashes.")
    assert errors == []
    assert html.startswith('<p>The sigmoid <span class="glossary-math"><math display="inline">')
    assert "<mfrac>" in html and "<mi>σ</mi>" in html and "$" not in html


def test_paren_delimiters_are_inline_and_bracket_delimiters_display() -> None:
    html, _ = render(r"Both \(a+b\) and \[c^2\] here.")
    assert '<span class="glossary-math"><math display="inline"><mrow><mi>a</mi><mo>+</mo><mi>b</mi>' in html
    assert '<span class="glossary-math glossary-math-display"><math display="block">' in html
    assert "\\(" not in html and "\\[" not in html


def test_display_block_is_a_div_even_when_its_lines_look_like_markdown() -> None:
    html, errors = render("Text.\n\n$$\n- a\n+ b\n# c\n$$\n\nMore.")
    assert errors == []
    assert '<div class="glossary-math glossary-math-display"><math display="block">' in html
    assert "<ul>" not in html and "<h1" not in html and "<p><div" not in html


def test_bracket_display_block_alone() -> None:
    html, _ = render("\\[\nx^2\n\\]")
    assert html.startswith('<div class="glossary-math glossary-math-display"><math display="block">')


@pytest.mark.parametrize("text", [
    "It costs $5 and $10 today.",
    "Between $ 4 $ and 2000$.",
    "Prices: $3.50, $4.",
    "Two dollars $$ alone",
])
def test_currency_is_not_math(text: str) -> None:
    html, errors = render(text)
    assert "<math" not in html and errors == []
    assert "$" in html


def test_escaped_dollars_are_dollars() -> None:
    html, _ = render(r"Escaped \$x\$ stays text.")
    assert html == "<p>Escaped $x$ stays text.</p>"


def test_escaped_backslash_before_dollar_still_opens_math() -> None:
    html, _ = render(r"A \\$y$ here.")
    assert html.startswith("<p>A \\<span") and "<mi>y</mi>" in html


def test_code_spans_and_fences_are_never_math() -> None:
    html, errors = render("Code `$x$` and `\\(y\\)`.\n\n```\n$$z$$\n```\n\nand $a `b` c$.")
    assert "<math" not in html and errors == []
    assert "<code>$x$</code>" in html and "$$z$$" in html


def test_math_inside_lists_and_quotes() -> None:
    html, _ = render("- item $x_i$\n\n> $$\n> a\n> $$")
    assert html.count("<math") == 2


def test_bad_formula_is_shown_as_source_and_recorded() -> None:
    html, errors = render("Bad $\\frac{1}{$ and $x^$ and $\\foo + 1$.")
    assert [message for _, message in errors] == [
        "the formula does not parse (no available tokens)",
        "the formula does not parse (missing super script or subscript)",
        "unknown command \\foo",
    ]
    assert [formula.source for formula, _ in errors] == ["$\\frac{1}{$", "$x^$", "$\\foo + 1$"]
    assert '<code class="glossary-math-error" title="unknown command \\foo">$\\foo + 1$</code>' in html


def test_hostile_formulas_produce_no_link_script_or_style() -> None:
    html, _ = render(r"$\href{javascript:alert(1)}{x}$ $\text{<script>alert(1)</script>}$ "
                     r"$\color{red}{x}$ $\style{color:red}{x}$")
    assert "href" not in html and "<script" not in html and "mathcolor" not in html and "style=" not in html
    assert "&lt;script&gt;" in html
    assert sanitize.clean(html) == html  # nothing left for the sanitizer to remove


def test_macro_definitions_are_refused() -> None:
    _, errors = render(r"$\def\a{\a\a}\a$ and $\newcommand{\b}{\b\b}\b$")
    assert len(errors) == 2 and all("macro definitions" in message for _, message in errors)


@pytest.mark.parametrize(("text", "message"), [
    ("$" + "{" * 200 + "x" + "}" * 200 + "$", "nests 200 groups deep"),
    ("$" + "\\left(" * 30 + "x" + "\\right)" * 30 + "$", "nests 30 groups deep"),
    ("$" + "\\frac1" * 600 + "1$", "nests too deeply"),
    ("$$" + "x+" * 2100 + "x$$", "4,201 characters long"),
])
def test_hostile_sizes_are_bounded(text: str, message: str) -> None:
    start = time.perf_counter()
    html, errors = render(text)
    assert time.perf_counter() - start < 2
    assert len(errors) == 1 and message in errors[0][1]


def test_a_formula_too_long_is_an_error_not_a_scan() -> None:
    html, errors = render("$" + "x" * (math.MAX_FORMULA + 10) + "$")
    assert "<math" not in html and len(errors) == 1 and "characters long" in errors[0][1]


def test_unclosed_openers_stay_linear() -> None:
    # every opener would rescan to the end of the paragraph without the bound and the memo
    for text in ("\\( a " * 4000, "\\[ a " * 4000, "$a " * 20000, "$a" + "\\$" * 10000):
        start = time.perf_counter()
        render(text)
        assert time.perf_counter() - start < 3, text[:10]


def test_too_many_formulas_are_one_error_and_the_rest_stays_text() -> None:
    html, errors = render("$x$ " * (math.MAX_FORMULAS + 20))
    assert html.count("<math") == math.MAX_FORMULAS
    assert len(errors) == 1 and "more than 1,000 formulas" in errors[0][1]
    assert html.count("$x$") == 20  # 1 shown as an error, 19 left as text


def test_a_paragraph_of_formulas_stays_linear() -> None:
    # Python-Markdown rebuilds a paragraph's text for every match: past MAX_FORMULAS nothing matches
    times = []
    for n in (20_000, 80_000):
        start = time.perf_counter()
        render("$\\frac{a}{b}$ " * n)
        times.append(time.perf_counter() - start)
    assert times[1] < 8 * max(times[0], 0.05), times


def test_formula_at_memo_agrees_with_a_fresh_scan() -> None:
    import random

    rng = random.Random(7)
    pieces = ["$", "$$", "\\", "(", ")", "[", "]", "a", " ", "1", "\x02"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        memo: dict[str, tuple[int, int, int]] = {}
        for i in range(len(text)):
            assert math.formula_at(text, i, memo) == math.formula_at(text, i), (text, i)


def test_mathml_passes_the_sanitizer_unchanged() -> None:
    html, _ = render(r"$$\operatorname{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z < 0 \end{cases}, "
                     r"\quad \hat{x} = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \quad \sum_{i=1}^{n} \mathbf{w}_i$$")
    assert "<mtable>" in html or "<mtd>" in html
    assert sanitize.clean(html) == html
    assert sanitize.findings(html) == []


def test_sanitizer_drops_mathml_links_and_integration_points() -> None:
    dirty = ('<math><mrow href="javascript:alert(1)" xlink:href="x" onclick="y" style="color:red" '
             'mathbackground="red"><mi>x</mi></mrow><annotation-xml><b>x</b></annotation-xml>'
             '<maction actiontype="toggle"><mi>a</mi></maction></math>')
    cleaned = sanitize.clean(dirty)
    for word in ("href", "onclick", "style", "mathbackground", "annotation-xml", "maction"):
        assert word not in cleaned
    found = {(f.tag, f.attribute) for f in sanitize.findings(dirty)}
    assert ("mrow", "href") in found and ("mrow", "onclick") in found and ("maction", None) in found


def test_lightbox_wrapper_is_kept_but_narrowed() -> None:
    wrapper = ('<a class="glightbox" href="../x.png" data-type="image" data-width="auto" data-height="auto" '
               'data-desc-position="bottom"><img src="../x.png" alt="plot" width="640" height="480"></a>')
    assert sanitize.clean(wrapper) == wrapper
    hostile = ('<a class="glightbox" href="https://e.org/" data-type="iframe" data-width="1px;x" '
               'data-title="&lt;img src=x onerror=alert(1)&gt;" data-description="d" data-glightbox="title: x">y</a>')
    assert sanitize.clean(hostile) == '<a class="glightbox" href="https://e.org/">y</a>'
    # written by an author (before mkdocs-glightbox wraps the images), the class itself goes
    assert sanitize.clean(hostile, authored=True) == '<a class="" href="https://e.org/">y</a>' or \
        sanitize.clean(hostile, authored=True) == '<a href="https://e.org/">y</a>'


def test_png_size_reads_the_header() -> None:
    from glossary_tools.notebooks.render import png_size

    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
    assert png_size(header + b"\x08\x06\x00\x00\x00") == (640, 480)
    assert png_size(b"GIF89a" + b"\x00" * 30) is None
    assert png_size(header[:20]) is None


def test_notebook_prose_renders_formulas() -> None:
    from glossary_tools.notebooks.render import _markdown

    html = _markdown("The loss is $L = -\\log p$, costs $5 and $10.")
    assert "<math" in html and "$5 and $10" in html


def test_wanted_unless_present_or_arithmatex() -> None:
    assert math.wanted(["toc", "attr_list"])
    assert not math.wanted(["toc", "glossary_tools.math"])
    assert not math.wanted(["pymdownx.arithmatex"])
    assert not math.wanted([math.MathExtension()])


def _project(tmp_path: Path, body: str) -> Path:
    from .conftest import FIXTURE_SITE

    project = tmp_path / "project"
    import shutil

    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    entry = project / "content/glossary/gamma.en.md"
    entry.write_text(entry.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body, encoding="utf-8")
    return project


def test_check_reports_a_bad_formula_at_its_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, "Fine $x$ here.\n\nThe rate is $\\frac{1}{$ and\nthen $$\n\\foo\n$$ ends.\n")
    lines = (project / "content/glossary/gamma.en.md").read_text(encoding="utf-8").splitlines()
    bad = next(i for i, line in enumerate(lines, 1) if "\\frac{1}{" in line)
    monkeypatch.chdir(project)
    code = main(["check", "--format", "json"])
    import json

    report = json.loads(capsys.readouterr().out)
    found = [(d["line"], d["column"], d["message"]) for d in report["diagnostics"] if d["rule"] == "math-syntax"]
    assert code == 1
    assert found == [
        (bad, lines[bad - 1].index("$") + 1, "this formula cannot be shown: the formula does not parse (no available tokens)"),
        (bad + 1, lines[bad].index("$$") + 1, "this formula cannot be shown: unknown command \\foo"),
    ]


def test_check_passes_good_formulas_without_unsafe_html(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, "$$\n\\delta^{(\\ell)} = \\bigl(W^{(\\ell+1)}\\bigr)^{\\top} \\delta^{(\\ell+1)} "
                                 "\\odot f'\\bigl(z^{(\\ell)}\\bigr)\n$$\n\nand $\\mathbf{y} = \\mathbf{x} + F(\\mathbf{x})$.\n")
    monkeypatch.chdir(project)
    assert main(["check", "--format", "json"]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert [d for d in report["diagnostics"] if d["rule"] in ("math-syntax", "unsafe-html")] == []


@pytest.mark.parametrize("heading", [
    "## The $\\sigma(z)$ function",
    "## Costs $5 and $10",
    "## Bad $\\foo$ one",
    "## \\(a+b\\) and \\[c\\]",
    "## Greek $\\alpha\\beta$ and $x_1$ {#explicit}",
])
def test_heading_anchors_from_the_source_match_the_toc(heading: str) -> None:
    from glossary_tools import body

    md = markdown.Markdown(extensions=["toc", "attr_list", "glossary_tools.math"])
    md.convert(heading + "\n")
    assert body.headings(heading + "\n")[0].value == md.toc_tokens[0]["id"]  # type: ignore[attr-defined]


def test_check_reports_a_bad_formula_in_an_example_at_its_script_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, "")
    script = project / "examples/tiny.py"
    text = script.read_text(encoding="utf-8").replace(
        "# A perda é $L = 1/x$.\n", "# A perda é $L = 1/x$, e `$nada$` é código,\n# mas $\\frac{1}{$ não.\n")
    script.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "\\frac{1}{" in row)
    monkeypatch.chdir(project)
    assert main(["check", "--format", "json"]) == 1
    import json

    found = [(d["path"], d["line"], d["column"]) for d in json.loads(capsys.readouterr().out)["diagnostics"]
             if d["rule"] == "math-syntax"]
    assert found == [("examples/tiny.py", line, text.splitlines()[line - 1].index("$") + 1)]
