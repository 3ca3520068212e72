"""The site's chrome in the reader's language, independent of MkDocs: language names, dates,
one-line descriptions of the examples (the dates of the last changes come from
git.last_commit_dates).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

from .labels import LABELS, label

THEME_DIR = Path(__file__).parent / "mkdocs_plugin" / "theme"


@cache
def language_name(code: str, in_lang: str, fallback: str | None = None) -> str:
    """The name of language ``code`` in language ``in_lang`` (babel's CLDR data: 'inglês' in pt)."""
    try:
        from babel import Locale, UnknownLocaleError

        try:
            name = Locale.parse(in_lang.replace("-", "_")).languages.get(code.replace("-", "_").split("_")[0])
        except (UnknownLocaleError, ValueError):
            name = None
    except ImportError:  # pragma: no cover - babel is a dependency of MkDocs
        name = None
    return name or fallback or code


def format_date(iso: str, lang: str) -> str:
    """A date (``YYYY-MM-DD...``) written the way ``lang`` writes it ('5 de março de 2026')."""
    day = dt.date.fromisoformat(iso[:10])
    try:
        from babel.dates import format_date as babel_format

        return str(babel_format(day, format="long", locale=lang.replace("-", "_")))
    except Exception:  # noqa: BLE001 - a locale babel lacks: ISO is still readable
        return day.isoformat()


_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")


def example_descriptions(directory: Path, names: Iterable[str], languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """name -> language -> one line: the first line of the example's first prose cell in that
    language (its title), from the script itself (nothing is executed)."""
    import jupytext

    from .notebooks.render import prose_groups

    found: dict[str, dict[str, str]] = {}
    for name in names:
        try:
            notebook = jupytext.read(directory / f"{name}.py")
        except Exception:  # noqa: BLE001 - 'glossary check' and the runner report unreadable examples
            continue
        first = next((item for kind, item in prose_groups(notebook) if kind == "markdown"), None)
        if not isinstance(first, dict):
            continue
        found[name] = {}
        for lang in languages:
            text = first.get(lang) or first.get("", "")
            line = next((ln for ln in str(text).splitlines() if ln.strip()), "")
            found[name][lang] = _HEADING_RE.sub("", line).strip().rstrip(":")
    return found


@cache
def labels_for(lang: str) -> Mapping[str, str]:
    """Every interface string in ``lang`` (English for those not translated), for the templates:
    made once per language (every page's template reads it), and read-only."""
    return MappingProxyType({key: label(lang, key) for key in LABELS["en"]})
