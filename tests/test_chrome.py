"""The site's chrome on a fixture site built from a fresh git clone: every string in the reader's
language, hreflang/canonical links, one 404 page per language, last-updated dates, dark mode; and in
a real browser, no console error and no failed request on any page."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import FIXTURE_SITE, mkdocs_build

pytestmark = pytest.mark.slow

SITE_URL = "https://glossary.example.org/"
LANGS = {"en": "", "pt": "pt/", "es": "es/"}
# interface strings of each language that must not appear on another language's pages
UI = {
    "en": ["Made with", "Permanent link", "Glossary A–Z", "Translation status", "Runnable examples",
           "Skip to content", "Last updated", "Page not found", "Switch to dark mode", "Home -",
           "Categories", "Fixture Glossary", "English text is shown"],
    "pt": ["Feito com", "Link permanente", "Glossário", "Estado das traduções", "Última atualização",
           "Página não encontrada", "Início", "Categorias", "Ir para o conteúdo"],
    "es": ["Hecho con", "Enlace permanente", "Glosario", "Estado de las traducciones",
           "Página no encontrada", "Inicio", "Categorías", "Ir al contenido"],
}
COMMIT_DATE = "2025-03-05T12:00:00+00:00"


def _git(project: Path, *args: str, **env: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", **env})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project committed to a repository, cloned afresh, and built."""
    origin = tmp_path_factory.mktemp("origin") / "project"
    shutil.copytree(FIXTURE_SITE, origin, ignore=shutil.ignore_patterns(".cache", "site"))
    _git(origin, "init", "-q")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "first", GIT_COMMITTER_DATE=COMMIT_DATE, GIT_AUTHOR_DATE=COMMIT_DATE)
    beta = origin / "content/glossary/beta.pt.md"
    beta.write_text(beta.read_text(encoding="utf-8") + "\nMais texto.\n", encoding="utf-8")
    _git(origin, "commit", "-qam", "second", GIT_COMMITTER_DATE="2025-11-20T08:00:00+00:00")
    clone = tmp_path_factory.mktemp("clone") / "project"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    result = mkdocs_build(clone, clone / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode == 0, result.stdout + result.stderr
    return clone / "site"


def _html(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _pages(site: Path) -> dict[str, list[str]]:
    """Every HTML page of the site by language (from its folder)."""
    found: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("examples/") and rel != "examples/index.html":
            continue  # the notebook pages are one language's (their own issue)
        lang = next((lg for lg, prefix in LANGS.items() if prefix and rel.startswith(prefix)), "en")
        found[lang].append(rel)
    return found


def _visible_text(html: str) -> str:
    """The page's text and tooltips, without what names other languages on purpose (the language
    switcher, links to translations carrying their own lang) and without scripts."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    html = re.sub(r'<div class="md-select__inner">.*?</div>', " ", html, flags=re.S)
    html = re.sub(r'<a [^>]*\blang="[^"]+"[^>]*>.*?</a>', " ", html, flags=re.S)
    tooltips = " ".join(re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + tooltips


def test_every_page_speaks_its_language(site: Path) -> None:
    wrong = []
    for lang, pages in _pages(site).items():
        assert pages, lang
        for rel in pages:
            text = _visible_text(_html(site, rel))
            for other, strings in UI.items():
                if other != lang:
                    wrong += [(rel, s) for s in strings if s in text]
            assert f'<html lang="{lang}"' in _html(site, rel), rel
    assert not wrong, wrong


def test_navigation_title_and_footer_per_language(site: Path) -> None:
    pt = _html(site, "pt/glossary/beta/index.html")
    nav = re.findall(r'md-nav__link[^>]*>\s*<span class="md-ellipsis">\s*([^<]*?)\s*<', pt)
    assert nav[:6] == ["Início", "Glossário A–Z", "Categorias", "Grafo dos termos", "Estado das traduções",
                       "Exemplos executáveis"]
    assert "<title>Beta (pt) - Glossário de teste</title>" in pt
    assert "Feito com" in pt and 'title="Link permanente"' in pt
    es = _html(site, "es/glossary/index.html")
    assert "<title>Glosario A–Z - Glosario de prueba</title>" in es and "Hecho con" in es
    status = _html(site, "pt/glossary/translations/index.html")
    assert "recorre ao inglês" in status and "<th>Inglês</th>" in status


def test_canonical_and_hreflang_alternates(site: Path) -> None:
    for lang, prefix in LANGS.items():
        html = _html(site, f"{prefix}glossary/beta/index.html")
        assert f'<link rel="canonical" href="{SITE_URL}{prefix}glossary/beta/">' in html
        for other, other_prefix in LANGS.items():
            assert f'<link rel="alternate" hreflang="{other}" href="{SITE_URL}{other_prefix}glossary/beta/">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="{SITE_URL}glossary/beta/">' in html
        # the switcher stays relative: the site works from any address
        assert re.findall(r'<a href="([^"]+)" hreflang="es" class="md-select__link"', html) == [
            "./" if lang == "es" else ("../../../es/glossary/beta/" if prefix else "../../es/glossary/beta/")]
    # generated pages too
    html = _html(site, "es/glossary/category/models/index.html")
    assert f'hreflang="pt" href="{SITE_URL}pt/glossary/category/models/"' in html
    for prefix in LANGS.values():  # where Material looks for it (config.base): the whole site's
        assert f'hreflang="es" href="{SITE_URL}es/glossary/beta/"' in _html(site, f"{prefix}sitemap.xml")
    sitemap = _html(site, "sitemap.xml")
    assert f'hreflang="pt" href="{SITE_URL}pt/glossary/beta/"' in sitemap


def test_one_404_page_per_language(site: Path) -> None:
    titles = {"en": "Page not found", "pt": "Página não encontrada", "es": "Página no encontrada"}
    for lang, prefix in LANGS.items():
        html = _html(site, f"{prefix}404.html")
        assert f'<html lang="{lang}"' in html and f"<h1>{titles[lang]}</h1>" in html
        for other, other_prefix in LANGS.items():
            assert f'hreflang="{other}" href="{SITE_URL}{other_prefix}404.html"' in html
            assert f'<a href="/{other_prefix}404.html" hreflang="{other}" class="md-select__link"' in html
        terms = json.loads(re.search(r'<script type="application/json" id="glossary-terms">(.*?)</script>',
                                     html, re.S).group(1))
        assert {t["s"] for t in terms} == {"alpha-net", "beta", "gamma"}
        assert all(t["u"] == f"/{prefix}glossary/{t['s']}/" for t in terms)
        search = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))
        assert search["base"] == "/"  # absolute, as the page's links (the search box finds its language by <html lang>)
    assert "<script>alert" not in _html(site, "404.html")  # titles are data, not markup


def test_last_updated_per_entry_and_language(site: Path) -> None:
    assert '<time datetime="2025-11-20">20 de novembro de 2025</time>' in _html(site, "pt/glossary/beta/index.html")
    assert '<time datetime="2025-03-05">March 5, 2025</time>' in _html(site, "glossary/beta/index.html")
    assert "Última actualización: <time" in _html(site, "es/glossary/alpha-net/index.html")
    # a translation that does not exist shows the date of the text shown (the English file)
    assert '<time datetime="2025-03-05">5 de marzo de 2025</time>' in _html(site, "es/glossary/gamma/index.html")


def test_examples_list_describes_each_example(site: Path) -> None:
    assert '<h2 id="tiny">Uma explicação em português do exemplo mínimo.</h2>' in _html(site, "pt/examples/index.html")
    assert '<h2 id="tiny">Tiny</h2>' in _html(site, "examples/index.html")


def test_dark_mode_toggle_follows_the_system(site: Path) -> None:
    html = _html(site, "pt/index.html")
    media = re.findall(r'data-md-color-media="([^"]+)" data-md-color-scheme="([^"]+)"', html)
    assert media == [("(prefers-color-scheme)", "default"), ("(prefers-color-scheme: light)", "default"),
                     ("(prefers-color-scheme: dark)", "slate")]
    assert 'title="Mudar para o modo escuro"' in html


def test_no_last_updated_outside_git(fixture_project: Path) -> None:
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode == 0, result.stderr
    html = (fixture_project / "site/glossary/beta/index.html").read_text(encoding="utf-8")
    assert "glossary-updated" not in html and "glossary-meta" in html


# --- in a browser --------------------------------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static server that answers a missing page with its language's 404 page, as hosts do."""

    def log_message(self, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        lang = next((p for p in ("pt/", "es/") if self.path.startswith("/" + p)), "")
        body = (root / lang / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    from .test_browser import _serve

    yield from _serve(site, _Handler)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from .test_browser import chromium

    with chromium() as launched:
        yield launched


def visit_all(browser, base: str, paths: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Open each page; what went wrong: console errors, failed requests, HTTP errors, other hosts.
    A page whose only trouble is a request the browser itself cancelled (net::ERR_ABORTED, seen on a
    loaded machine) is opened once more, and what goes wrong then counts."""
    problems: list[str] = []
    page = browser.new_page()
    current = {"path": "", "found": []}

    def note(text: str) -> None:
        current["found"].append(f"{current['path']}: {text}")

    page.on("console", lambda m: m.type == "error" and note(f"console: {m.text}"))
    page.on("pageerror", lambda e: note(f"script error: {e}"))
    page.on("requestfailed", lambda r: note(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and note(f"{r.status} {r.url}"))
    page.on("request", lambda r: not r.url.startswith((base, "data:")) and note(f"other host: {r.url}"))
    for path in paths:
        for attempt in (1, 2):
            current["path"], current["found"] = path, []
            # until the theme's requests after load (sitemap, search index and its worker) have ended:
            # a request cut short by the next navigation is not the site's failure
            page.goto(f"{base}/{path}", wait_until="networkidle")
            found = current["found"]
            if attempt == 2 or not found or not all("net::ERR_ABORTED" in f for f in found):
                break
        problems += found
    page.close()
    return problems


@pytest.mark.browser
def test_no_console_error_nor_failed_request_on_any_page(site: Path, served: str, browser) -> None:  # type: ignore[no-untyped-def]
    paths = [rel.removesuffix("index.html") for pages in _pages(site).values() for rel in pages
             if not rel.endswith("404.html")]
    assert len(paths) > 40
    assert visit_all(browser, served, paths) == []


@pytest.mark.browser
def test_browser_shows_no_interface_string_of_another_language(site: Path, served: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    wrong = []
    for lang, pages in _pages(site).items():
        for rel in pages:
            if rel.endswith("404.html"):
                continue
            page.goto(f"{served}/{rel.removesuffix('index.html')}")
            text = page.evaluate("""() => {
                const root = document.documentElement.cloneNode(true);
                root.querySelectorAll('script, .md-select__inner, a[lang]').forEach(e => e.remove());
                const tips = [...root.querySelectorAll('[title], [aria-label], [placeholder]')]
                    .map(e => [e.title, e.getAttribute('aria-label'), e.getAttribute('placeholder')].join(' '));
                return root.textContent + ' ' + tips.join(' ') + ' ' + document.title;
            }""")
            wrong += [(rel, s) for other, strings in UI.items() if other != lang for s in strings if s in text]
    page.close()
    assert not wrong, wrong


@pytest.mark.browser
def test_language_switch_keeps_the_anchor(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{served}/pt/glossary/beta/#related")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="es"]').click()
    page.wait_for_url(f"{served}/es/glossary/beta/#related")
    assert page.locator("html").get_attribute("lang") == "es"
    page.evaluate("location.hash = 'sources'")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_url(f"{served}/glossary/beta/#sources")
    # the hreflang links are back in the document once the theme has started
    assert page.locator('link[rel="alternate"][hreflang]').count() == 4
    page.close()


@pytest.mark.browser
def test_404_suggests_the_nearest_terms_in_its_language(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and "404" not in m.text and errors.append(m.text))
    response = page.goto(f"{served}/pt/glossary/bta/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Página não encontrada"
    suggestions = page.locator(".glossary-suggest a")
    suggestions.first.wait_for()
    assert suggestions.first.inner_text() == "Beta (pt)"
    assert suggestions.first.get_attribute("href") == "/pt/glossary/beta/"
    page.goto(f"{served}/glossary/alpha-nte/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Alpha net" in page.locator(".glossary-suggest a").first.inner_text()
    assert errors == []
    page.close()


@pytest.mark.browser
def test_dark_mode_follows_the_system_preference(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    for scheme, expected in (("dark", "slate"), ("light", "default")):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{served}/es/glossary/alpha-net/")
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') !== null")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        context.close()


CONTRAST_JS = """selector => {
    const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
    const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
    const background = el => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const c = rgba(getComputedStyle(e).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] === 1) break;
        }
        return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255]);
    };
    const lum = rgb => {
        const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return [...document.querySelectorAll(selector)].filter(e => e.textContent.trim()).map(e => {
        const bg = background(e), fg = over(rgba(getComputedStyle(e).color), bg);
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        return [e.className || e.tagName, e.textContent.trim().slice(0, 20), (a + 0.05) / (b + 0.05)];
    });
}"""


@pytest.mark.browser
def test_our_components_are_readable_in_both_schemes(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    selector = (".glossary-status td, .glossary-status th, .glossary-meta, .glossary-untranslated, "
                ".glossary-legend, .glossary-example-name, .glossary-fallback, .glossary-letters a")
    low = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        for path in ("pt/glossary/translations/", "pt/glossary/", "pt/glossary/gamma/", "es/examples/"):
            page.goto(f"{served}/{path}")
            found = page.evaluate(CONTRAST_JS, selector)
            assert found, path
            low += [(scheme, path, *f) for f in found if f[2] < 4.5]
        context.close()
    assert not low, low


@pytest.mark.browser
def test_search_shows_a_hostile_title_as_text_and_downloads_little(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda r: "/glossary-search/" in r.url and fetched.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{served}/glossary/beta/")
    page.locator("body").press("/")
    page.keyboard.type("alpha", delay=20)
    page.locator(".glossary-search-result").first.wait_for(timeout=15_000)
    page.wait_for_timeout(400)
    title = page.locator(".glossary-search-title").first
    assert title.inner_text() == "<script>alert(1)</script> Alpha net"
    assert title.evaluate("e => e.children.length") == 0 and not dialogs
    assert page.locator(".glossary-search-result a").first.get_attribute("href") == "/glossary/alpha-net/"
    # the directory, the shards the word needs and the records shown: never every record of the language
    records = [u for u in fetched if "/d/" in u]
    assert any(u.split("?")[0].endswith("/glossary-search/en/index.json") for u in fetched)
    assert records and all("/glossary-search/en/" in u for u in fetched)
    assert len(records) == page.locator(".glossary-search-result").count()
    page.close()


@pytest.mark.browser
def test_a_query_is_read_as_words_stems_a_whole_name_and_a_prefix(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{served}/pt/glossary/beta/")
    analyse = "q => window.glossarySearchText.analyse(q)"
    q = page.evaluate(analyse, "Redes Neurais convolu")
    # the word being typed is a prefix less its last two letters (they may begin a plural ending)
    assert q["terms"] == [{"key": "rede", "prefix": ""}, {"key": "neural", "prefix": ""},
                          {"key": "convolu", "prefix": "convo"}]
    assert q["phrase"] == "rede neural convolu " and q["start"] == "rede neural convo"
    assert page.evaluate(analyse, "trans")["terms"] == [{"key": "tram", "prefix": "tran"}]  # not the stem's "tram"
    assert page.evaluate(analyse, "funçõe")["terms"] == [{"key": "funcoe", "prefix": "func"}]
    assert page.evaluate(analyse, "rede ")["terms"] == [{"key": "rede", "prefix": ""}]  # typed out
    # a pasted paragraph: its first eight words (a shard each at most), the last no longer being typed
    long = page.evaluate(analyse, " ".join(f"palavra{i}" for i in range(120)) + " ")
    assert [t["key"] for t in long["terms"]] == [f"palavra{i}" for i in range(8)]
    page.close()
