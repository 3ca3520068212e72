"""Page generators, the model's links and the site layout, without MkDocs: the escaping boundary is
here (every text from content is escaped where the generator writes HTML)."""

from __future__ import annotations

import re

from glossary_tools import pages, site
from glossary_tools.model import Category, Glossary, Source, Term, Translation

EVIL = '<img src=x onerror="alert(1)">&'


def _tr(slug: str, lang: str, title: str, body: str = "Body.", sources: tuple[Source, ...] | None = None) -> Translation:
    return Translation(slug, lang, title, body, f"content/glossary/{slug}.{lang}.md", 6, sources)


def _glossary() -> Glossary:
    categories = {"models": Category("models", {"en": f"Models {EVIL}", "pt": "Modelos"}, {})}
    terms = {
        "alpha": Term("alpha", "models", (Source(f"Paper {EVIL}", "https://example.org/a?b=1&c=2"),),
                      ("beta", "b-alias", "alpha"), (), ("demo",),
                      {"en": _tr("alpha", "en", f"Alpha {EVIL}", "See [1] and [2]."),
                       "pt": _tr("alpha", "pt", "Alfa")}),
        "beta": Term("beta", "models", (), ("alpha",), ("b-alias",), (),
                     {"en": _tr("beta", "en", "Beta")}),
        "gamma": Term("gamma", "models", (), ("beta",), (), (), {"en": _tr("gamma", "en", "Gamma")}),
    }
    return Glossary(("en", "pt", "es"), categories, terms, {"b-alias": "beta"})


def url(lang: str, path: str) -> str:
    return f"/{'' if lang == 'en' else lang + '/'}{path}"


def test_related_and_backlinks_are_resolved_once_without_self_or_duplicates() -> None:
    glossary = _glossary()
    assert glossary.related("alpha") == ("beta",)  # 'b-alias' is beta; itself is dropped
    assert glossary.backlinks("beta") == ("alpha", "gamma") and glossary.backlinks("gamma") == ()


def test_entry_page_escapes_every_text_from_content() -> None:
    text = pages.entry_markdown(_glossary(), "alpha", "en", {"en": "English", "pt": "Português"}, url)
    assert EVIL not in text and "onerror=\"alert" not in text
    assert "Alpha &lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in text
    assert 'href="https://example.org/a?b=1&amp;c=2"' in text
    assert '<li id="source-1">' in text and "[[1]](#source-1)" in text and "[2]" in text  # [2]: no such source
    assert 'href="/pt/glossary/alpha/" hreflang="pt"' in text  # the translation, by the layout's URL
    assert 'href="/glossary/beta/">Beta</a>' in text


def test_fallback_page_says_so_and_links_in_its_own_language() -> None:
    text = pages.entry_markdown(_glossary(), "beta", "pt", {"en": "English", "pt": "Português"}, url)
    assert 'class="glossary-fallback' in text and "English" in text
    assert 'href="/pt/glossary/alpha/">Alfa</a>' in text  # backlinks, titled in the page's language


def test_generated_anchors_match_the_page() -> None:
    glossary = _glossary()
    text = pages.entry_markdown(glossary, "alpha", "en", {}, url, '<div id="example-demo"></div>')
    ids = set(re.findall(r'id="([^"]+)"', text))
    assert pages.generated_anchors(glossary, "alpha", "en") <= ids
    assert pages.generated_anchors(glossary, "gamma", "en") == {"related"}


def test_index_groups_by_localised_title_and_escapes() -> None:
    text = pages.index_markdown(_glossary(), "en", url)
    assert [m for m in re.findall(r'<h2 id="letter-(\w)">', text)] == ["a", "b", "g"]
    assert EVIL not in text and "Alpha &lt;img" in text


