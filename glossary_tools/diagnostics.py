"""Diagnostics: one rule enum, one record type, one report with its formatters."""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from enum import Enum, StrEnum
from urllib.parse import quote


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # a note (a followed redirect, a stale translation within --max-stale): never fails a run


class Rule(Enum):
    """Every rule a diagnostic can carry: ``(id, default severity, one-line description)``."""

    UNSAFE_FILE = ("unsafe-file", Severity.ERROR, "The path is not a regular file inside the project (device, FIFO, socket, outside link).")
    ENCODING = ("encoding", Severity.ERROR, "The file is not valid UTF-8 text.")
    FILE_TOO_LARGE = ("file-too-large", Severity.ERROR, "The file or its front matter is larger than the limit.")
    FILENAME = ("filename", Severity.ERROR, "Entry files are named <slug>.<lang>.md with a lowercase ASCII slug.")
    UNKNOWN_LANGUAGE = ("unknown-language", Severity.ERROR, "The file's language suffix is not configured in mkdocs.yml.")
    FRONTMATTER_MISSING = ("frontmatter-missing", Severity.ERROR, "The file does not start with a '---' front matter block.")
    FRONTMATTER_UNCLOSED = ("frontmatter-unclosed", Severity.ERROR, "The front matter block is never closed by a '---' line.")
    FRONTMATTER_SPLIT = ("frontmatter-split", Severity.ERROR, "A field follows a second '---' line, so it is body text.")
    FRONTMATTER_NOT_MAPPING = ("frontmatter-not-mapping", Severity.ERROR, "Front matter must be a mapping of field names to values.")
    YAML_SYNTAX = ("yaml-syntax", Severity.ERROR, "The front matter is not valid YAML.")
    YAML_TOO_DEEP = ("yaml-too-deep", Severity.ERROR, "The front matter nests deeper than the limit.")
    YAML_ALIAS = ("yaml-alias", Severity.ERROR, "YAML anchors and aliases are not allowed in front matter.")
    YAML_TAG = ("yaml-tag", Severity.ERROR, "Explicit YAML tags (!!binary, !!python/..., !custom) are not allowed.")
    DUPLICATE_KEY = ("duplicate-key", Severity.ERROR, "A field appears twice in the same mapping.")
    UNKNOWN_FIELD = ("unknown-field", Severity.ERROR, "The front matter has a field the entry format does not define.")
    MISSING_FIELD = ("missing-field", Severity.ERROR, "A required field is missing or empty.")
    FIELD_TYPE = ("field-type", Severity.ERROR, "A field has the wrong type (text, list or mapping).")
    UNKNOWN_CATEGORY = ("unknown-category", Severity.ERROR, "The category is neither an id nor a label in categories.yml.")
    INVALID_SLUG = ("invalid-slug", Severity.ERROR, "A slug is not lowercase ASCII letters, digits, '-' or '_'.")
    URL_SCHEME = ("url-scheme", Severity.ERROR, "Source URLs must use http, https or mailto.")
    UNRESOLVED_RELATED = ("unresolved-related", Severity.ERROR, "A related term names no entry and no alias.")
    SELF_RELATED = ("self-related", Severity.WARNING, "An entry lists itself as related.")
    ALIAS_CONFLICT = ("alias-conflict", Severity.ERROR, "An alias is already a slug or another entry's alias.")
    TRANSLATION_CONFLICT = ("translation-conflict", Severity.ERROR, "A translation repeats a neutral field with a different value.")
    NO_NEUTRAL_FIELDS = ("no-neutral-fields", Severity.ERROR, "No language's file of the entry gives its category.")
    BROKEN_LINK = ("broken-link", Severity.ERROR, "A link points to an entry or file that does not exist.")
    BROKEN_ANCHOR = ("broken-anchor", Severity.ERROR, "A link points to a heading that does not exist in the target.")
    SOURCE_REF = ("source-ref", Severity.ERROR, "A [n] reference has no n-th source.")
    UNSAFE_HTML = ("unsafe-html", Severity.ERROR,
                   "The rendered body has HTML the site's sanitizer removes (scripts, frames, forms, on* handlers, "
                   "other URL schemes).")
    BODY_COMPLEXITY = ("body-complexity", Severity.ERROR,
                       "The body would take quadratic time to render (many unclosed '[', '<' or '](' in one "
                       "paragraph, or many identical headings).")
    MATH_SYNTAX = ("math-syntax", Severity.ERROR,
                   "A formula ($...$, $$...$$, \\(...\\), \\[...\\]) in an entry or in an example's Markdown cell "
                   "does not parse, uses an unknown command or is too large to show.")
    TITLE_REPEATS = ("title-repeats", Severity.WARNING, "The title repeats itself (e.g. 'X: A X').")
    MISSING_TRANSLATION = ("missing-translation", Severity.WARNING, "The entry has no file in a configured language.")
    TRANSLATION_SOURCES = ("translation-sources", Severity.WARNING, "A translation's own sources drop a URL the default language cites.")
    MISSING_EXAMPLE = ("missing-example", Severity.ERROR, "An entry lists an example that is not in examples/.")
    STALE_TRANSLATION = ("stale-translation", Severity.WARNING, "The source language's file changed after the translation was stamped.")
    TERMINOLOGY = ("terminology", Severity.WARNING, "The body uses a variant that terminology.yml discourages.")
    UNTRANSLATED_TERM = ("untranslated-term", Severity.WARNING, "An English term is left in a translation that terminology.yml translates.")
    EXTERNAL_LINK = ("external-link", Severity.ERROR, "An external URL is unreachable or answers with an error (check --external).")
    CONFIG = ("config", Severity.ERROR, "The project configuration (mkdocs.yml, categories.yml, terminology.yml) is unusable.")

    def __init__(self, rule_id: str, severity: Severity, description: str) -> None:
        self.id = rule_id
        self.severity = severity
        self.description = description

    @classmethod
    def by_id(cls, rule_id: str) -> Rule:
        for rule in cls:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


