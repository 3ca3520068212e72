"""Golden diagnostics: one minimal project per rule, compared exactly with its expected.json.

Each folder ``tests/golden/<rule-id>/`` holds the entry files of a small project (copied into
``content/glossary/``), optionally an ``examples/`` folder, and ``expected.json``: the
``diagnostics`` list that ``glossary check --format json`` must print for it.

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

from .conftest import FIXTURE_SITE, REPO

GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED = "expected.json"
NOT_GOLDEN = {Rule.CONFIG}  # configuration problems stop the run (exit 2); tested in test_cli.py

# Folders whose expected.json holds the correct diagnostics while the tool still gets them wrong.
KNOWN_BUGS: dict[str, str] = {}


def golden_folders() -> list[str]:
    return sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def build_project(folder: Path, project: Path) -> Path:
    """A project with the fixture site's mkdocs.yml, the real categories and the folder's files."""
    glossary = project / "content" / "glossary"
    glossary.mkdir(parents=True)
    shutil.copy(FIXTURE_SITE / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(REPO / "content" / "categories.yml", project / "content" / "categories.yml")
    for item in folder.iterdir():
        if item.name == EXPECTED:
            continue
        if item.is_dir():
            shutil.copytree(item, project / item.name)
        else:
            shutil.copyfile(item, glossary / item.name)
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
        assert (project / d["path"]).is_file(), d


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
    entries = [p for p in folder.iterdir() if p.is_file() and p.name != EXPECTED]
    assert entries and all(p.suffix == ".md" for p in entries)
    assert {p.name for p in folder.iterdir() if p.is_dir()} <= {"examples"}
    for d in expected:
        assert set(d) == {"path", "line", "column", "severity", "rule", "message", "hint"}
        assert d["path"].startswith("content/glossary/")
        Rule.by_id(d["rule"])
