"""Term graph, link previews and the JSON export, without MkDocs (issue 13)."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary_tools import export, git, graph, pages, previews, sanitize, site
from glossary_tools.model import Category, Glossary, Term, Translation

from .test_pages import EVIL, _glossary, url

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "schemas" / "glossary.schema.json").read_text(encoding="utf-8"))


def _tr(slug: str, lang: str, title: str, body: str = "Body.") -> Translation:
    return Translation(slug, lang, title, body, f"content/glossary/{slug}.{lang}.md", 6)


def _many(n: int, categories: int = 3, fan: int = 2) -> Glossary:
    """``n`` terms in ``categories`` categories, term i related to the next ``fan`` terms."""
    cats = {f"c{k}": Category(f"c{k}", {"en": f"Cat {k}"}, {}) for k in range(categories)}
    terms = {}
    for i in range(n):
        slug = f"t{i:05d}"
        related = tuple(f"t{(i + d) % n:05d}" for d in range(1, fan + 1))
        terms[slug] = Term(slug, f"c{i % categories}", (), related, (), (), {"en": _tr(slug, "en", f"Term {i}")})
    return Glossary(("en",), cats, terms)


def _entry(glossary: Glossary, slug: str, lang: str) -> str:
    """The entry page as the plugin makes it: Markdown, then the graph in its slot."""
    return pages.fill_graph(pages.entry_markdown(glossary, slug, lang, {}, url), glossary, slug, lang, url)


def _svg(text: str) -> str:
    return re.search(r"<svg.*?</svg>", text, re.S).group(0)


# ---------------------------------------------------------------- neighbours and the entry graph

def test_related_and_backlinks_are_merged_once_with_their_kind() -> None:
    glossary = _glossary()  # alpha -> beta; beta -> alpha; gamma -> beta
    found = graph.neighbours(glossary, "beta", "en")
    assert [(n.slug, n.kind) for n in found] == [("alpha", "mutual"), ("gamma", "backlink")]
    text = pages.entry_markdown(glossary, "beta", "en", {}, url)
    listed = re.search(r'<ul class="glossary-related">(.*?)</ul>', text).group(1)
    assert listed.count('href="/glossary/alpha/"') == 1 and listed.count('href="/glossary/gamma/"') == 1
    assert "glossary-backlinks" not in text and text.count('<h2 id="related">') == 1
    assert "links here" in listed.split("/glossary/gamma/")[1]  # only the backlink is marked
    assert pages.generated_anchors(glossary, "beta", "en") == {"related"}


def test_example_follows_the_body_before_sources_and_related() -> None:
    text = pages.entry_markdown(_glossary(), "alpha", "en", {}, url, '<div id="example-demo"></div>')
    assert text.index("See ") < text.index('id="example-demo"') < text.index('id="sources"') < \
        text.index('id="related"')


def test_entry_svg_escapes_links_in_the_page_language_and_survives_the_sanitizer() -> None:
    glossary = _glossary()
    assert "<svg" not in pages.entry_markdown(glossary, "beta", "pt", {}, url)  # Markdown never parses it
    svg = _svg(_entry(glossary, "beta", "pt"))
    assert EVIL not in svg and "onerror=\"" not in svg
    assert 'text-anchor="start">Alfa</text>' in svg and "<title>Alfa</title>" not in svg  # alpha in Portuguese
    assert re.findall(r'<a href="([^"]+)"', svg) == ["/pt/glossary/alpha/", "/pt/glossary/gamma/"]
    assert 'viewBox="0 0 460 ' in svg and "<desc>" in svg
    svg_en = _svg(_entry(glossary, "beta", "en"))
    assert "Alpha &lt;img src=x…" in svg_en  # the label is cut before escaping, never inside an entity
    assert f"<title>Alpha {html.escape(EVIL)}</title>" in svg_en  # a cut label's node keeps the whole title
    kept = _svg(sanitize.clean(svg_en))
    assert html.unescape(kept) == html.unescape(svg_en)  # every element and attribute the graph writes is allowed


def test_entry_svg_shows_at_most_twelve_neighbours_and_says_how_many_more() -> None:
    glossary = _many(30, fan=20)
    found = graph.neighbours(glossary, "t00000", "en")
    assert len(found) > graph.MAX_NEIGHBOURS
    svg = graph.entry_svg(glossary, "t00000", "en", url, found)
    assert svg.count("<a ") == graph.MAX_NEIGHBOURS
    assert f"+{len(found) - graph.MAX_NEIGHBOURS} more" in svg
    related = set(glossary.related("t00000"))
    shown = set(re.findall(r'href="/glossary/([^/]+)/"', svg))
    assert shown <= related  # the author's related terms come first
    text = _entry(glossary, "t00000", "en")
    assert text.count("<li ") == len(found)  # the list still names them all


def test_no_neighbours_no_section() -> None:
    glossary = Glossary(("en",), {}, {"solo": Term("solo", "", (), (), (), (), {"en": _tr("solo", "en", "Solo")})})
    assert graph.entry_svg(glossary, "solo", "en", url) == ""
    assert 'id="related"' not in pages.entry_markdown(glossary, "solo", "en", {}, url)


@pytest.mark.parametrize("hostile", [
    '<svg onload="alert(1)"><script>alert(1)</script><text>x</text></svg>',
    '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>',
    '<svg><use href="data:image/svg+xml,<svg onload=alert(1)>"></use><image href="x.svg"></image></svg>',
    '<svg><text transform="url(javascript:alert(1))" style="fill:url(x)">x</text></svg>',
])
def test_the_sanitizer_keeps_only_the_graphs_svg(hostile: str) -> None:
    cleaned = sanitize.clean(hostile)
    assert not re.search(r"script|onload|onerror|foreignobject|<use|<image|xlink|style=|transform=|javascript",
                         cleaned, re.I), cleaned


# ---------------------------------------------------------------- the overview page

def test_overview_draws_every_term_up_to_the_threshold() -> None:
    glossary = _many(graph.CLUSTER_ABOVE, categories=4)
    overview = graph.Overview(glossary)
    assert not overview.clustered()
    text = graph.overview_markdown(overview, "en", url)
    svg = _svg(text)
    assert len(re.findall(r'<a href="/glossary/t\d+/"', svg)) == graph.CLUSTER_ABOVE
    assert svg.count("<line ") == len(overview.edges) == graph.CLUSTER_ABOVE * 2
    assert html.unescape(_svg(sanitize.clean(text))) == html.unescape(svg)


def test_overview_clusters_by_category_beyond_the_threshold() -> None:
    glossary = _many(graph.CLUSTER_ABOVE + 1, categories=3, fan=1)  # t_i -> t_{i+1}: always another category
    overview = graph.Overview(glossary)
    assert overview.clustered()
    inside, across = overview.weights
    assert sum(across.values()) == len(overview.edges) == graph.CLUSTER_ABOVE + 1
    text = graph.overview_markdown(overview, "en", url)
    svg = _svg(text)
    assert "/glossary/t0" not in svg  # no node per term
    assert sorted(re.findall(r'<a href="/glossary/category/(c\d)/"', svg)) == ["c0", "c1", "c2"]
    assert svg.count("<line ") == 3 and 'stroke-width="' in svg  # one weighted line per pair of categories
    assert "<td>67</td>" in text  # the table gives each category's number of terms as text
    assert html.unescape(_svg(sanitize.clean(text))) == html.unescape(svg)


def test_overview_at_ten_thousand_terms_stays_small() -> None:
    glossary = _many(10_000, categories=8, fan=3)
    text = graph.overview_markdown(graph.Overview(glossary), "en", url)
    assert len(text) < 20_000 and text.count("<circle") == 8


def test_overview_is_a_generated_page_in_every_language() -> None:
    from glossary_tools.loader import LoadResult

    found = site.generated_pages(LoadResult(_glossary(), {}, [], 0), "pt", {}, [], ())
    page = found["glossary/graph.md"]
    assert page.title == "Grafo dos termos"
    text = page.markdown(url)
    assert 'href="/pt/glossary/alpha/"' in text and EVIL not in text


# ---------------------------------------------------------------- previews

@pytest.mark.parametrize("body,expected", [
    ("An **alpha net** is a fixture term [1]. See [beta](beta.md#how-it-works).", "An alpha net is a fixture term."),
    ("## Heading\n\n```\ncode. Not this\n```\n\nA `x.y` value, e.g. this one. Next.", "A x.y value, e.g. this one."),
    ("Uma **rede alfa** é um termo [1][2]. Veja.", "Uma rede alfa é um termo."),
    ("<div>html</div>\n\nText &amp; more <b>bold</b>. Then.", "Text & more bold."),
    ("word " * 100, ("word " * 39).strip() + "…"),
    ("", ""),
])
def test_first_sentence(body: str, expected: str) -> None:
    assert previews.first_sentence(body) == expected


def test_previews_cover_the_terms_a_page_links_to_in_its_language_escaped() -> None:
    glossary = _glossary()
    layout = site.Layout(glossary.languages)
    found = previews.Previews(glossary, layout.language_of, layout.within)
    page = ('<a href="../alpha/#x">a</a> <a href="../../../glossary/beta/">en</a> <a href="../gamma/">g</a>'
            '<a href="../alpha/">again</a> <a href="https://example.org/glossary/beta/">out</a> <a href="#top">t</a>'
            '<a href="/glossary/beta/">root</a> <a href="../category/models/">c</a> <a href="../graph/">gr</a>')
    assert found.linked(page, "pt/glossary/beta/", "pt") == {"alpha": "../alpha/", "gamma": "../gamma/"}
    assert found.linked(page, "glossary/beta/", "en") == {"alpha": "../alpha/", "beta": "../../../glossary/beta/",
                                                          "gamma": "../gamma/"}
    assert found.linked('<a href="beta.html">b</a>', "glossary/alpha.html", "en") == {"beta": "beta.html"}
    cleaned = sanitize.clean(found.element('<a href="../alpha/">a</a>', "glossary/beta/", "en"))
    value = json.loads(html.unescape(re.search(r'data-previews="([^"]*)"', cleaned).group(1)))
    assert value == {"../alpha/": [f"Alpha {EVIL}", "See and."]}
    assert EVIL not in cleaned  # escaped in the attribute
    assert found.element('<a href="https://example.org/">x</a>', "glossary/beta/", "en") == ""


def test_previews_per_page_are_bounded() -> None:
    glossary = _many(500)
    layout = site.Layout(glossary.languages)
    found = previews.Previews(glossary, layout.language_of, layout.within)
    page = "".join(f'<a href="../t{i:05d}/">x</a>' for i in range(500))
    assert len(found.linked(page, "glossary/t00001/", "en")) == previews.MAX_PER_PAGE


# ---------------------------------------------------------------- the JSON export

def test_export_has_every_term_and_validates_against_the_schema(tmp_path: Path) -> None:
    glossary = _glossary()
    layout = site.Layout(glossary.languages)
    summary = previews.Previews(glossary, layout.language_of, layout.within).summary
    written = export.write(tmp_path, glossary, layout.path, summary, {"content/glossary/alpha.pt.md": "2026-01-02"})
    assert [p.name for p in written] == ["glossary.json", "glossary.en.json", "glossary.pt.json", "glossary.es.json"]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for path in written:
        validator.validate(json.loads(path.read_text(encoding="utf-8")))
    data = json.loads((tmp_path / "glossary.json").read_text(encoding="utf-8"))
    assert [t["slug"] for t in data["terms"]] == ["alpha", "beta", "gamma"]
    alpha = data["terms"][0]
    assert alpha["category"] == {"id": "models", "label": {"en": f"Models {EVIL}", "pt": "Modelos", "es": f"Models {EVIL}"}}
    assert alpha["related"] == ["beta"] and alpha["backlinks"] == ["beta"] and alpha["examples"] == ["demo"]
    assert alpha["languages"]["pt"] == {"title": "Alfa", "translated": True, "url": "pt/glossary/alpha/",
                                        "summary": "Body.", "sources": [{"text": f"Paper {EVIL}",
                                                                         "url": "https://example.org/a?b=1&c=2"}],
                                        "last_updated": "2026-01-02"}
    assert alpha["languages"]["es"]["translated"] is False and alpha["languages"]["es"]["title"] == f"Alpha {EVIL}"
    one = json.loads((tmp_path / "glossary.pt.json").read_text(encoding="utf-8"))
    assert one["languages"] == ["pt"] and set(one["terms"][1]["languages"]) == {"pt"}


def test_the_schema_refuses_what_the_export_never_writes() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    glossary = _glossary()
    layout = site.Layout(glossary.languages)
    data = export.export(glossary, ("en",), layout.path, lambda s, lg: "", {})
    assert validator.is_valid(data)
    data["terms"][0]["languages"]["en"]["last_updated"] = "yesterday"
    assert not validator.is_valid(data)
    data["terms"][0]["languages"]["en"]["last_updated"] = None
    data["terms"][0]["languages"]["en"]["sources"] = [{"text": "x", "url": "javascript:alert(1)"}]
    assert not validator.is_valid(data)


def test_last_commit_dates_read_one_git_log(tmp_path: Path) -> None:
    def run(*args: str, date: str = "2024-03-05T12:00:00") -> None:
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, env=env)

    docs = tmp_path / "content" / "glossary"
    docs.mkdir(parents=True)
    (docs / "a.en.md").write_text("1")
    (docs / "b.en.md").write_text("1")
    (tmp_path / "outside.md").write_text("1")
    run("init", "-q")
    run("add", ".")
    run("commit", "-qm", "one", date="2024-03-05T12:00:00")
    (docs / "a.en.md").write_text("2")
    (tmp_path / "outside.md").write_text("2")
    run("commit", "-qam", "two", date="2025-01-02T12:00:00")
    (docs / "c.en.md").write_text("new")  # never committed
    git.toplevel.cache_clear()
    found = {path: date[:10] for path, date in git.last_commit_dates(tmp_path, tmp_path / "content").items()}
    top = git.toplevel(tmp_path)
    assert found == {top / "content/glossary/a.en.md": "2025-01-02", top / "content/glossary/b.en.md": "2024-03-05"}
    git.toplevel.cache_clear()
    assert git.last_commit_dates(tmp_path / "content", tmp_path / "nowhere") == {}


# ---------------------------------------------------------------- any title

_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(_TEXT, min_size=2, max_size=5))
def test_any_titles_are_text_in_the_graph_and_the_sanitizer_keeps_it(titles: list[str]) -> None:
    terms = {f"t{i}": Term(f"t{i}", "c", (), (f"t{(i + 1) % len(titles)}",), (), (),
                           {"en": _tr(f"t{i}", "en", title)}) for i, title in enumerate(titles)}
    glossary = Glossary(("en",), {"c": Category("c", {"en": titles[0]}, {})}, terms)
    svg = graph.entry_svg(glossary, "t0", "en", url)
    overview = graph.overview_markdown(graph.Overview(glossary), "en", url)
    for drawing in (svg, _svg(overview)):
        assert html.unescape(_svg(sanitize.clean(drawing))) == html.unescape(drawing)
        texts = re.findall(r">([^<]*)<", drawing)
        assert all("<" not in t and ">" not in t for t in texts)  # every text escaped: no markup from a title