# Which modules raise each rule while checking (one place; tests/test_rules.py holds the code to it).
RAISED_BY: dict[Rule, tuple[str, ...]] = {
    **dict.fromkeys((Rule.ENCODING, Rule.FILE_TOO_LARGE, Rule.FRONTMATTER_MISSING, Rule.FRONTMATTER_UNCLOSED,
                     Rule.FRONTMATTER_NOT_MAPPING, Rule.YAML_SYNTAX, Rule.YAML_TOO_DEEP, Rule.YAML_ALIAS,
                     Rule.YAML_TAG, Rule.DUPLICATE_KEY), ("frontmatter",)),
    **dict.fromkeys((Rule.FILENAME, Rule.UNSAFE_FILE), ("loader", "checks.html")),  # html: pages beside entries
    Rule.UNKNOWN_LANGUAGE: ("loader",),
    Rule.FIELD_TYPE: ("schema", "frontmatter"),
    Rule.FRONTMATTER_SPLIT: ("schema",),  # frontmatter: field names that are not plain words
    **dict.fromkeys((Rule.MISSING_FIELD, Rule.INVALID_SLUG, Rule.URL_SCHEME, Rule.TITLE_REPEATS), ("schema",)),
    Rule.UNKNOWN_FIELD: ("schema", "checks.html"),  # html: front matter of pages beside the entries
    **dict.fromkeys((Rule.UNKNOWN_CATEGORY, Rule.UNRESOLVED_RELATED, Rule.SELF_RELATED, Rule.ALIAS_CONFLICT,
                     Rule.TRANSLATION_CONFLICT, Rule.NO_NEUTRAL_FIELDS, Rule.TRANSLATION_SOURCES), ("checks.terms",)),
    **dict.fromkeys((Rule.BROKEN_LINK, Rule.BROKEN_ANCHOR), ("checks.links",)),
    Rule.SOURCE_REF: ("checks.references",),
    **dict.fromkeys((Rule.UNSAFE_HTML, Rule.BODY_COMPLEXITY), ("checks.html",)),
    Rule.MATH_SYNTAX: ("checks.html", "checks.examples"),  # examples: formulas in their Markdown cells
    Rule.MISSING_TRANSLATION: ("checks.i18n",),
    Rule.MISSING_EXAMPLE: ("checks.examples",),
    Rule.STALE_TRANSLATION: ("checks.stale",),
    **dict.fromkeys((Rule.TERMINOLOGY, Rule.UNTRANSLATED_TERM), ("checks.terminology",)),
    Rule.EXTERNAL_LINK: ("external",),  # only with check --external (needs the network)
    Rule.CONFIG: ("project", "terminology", "translations"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    column: int
    rule: Rule
    message: str
    hint: str = ""
    severity: Severity | None = None

    @property
    def level(self) -> Severity:
        return self.severity or self.rule.severity

    def format(self) -> str:
        """``path:line:col: severity[rule]: message`` on one line (control characters escaped)."""
        return f"{printable(self.path)}:{self.line}:{self.column}: {self.level.value}[{self.rule.id}]: " \
               f"{printable(self.message)}"

    def one_line(self) -> str:
        """``format()`` with the hint in parentheses (for logs that show one line per record)."""
        return self.format() + (f" ({printable(self.hint)})" if self.hint else "")

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["path"] = encodable(self.path)  # a file name that is not UTF-8 stays valid JSON
        data["message"] = encodable(self.message)
        data["hint"] = encodable(self.hint)
        data["rule"] = self.rule.id
        data["severity"] = self.level.value
        return data

    def sort_key(self) -> tuple[str, int, int, str, str]:
        # total order: the same input must print the same report whatever the hash seed
        return (self.path, self.line, self.column, self.rule.id, self.message)


def printable(text: str) -> str:
    """``text`` with control and bidi-formatting characters escaped, so a file name or message can
    never start a new output line, move the cursor or reorder what a terminal shows."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else
                   (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}") for c in text)


def encodable(text: str) -> str:
    """``text`` with undecodable bytes of a file name (kept as surrogates) written as \\udcXX."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


_LINE_STARTS: list[tuple[str, list[int]]] = []  # the last few texts asked about, with their line starts


def line_col(text: str, offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of ``offset`` in ``text``.

    One position is a count of newlines; many positions in one text (a body full of broken
    references) use an index of its line starts, built once, so reporting stays linear."""
    if offset < 4096 or text.count("\n", 0, 4096) == 0 and len(text) < 4096:
        return text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1) + 1
    starts = next((s for t, s in _LINE_STARTS if t is text), None)
    if starts is None:
        starts = [0]
        position = text.find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        _LINE_STARTS.insert(0, (text, starts))
        del _LINE_STARTS[4:]
    line = bisect.bisect_right(starts, offset) - 1
    return line, offset - starts[line] + 1


class GlossaryError(Exception):
    """Raised where a caller must stop (bad configuration); carries diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics

    @classmethod
    def at(cls, path: str, rule: Rule, message: str, hint: str = "") -> GlossaryError:
        """One problem that concerns a whole file (line 1, column 1)."""
        return cls([Diagnostic(path, 1, 1, rule, message, hint)])


FORMATS = ("text", "json", "github", "sarif")


class Report:
    """An ordered, de-duplicated collection of diagnostics with formatters."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = []
        self.extend(diagnostics)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self._items), key=Diagnostic.sort_key))

    def __len__(self) -> int:
        return len(set(self._items))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.level is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if d.level is Severity.WARNING]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self if d.level is Severity.INFO]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def summary(self, files: int = 0) -> dict[str, int]:
        return {"files": files, "errors": len(self.errors), "warnings": len(self.warnings)}

    def format_text(self, files: int = 0) -> str:
        lines = []
        for d in self:
            lines.append(d.format())
            if d.hint:
                lines.append(f"  hint: {printable(d.hint)}")
        lines.append(self._summary_line(files))
        return "\n".join(lines)

    def _summary_line(self, files: int) -> str:
        s = self.summary(files)
        notes = len(self.notes)
        return f"{s['files']} files checked: {s['errors']} errors, {s['warnings']} warnings" + (
            f", {notes} notes" if notes else "")

    def format(self, name: str, files: int = 0) -> str:
        """The report in one of FORMATS."""
        return {"text": self.format_text, "json": self.format_json, "github": self.format_github,
                "sarif": self.format_sarif}[name](files)

    def format_json(self, files: int = 0) -> str:
        return json.dumps(
            {"diagnostics": [d.as_dict() for d in self], "summary": self.summary(files)},
            ensure_ascii=False,
            indent=2,
        )

    def format_github(self, files: int = 0) -> str:
        def esc(text: str) -> str:
            return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

        def esc_prop(text: str) -> str:
            return esc(text).replace(":", "%3A").replace(",", "%2C")

        lines = []
        for d in self:
            kind = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.level, "notice")
            message = d.message + (f"\n{d.hint}" if d.hint else "")
            lines.append(
                f"::{kind} file={esc_prop(d.path)},line={d.line},col={d.column},"
                f"title={esc_prop(d.rule.id)}::{esc(message)}"
            )
        lines.append(self._summary_line(files))
        return "\n".join(lines)

    def format_sarif(self, files: int = 0) -> str:
        """SARIF 2.1.0, as GitHub code scanning and other CI dashboards read it."""
        levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
        rules = [{"id": rule.id, "name": rule.name.title().replace("_", ""),
                  "shortDescription": {"text": rule.description},
                  "defaultConfiguration": {"level": levels[rule.severity]}} for rule in Rule]
        index = {rule: i for i, rule in enumerate(Rule)}
        results = [{
            "ruleId": d.rule.id,
            "ruleIndex": index[d.rule],
            "level": levels[d.level],
            "message": {"text": d.message + (f"\nhint: {d.hint}" if d.hint else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": quote(encodable(d.path), safe="/"), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": d.line, "startColumn": d.column},
            }}],
        } for d in self]
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "glossary", "rules": rules}},
                "results": results,
                "properties": self.summary(files),
            }],
        }
        return json.dumps(log, ensure_ascii=False, indent=2)


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
