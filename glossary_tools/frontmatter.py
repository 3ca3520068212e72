"""Split front matter from a Markdown file and parse it safely, keeping positions.

Parsing goes through ``yaml.compose`` (libyaml when available) and our own walk over
the node graph, so that:
- scalars stay text (YAML 1.1 ``no``, ``2024-01-01`` or ``0755`` are never coerced),
- every value keeps the line and column it has in the *file*,
- duplicate keys, explicit tags and aliases are reported instead of silently accepted,
- size and nesting are bounded before libyaml sees the text (deep flow nesting crashes it).

Front matter made only of the few shapes entries use is read line by line without libyaml
(``simple_yaml``: same data, held to libyaml by property tests); everything else goes the way above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostic, Rule, line_col

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_Scalar = yaml.ScalarNode
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _TextLoader(_Base):
    """Resolves plain scalars to text or null only: every value stays text (no YAML 1.1 coercion),
    and libyaml does no regex work per scalar. Explicit tags are kept, so they can be refused."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _NULL_TAG if value in _NULLS and (implicit[0] or not value) else _STR_TAG
        return _MAP_TAG if kind is yaml.MappingNode else _SEQ_TAG


MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONTMATTER_BYTES = 64 * 1024
MAX_DEPTH = 32


Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class ParsedFile:
    """A Markdown file split into its front matter (as plain data) and body.

    Positions are not recorded while parsing (most files have no problem); ``position``
    finds them in the composed node graph when a diagnostic needs one.
    """

    path: str
    data: dict[str, Any] | None
    body: str = ""
    body_line: int = 1
    diagnostics: list[Diagnostic] = field(default_factory=list)
    yaml_text: str | None = None
    line_offset: int = 0
    refused: set[str] = field(default_factory=set)  # top-level fields whose value was refused and reported
    _node: yaml.Node | None = None

    @property
    def node(self) -> yaml.Node | None:
        # Composed again on demand: keeping every file's node graph alive makes garbage
        # collection dominate the run on large glossaries.
        if self._node is None and self.yaml_text is not None:
            try:
                self._node = yaml.compose(self.yaml_text, Loader=_TextLoader)
            except yaml.YAMLError:
                self.yaml_text = None
        return self._node

    def position(self, *key: str | int) -> tuple[int, int]:
        """File position of a value, or of a field name with a trailing '#key' (else the nearest known)."""
        node = best = self.node
        if node is None:
            return 1, 1
        key_node: yaml.Node | None = None
        for part in key:
            if part == "#key":
                best = key_node or best
                break
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part),
                            None)
                if pair is None:
                    break
                key_node, node = pair
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                break
            best = node
        assert best is not None
        return best.start_mark.line + 1 + self.line_offset, best.start_mark.column + 1


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [Diagnostic(path, 1, 1, Rule.FILE_TOO_LARGE,
                                 f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                                 "split the entry or move data out of it")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic(path, line, col, Rule.ENCODING,
                                 f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
                                 "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


_CLOSING_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_OPENING_RE = re.compile(r"---[ \t]*(?:\r?\n|\Z)")


def split(text: str, path: str) -> ParsedFile:
    """Split ``---``-delimited front matter from the body; positions are 1-based file lines."""
    opening = _OPENING_RE.match(text)
    if not opening:
        return ParsedFile(path, None, body=text, diagnostics=[Diagnostic(
            path, 1, 1, Rule.FRONTMATTER_MISSING, "the file does not start with a '---' line",
            "begin the file with '---', the fields (title, category, ...), then '---'")])
    closing = _CLOSING_RE.search(text, opening.end())
    if closing is None:
        return ParsedFile(path, None, body="", diagnostics=[Diagnostic(
            path, 1, 1, Rule.FRONTMATTER_UNCLOSED, "the front matter opened on line 1 is never closed",
            "add a line with only '---' after the last field")])
    yaml_text = text[opening.end():closing.start()]
    body_start = text.find("\n", closing.end())
    body_start = len(text) if body_start < 0 else body_start + 1
    closing_line = text.count("\n", 0, closing.start()) + 1
    parsed = ParsedFile(path, None, body=text[body_start:], body_line=closing_line + 1)
    parse_yaml(yaml_text, parsed, first_line=2)
    return parsed


_COMPACT_NESTING_RE = re.compile(rf"^[ \t]*(?:[-?:][ \t]+){{{MAX_DEPTH + 1},}}", re.M)


def _flow_depth_violation(text: str) -> tuple[int, int] | None:
    """Position where nesting exceeds MAX_DEPTH before libyaml sees it (deep nesting crashes it).

    Flow nesting ('[' and '{' outside quotes) and compact block nesting on one line
    ('- - - x', '? ? x') cost a byte or two a level; nesting by indentation costs a line
    a level and is bounded by the size limit.
    """
    indicators = text.count("- ") + text.count("? ") + text.count(": ") + text.count("-\t")
    compact = _COMPACT_NESTING_RE.search(text) if indicators > MAX_DEPTH else None
    if compact:
        return line_col(text, compact.start())
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth, quote, line, col = 0, "", 0, 0
    for char in text:
        col += 1
        if char == "\n":
            line, col = line + 1, 0
            quote = ""  # quoted flow scalars rarely span lines; a reset keeps the scan conservative
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, col
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def parse_yaml(yaml_text: str, parsed: ParsedFile, first_line: int) -> None:
    """Parse front matter text into ``parsed.data``; problems go to ``parsed.diagnostics``."""
    path, offset = parsed.path, first_line - 1
    diags = parsed.diagnostics
    if len(yaml_text) * 4 > MAX_FRONTMATTER_BYTES and len(yaml_text.encode("utf-8")) > MAX_FRONTMATTER_BYTES:
        diags.append(Diagnostic(path, first_line, 1, Rule.FILE_TOO_LARGE,
                                f"front matter is larger than {MAX_FRONTMATTER_BYTES:,} bytes",
                                "front matter holds a few short fields; move text into the body"))
        return
    too_deep = _flow_depth_violation(yaml_text)  # (before either reader: the fast path refuses the same texts)
    if too_deep:
        diags.append(Diagnostic(path, too_deep[0] + first_line, too_deep[1], Rule.YAML_TOO_DEEP,
                                f"values nest deeper than {MAX_DEPTH} levels", "flatten the value"))
        return
    data = simple_yaml(yaml_text)
    if data is not None:  # (positions, when a diagnostic needs one, come from the composed graph)
        parsed.yaml_text, parsed.line_offset, parsed.data = yaml_text, offset, data
        return
    try:
        node = yaml.compose(yaml_text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark and exc.context_mark and mark.line >= yaml_text.count("\n"):
            mark = exc.context_mark  # the problem is "end of input": point at what was left open
        line, col = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        problem = " ".join(problem.split())
        hint = "YAML indentation must use spaces, not tabs" if "\t" in yaml_text else \
            "quote values that contain ': ' or start with a special character"
        diags.append(Diagnostic(path, line, col, Rule.YAML_SYNTAX, f"invalid YAML: {problem}", hint))
        return
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters)
        offset = min(max(exc.position, 0), len(yaml_text))
        line, col = line_col(yaml_text, offset)
        line += first_line
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        diags.append(Diagnostic(path, line, col, Rule.YAML_SYNTAX,
                                f"invalid YAML: character U+{ord(char):04X} is not allowed",
                                "remove control characters from the front matter"))
        return
    except yaml.YAMLError as exc:
        diags.append(Diagnostic(path, first_line, 1, Rule.YAML_SYNTAX,
                                "invalid YAML: " + " ".join(str(exc).split()),
                                "check the front matter's syntax"))
        return
    except RecursionError:
        diags.append(Diagnostic(path, first_line, 1, Rule.YAML_TOO_DEEP,
                                "the front matter nests too deeply", "flatten the value"))
        return
    if node is None:
        diags.append(Diagnostic(path, 1, 1, Rule.FRONTMATTER_NOT_MAPPING, "the front matter is empty",
                                "add at least 'title:' and 'category:'"))
        return
    parsed.yaml_text, parsed.line_offset = yaml_text, offset
    walker = _Walker(parsed, offset)
    walker.aliases_possible = "*" in yaml_text  # an alias needs '*'; without one no node is shared
    if walker.aliases_possible:
        _report_aliases(yaml_text, parsed, first_line)
    value = walker.walk(node, (), 0)
    if value is _DROPPED:
        return
    if not isinstance(value, dict):
        line, col = walker.pos(node)
        diags.append(Diagnostic(path, line, col, Rule.FRONTMATTER_NOT_MAPPING,
                                "the front matter is a single value, not a set of fields",
                                "write fields as 'name: value' lines"))
        return
    parsed.data = value


_DROPPED = object()  # a value the walk refused: left out of the data, reported once


# The few shapes nearly every entry's front matter has, read without libyaml (composing a node graph and
# walking it was a third of 'glossary check'). Every line must have one of them, else libyaml reads the
# whole text: top-level 'key: value', 'key: [a, b]', and 'key:' over a block list ('- value' or
# '- key: value' with '  key: value' below it) or a block mapping of 'key: value' lines. A value is a
# plain scalar that cannot be mistaken (no leading indicator, no ': ', ' #' or trailing ':'), or a quoted
# one without escapes. tests/test_frontmatter_fast.py holds this to libyaml's reading of the same text.
_YAML_PRINTABLE_RE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY_LINE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,1023}):(?: +(.*))?")  # libyaml: a key has <= 1024 characters
_FLOW_ITEM = r"[A-Za-z0-9_][A-Za-z0-9_.-]*+"
# '[a, b-c]': names, no quotes (possessive: spaces never given back, linear on '[' and 64 KB of spaces)
_FLOW_LIST_RE = re.compile(rf"\[ *+({_FLOW_ITEM}(?: *+, *+{_FLOW_ITEM})*+)? *+\]")
_PLAIN_FIRST_BAD = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_NO = object()  # not one of the simple shapes


