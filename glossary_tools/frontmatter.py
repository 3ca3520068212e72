"""Split front matter from a Markdown file and parse it safely, keeping positions.

Parsing goes through ``yaml.compose`` (libyaml when available) and our own walk over
the node graph, so that:
- scalars stay text (YAML 1.1 ``no``, ``2024-01-01`` or ``0755`` are never coerced),
- every value keeps the line and column it has in the *file*,
- duplicate keys, explicit tags and aliases are reported instead of silently accepted,
- size and nesting are bounded before libyaml sees the text (deep flow nesting crashes it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostic, Rule

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FRONTMATTER_BYTES = 64 * 1024
MAX_DEPTH = 32

# Tags that implicit resolution produces; anything else was written explicitly.
_IMPLICIT_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "bool", "int", "float", "null", "timestamp", "value", "merge")
)
_NULL_TAG = "tag:yaml.org,2002:null"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class ParsedFile:
    """A Markdown file split into its front matter (as plain data) and body."""

    path: str
    data: dict[str, Any] | None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def position(self, *key: str | int) -> tuple[int, int]:
        """File position of a value (or the closest enclosing one that is known)."""
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key[:-1]
        return self.positions.get((), (1, 1))


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


def split(text: str, path: str) -> ParsedFile:
    """Split ``---``-delimited front matter from the body; positions are 1-based file lines."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return ParsedFile(path, None, body=text, diagnostics=[Diagnostic(
            path, 1, 1, Rule.FRONTMATTER_MISSING, "the file does not start with a '---' line",
            "begin the file with '---', the fields (title, category, ...), then '---'")])
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in ("---", "..."):
            yaml_text = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            parsed = ParsedFile(path, None, body=body, body_line=index + 2)
            parse_yaml(yaml_text, parsed, first_line=2)
            return parsed
    return ParsedFile(path, None, body="", diagnostics=[Diagnostic(
        path, 1, 1, Rule.FRONTMATTER_UNCLOSED, "the front matter opened on line 1 is never closed",
        "add a line with only '---' after the last field")])


def _flow_depth_violation(text: str) -> tuple[int, int] | None:
    """Position where flow nesting ([ and {) outside quotes exceeds MAX_DEPTH, if anywhere."""
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
    if len(yaml_text.encode("utf-8")) > MAX_FRONTMATTER_BYTES:
        diags.append(Diagnostic(path, first_line, 1, Rule.FILE_TOO_LARGE,
                                f"front matter is larger than {MAX_FRONTMATTER_BYTES:,} bytes",
                                "front matter holds a few short fields; move text into the body"))
        return
    too_deep = _flow_depth_violation(yaml_text)
    if too_deep:
        diags.append(Diagnostic(path, too_deep[0] + first_line, too_deep[1], Rule.YAML_TOO_DEEP,
                                f"brackets nest deeper than {MAX_DEPTH} levels", "flatten the value"))
        return
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark and exc.context_mark and mark.line >= yaml_text.count("\n"):
            mark = exc.context_mark  # the problem is "end of input": point at what was left open
        line, col = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        hint = "YAML indentation must use spaces, not tabs" if "\t" in yaml_text else \
            "quote values that contain ': ' or start with a special character"
        diags.append(Diagnostic(path, line, col, Rule.YAML_SYNTAX, f"invalid YAML: {problem}", hint))
        return
    except yaml.YAMLError as exc:  # reader errors (control characters) have no problem_mark
        diags.append(Diagnostic(path, first_line, 1, Rule.YAML_SYNTAX, f"invalid YAML: {exc}",
                                "remove control characters from the front matter"))
        return
    except RecursionError:
        diags.append(Diagnostic(path, first_line, 1, Rule.YAML_TOO_DEEP,
                                "the front matter nests too deeply", "flatten the value"))
        return
    if node is None:
        diags.append(Diagnostic(path, 1, 1, Rule.FRONTMATTER_NOT_MAPPING, "the front matter is empty",
                                "add at least 'title:' and 'category:'"))
        return
    walker = _Walker(parsed, offset)
    value = walker.walk(node, (), 0)
    if not isinstance(value, dict):
        line, col = walker.pos(node)
        diags.append(Diagnostic(path, line, col, Rule.FRONTMATTER_NOT_MAPPING,
                                "the front matter is a single value, not a set of fields",
                                "write fields as 'name: value' lines"))
        return
    parsed.data = value


class _Walker:
    """Turns a composed node graph into plain data with positions, refusing unsafe shapes."""

    def __init__(self, parsed: ParsedFile, line_offset: int) -> None:
        self.parsed = parsed
        self.offset = line_offset
        self.seen: set[int] = set()

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def report(self, node: yaml.Node, rule: Rule, message: str, hint: str) -> None:
        line, col = self.pos(node)
        self.parsed.diagnostics.append(Diagnostic(self.parsed.path, line, col, rule, message, hint))

    def walk(self, node: yaml.Node, key: Path_, depth: int, at: yaml.Node | None = None) -> Any:
        if id(node) in self.seen:
            # an alias shares the anchored node, so report where it is used, not where it is defined
            self.report(at or node, Rule.YAML_ALIAS, "a YAML alias (*name) repeats another value",
                        "write the value out instead of using &anchor / *alias")
            return None
        self.seen.add(id(node))
        self.parsed.positions[key] = self.pos(node)
        if depth > MAX_DEPTH:
            self.report(node, Rule.YAML_TOO_DEEP, f"values nest deeper than {MAX_DEPTH} levels",
                        "flatten the value")
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _IMPLICIT_SCALAR_TAGS:
                self.report(node, Rule.YAML_TAG, f"explicit tag {node.tag!r} is not allowed",
                            "remove the '!!...' tag; values are plain text")
                return None
            if node.tag == _NULL_TAG and node.style is None:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.report(node, Rule.YAML_TAG, f"explicit tag {node.tag!r} is not allowed",
                            "write a plain list")
                return None
            return [self.walk(item, (*key, i), depth + 1, node) for i, item in enumerate(node.value)]
        if node.tag != _MAP_TAG:
            self.report(node, Rule.YAML_TAG, f"explicit tag {node.tag!r} is not allowed",
                        "write a plain mapping")
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _IMPLICIT_SCALAR_TAGS:
                self.report(key_node, Rule.FIELD_TYPE, "field names must be plain words",
                            "write 'name: value'; complex keys ('? ...') and tagged keys are not allowed")
                continue
            name = key_node.value
            if name in result:
                first = self.parsed.positions.get((*key, name), (0, 0))[0]
                self.report(key_node, Rule.DUPLICATE_KEY, f"field {name!r} is given twice (first on line {first})",
                            "keep one of the two; YAML would silently use the last")
                continue
            self.parsed.positions[(*key, name, "#key")] = self.pos(key_node)
            result[name] = self.walk(value_node, (*key, name), depth + 1, key_node)
            if id(value_node) in self.seen:
                self.parsed.positions.setdefault((*key, name), self.pos(key_node))
        return result
