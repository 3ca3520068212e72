"""A real browser (Debian Chromium through Playwright) on the built site, served on loopback."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[str]:
    yield from _serve(built_site)


def _serve(built_site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = http.server.SimpleHTTPRequestHandler
           ) -> Iterator[str]:
    """The site on a loopback port, for as long as the generator is not closed (shared by the browser tests)."""
    handler = functools.partial(handler_class, directory=str(built_site))

    class Quiet(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
            pass  # the browser closing connections early is not a test failure

    httpd = Quiet(("127.0.0.1", 0), lambda *a, **k: handler(*a, **k))
    httpd.RequestHandlerClass.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright (its own browser download is not used)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is not installed (.ci/run installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def test_pt_entry_switch_to_es_shows_the_plot(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/pt/glossary/mnist/")
    assert page.locator("h1").first.inner_text() == "MNIST"
    assert page.locator("html").get_attribute("lang") == "pt"
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="es"]').click()
    page.wait_for_url(f"{server}/es/glossary/mnist/")
    assert page.locator("html").get_attribute("lang") == "es"
    block = page.locator(".glossary-example").first
    assert "Ejemplo ejecutable" in block.inner_text()
    image = block.locator("img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 100
    outside = [url for url in requests if not url.startswith(server) and not url.startswith("data:")]
    assert not outside, f"the page contacted other hosts: {outside}"
    page.close()


# Search (the plugin's index): the queries of issue 13, on the site built from content/.

def _console_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        # Material's language selector asks each language folder for a sitemap.xml that the i18n
        # build does not write: a 404 unrelated to search, reported by whoever owns the site chrome
        if message.type == "error" and not (message.location or {}).get("url", "").endswith("sitemap.xml"):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _search(page, query: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Opens the search box by keyboard, types ``query``; (href, title, excerpt) of each result."""
    page.locator("body").press("/")
    page.locator("dialog.glossary-search input").wait_for()
    page.keyboard.type(query, delay=20)
    page.locator(".glossary-search-result").first.wait_for(timeout=15_000)
    page.wait_for_function("q => document.querySelector('.glossary-search-input').value === q", arg=query)
    page.wait_for_timeout(400)  # the debounced search settles on the whole query
    return [tuple(r) for r in page.eval_on_selector_all(
        ".glossary-search-link",
        "links => links.map(a => [a.getAttribute('href'), a.querySelector('.glossary-search-title').textContent,"
        " a.querySelector('.glossary-search-excerpt').textContent])")]


