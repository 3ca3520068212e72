"""Examples side by side: the same results, failures and site as one after another; a quick run
keeps the full-size results."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from glossary_tools.notebooks.runner import cores, run_examples
from glossary_tools.project import load_project

from .conftest import mkdocs_build
from .test_runner import script

pytestmark = pytest.mark.slow


def outputs(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.get("text", "") for c in result.notebook.cells for o in c.get("outputs", [])]


def test_side_by_side_gives_the_serial_results_and_failures(fixture_project: Path) -> None:
    for name in ("a", "b"):
        script(fixture_project, name, f"# %%\nprint({name!r} * 3)",
               "# %%\nimport os\nprint('threads', os.environ.get('OMP_NUM_THREADS'))",
               "# %%\nimport torch\nfrom glossary_tools.notebooks.kernel import threads\n"
               "torch.set_num_threads(threads(64))\nprint('torch', torch.get_num_threads())")
    script(fixture_project, "bad", "# %%\nx = 1", "# %% [markdown]\n# prose", "# %%\n1 / 0")
    project = load_project(fixture_project)
    serial = run_examples(project, ["a", "b", "bad"], jobs=1)
    parallel = run_examples(project, ["a", "b", "bad"], jobs=2, force=True)
    assert serial.line() == parallel.line() == "examples: 2 executed, 0 cached, 1 failed"
    assert list(parallel.results) == ["a", "b", "bad"]  # in the order asked, whatever the finishing order
    assert serial.failures == parallel.failures
    assert parallel.failures[0].endswith("examples/bad.py: cell 3 (line 15): ZeroDivisionError: division by zero")
    for name in ("a", "b"):
        assert outputs(parallel.results[name])[0] == outputs(serial.results[name])[0] == name * 3 + "\n"
        # each kernel is limited to its share of the cores
        assert outputs(parallel.results[name])[1] == f"threads {max(1, cores() // 2)}\n"
        # and an example asking torch for more threads gets that share, not more
        assert outputs(parallel.results[name])[2] == f"torch {max(1, cores() // 2)}\n"
        assert outputs(serial.results[name])[2] == f"torch {cores()}\n"  # one at a time: every core
    assert run_examples(project, ["a", "b", "bad"], jobs=2).line() == "examples: 0 executed, 2 cached, 1 failed"


def test_a_quick_run_keeps_the_full_size_results(fixture_project: Path) -> None:
    """make site, make test (quick), make site again: the second site executes nothing."""
    script(fixture_project, "sized", "# %%\nimport os\nprint(os.environ['GLOSSARY_EXAMPLES_QUICK'])")
    project = load_project(fixture_project)
    assert run_examples(project, quick=False).line() == "examples: 2 executed, 0 cached, 0 failed"
    assert run_examples(project, quick=True).line() == "examples: 2 executed, 0 cached, 0 failed"
    full = run_examples(project, quick=False)
    assert full.line() == "examples: 0 executed, 2 cached, 0 failed"
    assert outputs(full.results["sized"]) == ["0\n"]
    assert run_examples(project, quick=True).line() == "examples: 0 executed, 2 cached, 0 failed"


# the end of the line under each example's title, in every language and in the search index:
# "Executed when the site was built: CPU, PyTorch 2.13.0, 1.2 s."
_SECONDS = re.compile(rb"(PyTorch [^,<\"]{1,40}, )\d+(?:\.\d+)? s\.")


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_the_site_built_side_by_side_is_the_serial_site(fixture_project: Path, tmp_path: Path) -> None:
    """Two examples, built with jobs: 1 and with jobs: 2 (each from an empty cache). The pages
    differ only in the seconds each example took: the line under an example's title
    ('... PyTorch 2.13.0, 1.2 s.', also in the search index) is compared with the number replaced."""
    shutil.copy(fixture_project / "examples" / "tiny.py", fixture_project / "examples" / "tiny_two.py")
    config = fixture_project / "mkdocs.yml"
    text = config.read_text()
    sites = {}
    for jobs in (1, 2):
        config.write_text(text.replace("cache_dir: .cache/glossary", f"cache_dir: .cache/jobs{jobs}\n      jobs: {jobs}"))
        site = tmp_path / f"site{jobs}"
        result = mkdocs_build(fixture_project, site)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "examples: 2 executed, 0 cached, 0 failed" in result.stdout + result.stderr
        sites[jobs] = _site_files(site)
    assert sites[1].keys() == sites[2].keys()
    differ = []
    for name, serial in sites[1].items():
        parallel = sites[2][name]
        if serial == parallel:
            continue
        if _SECONDS.sub(rb"\1N s.", serial) != _SECONDS.sub(rb"\1N s.", parallel):
            differ.append(name)
    assert differ == []
    assert sum(bool(_SECONDS.search(page)) for page in sites[2].values()) >= 3  # the line was there to normalise


def test_side_by_side_timeouts_dead_kernels_and_strays_are_handled_as_serially(fixture_project: Path) -> None:
    import subprocess
    import time

    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("cell_timeout: 300", "cell_timeout: 2"))
    marker = f"{time.time_ns() % 10_000_000 + 2_000_000}"  # a sleep nobody else runs
    script(fixture_project, "hang", "# %%\nimport time\ntime.sleep(60)")
    script(fixture_project, "crash", "# %%\nimport os\nos._exit(3)")
    script(fixture_project, "forker", "# %%\nimport subprocess\n"
           f"subprocess.Popen('setsid sh -c \"sleep {marker} > /dev/null 2>&1 &\"', shell=True, start_new_session=True)\n")
    started = time.perf_counter()
    summary = run_examples(load_project(fixture_project), ["hang", "crash", "forker"], jobs=3)
    assert time.perf_counter() - started < 45
    errors = dict(zip(["hang", "crash"], summary.failures, strict=True))
    assert "examples/hang.py: cell 1 (line 9): timed out after 2 s" in errors["hang"]
    assert "examples/crash.py: cell 1 (line 9): DeadKernelError" in errors["crash"]
    assert summary.results["forker"].status == "executed", summary.results["forker"].error
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True).stdout.split()
    for pid in left:  # keep the machine clean even when the assertion fails
        subprocess.run(["kill", "-9", pid], check=False)
    assert left == []


def test_a_cache_that_cannot_be_written_is_a_warning_not_a_lost_result(fixture_project: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (fixture_project / "blocked").write_text("a file where the cache folder should be")
    config = fixture_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("cache_dir: .cache/glossary", "cache_dir: blocked/cache"))
    summary = run_examples(load_project(fixture_project), ["tiny"])
    assert summary.results["tiny"].status == "executed", summary.results["tiny"].error
    assert "warning: tiny: not cached in" in capsys.readouterr().err
    assert (fixture_project / "blocked").read_text() == "a file where the cache folder should be"
