"""Building a temporary project with MkDocs + Material + static-i18n + our plugin."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURE_SITE, mkdocs_build

pytestmark = pytest.mark.slow


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    import shutil

    from .conftest import FIXTURE_SITE

    project = tmp_path_factory.mktemp("build") / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    first = mkdocs_build(project, project / "site")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "examples: 1 executed, 0 cached, 0 failed" in first.stdout
    second = mkdocs_build(project, project / "site")
    assert second.returncode == 0, second.stderr
    return project / "site", second.stdout + second.stderr


def test_unchanged_rebuild_executes_nothing(site: tuple[Path, str]) -> None:
    assert "examples: 0 executed, 1 cached, 0 failed" in site[1]


def test_links_to_the_generated_parts_are_not_reported_as_broken(site: tuple[Path, str]) -> None:
    # alpha-net's [1] links to #source-1, in the sources list the plugin adds after Markdown: MkDocs'
    # anchor check knows that list's ids (it logged every such link as broken)
    assert "[1]" in (FIXTURE_SITE / "content" / "glossary" / "alpha-net.en.md").read_text()
    assert "Documentation built" in site[1]
    assert "anchor" not in site[1], site[1]


def test_entry_pages_in_every_language(site: tuple[Path, str]) -> None:
    root = site[0]
    for prefix in ("", "pt/", "es/"):
        for slug in ("alpha-net", "beta", "gamma"):
            assert (root / f"{prefix}glossary/{slug}/index.html").is_file()


def test_title_is_escaped_everywhere(site: tuple[Path, str]) -> None:
    root = site[0]
    html = page(root, "glossary/alpha-net")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Alpha net" in html
    assert "<script>alert(1)</script>" not in page(root, "glossary")
    # the search index holds the title as text, which the search box shows with textContent
    assert records(root)["/glossary/alpha-net/"]["t"] == "<script>alert(1)</script> Alpha net"


def test_entry_page_parts(site: tuple[Path, str]) -> None:
    html = article(page(site[0], "pt/glossary/alpha-net"))
    assert '<h1>Rede alfa</h1>' in html
    assert 'href="../category/models/"' in html and "Modelos" in html  # localized category link
    assert '<a href="#source-1">[1]</a>' in html  # [1] links to the numbered source
    assert '<li id="source-1"><a href="https://example.org/alpha">A &lt;b&gt;bold&lt;/b&gt; source &amp; more' in html
    related = re.search(r'<ul class="glossary-related">(.*?)</ul>', html).group(1)
    assert "Beta (pt)" in related and "Gamma" in related  # localized titles, alias 'gama' fixed
    # beta relates to alpha-net through the alias rede-alfa: one list, beta once (no "Referenced by")
    assert related.count("Beta (pt)") == 1 and "glossary-backlinks" not in html
    assert 'href="../beta/#como-funciona"' in html


def test_fallback_notice_and_switcher(site: tuple[Path, str]) -> None:
    html = page(site[0], "pt/glossary/gamma")
    assert "glossary-fallback" in html and "Gamma" in html
    assert "glossary-fallback" not in page(site[0], "pt/glossary/beta")
    switcher = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" class="md-select__link"', html)
    assert ("../../../es/glossary/gamma/", "es") in switcher
    assert ("../../../glossary/gamma/", "en") in switcher


def test_example_block_in_every_language(site: tuple[Path, str]) -> None:
    root = site[0]
    expected = {"": "English explanation", "pt/": "explicação em português", "es/": "explicación en español"}
    images = set()
    for prefix, prose in expected.items():
        html = page(root, f"{prefix}glossary/alpha-net")
        block = re.search(r'<div class="glossary-example" data-example="tiny">.*', html, re.S).group(0)
        assert prose in block
        assert "cwd is examples: True" in block  # working directory is the examples folder
        image = re.search(r'<img src="([^"]+\.png)"', block).group(1)
        images.add(image.rsplit("/", 1)[1])
        assert (root / f"{prefix}glossary/alpha-net" / image).resolve().is_file()
    assert len(images) == 1  # one image file shared by all languages (an untagged plt.show())
    assert (root / "examples" / "tiny" / "index.html").is_file()  # mkdocs-jupyter page


def test_example_figures_and_conclusions_per_language(site: tuple[Path, str]) -> None:
    root = site[0]
    expected = {"": ("tiny curve; horizontal axis: step", "claim holds: 2 &gt; 1"),
                "pt/": ("curva mínima; eixo horizontal: passo", "a afirmação se confirma: 2 &gt; 1"),
                "es/": ("curva mínima; eje horizontal: paso", "la afirmación se cumple: 2 &gt; 1")}
    sources = set()
    for prefix, (alt, claim) in expected.items():
        block = re.search(r'<div class="glossary-example" data-example="tiny">.*?</article>',
                          page(root, f"{prefix}glossary/alpha-net"), re.S).group(0)
        figures = re.findall(r'<img src="([^"]+)" alt="([^"]*)" width="(\d+)" height="(\d+)"', block)
        assert [f[1] for f in figures][1].startswith(alt), figures
        assert figures[1][2:] == ("384", "288")  # 4 x 3 inches, CSS px; the PNG has twice as many pixels
        sources.add(figures[1][0].rsplit("/", 1)[1])
        assert figures[0][1] in ("Plot drawn by the example tiny", "Gráfico desenhado pelo exemplo tiny",
                                 "Gráfico dibujado por el ejemplo tiny")  # plt.show(): a sentence, not <Figure ...>
        assert claim in block and block.count("glossary-output") >= 2
        assert "<pre class=\"glossary-output glossary-stdout\">line 0\nline 1\nline 2\n</pre>" in block  # one box
        assert block.count("<details class=\"glossary-example-code\">") == 3 and "<details open" not in block
        link = re.search(r'<a href="([^"]+)">[^<]*notebook', block).group(1)
        assert (root / f"{prefix}glossary/alpha-net" / link / "index.html").resolve() == \
            (root / f"{prefix}examples/tiny/index.html").resolve()  # the notebook page of the page's language
    assert len(sources) == 3  # each language its own figure


def test_notebook_pages_per_language(site: tuple[Path, str]) -> None:
    root = site[0]
    prose = {"": "English explanation", "pt/": "explicação em português", "es/": "explicación en español"}
    for prefix, text in prose.items():
        html = page(root, f"{prefix}examples/tiny")
        assert text in html and not any(other in html for other in prose.values() if other != text)
        # the stylesheet is a file (mkdocs-glightbox's few lines of <style> on every page aside)
        assert len(html.encode()) <= 300_000
        assert "<style" not in re.sub(r'<style id="glightbox-style">.*?</style>', "", html, flags=re.S)
        assert 'rel="stylesheet" href="../../' + ("../" if prefix else "") + 'assets/glossary-notebook.css"' in html
        assert "data:image" not in html and "No description has been provided" not in html
        assert re.search(r"In&nbsp;\[1\]", html) and not re.search(r"In&nbsp;\[4\]", html)
        # hreflang alternates: absolute, under site_url (which the fixture's mkdocs.yml sets)
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="https?://[^/"]+/([^"]*)"', html))
        resolved = {lang: (root / path / "index.html").resolve() for lang, path in alternates.items()}
        assert resolved == {"en": (root / "examples/tiny/index.html").resolve(),
                            "pt": (root / "pt/examples/tiny/index.html").resolve(),
                            "es": (root / "es/examples/tiny/index.html").resolve()}
        switcher = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" class="md-select__link"', html)
        assert {lang for _, lang in switcher} == {"en", "pt", "es"}
        assert all("/examples/tiny/" in href or href == "./" for href, _ in switcher), switcher
    assert (root / "assets" / "glossary-notebook.css").stat().st_size > 100_000
    listing = article(page(root, "pt/examples"))
    href = re.search(r'<a href="([^"]+)">tiny</a>', listing).group(1)
    assert (root / "pt/examples" / href / "index.html").resolve() == (root / "pt/examples/tiny/index.html").resolve()


def test_index_category_and_status_pages(site: tuple[Path, str]) -> None:
    root = site[0]
    index = article(page(root, "es/glossary"))
    assert "Glosario A–Z" in index and "Red alfa" in index and 'id="letter-r"' in index
    category = article(page(root, "es/glossary/category/fundamentals"))
    assert "Beta" in category and "Red alfa" not in category
    status = article(page(root, "glossary/translations"))
    assert "3 / 3" in status and "2 / 3" in status and "1 / 3" in status  # en, pt, es
    nav = page(root, "glossary/alpha-net")
    assert nav.count('class="md-nav__link') < 20  # entries stay out of the navigation


def records(root: Path) -> dict[str, dict]:
    """The search index's record per document, every language: url -> {u, t, x}."""
    found = {}
    for folder in (root / "glossary-search").iterdir():
        for path in (folder / "d").glob("*.json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            found["/" + record["u"]] = record
    return found


def test_search_index_holds_entry_pages_per_language(site: tuple[Path, str]) -> None:
    root = site[0]
    for lang in ("en", "pt", "es"):
        meta = json.loads((root / "glossary-search" / lang / "index.json").read_text())
        assert meta["n"] == 3 and meta["s"][0] == ""
        shards = [json.loads((root / "glossary-search" / lang / "s" / f"{i}.json").read_text())
                  for i in range(len(meta["s"]))]
        keys = {k for shard in shards for k in shard}
        assert {"alpha", "rede alfa ", "red alfa "} <= keys  # every language's names, in each language's index
    assert (root / "assets" / "glossary-search.js").is_file()
    assert not (root / "search" / "search_index.json").exists()  # Material's lunr index is gone
    found = records(root)
    # entry pages only: no index, category, status, examples or notebook page
    assert sorted(found) == sorted(f"/{p}glossary/{s}/" for p in ("", "pt/", "es/")
                                   for s in ("alpha-net", "beta", "gamma"))
    pt = found["/pt/glossary/alpha-net/"]
    assert pt["t"] == "Rede alfa" and pt["x"].startswith("Uma rede alfa é um termo de teste")
    assert "termo de teste" not in found["/glossary/alpha-net/"]["x"]  # each language its own text
    for url, record in found.items():
        text = record["x"]
        # the definition, never the example (code, outputs, prose), sources, related terms or meta line
        for absent in ("cwd is examples", "English explanation", "explicação em português", "import ",
                       "example.org", "A <b>bold</b> source", "Category", "Categoria", "Related terms",
                       "Termos relacionados", "Referenced by", "¶"):
            assert absent not in text, (url, absent, text)
    html = page(root, "pt/glossary/alpha-net")
    assert "data-pagefind" not in html and "glossary-search-terms" not in html  # nothing added to the page


def test_search_script_is_linked_relatively_on_every_page(site: tuple[Path, str]) -> None:
    root = site[0]
    assert '<script src="../../../assets/glossary-search.js"></script>' in page(root, "pt/glossary/beta")
    assert '<script src="../assets/glossary-search.js"></script>' in page(root, "glossary")
    html = page(root, "pt/glossary/beta")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))
    assert config["base"] == "../../.."  # not rebased: that was for Material's per-language lunr index


