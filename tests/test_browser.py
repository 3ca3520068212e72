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


def test_search_finds_portuguese_text_on_portuguese_pages(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{server}/pt/glossary/")
    page.locator("input.md-search__input").click()
    page.keyboard.type("retropropagação", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    links = page.locator(".md-search-result__link")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert any("/pt/glossary/backpropagation/" in h for h in hrefs), hrefs
    assert not any("/es/" in h for h in hrefs), hrefs  # Portuguese pages search Portuguese only
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
