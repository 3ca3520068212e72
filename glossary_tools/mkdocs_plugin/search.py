"""Per-language search: each language's pages search their own language's index.

The plugin's own search ('search: glossary'): the index is glossary_tools.search_index's, the box
is ``search_ui.js`` (``script``), one file linked from every page.

With Material's search ('search: material'): mkdocs-static-i18n merges every language into one index at the site root, and Material
loads ``search/search_index.json`` relative to the ``base`` of each page. After the build
the merged index is split per language, and each non-default page's ``base`` points at its
language's folder.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from ..labels import LABELS
from ..site import Layout

SCRIPT = "assets/glossary-search.js"


def script() -> str:
    """The search box's script, with its labels in every language."""
    keys = ("search", "search_close", "search_count", "search_none", "search_unavailable")
    labels = {lang: {k: table.get(k) or LABELS["en"][k] for k in keys} for lang, table in LABELS.items()}
    source = resources.files(__package__).joinpath("search_ui.js").read_text(encoding="utf-8")
    return source.replace("__LABELS__", json.dumps(labels, ensure_ascii=False))

_CONFIG_RE = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def rebase(html: str, lang: str) -> str:
    """Point Material's search (``__config.base``) at ``<lang>/`` for a page of that language."""

    def replace(match: re.Match[str]) -> str:
        app = json.loads(match.group(2))
        app["base"] = f"{app['base'].rstrip('/')}/{lang}/"  # trailing slash: URLs resolve inside it
        return match.group(1) + json.dumps(app) + match.group(3)

    return _CONFIG_RE.sub(replace, html, count=1)


def split_index(site_dir: Path, layout: Layout) -> None:
    """One search index per language: each language's pages search only their own language."""
    index_path = site_dir / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    docs = index.get("docs", [])
    if all(layout.language_of(d["location"]) == layout.default for d in docs):
        return  # already one index per language (static-i18n with reconfigure_search: false)
    for lang in layout.languages:
        selected = [{**d, "location": layout.within(lang, d["location"])} for d in docs
                    if layout.language_of(d["location"]) == lang]
        path = site_dir / layout.path(lang, "search/search_index.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        config = {**index.get("config", {}), "lang": [lang]}
        path.write_text(json.dumps({"config": config, "docs": selected}, ensure_ascii=False), encoding="utf-8")