def _simple_scalar(raw: str) -> Any:
    """A one-line value (spaces around it removed) as libyaml would read it, or _NO."""
    if not raw:
        return _NO
    first = raw[0]
    if first == '"' or first == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != first or first in inner or (first == '"' and "\\" in inner):
            return _NO
        return inner or None  # (an empty quoted value is null, as _TextLoader resolves it)
    if first in _PLAIN_FIRST_BAD or ": " in raw or " #" in raw or raw[-1] == ":":
        return _NO
    return None if raw in _NULLS else raw


def _simple_value(raw: str) -> Any:
    """A value after 'key: ' (no space around it: the line was split and stripped there), or _NO."""
    if raw[0] != "[":
        return _simple_scalar(raw)
    flow = _FLOW_LIST_RE.fullmatch(raw)
    if flow is None:
        return _NO
    items = flow.group(1)
    return [] if items is None else [None if item in _NULLS else item
                                     for item in (item.strip(" ") for item in items.split(","))]


def _simple_pair(line: str, into: dict[str, Any]) -> bool:
    """Add a one-line 'key: value' to ``into``; False when the line is anything else."""
    match = _KEY_LINE_RE.fullmatch(line)
    if match is None:
        return False
    key, rest = match.groups()
    if rest is None or key in into or key in _NULLS:
        return False
    value = _simple_value(rest)
    if value is _NO:
        return False
    into[key] = value
    return True


