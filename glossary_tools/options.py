"""The ``glossary`` plugin's options: declared once, read by the MkDocs plugin and by ``glossary check``.

The MkDocs plugin turns each Option into a MkDocs config option (mkdocs_plugin/config.py), so
``mkdocs build`` validates them with the same rules; ``glossary check`` reads the same table
without importing MkDocs. A bad value is a message, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
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
    check: Callable[[Any], str | None] | None = None  # why a well-typed value is still wrong, or None
    choices: tuple[str, ...] = ()

    def validate(self, value: Any) -> Any:
        if value is None:
            return self.default
        value = self._typed(value)
        why = self.check(value) if self.check else None
        if why:
            raise OptionError(f"'{self.name}': {why}")
        return value

    def _typed(self, value: Any) -> Any:
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


_URL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_DASK_RE = re.compile(r"^dask://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})$")


def url_scheme(location: str) -> str | None:
    """'s3' for 's3://bucket/x', None for a plain path (a Windows drive letter is no scheme)."""
    match = _URL_RE.match(location)
    return match.group(1).lower() if match else None


def bad_cache_dir(location: str) -> str | None:
    """Why a cache location cannot be used: a URL whose scheme fsspec does not know, or whose
    filesystem's package is not installed (s3fs, gcsfs ...). Plain paths are always accepted."""
    scheme = url_scheme(location)
    if scheme is None:
        return None
    import fsspec

    try:
        fsspec.get_filesystem_class(scheme)
    except ValueError:
        return f"fsspec knows no filesystem {scheme!r} (in {location!r})"
    except ImportError as exc:
        return f"{location!r} needs a package that is not installed: {str(exc).splitlines()[0]}"
    return None


def bad_executor(value: str) -> str | None:
    """Why an executor is not 'local' or 'dask://HOST:PORT', or None."""
    if value == "local":
        return None
    match = _DASK_RE.match(value)
    if match is None:
        return f"{value!r} is neither 'local' nor 'dask://HOST:PORT' (a Dask scheduler's address)"
    if not 0 < int(match.group(1)) < 65536:
        return f"{value!r}: the port must be between 1 and 65535"
    return None


OPTIONS: tuple[Option, ...] = (
    Option("examples_dir", str, "examples",
           "Folder of the runnable examples (Jupytext percent scripts), relative to mkdocs.yml."),
    Option("cache_dir", str, ".cache/glossary",
           "Where executed examples are cached, keyed by their inputs, torch version, device and size: a "
           "folder, or any fsspec URL (s3://bucket/prefix, gs://..., file:///shared/dir) to share it.",
           check=bad_cache_dir),
    Option("cache_max_mb", int, 500, "Megabytes the examples cache may hold; the least recently used "
           "entries are removed past it.", minimum=1),
    # 1 by default: on a 2-core machine one torch kernel with both threads trains faster than two
    # single-threaded kernels side by side (batch_norm's first 200 steps: 2.9 s alone, 11.3 s as one
    # of two); side by side pays where examples are many and each uses a core poorly
    Option("jobs", int, 0, "Examples executed at once on this machine (0: one per core); each kernel "
           "gets cores / jobs threads.", minimum=0),
    Option("executor", str, "local", "Where examples execute: 'local' (a pool of jobs processes) or "
           "'dask://HOST:PORT' (a Dask distributed scheduler).", check=bad_executor),
    Option("cell_timeout", int, 300, "Seconds one notebook cell may run before the build fails.", minimum=1),
    Option("max_output_bytes", int, 200_000,
           "Characters a notebook cell may print per stream; the rest is cut with a note.", minimum=1),
    Option("execute", bool, True, "Execute the examples (GLOSSARY_EXECUTE=0 also turns this off)."),
    Option("external_exclude", list, (),
           "URLs 'glossary check --external' never requests: globs, or regular expressions prefixed 're:'."),
    Option("shared_markdown", bool, True,
           "Render pages with one Markdown instance per language, reset between pages, when every Markdown "
           "extension of the site is one known to allow it (false: MkDocs' own instance per page)."),
    Option("search", str, "auto",
           "Site search: 'glossary' (the plugin's own index per language: entry pages only, names and aliases "
           "weighted, accents folded, loaded in small pieces), 'material' (Material's lunr search, one index per "
           "language) or 'auto' (material when the site lists the 'search' plugin, else glossary).",
           choices=("auto", "glossary", "material")),
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
