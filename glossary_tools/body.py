"""Reading entry bodies: code masking, headings and their anchors, links and [n] references.

Shared by the checks (to report) and the site plugin (to render), so both agree.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .diagnostics import line_col

_BACKTICKS_RE = re.compile(r"`+")
_HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+([^\n]+)")
# Every pattern below is linear: no class inside a repetition can match the character that ends
# the repetition, so a failed match never rescans what a later start position will scan again.
_LINK_RE = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?((?:[^()\s<>\[\]]|\([^()\s<>\[\]]*\))+)>?"
                      r"(?:\s+\"[^\"\n]*\")?\s*\)")
_REF_RUN_RE = re.compile(r"(?:\[\d{1,4}\])++")  # [1] or a run such as [1][2] (possessive: no backtracking)
_REF_RE = re.compile(r"\[(\d{1,4})\]")
_INLINE_MD_RE = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)|[*`~]|(?<!\w)_+|_+(?!\w)|<[^<>]+>")  # '_' inside a word stays
_IDCOUNT_RE = re.compile(r"^(.*)_([0-9]+)$")


def mask_code(text: str) -> str:
    """Blank out fenced and inline code (keeping newlines and offsets)."""
    # (one-character tests first: they run at memchr speed, a search for '~~~' does not)
    tildes = "~" in text and "~~~" in text
    if "`" not in text and not tildes:
        return text
    if tildes or "```" in text:
        text = _mask_fences(text)
    return _mask_code_spans(text) if "`" in text else text


_FENCE_LINE_RE = re.compile(r"^ {0,3}(`{3,}+|~{3,}+)([^\n]*)$", re.M)


def _mask_fences(text: str) -> str:
    """Blank out fenced blocks: an opening fence line up to the next line that is the same fence
    alone. A fence never closed is not code (Markdown renders it as text). One pass over the
    fence lines."""
    pieces, last, opening = [], 0, None
    for line in _FENCE_LINE_RE.finditer(text):
        fence, rest = line.group(1), line.group(2)
        if opening is None:
            if not (fence[0] == "`" and "`" in rest):  # a backtick fence's info string has no backtick
                opening = line
        elif fence == opening.group(1) and not rest.strip():
            pieces.append(text[last:opening.start()])
            pieces.append(_BLANK_RE.sub(" ", text[opening.start():line.end()]))
            last, opening = line.end(), None
    pieces.append(text[last:])
    return "".join(pieces)


def _mask_code_spans(text: str) -> str:
    """Blank out `code spans`: a run of n backticks up to the next run of exactly n (one pass:
    each run length keeps a pointer into its own list of runs, which only moves forward)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text)]
    blank_lines = [m.start() for m in _BLOCK_SPLIT_RE.finditer(text)]  # spans never cross a paragraph
    by_length: dict[int, list[int]] = {}
    for i, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(i)
    pointer = dict.fromkeys(by_length, 0)
    pieces, last, i = [], 0, 0
    while i < len(runs):
        start, end = runs[i]
        length = end - start
        candidates, k = by_length[length], pointer[length]
        while k < len(candidates) and candidates[k] <= i:
            k += 1
        pointer[length] = k
        if k == len(candidates):
            i += 1  # no closing run of this length: the backticks are text
            continue
        close = candidates[k]
        boundary = bisect.bisect_right(blank_lines, start)
        if boundary < len(blank_lines) and blank_lines[boundary] < runs[close][0]:
            i += 1  # the next run of this length is in a later paragraph: these backticks are text
            continue
        pieces.append(text[last:start])
        pieces.append(_BLANK_RE.sub(" ", text[start:runs[close][1]]))
        last, i = runs[close][1], close + 1
    pieces.append(text[last:])
    return "".join(pieces)


_BLANK_RE = re.compile(r"[^\n]")