@pytest.fixture
def search_page(server: str, browser):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    errors = _console_errors(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page
    assert not errors, f"console errors: {errors}"
    outside = [url for url in requests if not url.startswith(server) and not url.startswith("data:")]
    assert not outside, f"the page contacted other hosts: {outside}"
    page.close()


# ---------------------------------------------------------------- issue 13: previews, graph; issue 12: TOC

@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture project (three terms), built without executing its example, served on loopback."""
    import shutil

    from .conftest import FIXTURE_SITE, mkdocs_build

    project = tmp_path_factory.mktemp("previews") / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    result = mkdocs_build(project, project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode == 0, result.stdout + result.stderr
    yield from _serve(project / "site")


def test_link_previews_on_hover_and_keyboard_focus(fixture_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    requests: list[str] = []
    page.goto(f"{fixture_server}/pt/glossary/alpha-net/")
    page.wait_for_load_state("networkidle")
    page.on("request", lambda request: requests.append(request.url))
    tip = page.locator("#glossary-preview")
    link = page.locator('article a[href="../beta/#como-funciona"]')  # a link the author wrote in the body
    link.hover()
    tip.wait_for(state="visible")
    assert tip.get_attribute("role") == "tooltip"
    assert tip.inner_text().split("\n") == ["Beta (pt)", "Beta é o segundo termo."]
    assert link.get_attribute("aria-describedby") == "glossary-preview"
    page.mouse.move(1, 1)
    tip.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None
    # keyboard: Tab to the related list's link to Gamma (a fallback page: its English text)
    target = page.locator('ul.glossary-related a[href="../gamma/"]')
    for _ in range(80):
        page.keyboard.press("Tab")
        if target.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the related term")
    tip.wait_for(state="visible")
    assert tip.inner_text().split("\n") == ["Gamma", "Gamma exists only in English, so pt and es fall back to it."]
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    node = page.locator('figure.glossary-graph svg a[href="../beta/"]')  # a node of the graph is a link too
    node.hover()
    tip.wait_for(state="visible")
    assert tip.locator("strong").inner_text() == "Beta (pt)"
    box, shown = node.bounding_box(), tip.bounding_box()
    assert box and shown and abs(shown["x"] - box["x"]) < 400  # placed by the link, not at the page's corner
    assert 0 < shown["y"] - (box["y"] + box["height"]) < 40 or 0 < box["y"] - (shown["y"] + shown["height"]) < 40
    assert not requests, f"a preview made requests: {requests}"  # the texts came with the page
    page.close()


def test_preview_text_is_inserted_as_text(fixture_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{fixture_server}/glossary/beta/")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator('ul.glossary-related a[href="../alpha-net/"]').hover()
    tip = page.locator("#glossary-preview")
    tip.wait_for(state="visible")
    assert tip.locator("strong").inner_text() == "<script>alert(1)</script> Alpha net"
    assert tip.locator("script").count() == 0 and not dialogs
    page.close()


def test_generated_headings_in_toc_and_graph_readable_at_390px(fixture_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{fixture_server}/pt/glossary/alpha-net/")
    toc = page.locator(".md-nav--secondary a.md-nav__link")
    assert [toc.nth(i).get_attribute("href") for i in range(toc.count())] == ["#sources", "#related"]
    assert page.locator("h2#related a.headerlink").get_attribute("href") == "#related"
    page.locator(".md-nav--secondary a[href='#related']").click()
    page.wait_for_url(f"{fixture_server}/pt/glossary/alpha-net/#related")
    page.set_viewport_size({"width": 390, "height": 844})
    svg = page.locator("figure.glossary-graph svg")
    svg.scroll_into_view_if_needed()
    width = svg.evaluate("s => s.getBoundingClientRect().width")
    font = svg.locator("a text").first.evaluate("t => t.getBoundingClientRect().height")
    assert 300 <= width <= 390 and font >= 11, (width, font)  # scales to the screen, labels stay legible
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no horizontal scrolling
    svg.locator('a[href="../beta/"]').click()  # a node is a link to the entry, in the page's language
    page.wait_for_url(f"{fixture_server}/pt/glossary/beta/")
    page.goto(f"{fixture_server}/es/glossary/graph/")
    assert page.locator("figure.glossary-graph svg a").count() == 3
    page.close()
SAMPLE = ["", "glossary/", "glossary/categories/", "glossary/translations/", "examples/", "glossary/mnist/",
          "glossary/neural-network/", "glossary/backpropagation/", "glossary/category/training/",
          "glossary/dropout/"]


def test_real_site_sample_has_no_console_error_nor_failed_request(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from .test_chrome import visit_all

    paths = [prefix + path for prefix in ("", "pt/", "es/") for path in SAMPLE] + ["examples/mnist_mlp/"]
    assert visit_all(browser, server, paths) == []


def test_real_site_sample_speaks_the_page_language(built_site: Path) -> None:
    from .test_chrome import UI, _visible_text

    wrong = []
    for lang, prefix in (("en", ""), ("pt", "pt/"), ("es", "es/")):
        for path in [*SAMPLE, "404.html"]:
            file = built_site / prefix / path / ("" if path.endswith(".html") else "index.html")
            text = _visible_text(file.read_text(encoding="utf-8"))
            wrong += [(prefix + path, s) for other, strings in UI.items() if other != lang for s in strings if s in text]
    assert not wrong, wrong
# --- examples per language, collapsed code, outputs that fit, phone screenshots (issue 12) ---

from glossary_tools.notebooks.i18n import PHONE_PX  # noqa: E402

ARTIFACTS = Path(os.environ.get("GLOSSARY_TEST_ARTIFACTS") or Path(__file__).resolve().parent.parent / "test-artifacts")


def test_pt_notebook_page_is_portuguese_and_switches_to_es(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{server}/pt/examples/residual/")
    assert page.locator("html").get_attribute("lang") == "pt"
    text = page.locator("article").inner_text()
    assert "Conexões residuais permitem treinar" in text and "Residual connections let" not in text
    printed = " ".join(page.locator(".jp-OutputArea").all_inner_texts())  # the source code holds all three
    assert "a afirmação se confirma" in printed and "claim holds" not in printed
    assert re.search(r"\[1\]", text) and not re.search(r"\[0\]", text)  # cells count from In [1]
    alts = [a for a in page.locator("article img").evaluate_all("imgs => imgs.map(i => i.alt)")]
    assert alts and all("eixo horizontal" in a for a in alts), alts
    assert "No description" not in " ".join(alts)
    alternates = page.locator('link[rel="alternate"]').evaluate_all("links => links.map(l => l.href)")
    paths = {re.sub(r"^https?://[^/]+", "", href) for href in alternates}  # absolute, under site_url
    assert {"/es/examples/residual/", "/examples/residual/", "/pt/examples/residual/"} <= paths, alternates
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="es"]').click()
    page.wait_for_url(f"{server}/es/examples/residual/")
    assert "Las conexiones residuales permiten" in page.locator("article").inner_text()
    page.close()


def test_pt_entry_figures_code_and_outputs(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server}/pt/glossary/residual-connection/")
    block = page.locator(".glossary-example").first
    image = block.locator("figure img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    alt = image.get_attribute("alt") or ""
    assert "camadas ocultas" in alt and "eixo horizontal: época" in alt, alt
    pt_src = image.evaluate("img => img.src")
    assert image.get_attribute("width") and image.get_attribute("height")
    # the notebook link goes to the Portuguese notebook page
    assert block.locator("a", has_text="Abrir o notebook completo").evaluate("a => a.href") == \
        f"{server}/pt/examples/residual/"
    # definition first: the code is closed and opens on click
    code = block.locator("details.glossary-example-code").first
    assert code.evaluate("d => d.open") is False
    assert not code.locator("pre").first.is_visible()
    code.locator("summary").click()
    assert code.evaluate("d => d.open") is True and code.locator("pre").first.is_visible()
    # no output box wider than its container
    too_wide = page.evaluate("""() => [...document.querySelectorAll('.glossary-example pre.glossary-output')]
        .filter(p => p.scrollWidth > p.clientWidth + 1 || p.getBoundingClientRect().right >
                     p.parentElement.getBoundingClientRect().right + 1).length""")
    assert too_wide == 0
    english = browser.new_page()
    english.goto(f"{server}/glossary/residual-connection/")
    en_image = english.locator(".glossary-example figure img").first
    assert en_image.evaluate("img => img.src") != pt_src
    assert "hidden layers" in (en_image.get_attribute("alt") or "")
    english.close()
    page.close()


def test_phone_screenshots_and_legible_figures(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    for path, name in (("pt/glossary/residual-connection/", "entry-pt-390.png"),
                       ("pt/examples/residual/", "notebook-pt-390.png")):
        page.goto(f"{server}/{path}")
        for image in page.locator("article img").all():
            image.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        assert (ARTIFACTS / name).stat().st_size > 10_000
        # every figure fits the column, is drawn with at least 2 device pixels per CSS pixel, and is shown
        # at least i18n.PHONE_PX wide: the helper sized its smallest text to 10 CSS px at that width
        sizes = page.locator("article img").evaluate_all(
            "imgs => imgs.map(i => [i.getBoundingClientRect().right, i.naturalWidth, i.clientWidth])")
        assert sizes and all(right <= 390 and natural >= 2 * shown for right, natural, shown in sizes), sizes
        assert all(10 * shown / PHONE_PX >= 10 for _, _, shown in sizes), (path, sizes)
        overflowing = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
        assert not overflowing
    page.close()
def test_the_browser_splits_folds_and_stems_words_as_the_index_does(server: str, search_page) -> None:  # type: ignore[no-untyped-def]
    """Every word of the glossary's own text, in each language: the search box's words and stems
    are the index's (a word the two disagree on could never be found)."""
    from glossary_tools import search_index

    content = Path(__file__).resolve().parent.parent / "content" / "glossary"
    for lang, prefix in (("en", ""), ("pt", "pt/"), ("es", "es/")):
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(content.glob(f"*.{lang}.md")))
        text += " Retropropagação ÑANDÚ ﬁne x² ½ İstanbul straße ΣΊΣΥΦΟΣ 𐐀𐐁s 𠀀 𠀀𠀀𠀀s 𝐀𝐁𝐂𝐃s"
        search_page.goto(f"{server}/{prefix}glossary/")
        got = search_page.evaluate("t => { const s = window.glossarySearchText; return s.words(t).map(w => [w, s.stem(w)]); }",
                                   text)
        expected = [[w, search_index.stem(w, lang)] for w in search_index.words(text)]
        assert len(expected) > 5000 and got == expected


