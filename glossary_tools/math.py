"""Formulas rendered to MathML when the page is built: no script, no font, nothing downloaded.

A Python-Markdown extension. What counts as a formula follows pymdownx.arithmatex:

- inline: ``$...$`` (the opening ``$`` is followed by a non-space, the closing one preceded by a
  non-space and not followed by a digit, so "$5 and $10" stays text) and ``\\(...\\)``;
- display: ``$$...$$`` and ``\\[...\\]``, alone in their block (a ``<div>``) or inside a paragraph (a
  ``<span>``), both of class ``glossary-math glossary-math-display`` (a block that scrolls sideways);
- ``\\$`` is a dollar sign; code spans and fenced code are never formulas (they are taken first).

Each formula is converted by latex2mathml (pure Python) into an ElementTree and serialized here with
only MathML presentation elements and presentation attributes (no ``href``, ``style``, colours,
``xlink``, ``on*``); text is escaped (latex2mathml's own string output would not escape
``\\text{<b>}``). The site's sanitizer (glossary_tools.sanitize) still has the last word.

Cost is bounded before latex2mathml sees a formula: at most ``MAX_FORMULA`` characters, groups
nested at most ``MAX_DEPTH`` deep, and no macro definitions (``\\def\\a{\\a\\a}`` would grow without
end). A formula that breaks a bound or that latex2mathml cannot parse, or that uses a command
latex2mathml does not know, is shown as its source text and recorded on the Markdown instance
(``md.glossary_math_errors``): ``glossary check`` reports it as ``math-syntax`` at its line. At
most ``MAX_FORMULAS`` formulas are converted per page (Python-Markdown rebuilds a paragraph's text
for each match); the first one past the limit is an error and the rest stay text. The search for each closing delimiter
remembers what it found (``_next``), so a page of unclosed ``\\(`` stays linear.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree  # noqa: N813 - Python-Markdown's spelling
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from .sanitize import MATHML_ATTRIBUTES as ATTRIBUTES
from .sanitize import MATHML_TAGS as TAGS

MAX_FORMULA = 4000  # characters between the delimiters
MAX_FORMULAS = 1000  # in one page: each costs latex2mathml about 0.1 ms
MAX_DEPTH = 24  # nested { } groups, \left...\right pairs and environments together
NAME = "glossary_tools.math"

_MACRO_DEFINITION_RE = re.compile(r"\\(?:def|gdef|edef|xdef|let|newcommand|renewcommand|providecommand"
                                  r"|DeclareMathOperator)(?![A-Za-z])")
_CLOSERS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"}
_DISPLAY = frozenset({"$$", "\\["})
_PLACEHOLDER = "\x02"  # Python-Markdown's stash marker: a code span or another inline already taken


class MathError(ValueError):
    """A formula that cannot be shown; ``str()`` says why, for a reader of the source."""


@dataclass(frozen=True, slots=True)
class Formula:
    opener: str  # '$', '$$', '\\(' or '\\['
    tex: str
    start: int  # offset of the opening delimiter in the scanned text
    end: int  # offset just past the closing delimiter

    @property
    def display(self) -> bool:
        return self.opener in _DISPLAY

    @property
    def source(self) -> str:
        return self.opener + self.tex + _CLOSERS[self.opener]


def _escaped(text: str, at: int) -> bool:
    """Whether ``text[at]`` follows an odd number of backslashes."""
    count = 0
    while at - count > 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _next(text: str, needle: str, begin: int, limit: int, memo: dict[str, tuple[int, int, int]] | None) -> int:
    """The first unescaped ``needle`` in ``text[begin:limit]``, or -1. ``memo`` (one per text) keeps
    the last answer for each needle, so openers that share a far closer, or have none, do not rescan
    the same characters: a page of unclosed openers stays linear."""
    known = memo.get(needle) if memo is not None else None
    origin = begin
    if known is not None and known[0] <= begin:
        searched_from, searched_to, found = known
        if found >= begin:
            return found if found + len(needle) <= limit else -1
        if found < 0:
            if searched_to >= limit:
                return -1
            origin, begin = searched_from, max(begin, searched_to - len(needle) + 1)  # resume
    at = text.find(needle, begin, limit)
    while at >= 0 and needle != _PLACEHOLDER and _escaped(text, at):
        at = text.find(needle, at + 1, limit)
    if memo is not None:
        memo[needle] = (origin, limit, at)
    return at


def formula_at(text: str, start: int, memo: dict[str, tuple[int, int, int]] | None = None) -> Formula | None:
    """The formula whose opening delimiter starts at ``start``, or None (not a formula by the rules
    above). Pass one ``memo`` dict for all the calls on the same text: with it, the calls together
    read each character a bounded number of times."""
    if text.startswith("$$", start):
        opener = "$$"
    elif text.startswith("$", start):
        opener = "$"
    elif text.startswith("\\(", start) or text.startswith("\\[", start):
        opener = text[start:start + 2]
    else:
        return None
    if _escaped(text, start):
        return None
    closer = _CLOSERS[opener]
    begin = start + len(opener)
    limit = len(text)
    if opener == "$" and (begin >= len(text) or text[begin].isspace()):
        return None
    at = _next(text, closer, begin + (opener != "$"), limit, memo)
    if at < 0 or 0 <= _next(text, _PLACEHOLDER, begin, at, memo) < at:
        return None
    if opener == "$" and (at == begin or text[at - 1].isspace() or text[at + 1:at + 2].isdigit()):
        return None  # the first unescaped '$' closes, or nothing does ("$5 and $10")
    return Formula(opener, text[begin:at], start, at + len(closer))


def _bounds(tex: str) -> None:
    if len(tex) > MAX_FORMULA:
        raise MathError(f"the formula is {len(tex):,} characters long (the limit is {MAX_FORMULA:,})")
    definition = _MACRO_DEFINITION_RE.search(tex)
    if definition:
        raise MathError(f"macro definitions ({definition.group(0)}) are not supported; write the formula out")
    depth = deepest = 0
    i = 0
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            j = i + 1
            while j < len(tex) and tex[j].isalpha():
                j += 1
            name = tex[i + 1:j]
            if name in ("left", "begin"):
                depth += 1
                deepest = max(deepest, depth)
            elif name in ("right", "end"):
                depth -= 1
            i = max(j, i + 2)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        deepest = max(deepest, depth)
        i += 1
    if deepest > MAX_DEPTH:
        raise MathError(f"the formula nests {deepest} groups deep (the limit is {MAX_DEPTH})")


def to_mathml(tex: str, display: bool = False) -> str:
    """``tex`` as a ``<math>`` element (display="block" or "inline"), or MathError."""
    _bounds(tex)
    if not tex.strip():
        raise MathError("the formula is empty")
    from latex2mathml.converter import convert_to_element

    try:
        tree = convert_to_element(tex, display="block" if display else "inline")
    except RecursionError:
        raise MathError("the formula nests too deeply to convert") from None
    except Exception as exc:  # noqa: BLE001 - latex2mathml's errors are plain exceptions, named by class
        raise MathError(_explain(exc)) from None
    parts: list[str] = []
    _serialize(tree, parts)
    return "".join(parts)


def _explain(exc: Exception) -> str:
    name = type(exc).__name__
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name.removesuffix("Error")).lower()
    detail = str(exc).strip()
    return f"the formula does not parse ({words}{': ' + detail[:80] if detail else ''})"


def _serialize(element: etree.Element, parts: list[str], depth: int = 0) -> None:
    tag = element.tag
    if tag not in TAGS:
        raise MathError(f"the formula uses a construct the site does not show (<{tag}>)")
    attributes = "".join(f' {name}="{html.escape(str(value), quote=True)}"'
                         for name, value in element.attrib.items() if name in ATTRIBUTES)
    parts.append(f"<{tag}{attributes}>")
    text = element.text or ""
    if text:
        if tag in ("mi", "mo") and text.startswith("\\") and len(text) > 1:
            raise MathError(f"unknown command {text}")
        parts.append(html.escape(html.unescape(text), quote=False))  # latex2mathml writes '&#x003C3;' as text
    for child in element:
        _serialize(child, parts, depth + 1)
        if child.tail:
            parts.append(html.escape(html.unescape(child.tail), quote=False))
    parts.append(f"</{tag}>")


_TAG_RE = re.compile(r"<[^<>]*>")
_OPENER_RE = re.compile(r"\${1,2}|\\[(\[]")


def plain_text(text: str) -> str:
    """``text`` (one line, such as a heading) with each formula replaced by the text of its MathML, as
    the toc extension reads a heading (so anchors computed from the source match the site's)."""
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return text
    memo: dict[str, tuple[int, int, int]] = {}
    pieces, last = [], 0
    for opener in _OPENER_RE.finditer(text):
        if opener.start() < last:
            continue
        formula = formula_at(text, opener.start(), memo)
        if formula is None:
            continue
        try:
            shown = html.unescape(_TAG_RE.sub("", to_mathml(formula.tex, formula.display)))
        except MathError:
            shown = formula.source
        pieces += [text[last:formula.start], shown]
        last = formula.end
    pieces.append(text[last:])
    return "".join(pieces)


def wrap(mathml: str, display: bool, alone: bool) -> str:
    """The HTML a formula becomes: display math in a scrollable block (a div when it is the whole
    block, else a span styled as a block, valid inside a paragraph)."""
    if not display:
        return f'<span class="glossary-math">{mathml}</span>'
    if alone:
        return f'<div class="glossary-math glossary-math-display">{mathml}</div>'
    return f'<span class="glossary-math glossary-math-display">{mathml}</span>'


def _failed(md: Markdown, formula: Formula, error: MathError) -> str:
    errors = getattr(md, "glossary_math_errors", None)
    if errors is not None:
        errors.append((formula, str(error)))
    return (f'<code class="glossary-math-error" title="{html.escape(str(error), quote=True)}">'
            f"{html.escape(formula.source, quote=False)}</code>")


def _over_limit(md: Markdown) -> bool:
    return getattr(md, "glossary_math_count", 0) > MAX_FORMULAS


def render(md: Markdown, formula: Formula, alone: bool) -> str:
    count = getattr(md, "glossary_math_count", 0) + 1
    md.glossary_math_count = count
    if count > MAX_FORMULAS:  # (only the first one past the limit gets here: the rest stay text)
        return _failed(md, formula, MathError(f"the page has more than {MAX_FORMULAS:,} formulas; split it"))
    try:
        return wrap(to_mathml(formula.tex, formula.display), formula.display, alone)
    except MathError as error:
        return _failed(md, formula, error)


class MathInlineProcessor(InlineProcessor):
    _data: str | None = None
    _memo: dict[str, tuple[int, int, int]] = {}  # noqa: RUF012 - replaced per text, never mutated here

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:  # noqa: N802
        if _over_limit(self.md):
            return None, None, None  # each match rebuilds the paragraph's text: past the limit, none
        if data is not self._data:
            self._data, self._memo = data, {}
        formula = formula_at(data, m.start(0), self._memo)
        if formula is None:
            return None, None, None
        # the whole paragraph (a short look at each end: slicing the whole text per formula is quadratic)
        alone = (formula.start < 64 and not data[:formula.start].strip()
                 and len(data) - formula.end < 64 and not data[formula.end:].strip())
        return self.md.htmlStash.store(render(self.md, formula, alone)), formula.start, formula.end


class MathBlockProcessor(BlockProcessor):
    """A block that is one display formula (``$$`` or ``\\[`` first, the closer last): taken before
    lists, headings or rules could read its lines as Markdown."""

    def test(self, parent: etree.Element, block: str) -> bool:
        stripped = block.strip()
        return stripped.startswith(("$$", "\\[")) and stripped.endswith(("$$", "\\]"))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        if _over_limit(self.parser.md):
            return False
        stripped = blocks[0].strip()
        formula = formula_at(stripped, 0)
        if formula is None or formula.end != len(stripped) or not formula.display:
            return False  # not one formula: the paragraph (and the inline pattern) will read it
        blocks.pop(0)
        placeholder = self.parser.md.htmlStash.store(render(self.parser.md, formula, alone=True))
        paragraph = etree.SubElement(parent, "p")
        paragraph.text = placeholder  # a lone block-level placeholder: the <p> is dropped on output
        return True


class MathExtension(Extension):
    """``markdown.Markdown(extensions=[MathExtension()])``, or ``glossary_tools.math`` by name."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.registerExtension(self)
        self.md = md
        self.reset()
        if "$" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("$")
        # after code spans (190), before backslash escapes (180), as pymdownx.arithmatex
        md.inlinePatterns.register(MathInlineProcessor(r"\${1,2}|\\[(\[]", md), "glossary-math", 185)
        # after indented code (80), before headings, rules and lists
        md.parser.blockprocessors.register(MathBlockProcessor(md.parser), "glossary-math-block", 75)

    def reset(self) -> None:
        self.md.glossary_math_errors = []
        self.md.glossary_math_count = 0


def makeExtension(**kwargs: Any) -> MathExtension:  # noqa: N802 - Python-Markdown's entry point
    return MathExtension(**kwargs)


def wanted(extension_names: list[str] | tuple[str, ...]) -> bool:
    """Whether a project's Markdown needs this extension added: it is not there, and no other math
    extension (pymdownx.arithmatex) claims the same delimiters."""
    names = {str(name) for name in extension_names}
    return NAME not in names and "pymdownx.arithmatex" not in names \
        and not any(isinstance(n, MathExtension) for n in extension_names)
