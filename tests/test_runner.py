"""The example runner: cache keys, re-execution, failures, timeouts, output caps, rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary_tools.notebooks.cache import cache_key, inputs
from glossary_tools.notebooks.render import render
from glossary_tools.notebooks.runner import run_examples
from glossary_tools.project import load_project

pytestmark = pytest.mark.slow

HEADER = "# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3\n#     language: python\n#     name: python3\n# ---\n\n"


def script(project: Path, name: str, *cells: str) -> Path:
    path = project / "examples" / f"{name}.py"
    path.write_text(HEADER + "\n\n".join(cells) + "\n")
    return path


def test_changed_example_reexecutes_only_itself(fixture_project: Path) -> None:
    script(fixture_project, "one", "# %%\nprint('one')")
    script(fixture_project, "two", "# %%\nprint('two')")
    project = load_project(fixture_project)
    first = run_examples(project, ["one", "two"])
    assert first.line() == "examples: 2 executed, 0 cached, 0 failed"
    assert run_examples(project, ["one", "two"]).line() == "examples: 0 executed, 2 cached, 0 failed"
    script(fixture_project, "two", "# %%\nprint('two, changed')")
    third = run_examples(project, ["one", "two"])
    assert (third.results["one"].status, third.results["two"].status) == ("cached", "executed")


def test_failure_names_file_cell_line_and_is_not_cached(fixture_project: Path) -> None:
    script(fixture_project, "bad", "# %%\nx = 1", "# %% [markdown]\n# prose", "# %%\n1 / 0")
    project = load_project(fixture_project)
    for _ in range(2):  # the second run executes again: failures are not cached
        summary = run_examples(project, ["bad"])
        assert summary.line() == "examples: 0 executed, 0 cached, 1 failed"
        assert summary.failures[0].endswith("examples/bad.py: cell 3 (line 15): ZeroDivisionError: division by zero")


def test_cell_timeout(fixture_project: Path) -> None:
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("cell_timeout: 300", "cell_timeout: 2"))
    script(fixture_project, "hang", "# %%\nimport time\ntime.sleep(60)")
    summary = run_examples(load_project(fixture_project), ["hang"])
    assert "cell 1 (line 9): timed out after 2 s" in summary.failures[0]


def test_output_is_capped(fixture_project: Path) -> None:
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("max_output_bytes: 200000", "max_output_bytes: 1000"))
    script(fixture_project, "loud", "# %%\nfor i in range(100000):\n    print('x' * 100)")
    summary = run_examples(load_project(fixture_project), ["loud"])
    result = summary.results["loud"]
    assert result.status == "executed", result.error
    text = "".join(o.get("text", "") for c in result.notebook.cells for o in c.get("outputs", []))
    assert len(text) < 1200 and "output cut at 1,000 characters" in text


def test_cache_key_covers_local_imports_and_data(fixture_project: Path) -> None:
    examples = fixture_project / "examples"
    (examples / "helper_mod.py").write_text("VALUE = 1\n")
    (examples / "table.csv").write_text("a,b\n1,2\n")
    main = script(fixture_project, "user", "# %%\nimport helper_mod\nopen('table.csv').read()")
    assert {p.name for p in inputs(main)} == {"user.py", "helper_mod.py", "table.csv"}
    key = cache_key(main, "cpu", quick=False)
    assert cache_key(main, "cuda", quick=False) != key
    assert cache_key(main, "cpu", quick=True) != key
    (examples / "table.csv").write_text("a,b\n1,3\n")
    assert cache_key(main, "cpu", quick=False) != key
    key = cache_key(main, "cpu", quick=False)
    (examples / "helper_mod.py").write_text("VALUE = 2\n")
    assert cache_key(main, "cpu", quick=False) != key


def test_render_picks_the_page_language_and_escapes_output(fixture_project: Path) -> None:
    script(fixture_project, "say", "# %% [markdown]\n# Hello", "# %% [markdown] lang=\"pt\"\n# Olá",
           "# %%\nprint('<b>not bold</b>')")
    result = run_examples(load_project(fixture_project), ["say"]).results["say"]
    assert result.notebook is not None
    pt = render(result.notebook, "say", "pt", "../assets").html
    es = render(result.notebook, "say", "es", "../assets").html
    assert "Olá" in pt and "Hello" not in pt
    assert "Hello" in es  # no Spanish variant: the untagged (English) cell
    assert "&lt;b&gt;not bold&lt;/b&gt;" in pt and "<b>not bold</b>" not in pt


def test_dead_kernel_is_reported_without_noise(fixture_project: Path) -> None:
    script(fixture_project, "crash", "# %%\nimport os\nos._exit(3)")
    summary = run_examples(load_project(fixture_project), ["crash"])
    assert summary.line() == "examples: 0 executed, 0 cached, 1 failed"
    assert "examples/crash.py: cell 1 (line 9): DeadKernelError" in summary.failures[0]


@pytest.mark.parametrize("launch", ["sh -c 'sleep {marker} > /dev/null 2>&1 &'",
                                    "setsid sh -c 'sleep {marker} > /dev/null 2>&1 &'"])
def test_processes_an_example_leaves_running_are_ended(fixture_project: Path, launch: str) -> None:
    import subprocess
    import time

    marker = f"{time.time_ns() % 10_000_000 + 1_000_000}"  # a sleep nobody else runs
    # a daemon: the shell exits at once and the sleep is left to init, outside the kernel's children
    command = launch.format(marker=marker)
    script(fixture_project, "forker", "# %%\nimport subprocess\n"
           f"subprocess.Popen({command!r}, shell=True, start_new_session=True)\n")
    summary = run_examples(load_project(fixture_project), ["forker"])
    assert summary.results["forker"].status == "executed", summary.results["forker"].error
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout.split()
    for pid in left:  # keep the machine clean even when the assertion fails
        subprocess.run(["kill", "-9", pid], check=False)
    assert left == []
