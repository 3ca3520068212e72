"""One HTML allowlist for everything the site shows from content, applied at the output.

nh3 (the Rust ammonia sanitizer) parses the HTML as a browser would, so entity-encoded
schemes (``jav&#x61;script:``), newlines inside a scheme, quoted ``>`` inside attributes and
attributes added by ``attr_list`` are all judged on what the browser would see, not on the
source text. Kept: the elements Markdown, the toc, pymdownx and our page generator produce;
``id``, ``class``, ``title``, ``lang`` and ``dir`` on any element; links and images whose
URL is http, https, mailto or relative. Everything else (``<script>``, ``<iframe>``, forms,
``on*`` handlers, ``style`` attributes, other schemes) is removed.

``clean`` is what the site plugin runs on every page; ``findings`` tells ``glossary check``
what ``clean`` would remove from a rendered body, element by element, with the same rules.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_DATA = ("data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;")

# MathML presentation elements latex2mathml writes (and 'semantics'/'annotation' text, harmless);
# never 'annotation-xml' (an HTML integration point), 'maction' or anything with links
MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac", "msqrt",
    "mroot", "mstyle", "merror", "mpadded", "mphantom", "menclose", "munder", "mover", "munderover",
    "mtable", "mtr", "mtd", "mlabeledtr", "mmultiscripts", "mprescripts", "none", "semantics", "annotation",
})
# MathML presentation attributes only (no xmlns: HTML puts <math> in its namespace by name): lengths, alignments, flags, variants
MATHML_ATTRIBUTES = frozenset({
    "display", "displaystyle", "scriptlevel", "mathvariant", "mathsize", "stretchy", "fence", "separator",
    "form", "largeop", "movablelimits", "symmetric", "accent", "accentunder", "lspace", "rspace", "minsize",
    "maxsize", "width", "height", "depth", "voffset", "linethickness", "notation", "columnalign",
    "columnlines", "columnspacing", "columnspan", "rowalign", "rowlines", "rowspacing", "rowspan", "frame",
    "framespacing", "equalrows", "equalcolumns", "align", "linebreak", "bevelled", "numalign", "denomalign",
})
TAGS = frozenset(nh3.ALLOWED_TAGS | {"tfoot", "input", "label"} - {"area", "map"} | MATHML_TAGS)
_GENERIC = {"id", "class", "title", "lang", "dir"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GENERIC,
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
    # mkdocs-glightbox's wrapper around each image: <a class="glightbox" href=... data-type="image" ...>;
    # GLightbox would put data-title/data-description (and an <a class="glightbox">'s title) into the page
    # as HTML, so those never pass, and values are narrowed by _attribute_filter
    "a": {"href", "hreflang", "name", "rel", "data-type", "data-width", "data-height", "data-desc-position"},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
}
_LIGHTBOX_VALUES = {
    "data-type": re.compile(r"image\Z"),
    "data-width": re.compile(r"(?:auto|\d{1,4}(?:\.\d{1,2})?(?:px|%|vw|vh|em|rem)?)\Z"),
    "data-height": re.compile(r"(?:auto|\d{1,4}(?:\.\d{1,2})?(?:px|%|vw|vh|em|rem)?)\Z"),
    "data-desc-position": re.compile(r"(?:bottom|top|left|right)\Z"),
}
_INPUT_TYPES = {"checkbox", "radio"}

# Inline SVG, exactly what glossary_tools.graph writes: shapes, text and links (``a`` keeps its
# http/https/mailto/relative href rule; ``xlink:href``, ``use``, ``image``, ``foreignObject``,
# ``style``, ``script`` and ``on*`` stay out). ``title`` and ``desc`` name the drawing for screen readers.
SVG_ATTRIBUTES: dict[str, set[str]] = {
    "svg": {"viewBox"},
    "g": set(),
    "title": set(),
    "desc": set(),
    "line": {"x1", "y1", "x2", "y2", "stroke-width"},
    "circle": {"cx", "cy", "r"},
    "text": {"x", "y", "text-anchor", "transform"},
}
_TRANSFORM_RE = re.compile(r"rotate\(-?[\d.]+(?: -?[\d.]+){0,2}\)")  # the only transform the graph writes
# the link previews of a page (glossary_tools.previews): JSON read by glossary-previews.js as text
PREVIEWS_ATTRIBUTE = "data-previews"
TAGS = TAGS | frozenset(SVG_ATTRIBUTES)
for _tag, _names in SVG_ATTRIBUTES.items():
    ATTRIBUTES.setdefault(_tag, set()).update(_names)
ATTRIBUTES["div"].add(PREVIEWS_ATTRIBUTE)
ATTRIBUTES["figure"] = {"data-search-exclude"}  # the graphs: their labels repeat the lists (Material's search)


_URL_NOISE = re.compile(r"[\t\n\r]|^[\x00-\x20]+")  # what browsers ignore in a URL's scheme
# ids the theme's own scripts look up (Material reads its configuration from #__config): content
# taking one would hand the page to whoever wrote it
_THEME_IDS = re.compile(r"__")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if ":" not in value and attribute not in _JUDGED:  # nearly every attribute: nothing below applies
        return value
    if attribute in _LIGHTBOX_VALUES:
        return value if _LIGHTBOX_VALUES[attribute].match(value.strip()) else None
    if attribute == "transform":
        return value if _TRANSFORM_RE.fullmatch(value.strip()) else None
    if attribute == "type" and element == "input":
        return value if value.lower() in _INPUT_TYPES else None
    if attribute in ("id", "name") and _THEME_IDS.match(value.strip()):
        return None
    if ":" in value and _URL_NOISE.sub("", value).lower().startswith("data:"):  # data: URLs only as raster images
        return value if element == "img" and attribute == "src" and value.lower().startswith(_IMAGE_DATA) else None
    return value


# the attributes _attribute_filter judges whatever their value (any other needs a ':' to be a data: URL)
_JUDGED = frozenset({"transform", "type", "id", "name", *_LIGHTBOX_VALUES})


LIGHTBOX_CLASS = "glightbox"


_NUMERIC_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]+|[0-9]+)")
_LIGHTBOX_LETTERS = frozenset(LIGHTBOX_CLASS + LIGHTBOX_CLASS.upper())


def may_carry_lightbox_class(fragment: str) -> bool:
    """Whether a class attribute in ``fragment`` could name the lightbox class: written as is (in any
    case), or with a letter of it as a numeric character reference (``glight&#98;ox``); a named
    reference never spells an ASCII letter. Without either, the pre-pass that removes the class has
    nothing to do (the references the page generator writes, such as ``&#x27;``, are not letters)."""
    if LIGHTBOX_CLASS in fragment.lower():
        return True
    for match in _NUMERIC_REFERENCE.finditer(fragment):
        number = match.group(1)
        code = int(number[1:], 16) if number[0] in "xX" else int(number)
        if code < 0x80 and chr(code) in _LIGHTBOX_LETTERS:
            return True
    return False


def _without_lightbox(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class" and LIGHTBOX_CLASS in value:
        value = " ".join(word for word in value.split() if word != LIGHTBOX_CLASS)
    return _attribute_filter(element, attribute, value)


def clean(fragment: str, *, notebook: bool = False, authored: bool = False) -> str:
    """``fragment`` with everything outside the allowlist removed.

    ``notebook=True`` also keeps ``<style>`` elements (nbconvert's stylesheet on a notebook page):
    CSS, never script. ``authored=True`` is for content before mkdocs-glightbox wraps its images: it
    also removes the ``glightbox`` class, so that only the plugin's own wrappers open the lightbox
    (GLightbox shows an ``<a class="glightbox">``'s title as HTML and opens any other URL in a frame).
    """
    return _cleaner(notebook, authored).clean(fragment)


@functools.cache
def _cleaner(notebook: bool, authored: bool) -> nh3.Cleaner:
    """Built once per variant: building ammonia's allowlist (MathML's included) costs about a
    millisecond, many times what cleaning a fragment does, and findings() cleans element by element."""
    tags = TAGS | {"style"} if notebook else TAGS
    return nh3.Cleaner(
        tags=set(tags),
        clean_content_tags={"script", "iframe", "object", "embed", "noscript", "template", "textarea", "select",
                            "xmp", "noembed", "noframes"}
        # nbconvert's copy button is a custom element driven by a script the site does not ship
        | ({"clipboard-copy"} if notebook else {"style"}),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_without_lightbox if authored else _attribute_filter,
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
        if self.attribute == "class" and LIGHTBOX_CLASS in self.value.split():
            return f"'{LIGHTBOX_CLASS}' class on <{self.tag}> (only the images' own links open the lightbox)"
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
    # MathML elements are MathML only inside <math> (alone, an HTML parser reads <mo> as unknown HTML)
    **dict.fromkeys(MATHML_TAGS - {"math"}, ("<math>", "</math>")),
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
        kept.feed(clean(before + single + after, authored=True))  # an author's lightbox class is removed too
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