@pytest.mark.parametrize("query", ["rete_neurale", "ann", "rete neurale", "artificial neural network"])
def test_aliases_find_the_neural_network_entry_first(server: str, search_page, query: str) -> None:  # type: ignore[no-untyped-def]
    search_page.goto(f"{server}/glossary/")
    results = _search(search_page, query)
    assert results[0][:2] == ("/glossary/neural-network/", "Neural network"), results
    assert results[0][2].startswith("A neural network"), results[0]  # the definition, not the alias list


@pytest.mark.parametrize("query", ["retropropagacao", "retropropagação", "Retropropagacao"])
def test_portuguese_search_folds_accents_and_stays_in_portuguese(server: str, search_page, query: str) -> None:  # type: ignore[no-untyped-def]
    search_page.goto(f"{server}/pt/glossary/")
    results = _search(search_page, query)
    assert results[0][:2] == ("/pt/glossary/backpropagation/", "Retropropagação"), results
    assert all(href.startswith("/pt/glossary/") for href, _, _ in results), results


def test_relu_ranks_the_entry_first_with_a_definition_snippet(server: str, search_page) -> None:  # type: ignore[no-untyped-def]
    search_page.goto(f"{server}/glossary/mnist/")
    results = _search(search_page, "ReLU")
    assert results[0][0] == "/glossary/relu/", results
    assert "activation function f(z) = max(0, z)" in results[0][2], results[0]
    for href, title, excerpt in results:
        assert not href.startswith("/examples/"), results  # no notebook page
        for code in ("Copied!", "In [", "import ", "torch.", "nn.ReLU"):
            assert code not in excerpt, (code, title, excerpt)


