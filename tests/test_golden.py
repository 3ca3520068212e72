"""Golden diagnostics: one minimal project per rule, compared exactly with its expected.json.

Every golden project starts from ``tests/golden/_base/`` (mkdocs.yml, its own categories.yml and a
few entries). Each folder ``tests/golden/<rule-id>/`` declares only what differs: entry files that
replace or add to the base's (copied into ``content/glossary/``; links are copied as links), an
optional ``absent.txt`` naming base entries to leave out, an optional ``examples/`` folder, and
an optional ``terminology.yml`` (copied to ``content/``), and
``expected.json``: the ``diagnostics`` list that ``glossary check --format json`` must print for it.

To regenerate the expected files after an intended change, run with ``GLOSSARY_UPDATE_GOLDEN=1``
and read every changed file before committing it (folders listed in KNOWN_BUGS are never rewritten:
their expected.json holds the correct output, not the current one).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from glossary_tools.cli import main
from glossary_tools.diagnostics import Rule

GOLDEN = Path(__file__).resolve().parent / "golden"
BASE = GOLDEN / "_base"
EXPECTED = "expected.json"
ABSENT = "absent.txt"
TERMINOLOGY = "terminology.yml"
PROJECT_FILES = ("mkdocs.yml", "categories.yml", TERMINOLOGY)
NOT_GOLDEN = {
    Rule.CONFIG,  # configuration problems stop the run (exit 2); tested in test_cli.py
    Rule.EXTERNAL_LINK,  # needs HTTP servers (check --external); tested in test_external.py
}

# Folders whose expected.json holds the correct diagnostics while the tool still gets them wrong.
KNOWN_BUGS: dict[str, str] = {}


def golden_folders() -> list[str]:
    return sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p != BASE)


def build_project(folder: Path, project: Path) -> Path:
    """The base project with the folder's differences applied."""
    glossary = project / "content" / "glossary"
    glossary.mkdir(parents=True)
    shutil.copy(BASE / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(BASE / "categories.yml", project / "content" / "categories.yml")
    if (folder / TERMINOLOGY).is_file():
        shutil.copy(folder / TERMINOLOGY, project / "content" / TERMINOLOGY)
    absent = set((folder / ABSENT).read_text().split()) if (folder / ABSENT).is_file() else set()
    for layer in (BASE, folder):
        for item in layer.iterdir():
            if item.name in (EXPECTED, ABSENT, *PROJECT_FILES) or item.name in absent:
                continue
            if item.is_dir() and not item.is_symlink():
                shutil.copytree(item, project / item.name)
            else:  # a link stays a link: the fixtures test what the tools do with them
                shutil.copy2(item, glossary / item.name, follow_symlinks=False)
    return project


def run_check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["--root", str(project), "check", "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _param(name: str) -> object:
    marks = [pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True)] if name in KNOWN_BUGS else []
    return pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("name", [_param(name) for name in golden_folders()])
def test_golden(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = GOLDEN / name
    project = build_project(folder, tmp_path / "project")
    code, data, err = run_check(project, capsys)
    diagnostics = data["diagnostics"]
    expected_file = folder / EXPECTED
    if os.environ.get("GLOSSARY_UPDATE_GOLDEN") == "1" and name not in KNOWN_BUGS:
        expected_file.write_text(json.dumps(diagnostics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))

    assert "Traceback" not in err
    assert diagnostics == expected
    errors = [d for d in diagnostics if d["severity"] == "error"]
    assert code == (1 if errors else 0)
    assert data["summary"]["errors"] == len(errors)
    assert data["summary"]["warnings"] == len(diagnostics) - len(errors)
    assert name in {d["rule"] for d in diagnostics}, f"the fixture does not trigger {name}"
    for d in diagnostics:  # every diagnostic is complete and points into a file of the project
        assert d["message"] and d["hint"], d
        assert d["line"] >= 1 and d["column"] >= 1, d
        assert (project / d["path"]).is_file() or (project / d["path"]).is_symlink(), d


def test_every_rule_has_a_golden_folder() -> None:
    rules = {rule.id for rule in Rule if rule not in NOT_GOLDEN}
    folders = set(golden_folders())
    assert not rules - folders, f"rules without a golden fixture: {sorted(rules - folders)}"
    assert not folders - rules, f"golden folders naming no rule: {sorted(folders - rules)}"


@pytest.mark.parametrize("name", golden_folders())
def test_golden_folder_is_well_formed(name: str) -> None:
    folder = GOLDEN / name
    expected = json.loads((folder / EXPECTED).read_text(encoding="utf-8"))
    assert isinstance(expected, list) and expected
    entries = [p for p in folder.iterdir() if not p.is_dir() and p.name not in (EXPECTED, ABSENT, TERMINOLOGY)]
    assert entries or (folder / ABSENT).is_file()
    assert all(p.suffix == ".md" for p in entries)
    if (folder / ABSENT).is_file():
        assert set((folder / ABSENT).read_text().split()) <= {p.name for p in BASE.glob("*.md")}
    assert {p.name for p in folder.iterdir() if p.is_dir()} <= {"examples"}
    for d in expected:
        assert set(d) == {"path", "line", "column", "severity", "rule", "message", "hint"}
        assert d["path"].startswith("content/glossary/")
        Rule.by_id(d["rule"])
