"""Link previews: each term's title and first sentence, for the links of a page to other terms.

Each page carries the previews of the terms it links to (at most ``MAX_PER_PAGE``) as JSON in one
empty ``<div class="glossary-previews" data-previews="...">``: no request when a link is hovered or
focused, nothing extra for search to index, and a size bounded per page. ``glossary-previews.js``
reads it and inserts the texts with ``textContent``. A term's summary is computed once per build.
"""

from __future__ import annotations

import html
import itertools
import json
import posixpath
import re
from collections.abc import Callable

from . import body as md
from .model import Glossary

MAX_PER_PAGE = 60
MAX_CHARS = 200

_BLOCK_RE = re.compile(r"\n[ \t]*\n")
_SKIP_BLOCK_RE = re.compile(r" {0,3}(?:#|<|\||>|!\[|[-*_]{3,}\s*$|\$\$|:::|!!!|\?\?\?)")
_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK_RE = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)|\[([^\]\n]*)\]\[[^\]\n]*\]")
_REF_RE = re.compile(r"\s*\[\d{1,4}\]")
_TAG_RE = re.compile(r"<[^<>\n]*>")
_ATTR_LIST_RE = re.compile(r"\{:?[^{}\n]*\}")
_MARKS_RE = re.compile(r"\*+|`+|~~|(?<!\w)_+|_+(?!\w)")
_SPACE_RE = re.compile(r"\s+")
# a sentence ends at . ! ? followed by a space and an upper-case letter, a digit or an opening mark
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+(?=[\"'“«¿¡(\[]?[A-ZÀ-ÖØ-Þ0-9])")


def first_sentence(body: str, limit: int = MAX_CHARS) -> str:
    """The first sentence of the first paragraph of ``body``, as plain text (not escaped), at most
    ``limit`` characters (cut at a word with '…')."""
    masked = md.mask_code(body)  # same length: code blanked out, offsets kept
    start = 0
    for gap in itertools.chain(_BLOCK_RE.finditer(masked), [None]):  # up to the first paragraph only
        end = gap.start() if gap else len(masked)
        block, text = masked[start:end].strip("\n"), body[start:end]
        start = gap.end() if gap else end
        if not block.strip() or block.startswith(("    ", "\t")) or _SKIP_BLOCK_RE.match(block):
            continue  # headings, HTML, tables, quotes, rules, math and admonitions, code
        text = _IMAGE_RE.sub("", text)
        text = _REF_RE.sub("", text)  # [1], [1][2]: before links, which [1][2] would look like
        text = _LINK_RE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
        text = _TAG_RE.sub("", text)
        text = _ATTR_LIST_RE.sub("", text)
        text = _MARKS_RE.sub("", text)
        text = html.unescape(_SPACE_RE.sub(" ", text)).strip()
        if not text:
            continue
        text = _SENTENCE_END_RE.split(text, maxsplit=1)[0]
        if len(text) > limit:
            text = text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return ""


# in sanitized HTML, as the sanitizer writes it (attributes in double quotes, names in lower case):
# a literal start, which the regex engine finds with a fast search rather than trying every character
_HREF_RE = re.compile(r' href="([^"<>]*)"')
_ENTRY_RE = re.compile(r"glossary/([a-z0-9_-]+)(?:/index\.html|\.html)?")  # normpath drops the final /


class Previews:
    """Summaries of every term per language, made on first use and kept for the build."""

    def __init__(self, glossary: Glossary, language_of: Callable[[str], str],
                 within: Callable[[str, str], str]) -> None:
        self.glossary = glossary
        self._language_of = language_of
        self._within = within
        self._summaries: dict[tuple[str, str], str] = {}
        self._targets: dict[tuple[str, str, str], str] = {}  # (lang, folder, address) -> slug or ""

    def summary(self, slug: str, lang: str) -> str:
        key = (slug, lang)
        if key not in self._summaries:
            term = self.glossary.terms[slug]
            self._summaries[key] = first_sentence(term.in_language(lang, self.glossary.default_language).body)
        return self._summaries[key]

    def linked(self, page_html: str, page_url: str, lang: str) -> dict[str, str]:
        """The terms whose entry in ``lang`` the page links to, in order, each once: slug -> the
        link's address as written, without its fragment (the key the script looks links up by).
        ``page_html`` is sanitized (``sanitize.clean``): the links the page really keeps."""
        root = "/" + page_url
        base = root if root.endswith("/") else posixpath.dirname(root) + "/"
        found: dict[str, str] = {}
        for match in _HREF_RE.finditer(page_html):
            href = match.group(1)
            if "&" in href:
                href = html.unescape(href)
            address = href.strip().partition("#")[0].partition("?")[0]
            if not address or address.startswith("/") or ":" in address.partition("/")[0]:
                continue  # this page, a path from the host's root (the site may live below it), a scheme
            folder, rest = base, address
            while rest.startswith("../") and folder != "/":  # "../x/" from /glossary/a/ is x/ from /glossary/
                folder, rest = posixpath.dirname(folder[:-1]).rstrip("/") + "/", rest[3:]
            key = (lang, folder, rest)
            slug = self._targets.get(key)
            if slug is None:
                slug = self._targets[key] = self._entry(folder + rest, lang)
            if slug and slug not in found:
                found[slug] = address
                if len(found) >= MAX_PER_PAGE:
                    break
        return found

    def _entry(self, address: str, lang: str) -> str:
        """The term whose entry in ``lang`` is at ``address`` (from the site's root), or ""."""
        path = posixpath.normpath(address).lstrip("/")
        if self._language_of(path) != lang:
            return ""
        entry = _ENTRY_RE.fullmatch(self._within(lang, path))
        return entry.group(1) if entry and entry.group(1) in self.glossary.terms else ""

    def element(self, page_html: str, page_url: str, lang: str) -> str:
        """The page's preview data (empty when it links to no term)."""
        linked = self.linked(page_html, page_url, lang)
        if not linked:
            return ""
        data = {address: [self.glossary.title(slug, lang), self.summary(slug, lang)] for slug, address in linked.items()}
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return f'<div class="glossary-previews" data-previews="{html.escape(payload, quote=True)}"></div>'
