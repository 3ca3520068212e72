"""Hostile and broken input (/work/shared/bad-input.md): the parser and checker rows.

Every test builds a small project with one hostile file (``beta.en.md``, with or without its pt/es
translations) beside a valid entry (``alpha``, three languages, must stay silent) and a canary entry
(``gamma``, three languages, listing itself as related: exactly one warning, which proves that the
files after the hostile one were still checked). The check runs in-process through ``cli.main``,
except where the input could crash the interpreter (then it runs in a subprocess).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest

from glossary_tools.cli import main
from glossary_tools.loader import load_glossary
from glossary_tools.project import load_project

from .conftest import FIXTURE_SITE, REPO

GLOSSARY = "content/glossary"

VALID = {
    "alpha.en.md": "---\ntitle: Alpha\ncategory: fundamentals\naliases: [alfa]\n---\n\n"
                   "Alpha is a neutral test term.\n\n## Overview\n\nPlain text.\n",
    "alpha.pt.md": "---\ntitle: Alfa\n---\n\nAlfa é um termo de teste.\n",
    "alpha.es.md": "---\ntitle: Alfa\n---\n\nAlfa es un término de prueba.\n",
}
CANARY = {
    "gamma.en.md": "---\ntitle: Gamma\ncategory: fundamentals\nrelated: [gamma]\n---\n\nGamma.\n",
    "gamma.pt.md": "---\ntitle: Gama\n---\n\nGama.\n",
    "gamma.es.md": "---\ntitle: Gamma\n---\n\nGamma.\n",
}
BETA_TRANSLATIONS = {
    "beta.pt.md": "---\ntitle: Beta\n---\n\nBeta.\n",
    "beta.es.md": "---\ntitle: Beta\n---\n\nBeta.\n",
}


def entry(*fields: str, body: str = "Beta is a test term.\n") -> str:
    """An entry file: front matter lines (title on line 2, the next field on line 3, ...) and a body."""
    return "---\n" + "".join(f"{line}\n" for line in fields) + "---\n\n" + body


BETA = ("title: Beta", "category: fundamentals")  # lines 2 and 3; a third field is on line 4


def make_project(root: Path, hostile: str | bytes, translated: bool = False, extra: dict[str, str] | None = None) -> Path:
    project = root / "project"
    glossary = project / GLOSSARY
    glossary.mkdir(parents=True)
    shutil.copy(FIXTURE_SITE / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(REPO / "content" / "categories.yml", project / "content" / "categories.yml")
    files: dict[str, str | bytes] = {**VALID, **CANARY, **(BETA_TRANSLATIONS if translated else {}), **(extra or {})}
    files["beta.en.md"] = hostile
    for name, text in files.items():
        path = project / name if "/" in name else glossary / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return project


@dataclass
class Checked:
    code: int
    data: dict
    out: str
    err: str

    @property
    def diagnostics(self) -> list[dict]:
        return self.data["diagnostics"]

    def of(self, name: str = "beta.en.md") -> list[tuple[str, int, int]]:
        """(rule, line, column) of one file's diagnostics, in report order."""
        return [(d["rule"], d["line"], d["column"]) for d in self.diagnostics if d["path"] == f"{GLOSSARY}/{name}"]

    def find(self, rule: str, name: str = "beta.en.md") -> dict:
        found = [d for d in self.diagnostics if d["rule"] == rule and d["path"] == f"{GLOSSARY}/{name}"]
        assert found, f"no {rule} diagnostic for {name}: {self.diagnostics}"
        return found[0]

    def beta(self) -> list[dict]:
        return [d for d in self.diagnostics if d["path"].startswith(f"{GLOSSARY}/beta.")]


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> Checked:
    code = main(["--root", str(project), "check", "--format", "json"])
    out, err = capsys.readouterr()
    return Checked(code, json.loads(out), out, err)


def assert_rest_checked(result: Checked, files: int | None = None) -> None:
    """No traceback; the valid entry is silent; the canary (after the hostile file) was checked."""
    assert "Traceback" not in result.out + result.err
    for name in VALID:
        assert result.of(name) == [], result.diagnostics
    assert result.of("gamma.en.md") == [("self-related", 4, 11)]
    for name in ("gamma.pt.md", "gamma.es.md"):
        assert result.of(name) == []
    if files is not None:
        assert result.data["summary"]["files"] == files
    for d in result.diagnostics:
        assert d["message"] and d["hint"] and "\n" not in d["message"], d
        assert "<unicode string>" not in d["message"], d