def _with_material_search(project: Path, option: str = "") -> None:
    config = project / "mkdocs.yml"
    text = config.read_text().replace("plugins:\n", "plugins:\n  - search\n", 1)
    if option:
        text = text.replace("  - glossary:\n", f"  - glossary:\n      search: {option}\n", 1)
    config.write_text(text)


def test_sites_that_keep_material_search_get_one_lunr_index_per_language(fixture_project: Path) -> None:
    _with_material_search(fixture_project)
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode == 0, result.stdout + result.stderr
    root = fixture_project / "site"
    assert not (root / "glossary-search").exists() and not (root / "assets" / "glossary-search.js").exists()
    indexes = {lang: json.loads((root / p / "search" / "search_index.json").read_text())
               for lang, p in (("en", "."), ("pt", "pt"), ("es", "es"))}
    assert indexes["pt"]["config"]["lang"] == ["pt"]
    pt_text = " ".join(d["text"] for d in indexes["pt"]["docs"])
    en_text = " ".join(d["text"] for d in indexes["en"]["docs"])
    assert "termo de teste" in pt_text and "termo de teste" not in en_text
    assert all(not d["location"].startswith(("pt/", "es/")) for d in indexes["pt"]["docs"])
    html = page(root, "pt/glossary/beta")
    assert "glossary-search.js" not in html and "data-pagefind" not in html
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html).group(1))
    assert config["base"] == "../../../pt/"


