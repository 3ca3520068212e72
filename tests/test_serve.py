"""glossary serve: an edit to an entry's text re-renders only the pages made from that file;
other edits rebuild the whole site; a broken edit keeps the last good site served."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return ""


def _wait_for(predicate, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


@pytest.fixture
def served(fixture_project: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "glossary_tools.cli", "--root", str(fixture_project), "serve", "-a", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "GLOSSARY_EXECUTE": "0", "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: "Beta" in _get(f"{base}/glossary/beta/"), 180, "the first build is served")
        yield base, fixture_project / "content" / "glossary", lambda: Path(log.name).read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_a_text_edit_rerenders_only_the_pages_made_from_that_file(served) -> None:  # type: ignore[no-untyped-def]
    base, glossary, log = served
    beta = glossary / "beta.en.md"
    beta.write_text(beta.read_text().replace("second fixture term", "second fixture term, EDITED LIVE"))
    _wait_for(lambda: "EDITED LIVE" in _get(f"{base}/glossary/beta/"), 30, "the edit in the English page")
    # Spanish has no beta file: its page shows the English text, so it is re-rendered too
    _wait_for(lambda: "EDITED LIVE" in _get(f"{base}/es/glossary/beta/"), 30, "the edit in the Spanish fallback page")
    assert "EDITED LIVE" not in _get(f"{base}/pt/glossary/beta/")  # Portuguese has its own file
    assert "2 pages re-rendered" in log(), log()
    assert _get(f"{base}/pt/glossary/beta/")  # the rest of the site is still served
    # search finds the new text in the languages re-rendered, and the others still answer
    for lang, edited in (("en", True), ("es", True), ("pt", False)):
        meta = json.loads(_get(f"{base}/glossary-search/{lang}/index.json"))
        records = [json.loads(_get(f"{base}/glossary-search/{lang}/d/{i}.json")) for i in range(meta["n"])]
        beta = next(r for r in records if r["u"].endswith("glossary/beta/"))
        assert ("EDITED LIVE" in beta["x"]) is edited, (lang, beta)
        shards = [json.loads(_get(f"{base}/glossary-search/{lang}/s/{i}.json")) for i in range(len(meta["s"]))]
        assert any("live" in shard for shard in shards) is edited, lang


def test_a_title_edit_rebuilds_the_site(served) -> None:  # type: ignore[no-untyped-def]
    base, glossary, log = served
    beta = glossary / "beta.en.md"
    beta.write_text(beta.read_text().replace("title: Beta", "title: Betamax"))
    # the A-Z index and the pages that link to beta show titles: a full build
    _wait_for(lambda: "Betamax" in _get(f"{base}/glossary/"), 120, "the new title in the index")
    assert "full build" in log().split("Betamax")[-1] or log().count("full build") >= 2, log()


def test_a_broken_edit_keeps_the_last_good_site(served) -> None:  # type: ignore[no-untyped-def]
    base, glossary, log = served
    gamma = glossary / "gamma.en.md"
    good = gamma.read_text()
    gamma.write_text(good.replace("title: Gamma\n", "title: [Gamma\n"))
    _wait_for(lambda: "gamma.en.md" in log(), 60, "a diagnostic naming the file")
    assert "Traceback" not in log(), log()
    assert "Gamma" in _get(f"{base}/glossary/gamma/")  # still served
    gamma.write_text(good.replace("exists only in English", "exists only in English, FIXED"))
    _wait_for(lambda: "FIXED" in _get(f"{base}/glossary/gamma/"), 120, "the fixed entry")


def test_an_edit_outside_the_docs_folder_rebuilds_the_site(served) -> None:  # type: ignore[no-untyped-def]
    base, glossary, log = served
    project = glossary.parent.parent
    example = project / "examples" / "tiny.py"
    example.write_text(example.read_text() + "\n# edited\n")  # an example: its blocks may change on every page
    _wait_for(lambda: log().count("full build") >= 2, 120, "a full build after the example changed")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: ", "site_name: Renamed ", 1))
    _wait_for(lambda: "Renamed" in _get(f"{base}/glossary/beta/"), 120, "the configuration's new site name")
    assert "0 pages re-rendered" not in log(), log()
