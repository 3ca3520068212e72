"""One HTML allowlist for everything the site shows from content, applied at the output.

nh3 (the Rust ammonia sanitizer) parses the HTML as a browser would, so entity-encoded
schemes (``jav&#x61;script:``), newlines inside a scheme, quoted ``>`` inside attributes and
attributes added by ``attr_list`` are all judged on what the browser would see, not on the
source text. Kept: the elements Markdown, the toc, pymdownx and our page generator produce;
``id``, ``class``, ``title``, ``lang``, ``dir`` and ``data-pagefind-ignore`` on any element; links and images whose
URL is http, https, mailto or relative. Everything else (``<script>``, ``<iframe>``, forms,
``on*`` handlers, ``style`` attributes, other schemes) is removed.

``clean`` is what the site plugin runs on every page; ``findings`` tells ``glossary check``
what ``clean`` would remove from a rendered body, element by element, with the same rules.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_DATA = ("data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;")

TAGS = frozenset(nh3.ALLOWED_TAGS | {"tfoot", "input", "label"} - {"area", "map"})
_GENERIC = {"id", "class", "title", "lang", "dir"}
ATTRIBUTES: dict[str, set[str]] = {
    # data-pagefind-ignore keeps a part of a page out of the search index; the other data-pagefind-*
    # attributes (body, weight, meta, filter) are set by the plugin alone, after this runs
    "*": _GENERIC | {"data-pagefind-ignore"},
    "a": {"href", "hreflang", "name", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": set(),
    "code": set(),
    "div": {"data-example", "data-mime-type"},
    "span": {"data-mime-type"},
    # pymdownx.tasklist and Material's content tabs use checked/disabled inputs and labels
    "input": {"type", "checked", "disabled", "name"},
    "label": {"for"},
}
_INPUT_TYPES = {"checkbox", "radio"}


_URL_NOISE = re.compile(r"[\t\n\r]|^[\x00-\x20]+")  # what browsers ignore in a URL's scheme
# ids the theme's own scripts look up (Material reads its configuration from #__config): content
# taking one would hand the page to whoever wrote it
_THEME_IDS = re.compile(r"__")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "type" and element == "input":
        return value if value.lower() in _INPUT_TYPES else None
    if attribute in ("id", "name") and _THEME_IDS.match(value.strip()):
        return None
    if _URL_NOISE.sub("", value).lower().startswith("data:"):  # data: URLs only as raster images
        return value if element == "img" and attribute == "src" and value.lower().startswith(_IMAGE_DATA) else None
    return value


def clean(fragment: str, *, notebook: bool = False) -> str:
    """``fragment`` with everything outside the allowlist removed.

    ``notebook=True`` also keeps ``<style>`` elements (nbconvert's stylesheet on a notebook page):
    CSS, never script.
    """
    tags = TAGS | {"style"} if notebook else TAGS
    return nh3.clean(
        fragment,
        tags=set(tags),
        clean_content_tags={"script", "iframe", "object", "embed", "noscript", "template", "textarea", "select",
                            "xmp", "noembed", "noframes"}
        # nbconvert's copy button is a custom element driven by a script the site does not ship
        | ({"clipboard-copy"} if notebook else {"style"}),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES | {"data"}),  # data: is narrowed to raster images by the filter
        link_rel=None,
        strip_comments=True,
    )


COMMENT = "(comment)"


@dataclass(frozen=True, slots=True)
class Finding:
    """Something ``clean`` removes: an element, or one attribute of an element."""

    tag: str
    attribute: str | None  # None: the whole element goes
    value: str

    def describe(self) -> str:
        if self.attribute is None:
            return f"<{self.tag}> element"
        if self.attribute == COMMENT:
            return f"<{self.tag}> that an odd HTML comment hides from some parsers and not from browsers"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        if self.is_url:
            return f"{self.attribute}={shown!r} on <{self.tag}> (only http, https, mailto and relative URLs)"
        return f"attribute {self.attribute}={shown!r} on <{self.tag}>"

    @property
    def evidence(self) -> list[str]:
        """Source text likely to contain the cause, most specific first (to place the diagnostic)."""
        if self.attribute is None:
            return [f"<{self.tag}"]
        if self.attribute == COMMENT:
            return ["<!--", f"<{self.tag}"]
        if self.is_url:
            # the value as written may be entity-encoded or split: its second half usually survives
            half = self.value[len(self.value) // 2:]
            return [v for v in (self.value, html_lib.escape(self.value, quote=False), half, self.attribute) if v]
        if self.attribute in ("id", "name", "class"):  # often written {: #id }, without 'id='
            return [v for v in (self.value.strip(), f"{self.attribute}=", self.attribute) if v]
        return [v for v in (f"{self.attribute}=", self.value, self.attribute) if v]

    @property
    def is_url(self) -> bool:
        return self.attribute in ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def _unseen(rendered: str, seen: list[tuple[str, list[tuple[str, str | None]]]]) -> list[Finding]:
    """Elements the sanitizer's parser finds that Python's did not (odd comments such as ``<!-->``
    hide markup from one parser and not the other): judged by what the browser would parse."""
    kept = _Elements()
    kept.feed(clean(rendered))
    kept.close()
    counts: dict[str, int] = {}
    for tag, _ in seen:
        counts[tag] = counts.get(tag, 0) + 1
    found = []
    for tag, _ in kept.elements:
        if counts.get(tag, 0) > 0:
            counts[tag] -= 1
        else:
            found.append(Finding(tag, COMMENT, ""))
    return found


_CONTEXT = {
    **dict.fromkeys(("td", "th"), ("<table><tbody><tr>", "</tr></tbody></table>")),
    "tr": ("<table><tbody>", "</tbody></table>"),
    **dict.fromkeys(("thead", "tbody", "tfoot", "caption", "colgroup"), ("<table>", "</table>")),
    "col": ("<table><colgroup>", "</colgroup></table>"),
}


def findings(rendered: str) -> list[Finding]:
    """What ``clean`` removes from ``rendered`` (HTML from Markdown), element by element."""
    parser = _Elements()
    parser.feed(rendered)
    parser.close()
    found: list[Finding] = _unseen(rendered, parser.elements)
    for tag, attrs in parser.elements:
        if tag not in TAGS:
            if tag not in ("html", "head", "body"):
                found.append(Finding(tag, None, ""))
            continue
        single = f"<{tag}" + "".join(f' {name}="{html_lib.escape(value or "", quote=True)}"'
                                     for name, value in attrs) + ">"
        before, after = _CONTEXT.get(tag, ("", ""))  # table parts only parse inside a table
        kept = _Elements()
        kept.feed(clean(before + single + after))
        kept.close()
        survivors = next((dict(a) for t, a in kept.elements if t == tag), {})
        for name, value in attrs:
            if name not in survivors or (survivors[name] or "") != (value or ""):
                found.append(Finding(tag, name, value or ""))
    return found


_ID_CHARS = re.compile(r"[^\w.:-]")


def clean_toc(items: Any) -> None:
    """Table-of-contents labels become text (attr_list's data-toc-label is inserted as HTML otherwise),
    and anchors plain ids (the theme writes ``#id`` into an attribute as it is)."""
    for item in items or ():
        item.title = text(item.title)
        item.id = _ID_CHARS.sub("", str(item.id))
        clean_toc(item.children)


def plain(fragment: str) -> str:
    """``fragment``'s text, unescaped (for a title that the caller escapes once)."""
    return html_lib.unescape(text(fragment))


def text(fragment: str) -> str:
    """``fragment`` reduced to its text, HTML-escaped (for titles and table-of-contents labels)."""
    return nh3.clean(fragment, tags=set(), clean_content_tags={"script", "style"}, attributes={})