def simple_yaml(text: str) -> dict[str, Any] | None:
    """The front matter as plain data when every line has one of the simple shapes; else None."""
    if _YAML_PRINTABLE_RE.search(text):  # (tabs too: YAML reads them as separators)
        return None
    lines = [line.rstrip(" ") for line in text.split("\n")]
    result: dict[str, Any] = {}
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        i += 1
        if not line:
            continue
        match = _KEY_LINE_RE.fullmatch(line)
        if match is None:
            return None
        key, rest = match.groups()
        if key in result or key in _NULLS:
            return None
        if rest:
            value = _simple_value(rest)
        else:
            i, value = _simple_block(lines, i)
        if value is _NO:
            return None
        result[key] = value
    return result or None


def _simple_block(lines: list[str], i: int) -> tuple[int, Any]:
    """The block under a 'key:' line starting at ``lines[i]``: (the next line to read, its value)."""
    start = i
    while i < len(lines) and not lines[i]:
        i += 1
    if i == len(lines):
        return i, None
    first = lines[i]
    indent = len(first) - len(first.lstrip(" "))
    if first[indent] != "-":
        if indent == 0:
            return start, None  # 'key:' alone: null; the next line is the next key
        mapping: dict[str, Any] = {}
        while i < len(lines) and (not lines[i] or lines[i][0] == " "):
            line = lines[i]
            if line and (not line.startswith(" " * indent) or not _simple_pair(line[indent:], mapping)):
                return i, _NO
            i += 1
        return i, mapping
    items: list[Any] = []
    item_indent = " " * (indent + 2)
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if line[0] != " " and not (indent == 0 and line.startswith("- ")):
            break  # the next top-level key
        if not line.startswith(" " * indent + "- "):
            return i, _NO
        content = line[indent + 2:]
        i += 1
        if _KEY_LINE_RE.fullmatch(content) is None:
            scalar = _simple_scalar(content)
            if scalar is _NO:
                return i, _NO
            items.append(scalar)
            continue
        item: dict[str, Any] = {}
        if not _simple_pair(content, item):
            return i, _NO
        while i < len(lines) and lines[i].startswith(item_indent):  # (deeper lines are not pairs)
            if not _simple_pair(lines[i][indent + 2:], item):
                return i, _NO
            i += 1
        items.append(item)
    return i, items if items else _NO  # (a line such as '-x: 1' at the left: not a list)


