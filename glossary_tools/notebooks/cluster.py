"""Execute examples on a Dask distributed cluster (``executor: dask://HOST:PORT``).

Each example is one task (``pure=False``: an example is executed, never deduplicated). The task
carries what the example reads: the script, the sibling modules it imports and the data files it
names (``cache.inputs``, the same files that make up its cache key), so workers need no shared
filesystem, only the same Python environment (this package, torch, jupytext, nbclient, ipykernel).
On the worker the files are written to a temporary folder and executed there in a process of its
own (``isolated``); the executed notebook comes back as JSON, and a failure comes back as its cell,
line and error, so it is reported exactly as a local one, naming the local file.

A worker lost while executing (the kernel took the machine's memory, the node went away):
distributed reschedules the task itself up to the scheduler's ``distributed.scheduler.allowed-failures``
times, then gives up with KilledWorker; the runner then submits the example once more, and a second
KilledWorker is a failure naming the example.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import nbformat

from .cache import inputs
from .execute import ExampleFailure, Settings

CONNECT_TIMEOUT = "10s"


class ExecutorUnavailable(Exception):
    """The cluster cannot be used (no scheduler at the address); the message says why."""


def scheduler_address(executor: str) -> str:
    return "tcp://" + executor[len("dask://"):]


def _execute_on_worker(name: str, folder_name: str, script_rel: str, files: dict[str, bytes],
                       settings: Settings) -> tuple[str, object, object, object]:
    """The task: ("ok", notebook JSON, None, None) or ("failed", cell, line, error)."""
    from .isolated import run_isolated

    threads = settings.threads
    try:
        from distributed import get_worker

        threads = max(1, (os.cpu_count() or 1) // max(1, get_worker().state.nthreads))
    except (ImportError, ValueError, AttributeError):
        pass
    with tempfile.TemporaryDirectory(prefix=f"glossary-{name}-") as tmp:
        folder = Path(tmp) / folder_name  # the examples folder's own name, as examples may check
        for rel, data in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            notebook = run_isolated(folder / script_rel, replace(settings, threads=threads))
        except ExampleFailure as failure:
            return ("failed", failure.cell, failure.line, failure.error)
    return ("ok", nbformat.writes(notebook), None, None)


def _payload(script: Path) -> tuple[str, dict[str, bytes]]:
    folder = script.parent
    files = {path.relative_to(folder).as_posix(): path.read_bytes() for path in inputs(script)}
    return script.relative_to(folder).as_posix(), files


def run_on_dask(executor: str, pending: Iterable[tuple[str, Path]], settings: Settings,
                done: Callable[[str, nbformat.NotebookNode | None, str], None]) -> None:
    """Execute each (name, script) on the cluster; ``done(name, notebook, error)`` as each ends."""
    from distributed import Client, as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    address = scheduler_address(executor)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ExecutorUnavailable(f"cannot reach the Dask scheduler at {address} ({executor}): "
                                  f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    with client:
        scripts: dict[str, Path] = {}
        owner: dict[object, str] = {}
        lost: set[str] = set()

        def submit(name: str) -> object:
            rel, files = _payload(scripts[name])
            future = client.submit(_execute_on_worker, name, scripts[name].parent.name, rel, files, settings,
                                   pure=False,
                                   key=f"glossary-example-{name}-{os.urandom(4).hex()}")
            owner[future] = name
            return future

        futures = []
        for name, script in pending:
            scripts[name] = script
            futures.append(submit(name))
        queue = as_completed(futures, loop=client.loop)  # this client, not a default one
        for future in queue:
            name = owner.pop(future)
            script = scripts[name]
            try:
                status, *rest = future.result()
            except KilledWorker as exc:
                if name not in lost:  # a lost worker: once more, on another one
                    lost.add(name)
                    queue.add(submit(name))
                    continue
                done(name, None, str(ExampleFailure(script, None, None, f"the Dask worker executing it was lost "
                                                    f"twice (KilledWorker: {exc})")))
                continue
            except (FutureCancelledError, OSError, TimeoutError) as exc:
                done(name, None, str(ExampleFailure(script, None, None, f"the cluster did not return it "
                                                    f"({type(exc).__name__}: {exc})")))
                continue
            except Exception as exc:  # an error inside the task itself (the worker's disk, its Python)
                done(name, None, str(ExampleFailure(script, None, None, f"the Dask task failed: "
                                                    f"{type(exc).__name__}: {exc}")))
                continue
            if status == "ok":
                done(name, nbformat.reads(rest[0], as_version=4), "")
            else:
                cell, line, error = rest
                done(name, None, str(ExampleFailure(script, cell, line, error)))