def test_layout_puts_other_languages_under_their_folder() -> None:
    layout = site.Layout(("en", "pt", "es"))
    assert layout.path("en", "glossary/") == "glossary/" and layout.path("pt", "glossary/") == "pt/glossary/"
    assert layout.within("pt", "pt/glossary/x/") == "glossary/x/" and layout.within("en", "pt/x") == "pt/x"
    assert layout.language_of("es/glossary/") == "es" and layout.language_of("espresso/") == "en"


def test_generated_pages_have_their_titles_without_parsing_html() -> None:
    from glossary_tools.loader import LoadResult

    loaded = LoadResult(_glossary(), {}, [], 0)
    found = site.generated_pages(loaded, "pt", {"en": "English"}, ["demo"], ())
    assert set(found) == {"glossary/index.md", "glossary/categories.md", "glossary/translations.md", "examples.md",
                          "glossary/graph.md", "glossary/category/models.md"}
    assert found["glossary/category/models.md"].title == "Modelos"
    one_language = LoadResult(Glossary(("en",), {}, {}), {}, [], 0)
    assert set(site.generated_pages(one_language, "en", {}, [], ())) == {"glossary/index.md", "glossary/categories.md",
                                                                          "glossary/graph.md"}


def test_entries_and_category_pages_stay_out_of_an_automatic_navigation() -> None:
    languages = ("en", "pt")
    assert not site.listed_in_navigation("glossary/alpha.md", languages)
    assert not site.listed_in_navigation("glossary/alpha.pt.md", languages)
    assert not site.listed_in_navigation("glossary/category/models.md", languages)
    assert site.listed_in_navigation("glossary/index.md", languages)  # the A-Z index stays: it lists them
    assert site.listed_in_navigation("glossary/categories.md", languages)
    assert site.listed_in_navigation("guide/alpha.md", languages)


def test_stash_gives_every_block_back_once_wherever_markdown_left_its_key() -> None:
    stash = pages.Stash()
    head, tail = stash.put("<h1>T</h1>"), stash.put('<h2 id="sources">S</h2>')
    stash.put("<ul><li>r</li></ul>")  # its key never reaches the page: the block comes at the end
    # as its own paragraph; as text inside an HTML block the body left open
    restored = stash.restore(f"<p>{head}</p>\n<p>Body.</p>\n<div>open {tail}\n")
    assert restored == '<h1>T</h1>\n<p>Body.</p>\n<div>open <h2 id="sources">S</h2>\n\n<ul><li>r</li></ul>'
    assert not stash.blocks and stash.restore(restored) == restored  # each block once


def test_stash_restores_adjacent_paragraphs_and_knows_the_ids_it_holds() -> None:
    stash = pages.Stash()
    keys = [stash.put(f'<h2 id="part-{i}">P&amp;{i}</h2>') for i in range(12)]  # -1 is a prefix of -10
    html = "".join(f"<p>{k}</p>" for k in keys)  # no newline between them
    assert stash.restore(html) == "".join(f'<h2 id="part-{i}">P&amp;{i}</h2>' for i in range(12))
    assert stash.ids == {f"part-{i}" for i in range(12)}
    other = pages.Stash()
    other.put('<li id="a&amp;b">x</li>')
    assert other.ids == {"a&b"}  # as MkDocs compares them: unescaped


def test_an_authors_copy_of_a_stash_key_takes_nothing() -> None:
    stash = pages.Stash()
    name = stash.put("<h1>T</h1>")
    other = pages.Stash()  # another page's: one unguessable key per page
    assert other.key != stash.key and other.restore(f"<p>{name}</p>") == f"<p>{name}</p>"


def test_tail_markers_are_the_generated_parts_the_page_has() -> None:
    glossary = _glossary()
    assert pages.tail_markers(glossary, "alpha", "en") == [
        '<div class="glossary-example" data-example="demo"', '<h2 id="sources">', '<h2 id="related">']
    assert pages.tail_markers(glossary, "gamma", "en") == ['<h2 id="related">']  # no sources: a body's "Sources" stays
