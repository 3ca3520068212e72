"""The examples cache: one entry per key, bounded with LRU eviction, on a folder or an fsspec URL,
validated on read; and the options that configure it and the executor."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from glossary_tools.diagnostics import GlossaryError
from glossary_tools.notebooks.cache import NotebookCache
from glossary_tools.project import load_project


def notebook(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(f"print({text!r})"))
    nb.metadata["glossary"] = {"device": "cpu"}
    return nb


@pytest.fixture(params=["path", "file-url", "memory-url"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "path":
        return str(tmp_path / "cache")
    if request.param == "file-url":
        return f"file://{tmp_path / 'shared'}"
    return f"memory://glossary-test-{uuid.uuid4().hex}"


def test_each_key_has_its_own_entry(location: str) -> None:
    """A quick run does not evict the full-size result of the same example."""
    cache = NotebookCache(location)
    cache.put("mlp", "fullkey", notebook("full"))
    cache.put("mlp", "quickkey", notebook("quick"))
    assert cache.get("mlp", "fullkey").cells[0].source == "print('full')"
    assert cache.get("mlp", "quickkey").cells[0].source == "print('quick')"
    assert cache.has("mlp", "fullkey") and not cache.has("mlp", "otherkey")
    assert cache.get("mlp", "otherkey") is None


def test_least_recently_used_entries_are_evicted_past_the_bound(location: str) -> None:
    size = len(nbformat.writes(notebook("a")).encode()) + 40  # an entry, with its key in the metadata
    cache = NotebookCache(location, max_bytes=int(2.5 * size))
    for name in ("a", "b", "c"):
        cache.put(name, "k", notebook(name))
        time.sleep(0.02)
    assert cache.get("a", "k") is not None  # used: now the most recent
    removed = cache.evict()
    assert [p.rsplit("/", 2)[-2] for p in removed] == ["b"]
    assert cache.get("b", "k") is None and cache.get("a", "k") and cache.get("c", "k")
    assert cache.evict() == []  # within the bound now
    assert sum(size for _, size, _ in cache.entries()) <= cache.max_bytes


def test_a_damaged_or_foreign_entry_is_a_miss(location: str) -> None:
    cache = NotebookCache(location)
    cache.put("x", "k1", notebook("x"))
    path = cache.path("x", "k1")
    whole = cache.fs.cat_file(path) if cache.url else Path(path).read_bytes()
    cut = whole[: len(whole) // 2]  # what a crash in the middle of a write would leave
    if cache.url:
        cache.fs.pipe_file(path, cut)
        cache.fs.pipe_file(cache.path("x", "k2"), whole)  # k1's notebook under k2's name
    else:
        Path(path).write_bytes(cut)
        Path(cache.path("x", "k2")).write_bytes(whole)
    assert cache.get("x", "k1") is None
    assert cache.get("x", "k2") is None
    cache.put("x", "k1", notebook("again"))
    assert cache.get("x", "k1").cells[0].source == "print('again')"


def test_a_writer_that_died_leaves_no_entry_and_its_temporary_file_is_removed(tmp_path: Path) -> None:
    cache = NotebookCache(tmp_path)
    folder = tmp_path / "examples" / "x"
    folder.mkdir(parents=True)
    tmp = folder / ".k.ipynb.abc.tmp"
    tmp.write_text('{"cells": [')
    old = time.time() - 2 * NotebookCache.STALE_TMP_SECONDS
    os.utime(tmp, (old, old))
    assert cache.get("x", "k") is None and not cache.has("x", "k")
    assert cache.evict() == [str(tmp)] and not tmp.exists()


def test_a_url_cache_keeps_nothing_on_the_local_disk(fixture_project: Path, tmp_path: Path) -> None:
    config = fixture_project / "mkdocs.yml"
    shared = tmp_path / "shared"
    config.write_text(config.read_text().replace("cache_dir: .cache/glossary", f"cache_dir: file://{shared}"))
    project = load_project(fixture_project)
    assert project.examples.cache_store == f"file://{shared}"
    assert project.examples.cache_dir == fixture_project / ".cache" / "glossary"  # pages, link results


@pytest.mark.parametrize("line,message", [
    ("cache_dir: nosuchscheme://bucket/x", "fsspec knows no filesystem 'nosuchscheme'"),
    ("jobs: -1", "'jobs' must be at least 0, not -1"),
    ("jobs: many", "'jobs' must be a whole number, not 'many'"),
    ("executor: dask://nohost", "is neither 'local' nor 'dask://HOST:PORT'"),
    ("executor: dask://host:70000", "the port must be between 1 and 65535"),
    ("cache_max_mb: 0", "'cache_max_mb' must be at least 1, not 0"),
])
def test_bad_options_are_diagnostics(fixture_project: Path, line: str, message: str) -> None:
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      cache_dir: .cache/glossary", f"      {line}"))
    with pytest.raises(GlossaryError) as caught:
        load_project(fixture_project)
    assert any(message in d.message for d in caught.value.diagnostics), caught.value.diagnostics


def test_good_executor_options_are_taken(fixture_project: Path) -> None:
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      cache_dir: .cache/glossary",
                                                 "      executor: dask://scheduler.example:8786\n      jobs: 3"))
    settings = load_project(fixture_project).examples
    assert (settings.executor, settings.jobs, settings.cache_max_mb) == ("dask://scheduler.example:8786", 3, 500)


@pytest.mark.parametrize("argv,message", [
    (["--jobs", "-1"], "error: --jobs: 'jobs' must be at least 0, not -1"),
    (["--executor", "dask://nohost"], "error: --executor: 'executor': 'dask://nohost' is neither"),
    (["--executor", "spark://h:1"], "is neither 'local' nor 'dask://HOST:PORT'"),
])
def test_bad_run_flags_are_one_line_errors(fixture_project: Path, capsys: pytest.CaptureFixture[str],
                                           argv: list[str], message: str) -> None:
    from glossary_tools.cli import main

    code = main(["--root", str(fixture_project), "examples", "run", *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not (fixture_project / ".cache" / "glossary" / "examples").exists()  # nothing was executed


def test_inputs_follow_every_module_of_an_import_line(tmp_path: Path) -> None:
    from glossary_tools.notebooks.cache import inputs

    for name in ("first_mod", "second_mod", "third_mod"):
        (tmp_path / f"{name}.py").write_text("")
    main = tmp_path / "main.py"
    main.write_text("import os, first_mod\nimport sys as system, second_mod as s\nfrom third_mod import x\n")
    assert {p.name for p in inputs(main)} == {"main.py", "first_mod.py", "second_mod.py", "third_mod.py"}


def test_a_url_whose_filesystem_is_not_installed_is_a_diagnostic(fixture_project: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("s3fs") is not None:
        pytest.skip("s3fs is installed here")
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("cache_dir: .cache/glossary", "cache_dir: s3://bucket/glossary"))
    with pytest.raises(GlossaryError) as caught:
        load_project(fixture_project)
    assert "'s3://bucket/glossary' needs a package that is not installed" in caught.value.diagnostics[0].message
    assert "s3fs" in caught.value.diagnostics[0].message
