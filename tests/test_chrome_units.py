"""The chrome's parts without a site build: language names, dates, git history, example lines."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from glossary_tools import chrome, git, pages
from glossary_tools.labels import LABELS

from .conftest import FIXTURE_SITE


def test_language_names_in_the_readers_language() -> None:
    assert chrome.language_name("en", "pt") == "inglês"
    assert chrome.language_name("en", "es") == "inglés"
    assert chrome.language_name("pt", "en") == "Portuguese"
    assert chrome.language_name("xx", "pt", "Xx") == "Xx"  # unknown to CLDR: the project's name


def test_dates_written_the_languages_way() -> None:
    assert chrome.format_date("2026-03-05T10:00:00+01:00", "pt") == "5 de março de 2026"
    assert chrome.format_date("2026-03-05", "es") == "5 de marzo de 2026"
    assert chrome.format_date("2026-03-05", "en") == "March 5, 2026"


def test_every_language_has_every_label() -> None:
    for lang, labels in LABELS.items():
        assert set(labels) == set(LABELS["en"]), lang


def _commit(repo: Path, message: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", message], check=True, env=env)


def test_last_changes_from_one_git_log(tmp_path: Path) -> None:
    docs = tmp_path / "content" / "glossary"
    docs.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (docs / "a.en.md").write_text("a")
    (docs / "b é.pt.md").write_text("b")  # a name git would quote
    _commit(tmp_path, "one", "2025-01-02T03:04:05+00:00")
    (docs / "a.en.md").write_text("a2")
    (tmp_path / "outside.md").write_text("x")
    _commit(tmp_path, "two", "2025-06-07T08:09:10+00:00")
    (docs / "new.es.md").write_text("never committed")
    (docs / "b é.pt.md").write_text("changed, not committed")
    found = {p.relative_to(tmp_path.resolve()).as_posix(): d[:10]
             for p, d in git.last_commit_dates(tmp_path, tmp_path / "content").items()}
    assert found == {"content/glossary/a.en.md": "2025-06-07", "content/glossary/b é.pt.md": "2025-01-02"}


def test_no_dates_outside_git(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    assert git.last_commit_dates(tmp_path, tmp_path / "content") == {}


def test_example_descriptions_per_language() -> None:
    found = chrome.example_descriptions(FIXTURE_SITE / "examples", ["tiny", "absent"], ("en", "pt", "es"))
    assert found == {"tiny": {"en": "Tiny", "pt": "Uma explicação em português do exemplo mínimo.",
                              "es": "Una explicación en español del ejemplo mínimo."}}


def test_examples_list_shows_the_description_escaped() -> None:
    from glossary_tools.loader import load_glossary
    from glossary_tools.project import load_project

    glossary = load_glossary(load_project(FIXTURE_SITE)).glossary
    text = pages.examples_markdown(glossary, "pt", ["tiny"], lambda lang, path: path,
                                   {"tiny": {"pt": "Um <b>exemplo</b>"}})
    assert '<h2 id="tiny">Um &lt;b&gt;exemplo&lt;/b&gt;</h2>' in text and "<code>tiny</code>" in text


def test_entry_shows_its_last_change() -> None:
    from glossary_tools.loader import load_glossary
    from glossary_tools.project import load_project

    glossary = load_glossary(load_project(FIXTURE_SITE)).glossary
    text = pages.entry_markdown(glossary, "beta", "es", {"en": "English", "es": "Español"}, lambda lang, path: path,
                                updated=("2025-03-05T12:00:00+00:00", "5 de marzo de 2025"))
    assert '<span class="glossary-updated">Última actualización: <time datetime="2025-03-05">5 de marzo de 2025</time>' \
        in text
    assert "aún no se ha traducido al español; se muestra el texto en inglés" in text
    assert "glossary-updated" not in pages.entry_markdown(glossary, "beta", "es", {}, lambda lang, path: path)