def test_our_search_with_material_search_is_refused(fixture_project: Path) -> None:
    _with_material_search(fixture_project, "glossary")
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode != 0
    assert "'search: glossary' replaces Material's search" in result.stderr


def test_no_remote_assets(site: tuple[Path, str]) -> None:
    for html_file in site[0].rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//[^"]+"', text)
        # canonical and hreflang links name the published address (site_url); nothing is loaded from it
        assert not [r for r in remote if not re.match(r'<link rel="(?:alternate|canonical)"', r)], (html_file, remote)


def test_broken_front_matter_fails_the_build(fixture_project: Path) -> None:
    (fixture_project / "content/glossary/beta.es.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode != 0
    assert "content/glossary/beta.es.md:2:" in result.stderr and "yaml-syntax" in result.stderr


def test_failing_example_fails_the_build_naming_the_cell(fixture_project: Path) -> None:
    script = fixture_project / "examples/tiny.py"
    script.write_text(script.read_text().replace("assert 1 + 1 == 2", "assert 1 + 1 == 3, 'arithmetic'"))
    result = mkdocs_build(fixture_project, fixture_project / "site")
    assert result.returncode != 0
    assert "examples/tiny.py: cell 5 (line 32): AssertionError: arithmetic" in result.stderr
    assert "examples: 0 executed, 0 cached, 1 failed" in result.stdout


# ---------------------------------------------------------------- issue 13 (graph, export) and 12 (structure)

def test_generated_headings_have_permalinks_and_toc_entries_after_the_body(site: tuple[Path, str]) -> None:
    html = page(site[0], "glossary/alpha-net")
    body = article(html)
    for anchor in ("example-tiny", "sources", "related"):
        heading = re.search(rf'<h2 id="{anchor}">(.*?)</h2>', body, re.S).group(1)
        assert f'<a class="headerlink" href="#{anchor}" title="Permanent link">¶</a>' in heading
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == ["how-it-works", "example-tiny", "sources", "related"]
    # the sentence before the example sits next to it: body, example, then sources and related terms
    assert body.index("It links to") < body.index('id="example-tiny"') < body.index('id="sources"') \
        < body.index('id="related"')


def test_entry_page_graph_links_in_the_page_language(site: tuple[Path, str]) -> None:
    body = article(page(site[0], "es/glossary/beta"))
    figure = re.search(r'<figure class="glossary-graph" data-search-exclude="">(.*?)</figure>', body, re.S).group(1)
    svg = re.search(r"<svg .*?</svg>", figure, re.S).group(0)
    assert "<title>Beta y los términos enlazados</title>" in svg
    assert re.findall(r'<a href="([^"]+)"', svg) == ["../alpha-net/", "../gamma/"]
    assert "Red alfa" in svg and "&lt;script&gt;" not in svg  # es title; en title escaped elsewhere
    assert 'href="../graph/"' in figure
    en = re.search(r"<svg .*?</svg>", article(page(site[0], "glossary/beta")), re.S).group(0)
    assert "<script" not in en and "&lt;script&gt;alert(1)…" in en  # truncated text, still escaped


def test_graph_overview_page_in_every_language(site: tuple[Path, str]) -> None:
    for prefix, title in (("", "Term graph"), ("pt/", "Grafo dos termos"), ("es/", "Grafo de términos")):
        body = article(page(site[0], f"{prefix}glossary/graph"))
        assert f"<h1>{title}</h1>" in body
        svg = re.search(r"<svg .*?</svg>", body, re.S).group(0)
        assert sorted(re.findall(r'<a href="\.\./([^"]+)"', svg)) == ["alpha-net/", "beta/", "gamma/"]
        assert svg.count("<line ") == 3  # alpha-net - beta (listed both ways: once), alpha-net - gamma, gamma - beta
    html = page(site[0], "glossary/graph")
    assert 'href="../category/models/"' in article(html)


def test_previews_come_with_the_page(site: tuple[Path, str]) -> None:
    body = article(page(site[0], "pt/glossary/alpha-net"))
    raw = re.search(r'<div class="glossary-previews" data-previews="([^"]*)"></div>', body).group(1)
    data = json.loads(raw.replace("&quot;", '"').replace("&amp;", "&"))
    assert data["../beta/"] == ["Beta (pt)", "Beta é o segundo termo."]
    assert data["../gamma/"][0] == "Gamma"
    assert "../alpha-net/" not in data  # nothing links the page to itself
    html = page(site[0], "pt/glossary/beta")
    assert '<script src="../../../assets/glossary-previews.js"></script>' in html


def test_the_plugin_ships_its_stylesheet_and_scripts(site: tuple[Path, str]) -> None:
    """The project lists neither in mkdocs.yml nor keeps them in its docs folder: the plugin adds them."""
    root = site[0]
    assert "glossary.css" not in (FIXTURE_SITE / "mkdocs.yml").read_text()
    assert not (FIXTURE_SITE / "content" / "assets" / "glossary.css").exists()
    html = page(root, "pt/glossary/beta")
    assert '<link rel="stylesheet" href="../../../assets/glossary.css">' in html
    assert ".glossary-meta" in (root / "assets" / "glossary.css").read_text(encoding="utf-8")
    assert "glossary-previews" in (root / "assets" / "glossary-previews.js").read_text(encoding="utf-8")


def test_glossary_json_matches_the_schema(site: tuple[Path, str]) -> None:
    import jsonschema

    from .test_graph import SCHEMA

    root = site[0]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    whole = json.loads((root / "glossary.json").read_text(encoding="utf-8"))
    validator.validate(whole)
    assert whole["languages"] == ["en", "pt", "es"] and [t["slug"] for t in whole["terms"]] == ["alpha-net", "beta", "gamma"]
    alpha = whole["terms"][0]
    assert alpha["languages"]["en"]["title"] == "<script>alert(1)</script> Alpha net"  # JSON holds text, not HTML
    assert alpha["languages"]["pt"]["url"] == "pt/glossary/alpha-net/"
    assert (root / alpha["languages"]["pt"]["url"] / "index.html").is_file()
    assert alpha["category"]["label"]["pt"] == "Modelos" and alpha["aliases"] == ["rede-alfa"]
    assert alpha["examples"] == ["tiny"] and alpha["related"] == ["beta", "gamma"] and alpha["backlinks"] == ["beta"]
    assert alpha["languages"]["es"]["sources"][0]["url"] == "https://example.org/alpha"
    for lang in ("en", "pt", "es"):
        one = json.loads((root / f"glossary.{lang}.json").read_text(encoding="utf-8"))
        validator.validate(one)
        assert one["languages"] == [lang] and all(set(t["languages"]) == {lang} for t in one["terms"])
    assert not (root / "pt" / "glossary.json").exists()  # written once, after every language


def test_graph_labels_stay_out_of_the_search_index(site: tuple[Path, str]) -> None:
    html = page(site[0], "glossary/beta")
    assert re.search(r'<figure class="glossary-graph"[^>]*>', html)
    text = records(site[0])["/glossary/beta/"]["x"]  # what the search index holds of the page
    assert "linked to it" not in text and "links here" not in text and "Gamma" not in text


def test_notebook_page_switcher_leads_to_the_same_notebook_in_each_language(site: tuple[Path, str]) -> None:
    html = page(site[0], "pt/examples/tiny")  # not seen by static-i18n: the plugin gives it its twins
    switcher = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" class="md-select__link"', html)
    assert switcher == [("../../../examples/tiny/", "en"), ("./", "pt"), ("../../../es/examples/tiny/", "es")]
    alternates = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', html)
    assert [lang for lang, _ in alternates] == ["en", "pt", "es", "x-default"]
    assert all(href.endswith("examples/tiny/") for _, href in alternates)




def test_a_body_left_open_keeps_every_generated_part(fixture_project: Path) -> None:
    """A body ending inside an HTML block it never closes: Markdown keeps the rest of the page inside it
    as text, placeholders included; every generated part is still on the page, once."""
    entry = fixture_project / "content/glossary/beta.en.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\n<div>\nopen div text\n", encoding="utf-8")
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode == 0, result.stdout + result.stderr
    html = article(page(fixture_project / "site", "glossary/beta"))
    assert "glossarystash" not in html
    for part in ('<p class="glossary-meta">', '<h2 id="sources">', '<h2 id="related">', '<ol class="glossary-sources">',
                 '<ul class="glossary-related">', "<svg"):
        assert html.count(part) == 1, (part, html)
    text = records(fixture_project / "site")["/glossary/beta/"]["x"]
    assert "glossarystash" not in text and "open div text" in text


def test_a_dirty_build_leaves_the_search_index_as_it_was(fixture_project: Path) -> None:
    site_dir = fixture_project / "site"
    assert mkdocs_build(fixture_project, site_dir, GLOSSARY_EXECUTE="0").returncode == 0
    before = {p.relative_to(site_dir): p.read_bytes() for p in (site_dir / "glossary-search").rglob("*") if p.is_file()}
    (fixture_project / "content/glossary/beta.en.md").touch()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty", "--no-strict", "-f", str(fixture_project / "mkdocs.yml"),
                             "-d", str(site_dir)], cwd=fixture_project, capture_output=True, text=True,
                            env={**os.environ, "GLOSSARY_EXECUTE": "0"}, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "the search index is left as it was" in result.stderr
    after = {p.relative_to(site_dir): p.read_bytes() for p in (site_dir / "glossary-search").rglob("*") if p.is_file()}
    assert after == before and len(before) > 10
