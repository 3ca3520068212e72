"""Formulas and zoomable figures on a built site: the fixture project built once, read as files and in
Chromium (a formula is MathML, a display formula scrolls inside its block on a phone, a tap on a plot
opens the lightbox, nothing is fetched from another host)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import FIXTURE_SITE, mkdocs_build
from .test_browser import _serve, chromium

pytestmark = pytest.mark.slow

# wider than a 390 px screen: the page must not scroll sideways because of it
WIDE = "$$" + " + ".join(f"\\frac{{\\partial L}}{{\\partial w_{{{i}}}}}" for i in range(1, 25)) + "$$"


# GLightbox would open any URL of an <a class="glightbox"> in a frame and show its title as HTML: only
# mkdocs-glightbox's own wrappers may carry the class
AUTHORED = '<a class="glightbox note" href="https://example.org/" title="&lt;b&gt;caption&lt;/b&gt;">authored link</a>'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("formulas") / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    entry = project / "content/glossary/alpha-net.en.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\nA long one:\n\n" + WIDE + "\n", encoding="utf-8")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def article(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def test_formulas_are_mathml_and_no_tex_is_left(built: Path) -> None:
    for prefix in ("", "pt/", "es/"):
        html = article(built, f"{prefix}glossary/alpha-net")
        assert '<div class="glossary-math glossary-math-display"><math display="block">' in html
        assert "<mfrac>" in html
        assert "$$" not in html and "\\frac" not in html and "\\sigma" not in html
    english = article(built, "glossary/alpha-net")
    assert '<span class="glossary-math"><math display="inline">' in english
    assert "costs $5 and $10, a literal $ stays a dollar, and <code>$code$</code> stays code" in english
    # the example's Markdown cell: the same extension, through render.py
    prose = re.search(r'<div class="glossary-example-prose">(.*?)</div>', english, re.S).group(1)
    assert "<math" in prose and "$L" not in prose


def test_figures_are_wrapped_for_the_lightbox_with_their_size(built: Path) -> None:
    html = (built / "es/glossary/alpha-net/index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="glossary-plot">(.*?)</figure>', html, re.S).group(1)
    link = re.match(r'<a ([^>]*)><img ([^>]*)></a>$', figure)
    assert link, figure
    assert 'class="glightbox"' in link.group(1) and 'data-type="image"' in link.group(1)
    assert "data-title" not in link.group(1) and "data-description" not in link.group(1)
    href = re.search(r'href="([^"]+\.png)"', link.group(1)).group(1)
    assert f'src="{href}"' in link.group(2)
    assert re.search(r'width="\d+" height="\d+"', link.group(2))
    scripts = re.findall(r'<script src="([^"]*glightbox[^"]*)"', html)
    assert scripts == ["../../../assets/javascripts/glightbox.min.js"]
    assert (built / "assets/javascripts/glightbox.min.js").is_file()
    assert (built / "assets/stylesheets/glightbox.min.css").is_file()
    assert 'id="init-glightbox"' in html
    english = article(built, "glossary/alpha-net")
    assert english.count('class="glightbox"') == english.count('<figure class="glossary-plot">') >= 1  # the plots' wrappers only
    index = (built / "glossary/index.html").read_text(encoding="utf-8")
    assert "<img" not in index and "glightbox" not in index  # a page without images loads no lightbox


def test_an_authored_lightbox_class_fails_the_build_at_its_line(tmp_path: Path) -> None:
    """The sanitizer takes the class off (test_sanitize), and the check says so before the build."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    entry = project / "content/glossary/alpha-net.en.md"
    text = entry.read_text(encoding="utf-8") + "\n" + AUTHORED + "\n"
    entry.write_text(text, encoding="utf-8")
    result = mkdocs_build(project, project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode != 0
    line = text.splitlines().index(AUTHORED) + 1
    column = AUTHORED.index("glightbox") + 1  # at the class it names
    assert (f"content/glossary/alpha-net.en.md:{line}:{column}: error[unsafe-html]: the site's sanitizer removes the "
            "'glightbox' class on <a>") in result.stderr, result.stderr


# --- in Chromium ---


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    yield from _serve(built)


@pytest.fixture(scope="module")
def phone():  # type: ignore[no-untyped-def]
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
        yield context
        context.close()


@pytest.mark.browser
def test_formula_is_laid_out_as_mathml_and_fits_a_phone(server: str, phone) -> None:  # type: ignore[no-untyped-def]
    page = phone.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/glossary/alpha-net/")
    formula = page.locator(".glossary-math-display math").first
    formula.wait_for()
    assert formula.evaluate("m => m.namespaceURI") == "http://www.w3.org/1998/Math/MathML"
    # laid out as a fraction: the numerator sits above the denominator
    above = page.evaluate("""() => {
        const frac = document.querySelector('.glossary-math-display mfrac');
        const [num, den] = frac.children;
        return num.getBoundingClientRect().bottom <= den.getBoundingClientRect().top + 1;
    }""")
    assert above
    text = page.locator("article").inner_text()
    assert "$$" not in text and "\\frac" not in text
    # the wide formula scrolls inside its own block; the page itself does not scroll sideways
    wide = page.locator(".glossary-math-display").last
    assert wide.evaluate("b => b.scrollWidth > b.clientWidth")
    assert wide.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    outside = [url for url in requests if not url.startswith(server) and not url.startswith("data:")]
    assert not outside, f"the page contacted other hosts: {outside}"
    page.close()


@pytest.mark.browser
def test_a_tap_on_a_plot_opens_it_full_screen(server: str, phone) -> None:  # type: ignore[no-untyped-def]
    page = phone.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/pt/glossary/alpha-net/")
    link = page.locator("figure.glossary-plot a.glightbox").first
    link.scroll_into_view_if_needed()
    link.tap()
    slide = page.locator(".glightbox-container .gslide-image img").first
    slide.wait_for(state="visible", timeout=10_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=slide.element_handle())
    # once the opening animation ends the plot spans the screen's whole width (inline it has margins),
    # over an overlay that covers the page
    inline_width = link.locator("img").evaluate("img => img.getBoundingClientRect().width")
    page.wait_for_function("img => img.getBoundingClientRect().width >= window.innerWidth - 1",
                           arg=slide.element_handle(), timeout=10_000)
    assert slide.evaluate("img => img.getBoundingClientRect().width") > inline_width
    overlay = page.locator(".goverlay").first.bounding_box()
    assert overlay is not None and overlay["width"] >= 390 and overlay["height"] >= 844
    assert page.url == f"{server}/pt/glossary/alpha-net/"  # the page stayed; the image did not open as a file
    page.locator(".gclose").first.click()
    page.locator(".glightbox-container").first.wait_for(state="detached", timeout=10_000)
    outside = [url for url in requests if not url.startswith(server) and not url.startswith("data:")]
    assert not outside, f"the page contacted other hosts: {outside}"
    page.close()


def test_the_plugin_adds_the_extension_when_a_site_does_not_list_it(tmp_path: Path) -> None:
    base = Path(__file__).resolve().parent / "golden" / "_base"
    project = tmp_path / "project"
    (project / "content" / "glossary").mkdir(parents=True)
    shutil.copy(base / "mkdocs.yml", project / "mkdocs.yml")  # lists no Markdown extension
    shutil.copy(base / "categories.yml", project / "content" / "categories.yml")
    for entry in base.glob("*.md"):
        shutil.copy(entry, project / "content" / "glossary" / entry.name)
    (project / "content/glossary/beta.en.md").write_text(
        "---\ntitle: Beta\ncategory: fundamentals\n---\n\nThe sigmoid $\\sigma(z)$ here; $5 and $10.\n",
        encoding="utf-8")
    result = mkdocs_build(project, project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "site/glossary/beta/index.html").read_text(encoding="utf-8")
    assert '<span class="glossary-math"><math display="inline"><mrow><mi>σ</mi>' in html
    assert "; $5 and $10." in html


def test_notebook_pages_show_formulas_as_mathml(built: Path) -> None:
    for prefix in ("", "pt/", "es/"):
        html = article(built, f"{prefix}examples/tiny")
        assert '<math display="inline"><mrow><mi>L</mi>' in html, prefix
        assert "$L" not in html and "\\(" not in html, prefix