def assert_fails(result: Checked) -> None:
    assert result.code == 1
    assert result.data["summary"]["errors"] >= 1


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], hostile: str | bytes, translated: bool = False,
        extra: dict[str, str] | None = None) -> Checked:
    result = check(make_project(tmp_path, hostile, translated, extra), capsys)
    assert_rest_checked(result)
    return result


# --- front matter with a tab indent or bad YAML: the real file line -------------------------------

def test_tab_indent_is_reported_on_its_file_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry(*BETA, "sources:", "  - text: A source", "\turl: https://example.org/beta")
    result = run(tmp_path, capsys, hostile)
    assert result.of() == [("yaml-syntax", 6, 1)]
    assert "tab" in result.find("yaml-syntax")["hint"]
    assert_fails(result)


@pytest.mark.parametrize(("fields", "line", "column"), [
    pytest.param(("title: Beta", "  category: fundamentals"), 3, 11, id="bad-indent"),
    pytest.param((*BETA, "related: [alpha"), 4, 10, id="unclosed-flow"),
    pytest.param(('title: "Beta', "category: fundamentals"), 2, 8, id="unclosed-quote"),
    pytest.param((*BETA, "sources:", "  - text: A source", "   url: x: y"), 6, 4, id="bad-mapping"),
])
def test_bad_yaml_is_reported_on_its_file_line(fields: tuple[str, ...], line: int, column: int, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*fields))
    assert result.of() == [("yaml-syntax", line, column)]
    assert result.find("yaml-syntax")["message"].startswith("invalid YAML: ")
    assert_fails(result)


def test_control_character_is_reported_on_its_file_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = check(make_project(tmp_path, entry(*BETA, "related: [al\x07pha]")), capsys)
    assert result.of() == [("yaml-syntax", 4, 13)]
    assert_rest_checked(result)


# --- UTF-8 BOM: accepted, metadata kept ----------------------------------------------------------

def test_utf8_bom_is_accepted_and_metadata_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = "\ufeff" + entry(*BETA, "related: [alpha]")
    project = make_project(tmp_path, hostile, translated=True)
    result = check(project, capsys)
    assert_rest_checked(result, files=9)
    assert result.beta() == []
    assert result.code == 0  # only the canary's warning
    term = load_glossary(load_project(project)).glossary.terms["beta"]
    assert (term.category, term.related, term.translations["en"].title) == ("fundamentals", ("alpha",), "Beta")


# --- Latin-1 bytes: file and byte offset ---------------------------------------------------------

@pytest.mark.parametrize(("raw", "line", "column", "offset"), [
    pytest.param(b"---\ntitle: Beta\ncategory: fundamentals\n---\n\nA caf\xe9 term.\n", 6, 6, 49, id="body"),
    pytest.param(b"---\ntitle: Caf\xe9\ncategory: fundamentals\n---\n\nBeta.\n", 2, 11, 14, id="front-matter"),
])
def test_latin1_bytes_name_file_and_offset(raw: bytes, line: int, column: int, offset: int, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, raw)
    assert result.of() == [("encoding", line, column)]
    found = result.find("encoding")
    assert found["path"] == f"{GLOSSARY}/beta.en.md"
    assert f"offset {offset}" in found["message"] and "0xe9" in found["message"]
    assert_fails(result)


# --- '---' never closed; missing, empty or scalar front matter ----------------------------------

@pytest.mark.parametrize(("text", "rule", "line", "column"), [
    pytest.param("---\ntitle: Beta\ncategory: fundamentals\n\nBeta is never closed.\n", "frontmatter-unclosed", 1, 1,
                 id="unclosed"),
    pytest.param("# Beta\n\nNo front matter.\n", "frontmatter-missing", 1, 1, id="missing"),
    pytest.param("---\n---\n\nBeta.\n", "frontmatter-not-mapping", 1, 1, id="empty"),
    pytest.param("---\n# only a comment\n---\n\nBeta.\n", "frontmatter-not-mapping", 1, 1, id="comment-only"),
    pytest.param("---\nBeta\n---\n\nBeta.\n", "frontmatter-not-mapping", 2, 1, id="scalar"),
    pytest.param("---\n'quoted words'\n---\n\nBeta.\n", "frontmatter-not-mapping", 2, 1, id="quoted-scalar"),
    pytest.param("---\n- title\n- Beta\n---\n\nBeta.\n", "frontmatter-not-mapping", 2, 1, id="list"),
])
def test_unusable_front_matter_is_diagnosed(text: str, rule: str, line: int, column: int, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, text)
    assert result.of() == [(rule, line, column)]
    assert_fails(result)


