"""Stamped translations: the hash, glossary new / translations stamp, stale-translation, diff, the status page."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from glossary_tools import git, pages
from glossary_tools.cli import main
from glossary_tools.loader import load_glossary
from glossary_tools.project import load_project
from glossary_tools.translations import source_hash, stale_translations, with_stamp


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=cwd, check=True, capture_output=True)


def test_source_hash_ignores_line_endings_and_trailing_space() -> None:
    assert source_hash("T", "a\nb\n") == source_hash("T ", "a\r\nb\r\n\n")
    assert source_hash("T", "a\nb\n") != source_hash("T", "a\nc\n")
    assert source_hash("T", "x") != source_hash("U", "x")
    assert len(source_hash("T", "x")) >= 12


def test_new_translation_records_its_source(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(capsys, "--root", str(fixture_project), "new", "gamma", "--lang", "pt")
    assert code == 0
    text = (fixture_project / "content/glossary/gamma.pt.md").read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["translated_from"]["lang"] == "en" and len(front["translated_from"]["hash"]) >= 12
    loaded = load_glossary(load_project(fixture_project))
    assert loaded.entries[("gamma", "pt")].translated_from is not None
    assert not stale_translations(loaded)
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "json")
    assert "stale-translation" not in out


def _stale_project(project: Path) -> Path:
    pt = project / "content/glossary/alpha-net.pt.md"
    stamp = b"translated_from: {lang: en, hash: 0123456789abcdef}\n"
    pt.write_bytes(pt.read_bytes().replace(b"title: Rede alfa\n", b"title: Rede alfa\n" + stamp))
    return pt


def test_changed_source_is_reported_at_the_stamp(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _stale_project(fixture_project)
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "json")
    found = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "stale-translation"]
    assert found == [{**found[0], "path": "content/glossary/alpha-net.pt.md", "line": 3, "column": 18,
                      "severity": "warning"}]
    assert "alpha-net.en.md changed after" in found[0]["message"]
    assert "last committed change" not in found[0]["message"]  # not a git repository: no date, no failure
    assert code == 0


def test_max_stale_is_a_budget(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _stale_project(fixture_project)
    root = ("--root", str(fixture_project))
    code, out, _ = run(capsys, *root, "check", "--max-stale", "0", "--format", "json")
    assert code == 1 and any(d["rule"] == "stale-translation" and d["severity"] == "error"
                             for d in json.loads(out)["diagnostics"])
    code, out, _ = run(capsys, *root, "check", "--max-stale", "1", "--format", "json")
    assert code == 0 and any(d["rule"] == "stale-translation" and d["severity"] == "info"
                             for d in json.loads(out)["diagnostics"])


def test_stamp_rewrites_only_the_field(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pt = _stale_project(fixture_project)
    before = pt.read_bytes().replace(b"\n", b"\r\n")
    pt.write_bytes(before)
    code, out, _ = run(capsys, "--root", str(fixture_project), "translations", "stamp", "alpha-net", "--lang", "pt")
    assert code == 0 and "stamped content/glossary/alpha-net.pt.md" in out
    after = pt.read_bytes()
    en = load_glossary(load_project(fixture_project)).entries[("alpha-net", "en")]
    digest = source_hash(en.title, en.body)
    assert after == before.replace(b"0123456789abcdef", digest.encode())
    assert not stale_translations(load_glossary(load_project(fixture_project)))
    # a file without the field gets it as the last line of its front matter
    es = fixture_project / "content/glossary/alpha-net.es.md"
    original = es.read_text()
    code, _, _ = run(capsys, "--root", str(fixture_project), "translations", "stamp", "alpha-net", "--lang", "es")
    lines = es.read_text().splitlines()
    assert code == 0 and lines[lines.index("---", 1) - 1] == f"translated_from: {{lang: en, hash: {digest}}}"
    assert es.read_text().replace(lines[lines.index("---", 1) - 1] + "\n", "") == original


def test_with_stamp_replaces_a_block_value() -> None:
    text = "---\ntitle: X\ntranslated_from:\n  lang: en\n  hash: abc\n\nrelated: []\n---\nbody\n"
    assert with_stamp(text, "en", "f" * 16) == (
        "---\ntitle: X\ntranslated_from: {lang: en, hash: ffffffffffffffff}\n\nrelated: []\n---\nbody\n")


def test_diff_finds_the_stamped_version_in_git(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _git(fixture_project, "init", "-q")
    _git(fixture_project, "add", "-A")
    _git(fixture_project, "commit", "-qm", "first")
    git.toplevel.cache_clear()
    root = ("--root", str(fixture_project))
    assert run(capsys, *root, "translations", "stamp", "alpha-net", "--lang", "pt")[0] == 0
    en = fixture_project / "content/glossary/alpha-net.en.md"
    en.write_text(en.read_text().replace("a fixture term", "a changed fixture term"))
    code, out, _ = run(capsys, *root, "translations", "diff", "alpha-net", "--lang", "pt")
    assert code == 0
    assert "-An **alpha net** is a fixture term [1]" in out and "+An **alpha net** is a changed fixture term [1]" in out
    _git(fixture_project, "commit", "-qam", "second")
    code, out, _ = run(capsys, *root, "check", "--format", "json")
    stale = [d for d in json.loads(out)["diagnostics"] if d["rule"] == "stale-translation"]
    assert len(stale) == 1 and "(last committed change 2" in stale[0]["message"]


def test_diff_without_git_says_it_cannot(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _stale_project(fixture_project)
    code, _, err = run(capsys, "--root", str(fixture_project), "translations", "diff", "alpha-net", "--lang", "pt")
    assert code == 2 and "cannot show what changed" in err and "Traceback" not in err


def test_status_page_counts_missing_stale_and_current(fixture_project: Path) -> None:
    _stale_project(fixture_project)
    loaded = load_glossary(load_project(fixture_project))
    page = pages.translations_markdown(loaded.glossary, "en", {"en": "English"}, lambda lang, path: path,
                                       stale=stale_translations(loaded))
    assert page.count('class="glossary-stale"') == 1
    assert "<tr><td>! stale (its source changed since)</td><td>0</td><td>1</td><td>0</td></tr>" in page
