"""The rule table in diagnostics.py says which module raises each rule; the code must agree."""

from __future__ import annotations

import re
from pathlib import Path

from glossary_tools.diagnostics import RAISED_BY, Rule

PACKAGE = Path(__file__).resolve().parent.parent / "glossary_tools"
# Modules that use rule ids outside checking: for the errors of a command, or (the importers) to
# read what the front matter parser said.
COMMANDS = {"writer", "cli", "importers.batch", "importers.base"}


def _raised() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        if module in COMMANDS or module == "diagnostics":
            continue
        names = set(re.findall(r"\bRule\.([A-Z_]+)\b", path.read_text(encoding="utf-8")))
        if names:
            found[module] = names
    return found


def test_every_rule_has_one_module() -> None:
    assert set(RAISED_BY) == set(Rule)


def test_modules_raise_exactly_the_rules_the_table_gives_them() -> None:
    expected: dict[str, set[str]] = {}
    for rule, modules in RAISED_BY.items():
        for module in modules:
            expected.setdefault(module, set()).add(rule.name)
    assert _raised() == expected
