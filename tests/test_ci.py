"""What CI systems read: SARIF, --changed-since, the pre-commit hook, the workflow and .ci/run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from glossary_tools.cli import main
from glossary_tools.diagnostics import Diagnostic, Report, Rule, Severity

from .conftest import REPO

# The parts of the SARIF 2.1.0 schema that CI dashboards rely on (the full schema is 300 KB and online).
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name", "rules"],
                    "properties": {"name": {"type": "string"}, "rules": {"type": "array", "items": {
                        "type": "object", "required": ["id", "shortDescription"],
                        "properties": {"id": {"type": "string"}, "shortDescription": {
                            "type": "object", "required": ["text"]}}}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["ruleId", "level", "message", "locations"],
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "required": ["text"]},
                        "ruleIndex": {"type": "integer", "minimum": 0},
                        "locations": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "required": ["physicalLocation"],
                            "properties": {"physicalLocation": {
                                "type": "object", "required": ["artifactLocation", "region"],
                                "properties": {
                                    "artifactLocation": {"type": "object", "required": ["uri"]},
                                    "region": {"type": "object", "required": ["startLine", "startColumn"],
                                               "properties": {"startLine": {"type": "integer", "minimum": 1},
                                                              "startColumn": {"type": "integer", "minimum": 1}}},
                                }}}}},
                    }}},
            }}},
    },
}


def test_sarif_is_structurally_valid_with_one_rule_per_id(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (fixture_project / "content/glossary/beta.es.md").write_text("---\ntitle: Beta\ntitle: Beta\n---\n[7]\n")
    code = main(["--root", str(fixture_project), "check", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    jsonschema.validate(log, SARIF_SUBSET)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.id for rule in Rule]
    assert all(r["shortDescription"]["text"] == Rule.by_id(r["id"]).description for r in rules)
    results = {(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in run["results"]}
    assert ("duplicate-key", "error", "content/glossary/beta.es.md", 3, 1) in results
    assert ("missing-translation", "warning", "content/glossary/gamma.en.md", 1, 1) in results
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert code == 1


def test_notes_never_fail_and_map_to_sarif_note_and_github_notice() -> None:
    note = Diagnostic("a.md", 2, 3, Rule.EXTERNAL_LINK, "https://x: redirects to https://y", "h", Severity.INFO)
    report = Report([note])
    assert not report.failed(strict=True)
    assert json.loads(report.format_sarif())["runs"][0]["results"][0]["level"] == "note"
    assert report.format_github().startswith("::notice file=a.md,line=2,col=3,title=external-link::")
    assert "0 errors, 0 warnings, 1 notes" in report.format_text()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=cwd, check=True, capture_output=True)


def test_changed_since_reports_only_changed_files(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _git(fixture_project, "init", "-q", "-b", "main")
    _git(fixture_project, "add", "-A")
    _git(fixture_project, "commit", "-qm", "base")
    root = ("--root", str(fixture_project))
    assert main([*root, "check", "--changed-since", "main", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["diagnostics"] == []  # nothing changed: nothing reported
    # a committed change, an unstaged one and an untracked file are all "changed"
    _git(fixture_project, "checkout", "-qb", "topic")
    (fixture_project / "content/glossary/beta.es.md").write_text("---\ntitle: Beta\n---\n[9]\n")
    _git(fixture_project, "add", "-A")
    _git(fixture_project, "commit", "-qm", "topic")
    (fixture_project / "content/glossary/beta.pt.md").write_text("---\ntitle: Beta\n---\n[8]\n")
    (fixture_project / "content/glossary/delta.pt.md").write_text("---\ntitle: Delta\n---\n[7]\n")
    code = main([*root, "check", "--changed-since", "main", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    paths = {d["path"] for d in data["diagnostics"]}
    assert paths == {"content/glossary/beta.es.md", "content/glossary/beta.pt.md", "content/glossary/delta.pt.md"}
    assert data["summary"]["files"] == 3 and code == 1
    # gamma (unchanged) has missing translations: not reported; a bad ref is a configuration problem
    assert main([*root, "check", "--changed-since", "no-such-ref"]) == 2
    assert "--changed-since no-such-ref" in capsys.readouterr().err


def test_changed_since_outside_git_is_a_config_error(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    if subprocess.run(["git", "-C", str(fixture_project), "rev-parse"], capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git work tree")
    assert main(["--root", str(fixture_project), "check", "--changed-since", "HEAD"]) == 2
    err = capsys.readouterr().err
    assert "error[config]" in err and "not inside a git repository" in err


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "glossary-check")
    assert hook["entry"] == "glossary check --strict" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["files"].startswith("^content/")
    assert "--external" not in hook["entry"]


def test_workflow_and_ci_script_run_the_gate() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/glossary.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads 'on' as true
    assert "schedule" in triggers and triggers["schedule"][0]["cron"]
    text = (REPO / ".github/workflows/glossary.yml").read_text()
    for step in ("make test", "check --strict --format github", "check --external", "make site",
                 "actions/upload-artifact", "actions/checkout"):
        assert step in text, step
    ci = (REPO / ".ci" / "run").read_text()
    assert ci.index("make test") < ci.index("check --strict --format github") < ci.index("--format sarif")
    assert "--external" not in ci


@pytest.mark.slow
def test_pre_commit_try_repo_runs_the_hook(tmp_path: Path) -> None:
    """pre-commit installs this repository with pip (through the package registry) and runs the hook."""
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    project = tmp_path / "project"
    shutil.copytree(REPO / "tests/fixtures/site", project, ignore=shutil.ignore_patterns(".cache", "site"))
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path),
           "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    # hook repo: this work tree as committed (try-repo uses the HEAD commit plus uncommitted changes)
    result = subprocess.run([pre_commit, "try-repo", str(REPO), "glossary-check", "--all-files"], cwd=project,
                            capture_output=True, text=True, env=env, timeout=900)
    output = result.stdout + result.stderr
    if "Could not find a version" in output or "Failed to establish a new connection" in output:
        pytest.skip("pre-commit could not build the hook's environment offline:\n" + output[-2000:])
    # the fixture has missing translations (warnings): --strict fails, and the output names them
    assert result.returncode == 1, output
    assert "glossary-check" in output and "missing-translation" in output, output
    (project / "content/glossary/gamma.pt.md").write_text("---\ntitle: Gama\n---\n\nGama.\n")
    (project / "content/glossary/gamma.es.md").write_text("---\ntitle: Gama\n---\n\nGama.\n")
    (project / "content/glossary/beta.es.md").write_text("---\ntitle: Beta\n---\n\nBeta.\n")
    _git(project, "add", "-A")
    result = subprocess.run([pre_commit, "try-repo", str(REPO), "glossary-check", "--all-files"], cwd=project,
                            capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
