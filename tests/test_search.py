"""Search markup and options without a build: what Pagefind is told to index, and how.

The build (site/pagefind/ per language, what the index holds) is tested in test_site_build.py;
ranking in a browser in test_browser.py.
"""

from __future__ import annotations

import json
import re

import pytest

from glossary_tools import sanitize
from glossary_tools.labels import LABELS
from glossary_tools.mkdocs_plugin import pagefind
from glossary_tools.model import Glossary, Source, Term, Translation
from glossary_tools.options import BY_NAME, OptionError


def _glossary() -> Glossary:
    def tr(lang: str, title: str) -> Translation:
        return Translation("backpropagation", lang, title, "Body.", f"content/glossary/backpropagation.{lang}.md", 6)

    term = Term("backpropagation", "training", (Source("Paper", "https://example.org"),), (),
                ("retropropagacao", "rete_neurale", "back-prop"), (),
                {"en": tr("en", "Backpropagation"), "pt": tr("pt", "Retropropagação"),
                 "es": tr("es", "Retropropagación")})
    return Glossary(("en", "pt", "es"), {}, {"backpropagation": term}, {})


def test_fold_removes_diacritics_only() -> None:
    assert pagefind.fold("Retropropagação, función, Ñandú") == "Retropropagacao, funcion, Nandu"
    assert pagefind.fold("ReLU max(0, z)") == "ReLU max(0, z)"


def test_search_terms_hold_every_language_and_alias_with_variants() -> None:
    names = pagefind.search_terms(_glossary(), "backpropagation")
    for name in ("Backpropagation", "Retropropagação", "Retropropagacao", "Retropropagación", "Retropropagacion",
                 "retropropagacao", "rete_neurale", "rete neurale", "back-prop", "back prop"):
        assert name in names, (name, names)
    assert len(names) == len(set(names))


ENTRY = ('<h1>Retropropagação</h1>\n<p class="glossary-meta">Categoria: <a href="x">Treino</a></p>\n'
         '<p>A <strong>retropropagação</strong> calcula o gradiente &amp; mais [1].</p>\n'
         '<div class="highlight"><pre><code>loss.backward()</code></pre></div>\n'
         '<h2 id="sources">Fontes</h2>\n<ol class="glossary-sources"><li id="source-1">Paper</li></ol>\n'
         '<h2 id="related">Termos relacionados</h2>\n<ul class="glossary-related"><li>x</li></ul>\n'
         '<div class="glossary-example" data-example="demo"><pre>code</pre></div>\n')


def test_entry_html_marks_body_names_summary_and_ignores_the_generated_tail() -> None:
    html = pagefind.entry_html(ENTRY, _glossary(), "backpropagation")
    assert html.startswith("<div data-pagefind-body>") and html.endswith("</div>")
    names = re.search(r'<p class="glossary-search-terms" hidden data-pagefind-weight="10" '
                      r'data-pagefind-meta="names">(.*?)</p>', html).group(1)
    assert "rete_neurale ⁞ rete neurale" in names and "Retropropagacao" in names
    summary = re.search(r'data-pagefind-meta="summary:([^"]*)"', html).group(1)
    assert summary == "A retropropagação calcula o gradiente &amp; mais [1]."  # plain text, escaped once
    definition, tail = html.split("<div data-pagefind-ignore>")
    assert "calcula o gradiente" in definition and '<h2 id="sources">' not in definition
    assert tail.startswith('<h2 id="sources">') and 'class="glossary-example"' in tail
    assert "pre" in pagefind.EXCLUDE and ".highlight" in pagefind.EXCLUDE and ".glossary-meta" in pagefind.EXCLUDE


def test_summary_is_cut_to_its_words() -> None:
    long = "<h1>T</h1><p>" + " ".join(f"w{i}" for i in range(100)) + "</p>"
    assert pagefind.summary(long, words=5) == "w0 w1 w2 w3 w4 …"
    assert pagefind.summary("<h1>T</h1><ul><li>no paragraph</li></ul>") == ""


def test_names_are_escaped() -> None:
    glossary = _glossary()
    term = glossary.terms["backpropagation"]
    evil = Translation("backpropagation", "en", '<img src=x onerror="alert(1)">', "B", "f", 1)
    glossary.terms["backpropagation"] = Term(term.slug, term.category, term.sources, term.related, term.aliases,
                                             term.examples, {**term.translations, "en": evil})
    html = pagefind.entry_html("<h1>x</h1><p>y</p>", glossary, "backpropagation")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_sanitizer_keeps_ignore_and_drops_the_other_pagefind_attributes() -> None:
    cleaned = sanitize.clean('<p data-pagefind-ignore>a</p><p data-pagefind-weight="10" data-pagefind-body '
                             'data-pagefind-meta="title:x" data-pagefind-filter="f">b</p>')
    assert "data-pagefind-ignore" in cleaned
    assert "weight" not in cleaned and "data-pagefind-body" not in cleaned and "meta" not in cleaned
    assert "filter" not in cleaned


def test_search_option_accepts_its_choices_only() -> None:
    option = BY_NAME["search"]
    assert option.validate(None) == "auto"
    assert option.validate("pagefind") == "pagefind" and option.validate("material") == "material"
    with pytest.raises(OptionError, match="one of auto, pagefind, material"):
        option.validate("lunr")


def test_script_carries_every_language_label_and_no_placeholder() -> None:
    source = pagefind.script()
    assert "__LABELS__" not in source and "__SEPARATOR__" not in source
    labels = json.loads(re.search(r"var LABELS = (\{.*?\});\n", source).group(1))
    assert set(labels) == set(LABELS)
    assert labels["pt"]["search"] == "Pesquisar" and labels["es"]["search_none"] == "Ningún término encontrado"
    assert '"⁞"' in source
    assert "http://" not in source.replace('"http://www.w3.org/2000/svg"', "")  # nothing from another host
    assert "https://" not in source
