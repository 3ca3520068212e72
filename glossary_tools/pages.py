"""Markdown for the site's pages, computed from the Glossary (no MkDocs here).

Everything an author wrote as plain text (titles, labels, source texts) is escaped here,
the one place where glossary data becomes page markup.
"""

from __future__ import annotations

import html
import itertools
import re
import secrets
from collections.abc import Callable, Collection, Mapping

from . import body as md
from . import graph
from .chrome import language_name
from .labels import label
from .model import Glossary, Source, initial

Url = Callable[[str, str], str]  # (language, site path such as "glossary/neuron/") -> href from this page


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _link(text: str, href: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<a href="{esc(href)}"{cls}>{esc(text)}</a>'


def entry_markdown(glossary: Glossary, slug: str, lang: str, names: Mapping[str, str], url: Url,
                   examples_html: str = "", updated: tuple[str, str] | None = None,
                   raw: Callable[[str], str] = lambda block: block) -> str:
    """The whole page of one term in ``lang`` (whose text may fall back to the default language);
    ``updated``: (ISO date, the same written in ``lang``) of the shown text's last change.
    ``raw`` is given each generated HTML block and returns what the Markdown holds in its place
    (the block itself, or a ``Stash`` placeholder)."""
    term = glossary.terms[slug]
    tr = term.in_language(lang, glossary.default_language)
    parts = [raw(f"<h1>{esc(tr.title)}</h1>"), ""]  # no id: a body heading may take any id but the generated ones
    meta = []
    if term.category in glossary.categories:
        category = glossary.categories[term.category]
        meta.append(f'{esc(label(lang, "category"))}: '
                    + _link(category.label(lang, glossary.default_language),
                            url(lang, f"glossary/category/{category.id}/"), "glossary-category"))
    others = [(other, names.get(other, other)) for other in glossary.languages
              if other != lang and other in term.translations]
    if others:
        meta.append(f'{esc(label(lang, "translations"))}: ' + ", ".join(
            f'<a href="{esc(url(other, f"glossary/{slug}/"))}" hreflang="{esc(other)}" lang="{esc(other)}">'
            f'{esc(name)}</a>' for other, name in others))
    if updated:
        date = f'<time datetime="{esc(updated[0][:10])}">{esc(updated[1])}</time>'
        text = esc(label(lang, "updated", date="\x00")).replace("\x00", date)
        meta.append(f'<span class="glossary-updated">{text}</span>')
    parts.append(raw(f'<p class="glossary-meta">{" · ".join(meta)}</p>'))
    parts.append("")
    if tr.lang != lang:
        notice = label(lang, "fallback", language=language_name(lang, lang, names.get(lang)),
                       default=language_name(tr.lang, lang, names.get(tr.lang)))
        parts += [raw(f'<p class="glossary-fallback admonition note">{esc(notice)}</p>'), ""]
    sources = term.sources_of(tr)
    parts += [md.link_source_refs(tr.body, len(sources)).strip(), ""]
    if examples_html:  # right after the body, whose last sentence usually introduces it
        parts += [raw(examples_html), ""]
    generated = _sources(sources, lang) + _neighbourhood(glossary, slug, lang, url)
    if generated:
        parts.append(raw("\n\n".join(generated)))
    return "\n".join(parts)


def generated_anchors(glossary: Glossary, slug: str, lang: str) -> frozenset[str]:
    """The ids entry_markdown gives its own parts on ``slug``'s page in ``lang`` (links may target them)."""
    term = glossary.terms[slug]
    sources = term.sources_of(term.in_language(lang, glossary.default_language))
    ids = {f"source-{i}" for i in range(1, len(sources) + 1)}
    ids.update(key for key, present in (("sources", sources),
                                        ("related", glossary.related(slug) or glossary.backlinks(slug)))
               if present)
    ids.update(f"example-{name}" for name in term.examples)
    return frozenset(ids)


def _sources(sources: tuple[Source, ...], lang: str) -> list[str]:
    if not sources:
        return []
    items = "".join(
        f'<li id="source-{i}">{_link(s.text, s.url)}</li>' for i, s in enumerate(sources, 1))
    return [f'<h2 id="sources">{esc(label(lang, "sources"))}</h2>', f'<ol class="glossary-sources">{items}</ol>']


def _neighbourhood(glossary: Glossary, slug: str, lang: str, url: Url) -> list[str]:
    """One "Related terms" section: the terms this one lists and the terms that list it, each once
    (those that only link here are marked), drawn as a small graph above the same list as text."""
    found = graph.neighbours(glossary, slug, lang)
    if not found:
        return []
    marker = esc(label(lang, "links_here"))
    items = "".join(
        f'<li class="is-{n.kind}">{_link(glossary.title(n.slug, lang), url(lang, f"glossary/{n.slug}/"))}'
        + ("" if n.related else f' <span class="glossary-links-here">({marker})</span>') + "</li>"
        for n in found)
    whole = _link(label(lang, "graph_whole"), url(lang, "glossary/graph/"))
    return [f'<h2 id="related">{esc(label(lang, "related"))}</h2>',
            f"{_GRAPH_AT}<figcaption>{whole}</figcaption></figure>", f'<ul class="glossary-related">{items}</ul>']


_ID_RE = re.compile(r'\sid="([^"]*)"')  # as the page generator writes them (quoted, escaped)


class Stash:
    """One page's generated HTML kept away from Markdown, whose raw-HTML parser otherwise reads every
    tag of it (a fifth of an entry page's Markdown time): each block becomes a one-word paragraph, a
    key no author can guess, which ``restore`` swaps back in the rendered page."""

    def __init__(self) -> None:
        self.key = "glossarystash" + secrets.token_hex(6)
        self.blocks: dict[str, str] = {}
        self.ids: set[str] = set()  # of the elements in the blocks (links to them are not broken)
        self._numbers = itertools.count()

    def put(self, block: str) -> str:
        name = f"{self.key}-{next(self._numbers)}"
        self.blocks[name] = block
        if ' id="' in block:
            self.ids.update(html.unescape(found) for found in _ID_RE.findall(block))
        return name

    def restore(self, html: str) -> str:
        """``html`` with every block back, each once: where its paragraph is; where its key is, when
        the body left an HTML block open and Markdown kept the key inside it as text; else at the end.
        The first case is one scan for the page's key (no pattern compiled per page)."""
        if not self.blocks:
            return html
        opening, pieces, last = f"<p>{self.key}-", [], 0
        at = html.find(opening)
        while at >= 0:
            end = html.find("</p>", at)
            block = self.blocks.pop(html[at + 3:end], None) if end >= 0 else None
            if block is not None:
                pieces += [html[last:at], block]
                last = end + 4
            at = html.find(opening, last if block is not None else at + 1)
        html = "".join(pieces) + html[last:] if pieces else html
        if self.blocks:
            html = re.sub(f"{self.key}-[0-9]+", lambda m: self.blocks.pop(m.group(0), ""), html)
        if self.blocks:  # the key is gone: at the end rather than lost
            html += "\n" + "\n".join(self.blocks.values())
            self.blocks.clear()
        return html


def tail_markers(glossary: Glossary, slug: str, lang: str) -> list[str]:
    """How the parts entry_markdown adds after the body begin in the rendered page of ``slug`` in
    ``lang``: its runnable examples, Sources and Related terms, those it has. The body may hold the
    same text (a heading "Sources" takes the id "sources"); the generated part is the last occurrence."""
    anchors = generated_anchors(glossary, slug, lang)
    return ([f'<div class="glossary-example" data-example="{esc(name)}"' for name in glossary.terms[slug].examples]
            + [f'<h2 id="{anchor}">' for anchor in ("sources", "related") if anchor in anchors])


GRAPH_SLOT = "<!-- glossary-graph -->"
# data-search-exclude: the search index keeps the list as text, not the drawing's labels again
_GRAPH_AT = f'<figure class="glossary-graph" data-search-exclude>{GRAPH_SLOT}'


def fill_graph(page_html: str, glossary: Glossary, slug: str, lang: str, url: Url) -> str:
    """``page_html`` (entry_markdown's page, rendered) with the neighbourhood graph in the slot
    entry_markdown leaves for it: the SVG is inserted after Markdown, whose raw-HTML parser would
    otherwise read every one of its elements. The generated parts follow the body: the last slot."""
    at = page_html.rfind(_GRAPH_AT)
    if at < 0:
        return page_html
    at += len(_GRAPH_AT) - len(GRAPH_SLOT)
    return page_html[:at] + graph.entry_svg(glossary, slug, lang, url) + page_html[at + len(GRAPH_SLOT):]


def _entry_item(glossary: Glossary, slug: str, lang: str, url: Url) -> str:
    term = glossary.terms[slug]
    fallback = "" if lang in term.translations else ' <span class="glossary-untranslated">*</span>'
    return f"<li>{_link(glossary.title(slug, lang), url(lang, f'glossary/{slug}/'))}{fallback}</li>"


def index_markdown(glossary: Glossary, lang: str, url: Url) -> str:
    """The A-Z index of one language, grouped by the initial of each localised title."""
    slugs = glossary.sorted_slugs(lang)
    groups: dict[str, list[str]] = {}
    for slug in slugs:
        groups.setdefault(initial(glossary.title(slug, lang)), []).append(slug)
    letters = " ".join(f'<a href="#letter-{esc(k.lower())}">{esc(k)}</a>' for k in groups)
    parts = [f"<h1>{esc(label(lang, 'index_title'))}</h1>", "",
             f"<p>{esc(label(lang, 'index_intro', count=len(slugs)))}</p>", "",
             f'<p class="glossary-letters">{letters}</p>', ""]
    for letter, members in groups.items():
        items = "".join(_entry_item(glossary, s, lang, url) for s in members)
        parts += [f'<h2 id="letter-{esc(letter.lower())}">{esc(letter)}</h2>', "",
                  f'<ul class="glossary-index">{items}</ul>', ""]
    return "\n".join(parts)


def categories_markdown(glossary: Glossary, lang: str, url: Url) -> str:
    parts = [f"<h1>{esc(label(lang, 'categories_title'))}</h1>", ""]
    for cid, category in glossary.categories.items():
        count = len(glossary.in_category(cid))
        title = category.label(lang, glossary.default_language)
        description = category.descriptions.get(lang) or category.descriptions.get(glossary.default_language, "")
        parts += [f'<h2 id="{esc(cid)}">{_link(title, url(lang, f"glossary/category/{cid}/"))} ({count})</h2>',
                  "", f"<p>{esc(description)}</p>", ""]
    return "\n".join(parts)


def category_markdown(glossary: Glossary, cid: str, lang: str, url: Url) -> str:
    category = glossary.categories[cid]
    slugs = glossary.sorted_slugs(lang, glossary.in_category(cid))
    description = category.descriptions.get(lang) or category.descriptions.get(glossary.default_language, "")
    items = "".join(_entry_item(glossary, s, lang, url) for s in slugs)
    return "\n".join([
        f"<h1>{esc(category.label(lang, glossary.default_language))}</h1>", "",
        f"<p>{esc(description)}</p>", "",
        f"<p>{esc(label(lang, 'category_intro', count=len(slugs)))}</p>", "",
        f'<ul class="glossary-index">{items}</ul>', ""])


def translations_markdown(glossary: Glossary, lang: str, names: Mapping[str, str], url: Url,
                          stale: Collection[tuple[str, str]] = ()) -> str:
    """Per term and language: current, stale (``stale`` holds (slug, lang) pairs) or missing; with counts."""
    languages = glossary.languages
    default = language_name(glossary.default_language, lang, names.get(glossary.default_language))
    head = "".join(f"<th>{esc(_capitalized(language_name(lg, lang, names.get(lg))))}</th>" for lg in languages)
    marks = {"current": "✓", "stale": "!", "missing": "—"}
    counts = {lg: dict.fromkeys(marks, 0) for lg in languages}
    rows = []
    for slug in glossary.sorted_slugs(lang):
        term = glossary.terms[slug]
        cells = []
        for lg in languages:
            state = "missing" if lg not in term.translations else "stale" if (slug, lg) in stale else "current"
            counts[lg][state] += 1
            css = {"current": "yes", "stale": "stale", "missing": "no"}[state]
            cells.append(f'<td class="glossary-{css}" title="{esc(label(lang, "status_" + state))}">'
                         f"{marks[state]}</td>")
        rows.append(f"<tr><td>{_link(glossary.title(slug, lang), url(lang, f'glossary/{slug}/'))}</td>"
                    f"{''.join(cells)}</tr>")
    totals = "".join(
        f"<td>{counts[lg]['current'] + counts[lg]['stale']} / {len(glossary.terms)}</td>" for lg in languages)
    legend = ", ".join(f"{marks[s]} {esc(label(lang, 'status_' + s))}" for s in marks)
    by_state = "".join(
        f"<tr><td>{marks[s]} {esc(label(lang, 'status_' + s))}</td>"
        + "".join(f"<td>{counts[lg][s]}</td>" for lg in languages) + "</tr>" for s in marks)
    return "\n".join([
        f"<h1>{esc(label(lang, 'status_title'))}</h1>", "",
        f"<p>{esc(label(lang, 'status_intro', default=default))}</p>", "",
        f'<p class="glossary-legend">{legend}</p>', "",
        f'<table class="glossary-status"><thead><tr><th>{esc(label(lang, "term"))}</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody><tfoot>{by_state}<tr><td>{esc(label(lang, "total"))}</td>{totals}</tr>'
        f"</tfoot></table>", ""])


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def examples_markdown(glossary: Glossary, lang: str, examples: list[str], url: Url,
                      descriptions: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The list of examples: each with its one-line description in ``lang``, its notebook and the
    entries that show it."""
    users: dict[str, list[str]] = {}
    for slug, term in glossary.terms.items():
        for name in term.examples:
            users.setdefault(name, []).append(slug)
    parts = [f"<h1>{esc(label(lang, 'examples_title'))}</h1>", "",
             f"<p>{esc(label(lang, 'examples_intro'))}</p>", ""]
    for name in examples:
        shown = ", ".join(_link(glossary.title(s, lang), url(lang, f"glossary/{s}/"))
                          for s in glossary.sorted_slugs(lang, users.get(name, [])))
        notebook = _link(name, url(lang, f"examples/{name}/"))  # the notebook page in this language
        described = (descriptions or {}).get(name, {}).get(lang, "")
        parts += [f'<h2 id="{esc(name)}">{esc(described or name)}</h2>', "",
                  f'<p class="glossary-example-name"><code>{esc(name)}</code></p>', "",
                  f"<p>{notebook}. {esc(label(lang, 'used_by'))}: {shown or '—'}</p>", ""]
    return "\n".join(parts)
