"""The term graph as static SVG, computed at build time (no script, no layout library).

Two drawings:

- ``entry_svg``: one term and its neighbours (the terms it lists as related and the terms that list
  it, merged without duplicates), capped at ``MAX_NEIGHBOURS`` with a "+N more" note; the page's
  list still names them all, as text.
- ``overview_markdown``: the whole glossary by category. Up to ``CLUSTER_ABOVE`` terms every term is
  a node on a circle, grouped by category; beyond that one node per category, with the number of
  links inside it, and one line per pair of categories weighted by the links between them.

Every text from content is escaped here; the elements and attributes written are exactly those
``sanitize.SVG_ATTRIBUTES`` allows. Work per entry page is proportional to its neighbours; the
overview's aggregation is one pass over the terms and their links, done once per build.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from .labels import label
from .model import Glossary


def esc(text: str) -> str:
    return html.escape(text, quote=True)

Url = Callable[[str, str], str]

MAX_NEIGHBOURS = 12
CLUSTER_ABOVE = 200
CATEGORY_COLOURS = 8  # node colour classes glossary-graph-c0 .. c7, by category order


@dataclass(frozen=True, slots=True)
class Neighbour:
    slug: str
    related: bool  # this term lists it as related
    backlink: bool  # it lists this term as related

    @property
    def kind(self) -> str:
        return "mutual" if self.related and self.backlink else "related" if self.related else "backlink"


def neighbours(glossary: Glossary, slug: str, lang: str) -> list[Neighbour]:
    """Related terms and backlinks, merged (each slug once), sorted by title in ``lang``."""
    related = glossary.related(slug)
    backlinks = set(glossary.backlinks(slug))
    merged = dict.fromkeys([*related, *glossary.backlinks(slug)])
    listed = set(related)
    return [Neighbour(s, s in listed, s in backlinks) for s in glossary.sorted_slugs(lang, list(merged))]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- one term's neighbourhood

_W, _TOP, _ROW, _LABEL = 460, 44, 32, 17
_LEFT, _RIGHT = 165, 295  # the x of the two columns of nodes; labels take the 155 units outside them


def entry_svg(glossary: Glossary, slug: str, lang: str, url: Url, found: list[Neighbour] | None = None) -> str:
    """The term in the middle, its neighbours in two columns, a line to each; every node links to
    its entry in ``lang``. Empty when the term has no neighbours."""
    found = neighbours(glossary, slug, lang) if found is None else found
    if not found:
        return ""
    # related terms first (the author chose them), then backlinks; the rest is in the list
    shown = sorted(found, key=lambda n: not n.related)[:MAX_NEIGHBOURS]
    rows = math.ceil(len(shown) / 2)
    more = len(found) - len(shown)
    height = _TOP + rows * _ROW + (26 if more else 8)
    cx, cy = _W / 2, _TOP + rows * _ROW / 2
    title = glossary.title(slug, lang)
    heading = label(lang, "graph_of", title=title)
    parts = [f'<svg class="glossary-graph-svg" viewBox="0 0 {_W} {_num(height)}">',
             f"<title>{esc(heading)}</title>",
             f'<desc>{esc(label(lang, "graph_desc", count=len(found)))}</desc>',
             f'<text class="glossary-graph-centre-label" x="{_num(cx)}" y="22" text-anchor="middle">'
             f"{esc(_shorten(title, 44))}</text>"]
    nodes = []
    for i, n in enumerate(shown):
        right = i % 2 == 0
        y = _TOP + (i // 2) * _ROW + _ROW / 2
        x = _RIGHT if right else _LEFT
        parts.append(f'<line class="glossary-graph-edge is-{n.kind}" x1="{_num(cx)}" y1="{_num(cy)}" '
                     f'x2="{x}" y2="{_num(y)}"></line>')
        name = glossary.title(n.slug, lang)
        tx, anchor = (x + 10, "start") if right else (x - 10, "end")
        shown_name = _shorten(name, _LABEL)
        nodes.append(f'<a href="{esc(url(lang, f"glossary/{n.slug}/"))}" class="glossary-graph-node is-{n.kind}">'
                     + (f"<title>{esc(name)}</title>" if shown_name != name else "")  # the whole title when cut
                     + f'<circle cx="{x}" cy="{_num(y)}" r="6"></circle>'
                     f'<text x="{tx}" y="{_num(y + 5)}" text-anchor="{anchor}">{esc(shown_name)}</text>'
                     "</a>")
    parts += nodes
    parts.append(f'<circle class="glossary-graph-centre" cx="{_num(cx)}" cy="{_num(cy)}" r="10"></circle>')
    if more:
        parts.append(f'<text class="glossary-graph-more" x="{_num(cx)}" y="{_num(height - 8)}" '
                     f'text-anchor="middle">{esc(label(lang, "graph_more", count=more))}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- the whole glossary

class Overview:
    """What the overview page draws, computed once per build (language-neutral)."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary

    @cached_property
    def categories(self) -> list[str]:
        """Category ids in categories.yml order, then any other (an unresolved category is '')."""
        known = [cid for cid in self.glossary.categories if self.glossary.in_category(cid)]
        rest = sorted({t.category for t in self.glossary.terms.values()} - set(known))
        return known + rest

    @cached_property
    def edges(self) -> list[tuple[str, str]]:
        """Each related link once, whichever side lists it (one pass over the terms)."""
        seen: set[tuple[str, str]] = set()
        for slug in self.glossary.terms:
            for other in self.glossary.related(slug):
                seen.add((slug, other) if slug < other else (other, slug))
        return sorted(seen)

    @cached_property
    def weights(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        """Links inside each category, and links between each pair of categories."""
        category = {slug: term.category for slug, term in self.glossary.terms.items()}
        inside: dict[str, int] = {}
        across: dict[tuple[str, str], int] = {}
        for a, b in self.edges:
            ca, cb = category[a], category[b]
            if ca == cb:
                inside[ca] = inside.get(ca, 0) + 1
            else:
                key = (ca, cb) if ca < cb else (cb, ca)
                across[key] = across.get(key, 0) + 1
        return inside, across

    def clustered(self) -> bool:
        return len(self.glossary.terms) > CLUSTER_ABOVE

    def category_label(self, cid: str, lang: str) -> str:
        category = self.glossary.categories.get(cid)
        return category.label(lang, self.glossary.default_language) if category else (cid or "—")

    @cached_property
    def _colours(self) -> dict[str, int]:
        return {cid: i % CATEGORY_COLOURS for i, cid in enumerate(self.categories)}

    def colour(self, cid: str) -> int:
        return self._colours.get(cid, 0)


def overview_markdown(overview: Overview, lang: str, url: Url) -> str:
    glossary = overview.glossary
    count = len(glossary.terms)
    mode = "graph_clustered" if overview.clustered() else "graph_full"
    parts = [f"<h1>{esc(label(lang, 'graph_title'))}</h1>", "",
             f"<p>{esc(label(lang, mode, count=count, threshold=CLUSTER_ABOVE))}</p>", "",
             f'<figure class="glossary-graph glossary-graph-overview" data-search-exclude>'
             f"{clustered_svg(overview, lang, url) if overview.clustered() else full_svg(overview, lang, url)}"
             "</figure>", ""]
    parts += _category_table(overview, lang, url)
    return "\n".join(parts)


def _category_table(overview: Overview, lang: str, url: Url) -> list[str]:
    glossary = overview.glossary
    inside, across = overview.weights
    out: dict[str, int] = {}
    for (a, b), n in across.items():
        out[a] = out.get(a, 0) + n
        out[b] = out.get(b, 0) + n
    rows = []
    for cid in overview.categories:
        name = esc(overview.category_label(cid, lang))
        cell = f'<a href="{esc(url(lang, f"glossary/category/{cid}/"))}">{name}</a>' if cid in glossary.categories \
            else name
        rows.append(f'<tr><td><span class="glossary-graph-key glossary-graph-c{overview.colour(cid)}"></span> {cell}'
                    f"</td><td>{len(glossary.in_category(cid))}</td><td>{inside.get(cid, 0)}</td>"
                    f"<td>{out.get(cid, 0)}</td></tr>")
    head = "".join(f"<th>{esc(label(lang, key))}</th>"
                   for key in ("category", "graph_terms", "graph_inside", "graph_across"))
    return [f'<table class="glossary-graph-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table>", ""]


def full_svg(overview: Overview, lang: str, url: Url) -> str:
    """Every term on one circle, grouped by category (a gap between groups), titles outward."""
    glossary = overview.glossary
    order: list[str] = []
    groups: list[tuple[str, int]] = []
    for cid in overview.categories:
        members = glossary.sorted_slugs(lang, glossary.in_category(cid))
        groups.append((cid, len(members)))
        order += members
    gap = 2  # empty slots between categories
    slots = len(order) + gap * len(groups)
    radius = max(150.0, slots * 14 / (2 * math.pi))
    margin = 170
    size = 2 * (radius + margin)
    centre = size / 2
    position: dict[str, tuple[float, float, float]] = {}
    slot = 0
    for _cid, n in groups:
        for _ in range(n):
            angle = 2 * math.pi * slot / max(slots, 1) - math.pi / 2
            slug = order[len(position)]
            position[slug] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
            slot += 1
        slot += gap
    title = label(lang, "graph_title")
    parts = [f'<svg class="glossary-graph-svg" viewBox="0 0 {_num(size)} {_num(size)}">',
             f"<title>{esc(title)}</title>"]
    for a, b in overview.edges:
        (x1, y1, _), (x2, y2, _) = position[a], position[b]
        parts.append(f'<line class="glossary-graph-edge" x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" '
                     f'y2="{_num(y2)}"></line>')
    for slug in order:
        x, y, angle = position[slug]
        degrees = math.degrees(angle)
        left = math.cos(angle) < 0
        rotate = degrees + 180 if left else degrees
        tx = x - 9 if left else x + 9
        name = glossary.title(slug, lang)
        colour = overview.colour(glossary.terms[slug].category)
        shown_name = _shorten(name, 24)
        parts.append(f'<a href="{esc(url(lang, f"glossary/{slug}/"))}" class="glossary-graph-node">'
                     + (f"<title>{esc(name)}</title>" if shown_name != name else "")
                     + f'<circle class="glossary-graph-c{colour}" cx="{_num(x)}" cy="{_num(y)}" r="5"></circle>'
                     f'<text x="{_num(tx)}" y="{_num(y + 4)}" text-anchor="{"end" if left else "start"}" '
                     f'transform="rotate({_num(rotate)} {_num(x)} {_num(y)})">{esc(shown_name)}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def clustered_svg(overview: Overview, lang: str, url: Url) -> str:
    """One node per category (area by its number of terms), a line per pair of linked categories
    (width by the number of links between them, the number written at its middle)."""
    glossary = overview.glossary
    cats = overview.categories
    inside, across = overview.weights
    size, centre = 760.0, 380.0
    radius = 250.0 if len(cats) > 1 else 0.0
    biggest = max((len(glossary.in_category(c)) for c in cats), default=1) or 1
    heaviest = max(across.values(), default=1)
    position = {}
    for i, cid in enumerate(cats):
        angle = 2 * math.pi * i / max(len(cats), 1) - math.pi / 2
        position[cid] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
    title = label(lang, "graph_title")
    parts = [f'<svg class="glossary-graph-svg glossary-graph-clustered" viewBox="0 0 {_num(size)} {_num(size)}">',
             f"<title>{esc(title)}</title>"]
    for (a, b), n in sorted(across.items()):
        (x1, y1, _), (x2, y2, _) = position[a], position[b]
        width = 1 + 9 * n / heaviest
        parts.append(f'<line class="glossary-graph-edge is-weighted" x1="{_num(x1)}" y1="{_num(y1)}" '
                     f'x2="{_num(x2)}" y2="{_num(y2)}" stroke-width="{_num(width)}">'
                     f"<title>{esc(overview.category_label(a, lang))} – {esc(overview.category_label(b, lang))}: "
                     f"{n}</title></line>")
        parts.append(f'<text class="glossary-graph-weight" x="{_num((x1 + x2) / 2)}" y="{_num((y1 + y2) / 2)}" '
                     f'text-anchor="middle">{n}</text>')
    for cid in cats:
        x, y, angle = position[cid]
        count = len(glossary.in_category(cid))
        r = 12 + 38 * math.sqrt(count / biggest)
        below = math.sin(angle) >= 0
        ty = y + r + 18 if below else y - r - 22
        name = overview.category_label(cid, lang)
        text = (f'<circle class="glossary-graph-c{overview.colour(cid)}" cx="{_num(x)}" cy="{_num(y)}" '
                f'r="{_num(r)}"></circle>'
                f'<text x="{_num(x)}" y="{_num(ty)}" text-anchor="middle">{esc(_shorten(name, 28))}</text>'
                f'<text class="glossary-graph-count" x="{_num(x)}" y="{_num(ty + 16)}" text-anchor="middle">'
                f"{esc(label(lang, 'graph_count', count=count, inside=inside.get(cid, 0)))}</text>")
        if cid in glossary.categories:
            parts.append(f'<a href="{esc(url(lang, f"glossary/category/{cid}/"))}" class="glossary-graph-node">'
                         f"<title>{esc(name)}</title>{text}</a>")
        else:
            parts.append(f'<g class="glossary-graph-node">{text}</g>')
    parts.append("</svg>")
    return "".join(parts)
