"""Consistent terminology: ``<docs_dir>/terminology.yml``, written once, read by the checks.

Per concept, each language's preferred term and the variants to avoid::

    deep-learning:
      en: deep learning
      pt:
        preferred: aprendizado profundo
        discouraged: [aprendizagem profunda]
      es: aprendizaje profundo
    accuracy:
      en: accuracy
      es:
        preferred: exactitud
        discouraged:
          - {term: precisión, allow_in: [binary-classification]}

A language's value is its preferred term, or a mapping with ``preferred``, ``discouraged``
(terms, or ``{term, allow_in}``) and ``allow_in``; a concept may also give ``allow_in``: entry
slugs where the variants are legitimate. The file is parsed like front matter (safe loader,
positions kept); a problem in it is a ``config`` diagnostic at its line.

Matching is whole-word, case-insensitive and ignores accents (so a missing accent still
matches), accepts a plural -s/-es, and is one pass of one regular expression per language
over a body in which code, inline code, link targets, HTML tags, bare URLs, quotations
("...", “...”, «...», > blockquotes) and *italic* mentions are blanked out: those name a
word rather than use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, GlossaryError, Rule
from .files import UnsafeFile, read_capped
from .frontmatter import MAX_FRONTMATTER_BYTES, ParsedFile, decode, parse_yaml
from .project import Project

FILE_NAME = "terminology.yml"
SOURCE_LANGUAGE = "en"
LANGUAGE_FIELDS = ("preferred", "discouraged", "allow_in")
VARIANT, ENGLISH = "variant", "english"


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            continue
        base = unicodedata.normalize("NFD", lower)[0]
        if base != char:
            table[code] = base
    return table


_FOLD = _fold_table()
_LETTER_CLASSES: dict[str, str] = {}
for _code, _base in _FOLD.items():
    if chr(_code).islower():
        _LETTER_CLASSES[_base] = _LETTER_CLASSES.get(_base, _base) + chr(_code)
_LETTER_CLASSES = {base: f"[{chars}]" for base, chars in _LETTER_CLASSES.items()}


def fold(text: str) -> str:
    """Lowercase without accents, one character for one (offsets stay valid)."""
    return text.translate(_FOLD)


_MENTION_RE = re.compile(
    r"\]\([^)\n]*\)"  # a link's target (its text is prose and is checked)
    r"|<[^>\n]*>"  # HTML tags and <autolinks>
    r"|https?://[^\s)>\]]+"  # bare URLs
    r"|^[ \t]*>[^\n]*"  # blockquotes
    r"|\"[^\"\n]*\"|“[^”\n]*”|«[^»\n]*»"  # quotations
    r"|(?<![*\w])\*(?![*\s])[^*\n]+(?<!\s)\*(?!\*)"  # *italic* (a word mentioned, usually a foreign one)
    r"|(?<!\w)_(?![_\s])[^_\n]+(?<!\s)_(?!\w)"  # _italic_
    r"|\{#[^}\n]*\}",  # heading ids
    re.M,
)


def blank_mentions(masked: str) -> str:
    """``masked`` (code already blanked) with mentions blanked too, newlines and offsets kept."""
    return _MENTION_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)


@dataclass(frozen=True, slots=True)
class Usage:
    """What finding a phrase in a language's body means."""

    kind: str  # VARIANT (discouraged in this language) or ENGLISH (the English term, left untranslated)
    concept: str
    preferred: str
    allow_in: frozenset[str]


@dataclass(frozen=True, slots=True)
class Hit:
    offset: int
    text: str
    usage: Usage


@dataclass
class Terminology:
    concepts: dict[str, dict[str, str]]  # concept -> language -> preferred term
    usages: dict[str, dict[str, Usage]] = field(default_factory=dict)  # language -> folded phrase -> usage
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def pattern(self, lang: str) -> re.Pattern[str] | None:
        phrases = self.usages.get(lang)
        if not phrases:
            return None
        found = self._patterns.get(lang)
        if found is None:
            # longest first, so 'mini-batch' wins over 'mini'; words separated by any run of spaces;
            # each letter matches its accented forms, so the body needs no folding before the search
            alternatives = "|".join(r"\s+".join(_accent_insensitive(w) for w in p.split())
                                    for p in sorted(phrases, key=lambda p: (-len(p), p)))
            # a word start whose first letter can begin a phrase: most positions fail this one test
            firsts = "".join(sorted({c for p in phrases for c in _LETTER_CLASSES.get(p[0], p[0]).strip("[]")}))
            found = self._patterns[lang] = re.compile(
                rf"\b(?=[{re.escape(firsts)}])({alternatives})(?:e?s)?(?!\w)", re.I)
        return found

    def scan(self, lang: str, slug: str, masked: str) -> Iterator[Hit]:
        """Discouraged variants and untranslated English terms in ``masked`` (a body with code blanked)."""
        pattern = self.pattern(lang)
        if pattern is None:
            return
        phrases = self.usages[lang]
        mentions: str | None = None  # computed only for a body with a candidate (most have none)
        for match in pattern.finditer(masked):
            usage = phrases.get(fold(" ".join(match.group(1).split())))
            if usage is None or slug in usage.allow_in:
                continue
            if mentions is None:
                mentions = blank_mentions(masked)
            if mentions[match.start()] == " ":
                continue  # inside a link target, a quotation or an italic mention
            yield Hit(match.start(), " ".join(match.group(0).split()), usage)