# --- duplicate keys ------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "line", "column", "first"), [
    pytest.param((*BETA, "title: Beta again"), 4, 1, 2, id="top-level"),
    pytest.param((*BETA, "sources:", "  - text: One", "    text: Two", "    url: https://example.org"), 6, 5, 5,
                 id="in-a-source"),
])
def test_duplicate_keys_are_diagnosed(fields: tuple[str, ...], line: int, column: int, first: int, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*fields), translated=True)
    assert result.of() == [("duplicate-key", line, column)]
    assert f"first on line {first}" in result.find("duplicate-key")["message"]
    assert_fails(result)


def _check_seconds(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, hostile: str) -> float:
    project = make_project(tmp_path / name, hostile)
    start = time.perf_counter()
    result = check(project, capsys)
    elapsed = time.perf_counter() - start
    assert result.code == 1
    return elapsed


def test_many_duplicate_keys_cost_linear_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small = min(_check_seconds(tmp_path, capsys, f"small{i}", entry(*BETA, *["a: x"] * 2000)) for i in range(2))
    large = min(_check_seconds(tmp_path, capsys, f"large{i}", entry(*BETA, *["a: x"] * 8000)) for i in range(2))
    assert large / small < 10  # 4x the input: about 4x the time if linear, 16x if quadratic


# --- YAML 1.1 coercion: values stay text ----------------------------------------------------------

@pytest.mark.parametrize("value", ["no", "on", "yes", "2024-01-01", "0755", "1e3", "0x1F", "12:30"])
def test_yaml11_scalars_stay_text(value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, entry(f"title: {value}", "category: fundamentals"), translated=True)
    result = check(project, capsys)
    assert_rest_checked(result)
    assert result.beta() == []
    assert result.code == 0
    title = load_glossary(load_project(project)).glossary.terms["beta"].translations["en"].title
    assert title == value and isinstance(title, str)


# --- wrong types: title as a list or mapping, related as a string ---------------------------------

@pytest.mark.parametrize(("fields", "translated", "line", "column", "words"), [
    pytest.param(("title: [Beta, Gamma]", "category: fundamentals"), False, 2, 8, "not a list", id="title-list"),
    pytest.param(("title: {text: Beta}", "category: fundamentals"), False, 2, 8, "not a mapping", id="title-mapping"),
    pytest.param(("title:", "  - Beta", "category: fundamentals"), False, 3, 3, "not a list", id="title-block-list"),
    pytest.param((*BETA, "related: alpha"), True, 4, 10, "must be a list, not text", id="related-string"),
    pytest.param((*BETA, "aliases: {beta-one: x}"), True, 4, 10, "must be a list, not a mapping", id="aliases-mapping"),
    pytest.param((*BETA, "sources: https://example.org"), True, 4, 10, "'sources' must be a list", id="sources-string"),
    pytest.param((*BETA, "sources: [https://example.org]"), True, 4, 11, "must have 'text' and 'url'",
                 id="source-not-mapping"),
    pytest.param(("title: Beta", "category: [fundamentals]"), True, 3, 11, "not a list", id="category-list"),
])
def test_wrong_types_are_field_type(fields: tuple[str, ...], translated: bool, line: int, column: int, words: str,
                                    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*fields), translated=translated)
    field_type = [d for d in result.beta() if d["rule"] == "field-type"]
    assert [(d["line"], d["column"]) for d in field_type] == [(line, column)]
    assert words in field_type[0]["message"]
    assert_fails(result)


def test_sources_as_text_message_wording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = check(make_project(tmp_path, entry(*BETA, "sources: https://example.org"), translated=True), capsys)
    assert result.find("field-type")["message"] == "'sources' must be a list, not text"


def test_related_string_is_not_iterated_letter_by_letter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, entry(*BETA, "related: alpha"), translated=True)
    result = check(project, capsys)
    assert result.of() == [("field-type", 4, 10)]
    assert load_glossary(load_project(project)).glossary.terms["beta"].related == ()


