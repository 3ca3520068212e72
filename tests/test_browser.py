"""A real browser (Debian Chromium through Playwright) on the built site, served on loopback."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_site))

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
            pass  # the browser closing connections early is not a test failure

    httpd = Quiet(("127.0.0.1", 0), lambda *a, **k: handler(*a, **k))
    httpd.RequestHandlerClass.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is not installed (.ci/run installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


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


# Search (Pagefind): the queries of issue 13, on the site built from content/.

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