def _accent_insensitive(word: str) -> str:
    return "".join(_LETTER_CLASSES.get(c, re.escape(c)) for c in word)


class _Reader:
    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.problems: list[Diagnostic] = []

    def fail(self, key: tuple[str | int, ...], message: str, hint: str) -> None:
        line, col = self.parsed.position(*key)
        self.problems.append(Diagnostic(self.parsed.path, line, col, Rule.CONFIG, message, hint))

    def text(self, key: tuple[str | int, ...], value: Any) -> str | None:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        self.fail(key, f"{'.'.join(map(str, key))} must be a non-empty text", "write the term as plain text")
        return None

    def slugs(self, key: tuple[str | int, ...], value: Any) -> frozenset[str]:
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            self.fail(key, f"{'.'.join(map(str, key))} must be a list of entry slugs", "write allow_in: [slug, ...]")
            return frozenset()
        return frozenset(s for i, item in enumerate(value) if (s := self.text((*key, i), item)))


def load_terminology(project: Project) -> Terminology | None:
    """The project's terminology, or None when it has no terminology.yml. Raises GlossaryError (config)."""
    path = project.docs_dir / FILE_NAME
    if not path.exists():
        return None
    shown = project.rel(path)
    try:
        raw = read_capped(path, project.root, MAX_FRONTMATTER_BYTES)
    except UnsafeFile as exc:
        raise GlossaryError.at(shown, Rule.CONFIG, f"{FILE_NAME}: the file {exc}") from None
    text, problems = decode(raw, shown)
    parsed = ParsedFile(shown, None)
    if text is not None:
        parse_yaml(text, parsed, first_line=1)
        problems = parsed.diagnostics
    if problems or parsed.data is None:
        raise GlossaryError([Diagnostic(d.path, d.line, d.column, Rule.CONFIG, f"{FILE_NAME}: {d.message}", d.hint)
                             for d in problems] or [Diagnostic(shown, 1, 1, Rule.CONFIG, f"{FILE_NAME} is empty",
                                                               "map concept names to languages and terms")])
    reader = _Reader(parsed)
    terminology = Terminology({})
    english: dict[str, list[str]] = {}
    for concept, spec in parsed.data.items():
        if not isinstance(spec, dict):
            reader.fail((concept,), f"concept {concept!r} must map languages to terms",
                        "write e.g. 'pt: {preferred: ..., discouraged: [...]}'")
            continue
        concept_allow = reader.slugs((concept, "allow_in"), spec.get("allow_in"))
        preferred_by_lang: dict[str, str] = {}
        variants_by_lang: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for lang, value in spec.items():
            if lang == "allow_in":
                continue
            key: tuple[str | int, ...] = (concept, lang)
            if lang not in project.languages:
                reader.fail((*key, "#key"), f"language {lang!r} is not configured",
                            f"configured: {', '.join(project.languages)}")
                continue
            if isinstance(value, str) or value is None:
                value = {"preferred": value}
            if not isinstance(value, dict):
                reader.fail(key, f"{concept}.{lang} must be a term or a mapping",
                            "write the preferred term, or {preferred: ..., discouraged: [...]}")
                continue
            for name in value:
                if name not in LANGUAGE_FIELDS:
                    reader.fail((*key, name, "#key"), f"unknown field {name!r} in {concept}.{lang}",
                                f"known: {', '.join(LANGUAGE_FIELDS)}")
            preferred = reader.text((*key, "preferred"), value.get("preferred"))
            if preferred is None:
                continue
            preferred_by_lang[lang] = preferred
            lang_allow = concept_allow | reader.slugs((*key, "allow_in"), value.get("allow_in"))
            variants: list[tuple[str, frozenset[str]]] = []
            items = value.get("discouraged") or []
            if not isinstance(items, list):
                reader.fail((*key, "discouraged"), f"{concept}.{lang}.discouraged must be a list",
                            "write discouraged: [variant, ...]")
                items = []
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    term = reader.text((*key, "discouraged", i, "term"), item.get("term"))
                    allow = lang_allow | reader.slugs((*key, "discouraged", i, "allow_in"), item.get("allow_in"))
                else:
                    term, allow = reader.text((*key, "discouraged", i), item), lang_allow
                if term:
                    variants.append((term, allow))
            variants_by_lang[lang] = variants
        terminology.concepts[concept] = preferred_by_lang
        for lang, variants in variants_by_lang.items():
            for term, allow in variants:
                terminology.usages.setdefault(lang, {})[fold(term)] = Usage(
                    VARIANT, concept, preferred_by_lang[lang], allow)
        english[concept] = [preferred_by_lang[SOURCE_LANGUAGE]] if SOURCE_LANGUAGE in preferred_by_lang else []
        english[concept] += [t for t, _ in variants_by_lang.get(SOURCE_LANGUAGE, [])]
        for lang, preferred in preferred_by_lang.items():
            if lang == SOURCE_LANGUAGE:
                continue
            phrases = terminology.usages.setdefault(lang, {})
            for term in english[concept]:
                folded = fold(term)
                if folded != fold(preferred):  # a discouraged variant of the language itself takes precedence
                    phrases.setdefault(folded, Usage(ENGLISH, concept, preferred, concept_allow))
    if reader.problems:
        raise GlossaryError(reader.problems)
    return terminology


def terminology_path(project: Project) -> Path:
    return project.docs_dir / FILE_NAME
