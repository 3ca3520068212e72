"""Examples on a Dask cluster: a real distributed.LocalCluster started here, two worker processes,
and the cache on a second local folder reached through fsspec (file://)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary_tools.notebooks.cluster import ExecutorUnavailable
from glossary_tools.notebooks.runner import run_examples
from glossary_tools.project import load_project

from .test_runner import script

pytestmark = pytest.mark.slow

# the kernel's parent is the process executing the example; its parent is the Dask worker
KILL_WORKER = """# %%
import os, signal
def parent(pid):
    with open(f"/proc/{{pid}}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])
marker = {marker!r}
if {always!r} or not os.path.exists(marker):
    open(marker, "w").close()
    os.kill(parent(os.getppid()), signal.SIGKILL)
    os._exit(0)
print("survived")"""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    import dask
    from distributed import LocalCluster

    # distributed gives up on a task at once when its worker dies; the runner then retries once
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                         host="127.0.0.1") as cluster:
        yield "dask://" + cluster.scheduler_address.removeprefix("tcp://")


def _on_cluster(project: Path, shared: Path, address: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("cache_dir: .cache/glossary",
                                                 f"cache_dir: file://{shared}\n      executor: {address}"))


def test_examples_run_on_the_cluster_with_a_shared_cache(fixture_project: Path, tmp_path: Path,
                                                         scheduler: str) -> None:
    examples = fixture_project / "examples"
    (examples / "helper_mod.py").write_text("VALUE = 41\n")
    (examples / "table.csv").write_text("a,b\n1,2\n")
    script(fixture_project, "user", "# %%\nimport os, helper_mod\n"
           "print(helper_mod.VALUE + 1, open('table.csv').read().split()[1], os.path.basename(os.getcwd()))")
    script(fixture_project, "bad", "# %%\nx = 1", "# %% [markdown]\n# prose", "# %%\n1 / 0")
    _on_cluster(fixture_project, tmp_path / "shared", scheduler)
    project = load_project(fixture_project)
    summary = run_examples(project, ["user", "bad"])
    assert summary.line() == "examples: 1 executed, 0 cached, 1 failed", summary.failures
    # reported as a local failure is: the local file, the cell, the line, the exception
    assert summary.failures[0] == f"{examples / 'bad.py'}: cell 3 (line 15): ZeroDivisionError: division by zero"
    printed = [o["text"] for c in summary.results["user"].notebook.cells for o in c.get("outputs", [])]
    assert printed == ["42 1,2 examples\n"]  # its module and data file went with it
    assert list((tmp_path / "shared" / "examples" / "user").glob("*.ipynb"))
    assert not (fixture_project / ".cache" / "glossary" / "examples").exists()
    # another machine (here: this one, executing locally) finds the result in the shared cache
    again = run_examples(project, ["user"], executor="local")
    assert again.line() == "examples: 0 executed, 1 cached, 0 failed"


def test_a_lost_worker_retries_the_example_once_then_fails_naming_it(fixture_project: Path, tmp_path: Path,
                                                                      scheduler: str) -> None:
    script(fixture_project, "flaky", KILL_WORKER.format(marker=str(tmp_path / "flaky"), always=False))
    script(fixture_project, "killer", KILL_WORKER.format(marker=str(tmp_path / "killer"), always=True))
    _on_cluster(fixture_project, tmp_path / "shared", scheduler)
    # one at a time: a worker that dies takes every task it holds with it (distributed gives a worker
    # with one thread more than one task), so the killer would take the flaky example's retry along
    project = load_project(fixture_project)
    flaky = run_examples(project, ["flaky"]).results["flaky"]
    assert flaky.status == "executed", flaky.error
    assert [o["text"] for c in flaky.notebook.cells for o in c.get("outputs", [])] == ["survived\n"]
    summary = run_examples(project, ["killer"])
    assert summary.results["killer"].status == "failed"
    assert summary.failures[0].startswith(f"{fixture_project / 'examples' / 'killer.py'}: kernel: "
                                          "the Dask worker executing it was lost twice (KilledWorker")


def test_an_unreachable_scheduler_is_one_clear_error(fixture_project: Path, tmp_path: Path) -> None:
    import socket

    from .conftest import mkdocs_build

    with socket.socket() as free:  # a port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    _on_cluster(fixture_project, tmp_path / "shared", f"dask://127.0.0.1:{port}")
    with pytest.raises(ExecutorUnavailable, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        run_examples(load_project(fixture_project))
    # the plugin option: the build stops with that one line, no traceback, no site
    result = mkdocs_build(fixture_project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and f"glossary: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in output
    assert "Traceback" not in output and not (tmp_path / "site" / "index.html").exists()
