"""Property tests: any front matter and any body give an entry or diagnostics, never an exception,
and every body scan stays linear on any repeated pattern."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from glossary_tools import body
from glossary_tools.checks.html import needs_rendering
from glossary_tools.diagnostics import Diagnostic
from glossary_tools.frontmatter import split
from glossary_tools.schema import validate

_YAML_TOKENS = st.sampled_from([
    "title", "category", "related", "aliases", "sources", "examples", "translated_from", ": ", ":", "- ", "\n",
    "  ", "\t", "[", "]", "{", "}", ",", "'", '"', "&a ", "*a", "!!python/object ", "!!binary ", "? ", "---",
    "...", "#", "yes", "no", "0755", "2024-01-01", "~", "null", "|", ">", "text", "url: ", "https://x.org",
    "javascript:alert(1)", "\ufeff", "\r", "\x00", "\u202e", "é",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_YAML_TOKENS, max_size=40), st.text(max_size=200))
def test_any_file_gives_an_entry_or_diagnostics(tokens: list[str], rest: str) -> None:
    text = "---\n" + "".join(tokens) + "\n---\n" + rest
    parsed = split(text, "content/glossary/x.en.md")
    entry, diagnostics = validate(parsed, "x", "en")
    assert all(isinstance(d, Diagnostic) and d.line >= 1 and d.column >= 1 for d in diagnostics)
    if entry is None:
        assert diagnostics
    else:
        assert isinstance(entry.title, str) and entry.title.strip()
        assert not any(0 < ord(c) < 32 and c != "\t" for c in entry.title)


_BODY_UNITS = st.text(alphabet="[]()<>{}`#*_!:&-~=\"' \na1", min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BODY_UNITS, _BODY_UNITS)
def test_every_scan_is_linear_on_a_repeated_pattern(unit: str, tail: str) -> None:
    """64 KB of any repeated pattern: the scans that were quadratic took minutes on such bodies;
    linear ones take milliseconds. The bound is generous on purpose (slow CI machines)."""
    text = unit * (65_536 // len(unit)) + tail
    started = time.perf_counter()
    masked = body.mask_code(text)
    for scan in (body.links, body.source_refs, body.autolinks):
        list(scan(text, masked))
    body.headings(text, masked)
    body.render_cost(masked)
    needs_rendering(masked)
    assert time.perf_counter() - started < 3.0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]()!:\\_a1 23\n", max_size=80))
def test_source_refs_are_the_matches_of_the_run_pattern(text: str) -> None:
    """The scan from '[' to '[' finds exactly what trying the run pattern at every character finds."""
    expected = []
    for run in body._REF_RUN_RE.finditer(text):
        start, end = run.span()
        before = text[start - 1] if start else ""
        if before and (before in "\\!]" or before.isalnum() or before == "_"):
            continue
        if end < len(text) and text[end] in "([:":
            continue
        expected += [(m.start(), m.group(1)) for m in body._REF_RE.finditer(text, start, end)]
    assert [(m.start(), m.group(1)) for m in body._ref_matches(text)] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["- ", "* ", "1. ", "> ", "  ", "\t", "x", "\n", " " * 40]), max_size=120))
@example(["x", "\n"] + ["- "] * 41 + ["x"])
@example(["> "] * 39 + ["x", "\n"] + ["1. "] * 40)
@example(["x\n"] + [" " * 40] * 4 + ["- "])
def test_too_deep_tries_every_line(parts: list[str]) -> None:
    text = "".join(parts)
    assert body.too_deep(text) == (body.DEEP_NESTING_RE.search(text) is not None)