# --- odd keys and explicit tags: safe loading only ------------------------------------------------

@pytest.mark.parametrize(("fields", "expected"), [
    pytest.param((*BETA, "?: x"), [("unknown-field", 4, 1)], id="question-mark-key"),
    pytest.param((*BETA, "? [alpha, gamma]", ": x"), [("field-type", 4, 3)], id="complex-key"),
    pytest.param((*BETA, "1: one"), [("unknown-field", 4, 1)], id="number-key"),
    pytest.param((*BETA, "!!binary YWxwaGE=: x"), [("field-type", 4, 1)], id="binary-key"),
    pytest.param((*BETA, "? !!set {a, b}", ": x"), [("field-type", 4, 3)], id="set-key"),
    pytest.param((*BETA, "aliases: !!set {a, b}"), [("yaml-tag", 4, 10)], id="set-value"),
    pytest.param((*BETA, "sources: !!python/object:os.system {}"), [("yaml-tag", 4, 10)], id="python-object"),
    pytest.param((*BETA, "aliases: !!python/tuple [beta-one]"), [("yaml-tag", 4, 10)], id="python-tuple"),
    pytest.param((*BETA, "related: !custom [alpha]"), [("yaml-tag", 4, 10)], id="custom-tag"),
])
def test_odd_keys_and_tags_are_diagnosed(fields: tuple[str, ...], expected: list[tuple[str, int, int]], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*fields), translated=True)
    assert result.of() == expected
    assert_fails(result)


def test_empty_key_is_diagnosed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*BETA, "? ", ": x"), translated=True)
    assert [(rule, line) for rule, line, _ in result.of()] == [("field-type", 4)]
    assert_fails(result)


def test_tagged_binary_title_is_diagnosed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry("title: !!binary QmV0YQ==", "category: fundamentals"))
    assert ("yaml-tag", 2, 8) in result.of()
    assert "binary" in result.find("yaml-tag")["message"]
    assert_fails(result)


def test_python_tags_never_run_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    hostile = entry(*BETA, f'sources: !!python/object/apply:os.system ["touch {marker}"]',
                    f'examples: !!python/object/apply:subprocess.call [["touch", "{marker}"]]')
    result = run(tmp_path, capsys, hostile, translated=True)
    assert result.of() == [("yaml-tag", 4, 10), ("yaml-tag", 5, 11)]
    assert not marker.exists()
    assert_fails(result)


@pytest.mark.parametrize("fields", [
    pytest.param(("title: !!binary QmV0YQ==", "category: fundamentals"), id="title-binary"),
    pytest.param(("title: Beta", "category: !custom fundamentals"), id="category-custom"),
    pytest.param((*BETA, "aliases: [!!binary YmV0YQ==]"), id="alias-item-binary"),
])
def test_refused_tag_is_the_only_diagnostic(fields: tuple[str, ...], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    result = check(make_project(tmp_path, entry(*fields), translated=True), capsys)
    assert [rule for rule, _, _ in result.of()] == ["yaml-tag"]


def test_tag_hint_fits_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = check(make_project(tmp_path, entry(*BETA, "aliases: !!set {a, b}"), translated=True), capsys)
    assert "mapping" not in result.find("yaml-tag")["hint"]


# --- aliases: refused, bounded time and memory ----------------------------------------------------

def _alias_bomb(levels: int = 10, width: int = 9) -> tuple[str, ...]:
    lines = ["l0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return (*BETA, *lines)


def test_alias_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, entry(*_alias_bomb()), translated=True)  # 9**10 items if expanded
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = check(project, capsys)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_rest_checked(result)
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024
    alias_lines = sorted({line for rule, line, _ in result.of() if rule == "yaml-alias"})
    assert alias_lines == list(range(5, 14))  # l1 .. l9, each uses aliases
    assert len(result.of()) < 40  # one report per use at most, never one per expanded item
    assert_fails(result)


def test_alias_in_a_field_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*BETA, "related: &r [alpha]", "aliases: *r"), translated=True)
    assert [(rule, line) for rule, line, _ in result.of()] == [("yaml-alias", 5)]
    assert_fails(result)