def _report_aliases(yaml_text: str, parsed: ParsedFile, first_line: int) -> None:
    """One yaml-alias diagnostic per line that uses an alias, at the alias itself.

    The composed graph shares the anchored node and forgets where each alias was written,
    so positions come from the event stream (linear: aliases are not expanded there).
    """
    lines: set[int] = set()
    for event in yaml.parse(yaml_text, Loader=_TextLoader):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) and mark is not None and mark.line not in lines:
            lines.add(mark.line)
            parsed.diagnostics.append(Diagnostic(
                parsed.path, mark.line + first_line, mark.column + 1, Rule.YAML_ALIAS,
                f"a YAML alias (*{event.anchor}) repeats another value",
                "write the value out instead of using &anchor / *alias"))


class _Walker:
    """Turns a composed node graph into plain data with positions, refusing unsafe shapes."""

    def __init__(self, parsed: ParsedFile, line_offset: int) -> None:
        self.parsed = parsed
        self.offset = line_offset
        self.seen: set[int] = set()
        self.aliases_possible = True

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def report(self, node: yaml.Node, rule: Rule, message: str, hint: str) -> None:
        line, col = self.pos(node)
        self.parsed.diagnostics.append(Diagnostic(self.parsed.path, line, col, rule, message, hint))

    def walk(self, node: yaml.Node, key: Path_, depth: int) -> Any:
        if self.aliases_possible:
            if id(node) in self.seen:
                return _DROPPED  # an alias: reported from the event stream
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.report(node, Rule.YAML_TOO_DEEP, f"values nest deeper than {MAX_DEPTH} levels",
                        "flatten the value")
            return _DROPPED
        cls = node.__class__
        tag = node.tag
        if cls is _Scalar:
            if tag == _STR_TAG:
                return node.value
            if tag == _NULL_TAG:
                return None
        elif cls is yaml.SequenceNode and tag == _SEQ_TAG:
            fast = not self.aliases_possible and depth < MAX_DEPTH
            items = [item.value if fast and item.__class__ is _Scalar and item.tag == _STR_TAG
                     else self.walk(item, (*key, i), depth + 1) for i, item in enumerate(node.value)]
            return [item for item in items if item is not _DROPPED]
        elif cls is yaml.MappingNode and tag == _MAP_TAG:
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node, key, depth)
        self.report(node, Rule.YAML_TAG, f"explicit tag {tag!r} is not allowed",
                    "remove the tag and write the value plainly")
        return _DROPPED

    def mapping(self, node: yaml.MappingNode, key: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        fast = not self.aliases_possible and depth < MAX_DEPTH
        for key_node, value_node in node.value:
            if self.aliases_possible:
                if id(key_node) in self.seen:
                    continue  # an alias as a field name: reported from the event stream
                self.seen.add(id(key_node))
            if key_node.__class__ is not _Scalar or key_node.tag != _STR_TAG:
                self.report(key_node, Rule.FIELD_TYPE, "field names must be plain words",
                            "write 'name: value'; complex keys ('? ...'), tagged and empty keys are not allowed")
                continue
            name = key_node.value
            if name in result or (not key and name in self.parsed.refused):
                first = self.parsed.position(*key, name, "#key")[0]
                self.report(key_node, Rule.DUPLICATE_KEY, f"field {name!r} is given twice (first on line {first})",
                            "keep one of the two; YAML would silently use the last")
                continue
            if fast and value_node.__class__ is _Scalar and value_node.tag == _STR_TAG:
                result[name] = value_node.value
                continue
            value = self.walk(value_node, (*key, name), depth + 1)
            if value is _DROPPED:
                if not key:
                    self.parsed.refused.add(name)
                continue
            result[name] = value
        return result
