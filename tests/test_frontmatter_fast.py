"""The front matter fast path (frontmatter.simple_yaml) reads exactly what libyaml reads, or declines.

simple_yaml skips libyaml for the few shapes entries use. Whenever it gives data, the full path
(compose with _TextLoader, then the walk that refuses tags, aliases and duplicates) must give the
same data, with the same types and key order, and no diagnostic; anything else it must decline.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from glossary_tools import frontmatter
from glossary_tools.frontmatter import ParsedFile, parse_yaml, simple_yaml

REPO = Path(__file__).resolve().parent.parent


def _parsed(text: str, *, fast: bool) -> ParsedFile:
    parsed = ParsedFile("x.md", None)
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(frontmatter, "simple_yaml", lambda _text: None)
        parse_yaml(text, parsed, first_line=2)
    return parsed


def _shape(value: Any) -> Any:
    """The value with its types and key order made comparable (so that '' != None, [] != {})."""
    if isinstance(value, dict):
        return ("map", [(k, _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_shape(v) for v in value])
    return (type(value).__name__, value)


def _agree(text: str) -> bool:
    """Parsing with and without the fast path gives the same data (types and key order included)
    and the same diagnostics; returns whether the fast path answered."""
    fast, full = _parsed(text, fast=True), _parsed(text, fast=False)
    assert (_shape(fast.data), fast.diagnostics) == (_shape(full.data), full.diagnostics), text
    return fast.data is not None and simple_yaml(text) is not None


_SAFE_KEYS = ["title", "category", "related", "sources", "text", "url", "a-b", "_x", "k1"]
_KEYS = st.sampled_from(_SAFE_KEYS * 6 + ["null", "Null", "~", "-k", "ключ", "title ", "? title", "&a title",
                                         "'title'", "title#", "a\tb"])
_WORDS = ["a", "Zeta", "0", "1.5", " ", "é", "net", "x-y", "(b)", "a,b", "[c]", "{d}", "https://x.org/a#b", "it's"]
_SPECIAL = [":", ": ", "#", " #", "\t#", "'", '"', "\\", "-", "- ", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|",
            ">", "%", "@", "`", "~", "\t", "\u2028", "\x85", "\ufeff", "\u00a0", "\r", "\x7f", "\u202e", "null",
            "\n", "\n  ", "  "]
_SCALARS = st.one_of(st.lists(st.sampled_from(_WORDS), max_size=5).map("".join),
                     st.lists(st.sampled_from(_WORDS), max_size=5).map("".join),
                     st.lists(st.sampled_from(_WORDS * 3 + _SPECIAL), max_size=6).map("".join),
                     st.sampled_from(["", "null", "~", "Null", "NULL", "a:", "a :", "x\t#c"]))


@st.composite
def _values(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "double", "single", "flow", "seq", "seqmap", "map", "empty"]))
    if kind == "plain":
        return " " + draw(_SCALARS)
    if kind == "double":
        return ' "' + draw(_SCALARS) + '"'
    if kind == "single":
        return " '" + draw(_SCALARS) + "'"
    if kind == "flow":
        items = draw(st.lists(st.one_of(st.sampled_from(["a", "b-c", "1.5", "null", "~", "_", " a ", ""]), _SCALARS),
                              max_size=4))
        return " [" + draw(st.sampled_from([", ", ",", " , "])).join(items) + draw(st.sampled_from(["]", " ]", ",]", ""]))
    if kind == "empty":
        return draw(st.sampled_from(["", " ", "\n"]))
    indent = " " * draw(st.integers(0, 3))
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        if kind == "seq":
            lines.append(f"{indent}-{draw(st.sampled_from([' ', ' ', ' ', '  ', '']))}{draw(_SCALARS)}")
        elif kind == "map":
            lines.append(f"{indent or ' '}{draw(_KEYS)}:{draw(st.sampled_from([' ', ' ', ' ', '  ', '']))}{draw(_SCALARS)}")
        else:
            lines.append(f"{indent}- {draw(_KEYS)}: {draw(_SCALARS)}")
            for _ in range(draw(st.integers(0, 2))):
                extra = " " * draw(st.sampled_from([2, 2, 2, 2, 2, 1, 3, 4]))
                lines.append(f"{indent}{extra}{draw(_KEYS)}: {draw(_SCALARS)}")
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "  ", "# note", "  more", "    more", "   x: y", "  - z"])))
    return "\n" + "\n".join(lines)


@st.composite
def _front_matter(draw: st.DrawFn) -> str:
    lines = [f"{draw(_KEYS)}:{draw(_values())}{draw(st.sampled_from(['', '', '', '', ' ', '  # c']))}"
             for _ in range(draw(st.integers(1, 5)))]
    text = "\n".join(lines) + "\n"
    if draw(st.integers(0, 3)) == 0:  # a near miss: one character added somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_SPECIAL)) + text[at:]
    return text


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_front_matter())
@example("title: Term\n")
@example('title: ""\n')  # an empty quoted value is null, as the full path resolves it
@example("title: a, b [c] {d}\ncategory: x\n")
@example("sources:\n- text: a\n  url: https://x.org/\ntitle: t\n")
@example("title: a\u2028b\n")  # libyaml breaks the line there
@example("title: a\n  continued\n")
@example("related: [a, bc\n")  # never closed
@example("sources:\n  - text: a\n    url: b\n   x: y\n")
@example("a" * 1025 + ": v\n")  # libyaml refuses keys longer than 1024 characters
@example("x: 1\n" + "a" * 1025 + ": v\n")
@example("k:\n- x: 1\n  " + "a" * 1025 + ": v\n")
@example("a" * 1024 + ": v\n")
@example("k: a" + "[" * 33 + "\n")  # more than 32 '[' or '{': the full path refuses before libyaml
@example("".join(f"k{i}: a{{\n" for i in range(33)))
@example("sources:\n  - text: a\n      more\n    url: b\n")
def test_the_fast_path_reads_what_libyaml_reads(text: str) -> None:
    _agree(text)


@pytest.mark.parametrize("line", ["k: [" + " " * 65_536 + "x", "k: [" + " " * 32_768 + "a" + " " * 32_768 + "x",
                                  "k: [" + "a, " * 20_000 + "a x", "k: " + "a" * 65_536 + ":"])
def test_the_fast_path_is_linear_on_long_lines(line: str) -> None:
    """64 KB lines that a backtracking pattern would rescan (the flow list's spaces took 1.5 s at 64 KB):
    milliseconds when linear; the bound is generous on purpose (slow CI machines)."""
    started = time.perf_counter()
    assert simple_yaml(line + "\n") is None
    assert time.perf_counter() - started < 0.3


@pytest.mark.parametrize("text", [
    "title: Term\ncategory: models\naliases: [a, b-c]\nrelated: [x]\n"
    "sources:\n  - text: \"A, B: C & D (2020)\"\n    url: https://doi.org/10.1/x\n  - text: E\n    url: https://e.org\n",
    "title: Rede neural\n",
    "title: 'It''s'\n",  # (declined: the doubled quote is an escape)
    "translated_from:\n  lang: en\n  hash: 0123456789ab\ntitle: T\n",
])
def test_the_shapes_entries_use_agree(text: str) -> None:
    assert _agree(text) == ("''" not in text)


def _front(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[4:text.index("\n---", 3) + 1]


def test_this_repositorys_entries_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entry here (and so the shapes 'glossary new' and the importers write) is read without
    libyaml, with the same data; a regression would only show as a slower check."""
    files = sorted((REPO / "content" / "glossary").glob("*.md"))
    assert len(files) > 30
    declined = [f.name for f in files if not _agree(_front(f))]
    assert declined == []