def test_alias_in_a_block_list_is_reported_on_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry("title: Beta", "category: &c fundamentals", "related:", "  - alpha", "  - gamma", "  - *c")
    result = check(make_project(tmp_path, hostile, translated=True), capsys)
    assert result.of() == [("yaml-alias", 7, 5)]


def test_alias_in_a_flow_list_is_reported_at_the_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry("title: &t Beta", "category: fundamentals", "aliases: [beta-one, *t]")
    result = check(make_project(tmp_path, hostile, translated=True), capsys)
    assert result.of() == [("yaml-alias", 4, 21)]


def test_alias_as_a_field_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry("title: Beta", "&k category: fundamentals", "*k : models")
    result = check(make_project(tmp_path, hostile, translated=True), capsys)
    assert result.of() == [("yaml-alias", 4, 1)]


# --- deep nesting: a limit and a diagnostic, never a crash (run in a subprocess) ------------------

def _limit_stack() -> None:  # the default 8 MiB main-thread stack, so a crash does not depend on the shell
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    wanted = 8 * 1024 * 1024
    if hard == resource.RLIM_INFINITY or hard >= wanted:
        resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))


def check_in_subprocess(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glossary_tools.cli", "--root", str(project), "check", "--format", "json"],
        capture_output=True, text=True, timeout=120, preexec_fn=_limit_stack,
    )


def _subprocess_result(completed: subprocess.CompletedProcess[str]) -> Checked:
    assert completed.returncode >= 0, f"killed by signal {-completed.returncode}: {completed.stderr[-2000:]}"
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    return Checked(completed.returncode, json.loads(completed.stdout), completed.stdout, completed.stderr)


@pytest.mark.parametrize(("opening", "column"), [
    pytest.param("[", 10 + 32, id="brackets"),
    pytest.param("{", 10 + 32, id="braces"),
    pytest.param("[{", 10 + 32, id="mixed"),
])
def test_25000_nested_flow_brackets_are_too_deep(opening: str, column: int, tmp_path: Path) -> None:
    hostile = entry(*BETA, "related: " + opening * 25_000)
    result = _subprocess_result(check_in_subprocess(make_project(tmp_path, hostile)))
    assert_rest_checked(result)
    assert result.of() == [("yaml-too-deep", 4, column)]
    assert_fails(result)


def test_deep_block_nesting_below_the_crash_depth_is_too_deep(tmp_path: Path) -> None:
    hostile = entry(*BETA, "related:", "- " * 100 + "x")
    result = _subprocess_result(check_in_subprocess(make_project(tmp_path, hostile)))
    assert_rest_checked(result)
    assert ("yaml-too-deep", 5) in [(rule, line) for rule, line, _ in result.of()]
    assert_fails(result)


@pytest.mark.parametrize("indicator", ["- ", "? "])
def test_deep_block_nesting_does_not_crash(indicator: str, tmp_path: Path) -> None:
    hostile = entry(*BETA, "related:", indicator * 32_000 + "x")
    assert len(hostile.encode()) < 65_536 + 100
    result = _subprocess_result(check_in_subprocess(make_project(tmp_path, hostile)))
    assert_rest_checked(result)
    assert "yaml-too-deep" in [rule for rule, _, _ in result.of()]
    assert_fails(result)


