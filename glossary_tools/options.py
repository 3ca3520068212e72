"""The ``glossary`` plugin's options: declared once, read by the MkDocs plugin and by ``glossary check``.

The MkDocs plugin turns each Option into a MkDocs config option (mkdocs_plugin/config.py), so
``mkdocs build`` validates them with the same rules; ``glossary check`` reads the same table
without importing MkDocs. A bad value is a message, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class OptionError(ValueError):
    """A value that does not fit its option (the message says why)."""


@dataclass(frozen=True)
class Option:
    name: str
    kind: type
    default: Any
    doc: str
    minimum: int | None = None
    choices: tuple[str, ...] = ()

    def validate(self, value: Any) -> Any:
        if value is None:
            return self.default
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            raise OptionError(f"'{self.name}' must be true or false, not {value!r}")
        if self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise OptionError(f"'{self.name}' must be a whole number, not {value!r}")
            if self.minimum is not None and value < self.minimum:
                raise OptionError(f"'{self.name}' must be at least {self.minimum}, not {value}")
            return value
        if self.kind is list:
            # MkDocs hands the default back to the validator, so the (immutable) tuple default is accepted.
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise OptionError(f"'{self.name}' must be a list of text, not {value!r}")
            for item in value:
                why = bad_pattern(item) if self.name == "external_exclude" else None
                if why:
                    raise OptionError(f"'{self.name}': {why}")
            return list(value)
        if not isinstance(value, self.kind) or (isinstance(value, str) and not value.strip()):
            raise OptionError(f"'{self.name}' must be {'text' if self.kind is str else self.kind.__name__}, "
                              f"not {value!r}")
        if self.choices and value not in self.choices:
            raise OptionError(f"'{self.name}' must be one of {', '.join(self.choices)}, not {value!r}")
        return value


def bad_pattern(pattern: str) -> str | None:
    """Why an exclude pattern (a glob, or 're:' and a regular expression) cannot be used, or None."""
    if pattern.startswith("re:"):
        try:
            re.compile(pattern[3:])
        except re.error as exc:
            return f"the regular expression {pattern[3:]!r} does not compile: {exc}"
    return None


OPTIONS: tuple[Option, ...] = (
    Option("examples_dir", str, "examples",
           "Folder of the runnable examples (Jupytext percent scripts), relative to mkdocs.yml."),
    Option("cache_dir", str, ".cache/glossary",
           "Where executed examples are cached, keyed by their inputs, torch version, device and size."),
    Option("cell_timeout", int, 300, "Seconds one notebook cell may run before the build fails.", minimum=1),
    Option("max_output_bytes", int, 200_000,
           "Characters a notebook cell may print per stream; the rest is cut with a note.", minimum=1),
    Option("execute", bool, True, "Execute the examples (GLOSSARY_EXECUTE=0 also turns this off)."),
    Option("external_exclude", list, (),
           "URLs 'glossary check --external' never requests: globs, or regular expressions prefixed 're:'."),
    Option("search", str, "auto",
           "Site search: 'pagefind' (per-language Pagefind index, entries only, aliases weighted), 'material' "
           "(Material's lunr search, one index per language) or 'auto' (material when the site lists the "
           "'search' plugin, else pagefind).", choices=("auto", "pagefind", "material")),
)
BY_NAME = {option.name: option for option in OPTIONS}


def validate(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Values for every option, and (option name, message) for each problem (unknown names included)."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name in raw:
        if name not in BY_NAME:
            problems.append((str(name), f"unknown option {name!r} of the glossary plugin "
                                        f"(known: {', '.join(BY_NAME)})"))
    for option in OPTIONS:
        try:
            values[option.name] = option.validate(raw.get(option.name))
        except OptionError as exc:
            problems.append((option.name, str(exc)))
            values[option.name] = option.default
    return values, problems