def slugify(text: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading (its default slugify)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _NON_WORD_RE.sub("", text).strip().lower()
    return _SEPARATOR_RE.sub("-", text)


_NON_WORD_RE = re.compile(r"[^\w\s-]")
_SEPARATOR_RE = re.compile(r"[-\s]+")
_MARKUP_CHARS = frozenset("*_`[<{~!")


def _attr_list(raw: str) -> tuple[str, str | None]:
    """A heading's text without its trailing ``{ ... }`` attribute list, and the list's ``#id``."""
    stripped = raw.rstrip()
    if not stripped.endswith("}"):
        return raw, None
    opening = stripped.rfind("{")
    if opening < 0 or "}" in stripped[opening:-1]:
        return raw, None
    explicit = next((word[1:] for word in stripped[opening + 1:-1].split()
                     if word.startswith("#") and len(word) > 1), None)
    return raw[:opening], explicit


def heading_text(raw: str) -> str:
    if "$" in raw or "\\(" in raw or "\\[" in raw:  # formulas: their MathML's text, as toc reads it
        from .math import plain_text

        raw = plain_text(raw)
    if _MARKUP_CHARS.isdisjoint(raw):
        return raw.strip()
    return _INLINE_MD_RE.sub(lambda m: m.group(1) or "", _attr_list(raw)[0]).strip()


@functools.lru_cache(maxsize=4096)
def _heading_slug(raw: str) -> str:
    """The id toc derives from a heading's text (entries repeat the same few headings: computed once each)."""
    return slugify(heading_text(raw))


def _unique(anchor: str, found: set[str], next_suffix: dict[str, int]) -> str:
    """toc's unique(): the id, else id_1, id_2, ... (an id ending in _n counts on from n).
    ``next_suffix`` remembers where each base stopped, so repeats cost no rescans."""
    if anchor and anchor not in found:
        return anchor
    count = _IDCOUNT_RE.match(anchor)
    base, n = (count.group(1), int(count.group(2))) if count else (anchor, 0)
    n = max(n, next_suffix.get(base, 0)) + 1
    while f"{base}_{n}" in found:
        n += 1
    next_suffix[base] = n
    return f"{base}_{n}"


def anchors(body: str) -> set[str]:
    """Anchor ids of the body's headings, as toc gives them."""
    return {found.value for found in headings(body)} if "#" in body else set()


def headings(body: str, masked: str | None = None) -> list[Found]:
    """Each heading's offset and id, as toc gives them: explicit ``{#id}`` ids as written, the
    others slugified, with _1, _2 suffixes to avoid every id already used (explicit ones included)."""
    if "#" not in body:
        return []
    text = mask_code(body) if masked is None else masked
    found: list[tuple[int, str | None, str]] = []  # offset, explicit id, slug
    position = text.find("#")
    while position >= 0:
        line_start = text.rfind("\n", 0, position) + 1
        # a heading's '#' starts its line, after at most three spaces; other '#' are skipped cheaply
        match = _HEADING_RE.match(text, line_start) if position - line_start <= 3 else None
        if match:
            raw = match.group(2).rstrip(" \t#")
            explicit = _attr_list(raw)[1] if "{" in raw else None
            found.append((line_start, explicit, "" if explicit else _heading_slug(raw)))
        next_line = text.find("\n", position)
        if next_line < 0:
            break
        position = text.find("#", next_line)
    used = {explicit for _, explicit, _ in found if explicit}
    next_suffix: dict[str, int] = {}
    result = []
    for offset, explicit, slug in found:
        if explicit:
            result.append(Found(offset, explicit))
        else:
            unique = _unique(slug, used, next_suffix)
            used.add(unique)
            result.append(Found(offset, unique))
    return result


@dataclass(frozen=True, slots=True)
class Found:
    offset: int  # in the body text
    value: str

    def position(self, text: str) -> tuple[int, int]:
        """0-based line and 1-based column within ``text`` (computed only when reported)."""
        return line_col(text, self.offset)


def _ref_matches(masked: str) -> Iterator[re.Match[str]]:
    """Each [n] of a run like [1] or [1][2], unless the run is preceded by a backslash, '!', ']'
    or a word character, or followed by '(', '[' or ':' (links, images, reference definitions)."""
    find, at = masked.find, masked.find("[")
    while at >= 0:  # from one '[' to the next (the pattern alone would be tried at every character)
        run = _REF_RUN_RE.match(masked, at)
        if run is None:
            at = find("[", at + 1)
            continue
        start, end = run.start(), run.end()
        at = find("[", end)
        before = masked[start - 1] if start else ""
        if before and (before in "\\!]" or before.isalnum() or before == "_"):
            continue
        if end < len(masked) and masked[end] in "([:":
            continue  # a link, an image or a reference definition
        yield from _REF_RE.finditer(masked, start, end)


def links(body: str, masked: str | None = None) -> Iterator[Found]:
    masked = mask_code(body) if masked is None else masked
    if "[" not in masked:  # (one character: found at memchr speed)
        return
    for match in _LINK_RE.finditer(masked):
        if match.start() and masked[match.start() - 1] == "!":
            continue  # an image
        yield Found(match.start(2), match.group(2))


_AUTOLINK_RE = re.compile(r"<((?:https?|HTTPS?)://[^\s<>]+)>")


def autolinks(body: str, masked: str | None = None) -> Iterator[Found]:
    """``<https://...>`` autolinks (the offset is the URL's)."""
    masked = mask_code(body) if masked is None else masked
    if "<" not in masked:
        return
    for match in _AUTOLINK_RE.finditer(masked):
        yield Found(match.start(1), match.group(1))


def source_refs(body: str, masked: str | None = None) -> Iterator[Found]:
    masked = mask_code(body) if masked is None else masked
    if "[" not in masked:
        return
    for match in _ref_matches(masked):
        yield Found(match.start(), match.group(1))


_BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*\n")
# a line opening more than 40 nested lists or quotes (or indented as deep)
DEEP_NESTING_RE = re.compile(r"^(?:(?:[ \t]*+(?:[-*+]|\d{1,9}[.)]|>)[ \t]++){40}|[ \t]{160,}+(?:[-*+>]|\d{1,9}[.)]))",
                             re.M)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr", "param"})


def too_deep(masked: str) -> bool:
    """Whether a line opens more than 40 nested lists or quotes (tried at each line's start: a
    search would try the pattern at every character)."""
    at = 0
    while at >= 0:
        if DEEP_NESTING_RE.match(masked, at):
            return True
        at = masked.find("\n", at)
        at = at + 1 if at >= 0 else -1
    return False


def _unclosed_elements(masked: str) -> int:
    """Start tags never closed (a bound on the open-element stack a parser of the page keeps)."""
    if "<" not in masked:
        return 0
    depth = 0
    for tag in _TAG_RE.finditer(masked):
        name = tag.group(2).lower()
        if name in _VOID:
            continue
        depth += -1 if tag.group(1) else 1
    return max(depth, 0)


# horizontal rules, ATX and setext headings, admonitions and details, reference definitions
_SPLITTER_LINE_RE = re.compile(r"^ {0,3}(?:([-*_])[ \t]*(?:\1[ \t]*){2,}$|#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$"
                               r"|(?:!!!|\?\?\?\+?)[ \t]|\[[^\]\n]*\]:)", re.M)
_COST_CHARS_RE = re.compile(r"\]\(|[\[\]<>){}]")
_HEADING_LINE_RE = re.compile(r"^ {0,3}#{1,6}[ \t]+([^\n]*)$", re.M)
RENDER_BUDGET = 2_000_000  # characters Python-Markdown may rescan in one body (about half a second)


def render_cost(masked: str, raw: str | None = None) -> tuple[int, int]:
    """An estimate, computed in one pass, of how many characters Python-Markdown rescans to render
    the body, and the offset of the block that costs most.

    Python-Markdown's inline patterns scan from each '[' to its matching ']', from each '<' to the
    next '>' and from each '](' to the next ')', within a block; the toc extension compares each
    repeated heading with every earlier one; attr_list scans from each '{' to the next '}'; a block
    holding many rules, headings, admonitions or reference definitions without blank lines is split
    and re-queued once per such line. Unclosed openers or such blocks therefore make rendering
    quadratic (a 32 KB paragraph of '[a' takes 50 s); this cost is what 'body-complexity' bounds.
    """
    parts: list[tuple[int, int]] = []  # (cost, offset where it arises)
    separators = [*_BLOCK_SPLIT_RE.finditer(masked), None]
    starts = [0] + [m.end() for m in separators if m is not None]
    splitters = [0] * len(starts)  # lines that make Python-Markdown split a block and re-queue the rest
    for line in _SPLITTER_LINE_RE.finditer(masked):
        splitters[bisect.bisect_right(starts, line.start()) - 1] += 1
    start = 0
    for index, separator in enumerate(separators):
        end = separator.start() if separator else len(masked)
        block = masked[start:end]
        cost = _block_cost(block) if ("[" in block or "<" in block or "{" in block) else 0
        if splitters[index] > 1:  # measured: such a rescan is about 8 times cheaper than an inline one
            cost += splitters[index] * len(block) // 8
        parts.append((cost, start))
        start = separator.end() if separator else end
    nesting = DEEP_NESTING_RE.search(masked)
    if nesting:  # Python-Markdown recurses once per level: deep enough, it crashes (RecursionError)
        parts.append((RENDER_BUDGET + 1, nesting.start()))
    # counts whose every occurrence is rescanned for every later one: (count, weight, offset).
    # Measured: 64 KB of \\* take 4 s; superfences takes 29 s for 256 KB of fence lines and code spans
    # 6 s for 256 KB of `a`; entities turn superlinear past 64 KB; Material's search parser walks the
    # open-element stack for every piece of text.
    def rescanned(count: int, weight: int, at: int) -> None:
        if count > 64:
            parts.append((count * len(masked) // weight, at))

    rescanned(masked.count("\\"), 100, masked.find("\\"))
    if raw is not None and ("`" in raw or "~~~" in raw):
        fences = sum(1 for _ in _FENCE_LINE_RE.finditer(raw))
        spans = raw.count("`") - 3 * fences
        if fences + spans > 64:
            parts.append((fences * len(raw) // 128 + max(spans // 2, 0) * len(raw) // 512,
                          raw.find("`") if "`" in raw else raw.find("~~~")))
    rescanned(masked.count("&"), 1000, masked.find("&"))
    rescanned(_unclosed_elements(masked), 8, masked.find("<"))
    if "#" in masked:
        seen: dict[str, int] = {}
        first_repeat: dict[str, int] = {}
        for heading in _HEADING_LINE_RE.finditer(masked):
            key = heading.group(1).strip()
            n = seen.get(key, 0)
            seen[key] = n + 1
            if n == 1:
                first_repeat[key] = heading.start()
        for key, at in first_repeat.items():  # toc's unique() tries n ids before it finds a free one
            parts.append((seen[key] * (seen[key] - 1) // 2, at))
    total = sum(cost for cost, _ in parts)
    worst_at = max(parts, key=lambda part: part[0])[1] if parts else 0
    return total, worst_at


def _block_cost(block: str) -> int:
    if "[" not in block and "<" not in block and "{" not in block:
        return 0
    cost = 0
    brackets: list[int] = []
    angles: list[int] = []
    parens: list[int] = []
    braces: list[int] = []  # attr_list scans from each '{' to the next '}'

    for match in _COST_CHARS_RE.finditer(block):
        char, at = match.group(), match.start()
        if char == "[":
            brackets.append(at)
        elif char == "]":
            if brackets:
                cost += at - brackets.pop()
        elif char == "](":
            if brackets:
                cost += at - brackets.pop()
            parens.append(at)
        elif char == "<":
            angles.append(at)
        elif char == ">":
            cost += len(angles) * at - sum(angles)
            angles.clear()
        elif char == "{":
            braces.append(at)
        elif char == "}":
            cost += len(braces) * at - sum(braces)
            braces.clear()
        else:  # ")"
            cost += len(parens) * at - sum(parens)
            parens.clear()
    end = len(block)
    for pending in (brackets, angles, parens, braces):
        cost += len(pending) * end - sum(pending)
    return cost


def link_source_refs(body: str, count: int, href: str = "#source-{n}") -> str:
    """Turn ``[n]`` (n within the sources) into links to the numbered source list."""
    masked = mask_code(body)
    pieces, last = [], 0
    for match in _ref_matches(masked):
        n = int(match.group(1))
        if 1 <= n <= count:
            pieces.append(body[last:match.start()])
            pieces.append(f'<sup class="glossary-ref">[[{n}]]({href.format(n=n)})</sup>')
            last = match.end()
    pieces.append(body[last:])
    return "".join(pieces)