# --- size limits ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("lines", "line", "words"), [
    pytest.param(500_000, 1, "the limit is 2,097,152", id="50MB-file"),
    pytest.param(1_000, 2, "front matter is larger than 65,536 bytes", id="100KB-front-matter"),
])
def test_huge_front_matter_is_refused_quickly(lines: int, line: int, words: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    padding = ("# " + "x" * 102 + "\n") * lines  # 105 bytes a line: 52.5 MB or 105 KB
    project = make_project(tmp_path, "---\ntitle: Beta\ncategory: fundamentals\n" + padding + "---\n\nBeta.\n")
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = check(project, capsys)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_rest_checked(result)
    assert result.of() == [("file-too-large", line, 1)]
    assert words in result.find("file-too-large")["message"]
    assert elapsed < 5
    assert peak < 3 * len(padding) + 20 * 1024 * 1024  # the bytes are read once; never parsed
    assert_fails(result)


# --- paths in names: never outside the content root -----------------------------------------------

def test_path_like_names_are_invalid_slugs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry(*BETA, "related: [alpha, ../../etc/passwd]", "aliases: [/etc/passwd]",
                    "examples: [../secret, ..]")
    outside = {"examples/../secret.py": "raise SystemExit('read outside the examples folder')\n"}
    result = run(tmp_path, capsys, hostile, translated=True, extra=outside)
    assert result.of() == [("invalid-slug", 4, 18), ("invalid-slug", 5, 11), ("invalid-slug", 6, 12),
                           ("invalid-slug", 6, 23)]
    assert "no paths" in result.find("invalid-slug")["hint"]
    assert_fails(result)


def test_links_leaving_the_content_folder_are_broken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry(*BETA, body="See [a](../../etc/passwd.md) and [b](/etc/passwd).\n")
    result = run(tmp_path, capsys, hostile, translated=True)
    assert result.of() == [("broken-link", 6, 9), ("broken-link", 6, 38)]
    assert "leaves the content folder" in result.find("broken-link")["message"]
    assert_fails(result)


# --- unsafe HTML in the body; source URL schemes --------------------------------------------------

def test_unsafe_html_in_the_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = ("Beta is plain.\n\n<script>alert(1)</script>\n\nAn <img src=x onerror=alert(1)> image "
            "and <a href=\"javascript:alert(1)\">a link</a>.\n\n`<script>` in code is text.\n\n"
            "```html\n<iframe src=x></iframe>\n```\n")
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    assert result.of() == [("unsafe-html", 8, 1), ("unsafe-html", 10, 15), ("unsafe-html", 10, 52)]
    assert "<script> element" in result.find("unsafe-html")["message"]
    assert_fails(result)


def test_two_findings_of_the_same_kind_are_each_at_their_own_line(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    body = "Beta is plain.\n\nOne <img src=x onerror=alert(1)> here.\n\nTwo <img src=y onerror=alert(2)> there.\n"
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    assert result.of() == [("unsafe-html", 8, 16), ("unsafe-html", 10, 16)]  # at each onerror


# Each vector puts script into the rendered page in a way a source-text regex misses; the check
# renders the body and asks the site's sanitizer, so each is reported on its own line.
SCRIPT_VECTORS = {
    "attr-list-onerror": ("![chart](chart.png){onerror=alert(1)}", "onerror"),
    "attr-list-onclick": ("[alpha](alpha.md){onclick=alert(1)}", "onclick"),
    "attr-list-href": ('[alpha](alpha.md){href="javascript:alert(1)"}', "javascript:alert(1)"),
    "quoted-gt": ('<a title="x>y" onmouseover=alert(1)>hover</a>', "onmouseover"),
    "entity-scheme": ("[click](jav&#x61;script:alert(1))", "javascript:alert(1)"),
    "form-action": ('<form action="javascript:alert(1)"><button>go</button></form>', "<form>"),
    "reference-definition": ("[click][r]\n\n[r]: javascript:alert(1)", "javascript:alert(1)"),
    "newline-in-target": ("[click](<java\nscript:alert(1)>)", "script:alert(1)"),
    "svg-data-image": ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "data:image/svg+xml"),
    "toc-label": ('## Heading { data-toc-label="<img src=x onerror=alert(1)>" }', "data-toc-label"),
    "odd-comment": ("<!--><img src=x onerror=alert(1)>-->", "odd HTML comment"),
    "theme-id": ('{"base": "x"}\n{: #__config }', "__config"),
    "data-with-tab": ('<a href="da&#9;ta:text/html,hi">d</a>', "ta:text/html"),
}


@pytest.mark.parametrize("name", sorted(SCRIPT_VECTORS))
def test_script_vectors_are_reported_at_their_line(name: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    vector, shown = SCRIPT_VECTORS[name]
    body = f"Beta is plain.\n\n{vector}\n\nSafe [alpha](alpha.md) and <sup>2</sup>.\n"
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    found = [d for d in result.diagnostics if d["rule"] == "unsafe-html"]
    lines = set(range(8, 9 + vector.count("\n")))  # the vector's own lines
    assert found and {d["line"] for d in found} <= lines, result.diagnostics
    assert any(shown in d["message"] for d in found), [d["message"] for d in found]
    assert_fails(result)


def test_safe_markup_is_not_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = ("Beta [1] &amp; <sup>2</sup> {: .note }\n\n## Part { #part .wide }\n\n"
            "![plot](plot.png){ width=300 } [mail](mailto:a@b.org) <https://example.org/a>\n\n"
            "<details><summary>More</summary>Text with a [link](alpha.md#overview).</details>\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nRatio 1:2 and note:this.\n")
    hostile = entry(*BETA, "sources:", "  - text: A", "    url: https://example.org/a", body=body)
    result = run(tmp_path, capsys, hostile, translated=True,
                 extra={"content/glossary/plot.png": "png", "content/glossary/chart.png": "png"})
    assert [d for d in result.diagnostics if d["rule"] in ("unsafe-html", "body-complexity")] == []


def test_pages_beside_the_entries_are_judged_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = {"content/index.en.md": "---\ntitle: Home\n---\n\n# Home\n\n<script>alert(1)</script>\n",
             "content/guide/intro.markdown": "Intro ![x](x.png){onerror=alert(1)}\n",
             "content/glossary/delta.en.MD": "---\ntitle: Delta\ncategory: fundamentals\n---\n\nDelta.\n"}
    result = run(tmp_path, capsys, entry(*BETA), translated=True, extra=extra)
    found = {(d["path"], d["rule"], d["line"]) for d in result.diagnostics if d["rule"] != "self-related"}
    assert found == {("content/index.en.md", "unsafe-html", 7), ("content/guide/intro.markdown", "unsafe-html", 1),
                     ("content/glossary/delta.en.MD", "filename", 1)}
    assert_fails(result)


@pytest.mark.parametrize("unit,tail", [("[a", ""), ("<a ", ""), ("[x](", ""), ("a < b ", ""),
                                       ("## Same\n\n", "[x](#same_3)\n"), ("***\n", ""), ("[a]:\n", ""),
                                       ("\\*", ""), ("<span>", ""), ("&amp;&#x41;&lt; ", ""), ("```\n", ""),
                                       ("`a` ", ""), ("```\nx\n```\n\n", "")])
def test_bodies_that_render_in_quadratic_time_are_refused(unit: str, tail: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    body = "Beta is plain.\n\n" + unit * (400_000 // len(unit)) + tail
    started = time.perf_counter()
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    assert time.perf_counter() - started < 60  # generous: the quadratic scans took hours at this size
    assert [d["rule"] for d in result.diagnostics if d["path"].endswith("beta.en.md")] == ["body-complexity"]
    assert result.find("body-complexity")["line"] == (10 if unit.startswith("#") else 8)  # the first repeat
    assert_fails(result)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "'  javascript:alert(1)'",
                                 "data:text/html,hi", "file:///etc/passwd", "//example.org/beta"])
def test_source_url_schemes(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry(*BETA, "sources:", "  - text: A source", f"    url: {url}", body="Beta [1].\n")
    result = run(tmp_path, capsys, hostile, translated=True)
    assert ("url-scheme", 6, 10) in result.of()
    assert "http, https or mailto" in result.find("url-scheme")["message"]
    assert_fails(result)


def test_allowed_source_url_schemes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = entry(*BETA, "sources:", "  - text: One", "    url: https://example.org", "  - text: Two",
                    "    url: http://example.org", "  - text: Three", "    url: mailto:someone@example.org",
                    body="Beta [1] [2] [3].\n")
    result = run(tmp_path, capsys, hostile, translated=True)
    assert result.beta() == []
    assert result.code == 0


# --- links and anchors; related names, aliases and 'did you mean' --------------------------------

def test_link_to_a_missing_anchor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "See [alpha](alpha.md#overview), [alpha](alpha.md#missing-anchor) and [here](#nowhere).\n\n## Here\n"
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    assert result.of() == [("broken-anchor", 6, 41), ("broken-anchor", 6, 77)]
    first = result.find("broken-anchor")
    assert "missing-anchor" in first["message"] and "overview" in first["hint"]
    assert_fails(result)


def test_related_through_an_alias_resolves(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, entry(*BETA, "related: [alfa, gamma]"), translated=True)
    result = check(project, capsys)
    assert_rest_checked(result)
    assert result.beta() == []
    assert result.code == 0
    assert load_glossary(load_project(project)).glossary.related("beta") == ("alpha", "gamma")


@pytest.mark.parametrize(("name", "guess"), [("alpah", "alpha"), ("alfaa", "alfa"), ("gama", "gamma")])
def test_related_typo_says_did_you_mean(name: str, guess: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*BETA, f"related: [alpha, {name}]"), translated=True)
    assert result.of() == [("unresolved-related", 4, 18)]
    found = result.find("unresolved-related")
    assert name in found["message"] and found["hint"] == f"did you mean {guess!r}?"
    assert_fails(result)


# --- translations ---------------------------------------------------------------------------------

def test_missing_translation_is_reported_per_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = {"beta.pt.md": BETA_TRANSLATIONS["beta.pt.md"]}
    result = run(tmp_path, capsys, entry(*BETA), extra=extra)
    assert result.of() == [("missing-translation", 1, 1)]
    found = result.find("missing-translation")
    assert "(es)" in found["message"] and found["severity"] == "warning"
    assert result.code == 0


def test_missing_default_language_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, entry(*BETA))
    (project / GLOSSARY / "beta.en.md").unlink()
    (project / GLOSSARY / "beta.pt.md").write_text(entry("title: Beta", "category: fundamentals"), encoding="utf-8")
    result = check(project, capsys)
    found = result.find("missing-translation", "beta.pt.md")
    assert "(en)" in found["message"]
    assert "shows the en text" not in found["hint"]


def test_generated_anchors_are_link_targets_and_body_headings_may_not_take_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # alpha lists nothing as related: beta's link to it makes its (merged) "related" section
    body = ("Beta [1]: [s](#sources), [one](#source-1), [r](#related), [a](alpha.md#related).\n\n"
            "Not [g](gamma.md#related): gamma relates only to itself.\n\n## Sources\n")
    hostile = entry(*BETA, "related: [alpha]", "sources:", "  - text: A", "    url: https://example.org/a", body=body)
    result = run(tmp_path, capsys, hostile, translated=True)
    assert result.of() == [("broken-anchor", 12, 9), ("broken-anchor", 14, 1)]
    messages = [d["message"] for d in result.diagnostics if d["rule"] == "broken-anchor"]
    assert "no heading '#related' in gamma" in messages[0] and "also the id of a part the site adds" in messages[1]


def test_a_second_dash_line_in_front_matter_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, "---\ntitle: Beta\n---\ncategory: fundamentals\n---\n\nBeta.\n", translated=True)
    assert ("frontmatter-split", 4, 1) in result.of()