def test_portuguese_gradiente_lists_entries_only(server: str, search_page) -> None:  # type: ignore[no-untyped-def]
    search_page.goto(f"{server}/pt/glossary/")
    results = _search(search_page, "gradiente")
    assert len(results) >= 5, results
    for href, _title, excerpt in results:
        assert href.startswith("/pt/glossary/") and href.count("/") == 4, results  # /pt/glossary/<slug>/
        assert "✓" not in excerpt and "translations" not in href and "category" not in href, (href, excerpt)
    assert "/pt/glossary/gradient-descent/" in [href for href, _, _ in results[:3]], results


@pytest.mark.parametrize(("prefix", "query", "slug", "longer"), [
    ("pt/", "rede neural", "neural-network", "convolutional-neural-network"),
    ("es/", "red neuronal", "neural-network", "convolutional-neural-network"),
    ("", "neural network", "neural-network", "convolutional-neural-network"),
    ("", "learning rate", "learning-rate", "learning-rate-schedule"),
    ("", "gradient descent", "gradient-descent", "stochastic-gradient-descent"),
    ("es/", "funcion de perdida", "loss-function", None),
])
def test_the_exact_term_ranks_above_longer_ones(server: str, search_page, prefix: str, query: str, slug: str,  # type: ignore[no-untyped-def]
                                               longer: str | None) -> None:
    search_page.goto(f"{server}/{prefix}glossary/")
    results = _search(search_page, query)
    assert results[0][0] == f"/{prefix}glossary/{slug}/", results
    if longer:
        assert f"/{prefix}glossary/{longer}/" in [r[0] for r in results[1:]], results


def test_search_by_keyboard_on_a_phone_under_a_sub_path(built_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    """390 px wide, the site served from /site/ (not the host's root): open, type, arrow down, Enter."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site.parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a, **k: handler(*a, **k))
    httpd.RequestHandlerClass.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{httpd.server_address[1]}/{built_site.name}"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors = _console_errors(page)
    try:
        page.goto(f"{root}/es/glossary/")
        button = page.locator(".md-header .glossary-search-button")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # in the header, on screen
        button.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.glossary-search")
        assert dialog.evaluate("d => d.open") and page.evaluate("document.activeElement.type") == "search"
        page.keyboard.type("retropropagacion", delay=20)
        page.locator(".glossary-search-result").first.wait_for(timeout=15_000)
        width = dialog.evaluate("d => d.getBoundingClientRect().width")
        assert width <= 390, width
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.classList.contains('glossary-search-link')")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{root}/es/glossary/backpropagation/")
        assert page.locator("h1").first.inner_text() == "Retropropagación"
        page.locator("body").press("s")
        assert dialog.evaluate("d => d.open")
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        assert not errors, errors
    finally:
        page.close()
        httpd.shutdown()
