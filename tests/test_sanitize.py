"""The one allowlist (glossary_tools.sanitize) on its own: what stays, what goes."""

from __future__ import annotations

import pytest

from glossary_tools import sanitize

KEPT = [
    '<h2 id="how-it-works" class="x">How <a class="headerlink" href="#how-it-works" title="Permanent link">¶</a></h2>',
    '<p><a href="alpha/">a</a> <a href="https://example.org/a?b=1">b</a> <a href="mailto:a@b.org">c</a></p>',
    '<p><img alt="plot" src="../../assets/examples/x.png" width="640" height="480"></p>',
    '<details class="note"><summary>More</summary><p>Text</p></details>',
    '<table><thead><tr><th align="left">a</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
    '<sup class="glossary-ref"><a href="#source-1">[1]</a></sup>',
    '<div class="highlight"><pre><span></span><code><span class="n">x</span></code></pre></div>',
    '<p><img src="data:image/png;base64,iVBORw0KGgo="></p>',
]


@pytest.mark.parametrize("fragment", KEPT)
def test_what_the_site_generates_is_kept(fragment: str) -> None:
    assert sanitize.clean(fragment) == fragment
    assert sanitize.findings(fragment) == []


REMOVED = {
    "<script>alert(1)</script>": "",
    '<img src="x" onerror="alert(1)">': '<img src="x">',
    '<a href="jav&#x61;script:alert(1)">x</a>': "<a>x</a>",
    '<a href="java\nscript:alert(1)">x</a>': "<a>x</a>",
    '<a href=" JAVASCRIPT:alert(1)">x</a>': "<a>x</a>",
    '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">': "<img>",
    '<a href="data:text/html,hi">x</a>': "<a>x</a>",
    '<form action="javascript:alert(1)"><input type="text" name="q"><button>go</button></form>': '<input name="q">go',
    '<iframe src="https://example.org"></iframe>ok': "ok",
    '<p style="background:url(javascript:alert(1))">x</p>': "<p>x</p>",
    '<a title="x>y" onmouseover="alert(1)">x</a>': '<a title="x&gt;y">x</a>',
    "<style>body{display:none}</style>x": "x",
}


@pytest.mark.parametrize("fragment", sorted(REMOVED))
def test_script_and_foreign_schemes_are_removed(fragment: str) -> None:
    assert sanitize.clean(fragment) == REMOVED[fragment]
    assert sanitize.findings(fragment) or fragment.startswith("<style")  # the check sees each one


def test_notebook_pages_keep_their_stylesheet_but_not_the_copy_widget() -> None:
    page = ('<style>.jp-Cell{margin:0}</style><div class="zeroclipboard-container"><clipboard-copy for="c">'
            '<span class="notice" hidden>Copied!</span></clipboard-copy></div><script>alert(1)</script>')
    assert sanitize.clean(page, notebook=True) == '<style>.jp-Cell{margin:0}</style><div class="zeroclipboard-container"></div>'


def test_titles_become_text() -> None:
    assert sanitize.text('A &amp; <img src=x onerror=alert(1)>B<script>x</script>') == "A &amp; B"


@pytest.mark.parametrize("fragment", ['<a class="glightbox" href="x">a</a>', '<a class="note glightbox" href="x">a</a>',
                                      '<a class="glight&#98;ox" href="x">a</a>', '<a class="glight&#x62;ox" href="x">a</a>',
                                      '<a class="&#X67;lightbox" href="x">a</a>', '<a class="glightb&#0111ox" href="x">a</a>'])
def test_every_spelling_of_the_lightbox_class_is_seen_and_removed(fragment: str) -> None:
    assert sanitize.may_carry_lightbox_class(fragment)
    assert "glightbox" not in sanitize.clean(fragment, authored=True).lower()


def test_an_authors_lightbox_class_is_a_finding() -> None:
    found = sanitize.findings('<p><a class="note glightbox" href="a.png">x</a></p>')
    assert [(f.tag, f.attribute, f.value) for f in found] == [("a", "class", "note glightbox")]
    assert found[0].describe() == "'glightbox' class on <a> (only the images' own links open the lightbox)"


def test_a_fragment_that_cannot_name_the_lightbox_class_skips_the_pre_pass() -> None:
    assert not sanitize.may_carry_lightbox_class('<p class="note">a &amp; b &lt;glight box&gt;</p>')
    # the page generator's escaped quotes and apostrophes are references, but to no letter of the class
    assert not sanitize.may_carry_lightbox_class('<p title="it&#x27;s &#39;x&#39;">it&#x27;s &#8212; &#x1F600;</p>')