@pytest.mark.parametrize("before,after", [("```\n", ""), ("~~~\n", ""), ("A `tick\n\n", "\n\nend ` here\n")])
def test_what_is_not_code_to_markdown_is_not_code_to_the_check(before: str, after: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """An unclosed fence, or backticks in two paragraphs, do not make code: what follows is rendered
    (and judged) as text."""
    body = "Beta.\n\n" + before + "[a" * 20_000 + after
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    assert "body-complexity" in [d["rule"] for d in result.diagnostics]
    body = "Beta.\n\n" + before + "<img src=x onerror=alert(1)>\n" + after
    result = run(tmp_path / "2", capsys, entry(*BETA, body=body), translated=True)
    assert "unsafe-html" in [d["rule"] for d in result.diagnostics]


@pytest.mark.parametrize("line", ["- " * 500 + "a", "\t- " * 200, "> " * 60 + "x", " " * 200 + "- deep"])
def test_nesting_that_would_exhaust_markdown_recursion_is_refused(line: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    result = run(tmp_path, capsys, entry(*BETA, body=f"Beta.\n\n{line}\n"), translated=True)
    assert ("body-complexity", 8) in [(d["rule"], d["line"]) for d in result.diagnostics]
    assert "nests more than 40" in result.find("body-complexity")["message"]


def test_theme_ids_are_reported_on_their_own_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "Beta.\n\n# Title {: #__search }\n\n## T {: #__drawer }\n\n<span id=\" __config\">x</span>\n"
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    import re

    assert [(d["line"], re.search(r"id='([^']*)'", d["message"]).group(1))
            for d in result.diagnostics if d["rule"] == "unsafe-html"] == \
        [(8, "__search"), (10, "__drawer"), (12, " __config")]


def test_a_long_code_span_at_the_start_of_a_line_is_not_deep_nesting(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    body = "Beta.\n\n`python train.py " + "--option value " * 15 + "` trains the baseline.\n"
    result = run(tmp_path, capsys, entry(*BETA, body=body), translated=True)
    assert [d for d in result.diagnostics if d["rule"] == "body-complexity"] == []
