"""The README stays honest: its commands, make targets and rule table match the code."""

from __future__ import annotations

import re

from glossary_tools.cli import build_parser
from glossary_tools.diagnostics import Rule

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_glossary_command_in_the_readme_exists() -> None:
    parser = build_parser()
    subcommands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    mentioned = set(re.findall(r"`glossary ([a-z]+)", README))
    assert mentioned, "the README documents no glossary command"
    assert mentioned <= set(subcommands), mentioned - set(subcommands)
    assert set(subcommands) <= mentioned, f"undocumented: {set(subcommands) - mentioned}"


def test_every_make_target_in_the_readme_exists() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z]+):", makefile, re.M))
    mentioned = set(re.findall(r"`make ([a-z]+)`", README))
    assert {"site", "test"} <= mentioned
    assert mentioned <= targets, mentioned - targets


def test_rule_table_matches_the_rules() -> None:
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning) \| (.+) \|$", README, re.M))
    assert rows == {rule.id: rule.description for rule in Rule}


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "apt-get update" in ci and "chromium" in ci
