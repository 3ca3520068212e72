"""Search with Pagefind: one static index per language, read by the browser in small pieces.

Why not Material's lunr search: each page downloads its language's whole index on the first
query (428 KiB for 34 English terms, two thirds of it example code; tens of MB at 10,000 terms),
it cannot weight aliases, and it does not fold accents. Pagefind splits the index per
``<html lang>`` into chunks and per-page fragments that a query loads on demand, stems per
language, and weights text by element (``data-pagefind-weight``).

What is indexed: entry pages only (``data-pagefind-body`` is put on them alone, so listing,
status and notebook pages stay out), their title and definition; the generated parts after the
definition (sources, related terms, backlinks, examples), code blocks and the meta line are not.
Each entry page carries a hidden list of the term's titles and aliases in every language, with
accent-folded and separator-free variants, at the highest weight: "rete_neurale",
"retropropagacao" and "rede neural" find their term first.

The markup is added after the sanitizer (which removes any ``data-pagefind-*`` an author writes,
except ``data-pagefind-ignore``) from escaped glossary data.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from importlib import resources
from pathlib import Path

from .. import pages, sanitize
from ..labels import LABELS
from ..model import Glossary

SCRIPT = "assets/glossary-search.js"
# parts of an entry page that are not its definition, and code anywhere
EXCLUDE = (".glossary-meta", ".glossary-fallback", ".headerlink", "pre", ".highlight", "table.highlighttable")
# where the generated parts after the definition start (pages.entry_markdown appends them in this order)
_TAIL = re.compile(r'<h2 id="(?:sources|related|backlinks)"|<div class="glossary-example"')
TERMS_WEIGHT = 10  # Pagefind's highest; h1 is 7, body text 1
NAMES_SEPARATOR = " ⁞ "
SUMMARY_WORDS = 30
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)  # the definition's paragraphs (the generated ones have a class)


def fold(text: str) -> str:
    """``text`` without diacritics ("retropropagação" -> "retropropagacao")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def search_terms(glossary: Glossary, slug: str) -> list[str]:
    """Every name of the term: titles in each language, aliases, and their folded/spaced variants."""
    term = glossary.terms[slug]
    names = [glossary.title(slug, lang) for lang in glossary.languages] + list(term.aliases)
    out: dict[str, None] = {}
    for name in names:
        for variant in (name, name.replace("-", " ").replace("_", " ")):
            out.setdefault(variant, None)
            out.setdefault(fold(variant), None)
    return list(out)


def summary(html: str, words: int = SUMMARY_WORDS) -> str:
    """The definition's opening words: the first plain paragraph of an entry page's content."""
    first = _PARAGRAPH.search(html)
    text = " ".join(sanitize.plain(first.group(1)).split()) if first else ""
    cut = text.split(" ")
    return text if len(cut) <= words else " ".join(cut[:words]) + " …"


def entry_html(html: str, glossary: Glossary, slug: str) -> str:
    """An entry page's (sanitized) content marked for Pagefind: body, hidden names, ignored tail.

    A query that matches only the names (an alias) would get them as its excerpt; the results show
    the definition's opening (``summary``, a Pagefind meta field) instead: names are joined by
    ``NAMES_SEPARATOR``, which tells the search box where an excerpt came from. The names are also
    the ``names`` meta field: among the results shown, the search box puts a term whose title or
    alias is the query itself first ("learning rate" above "Learning-rate schedule").
    """
    names = pages.esc(NAMES_SEPARATOR.join(search_terms(glossary, slug)))
    hidden = (f'<p class="glossary-search-terms" hidden data-pagefind-weight="{TERMS_WEIGHT}" '
              f'data-pagefind-meta="names">{names}</p>'
              f'<span hidden data-pagefind-meta="summary:{pages.esc(summary(html))}"></span>')
    tail = _TAIL.search(html)
    if tail:
        html = f"{html[:tail.start()]}<div data-pagefind-ignore>{html[tail.start():]}</div>"
    return f"<div data-pagefind-body>{hidden}{html}</div>"


def script() -> str:
    """The search box's script, with its labels in every language."""
    keys = ("search", "search_close", "search_count", "search_none", "search_unavailable")
    labels = {lang: {k: table.get(k) or LABELS["en"][k] for k in keys} for lang, table in LABELS.items()}
    source = resources.files(__package__).joinpath("search_ui.js").read_text(encoding="utf-8")
    return (source.replace("__LABELS__", json.dumps(labels, ensure_ascii=False))
            .replace("__SEPARATOR__", json.dumps(NAMES_SEPARATOR.strip(), ensure_ascii=False)))


def available() -> bool:
    try:
        import pagefind_bin  # noqa: F401
    except ImportError:
        return False
    return True


def index(site_dir: Path) -> str:
    """Run Pagefind on the built site: ``site_dir/pagefind/`` with one index per language."""
    import pagefind_bin

    command = [str(pagefind_bin.get_executable()), "--site", str(site_dir), "--quiet"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed ({result.returncode}): {result.stderr or result.stdout}")
    _sort_languages(site_dir / "pagefind" / "pagefind-entry.json")
    return result.stdout


def _sort_languages(entry: Path) -> None:
    """Pagefind lists the languages in its entry file in hash-map order, which changes from run to
    run: sorted, the same site gives the same file (its readers look languages up by name)."""
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and isinstance(data.get("languages"), dict):
        data["languages"] = dict(sorted(data["languages"].items()))
        entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
