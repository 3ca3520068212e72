"""Run the examples an entry set needs: each once, from the cache when nothing changed."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import nbformat

from ..project import Project
from .cache import NotebookCache, cache_key, detect_device, torch_version
from .execute import ExampleFailure, Settings, execute
from .kernel import cores


@dataclass
class ExampleResult:
    name: str
    status: str  # executed | cached | failed
    notebook: nbformat.NotebookNode | None = None
    error: str = ""


@dataclass
class Summary:
    results: dict[str, ExampleResult] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results.values())

    @property
    def failures(self) -> list[str]:
        return [r.error for r in self.results.values() if r.status == "failed"]

    def line(self) -> str:
        return (f"examples: {self.count('executed')} executed, {self.count('cached')} cached, "
                f"{self.count('failed')} failed")


def example_script(project: Project, name: str) -> Path:
    return project.examples.directory / f"{name}.py"



def run_examples(project: Project, names: list[str] | None = None, *, device: str = "auto",
                 force: bool = False, quick: bool | None = None, progress: bool = False,
                 jobs: int | None = None, executor: str | None = None) -> Summary:
    """Execute the examples that are not cached (all with ``force``) and return every result.

    Cached results are looked up first; the rest execute side by side: on a pool of ``jobs``
    processes (0: one per core; each kernel limited to cores / jobs threads), or on a Dask cluster
    (``executor='dask://HOST:PORT'``). One job, or one example to execute, runs in this process.
    Raises cluster.ExecutorUnavailable when the cluster cannot be reached."""
    settings = project.examples
    quick = settings.quick if quick is None else quick
    jobs = settings.jobs if jobs is None else jobs
    executor = executor or settings.executor
    resolved_device = detect_device(device)
    cache = NotebookCache(settings.cache_store, settings.cache_max_mb * 2**20)
    summary = Summary()
    known = project.example_names()
    wanted = list(dict.fromkeys(names or known))
    run_settings = Settings(settings.cell_timeout, settings.max_output_bytes, resolved_device, quick)
    results: dict[str, ExampleResult] = {}
    pending: list[tuple[str, Path, str]] = []
    for name in wanted:
        script = example_script(project, name)
        if name not in known or not script.is_file():
            results[name] = ExampleResult(name, "failed", error=f"{script}: no such example")
            continue
        key = cache_key(script, resolved_device, quick)
        cached = None if force else cache.get(name, key)
        if cached is not None:
            results[name] = ExampleResult(name, "cached", cached)
        else:
            pending.append((name, script, key))
    bar = None
    if progress and wanted:
        from tqdm import tqdm

        bar = tqdm(total=len(wanted), unit="example", file=sys.stderr, dynamic_ncols=True)
        bar.update(len(results))
    keys = {name: key for name, _, key in pending}

    def done(name: str, notebook: nbformat.NotebookNode | None, error: str) -> None:
        if notebook is None:
            results[name] = ExampleResult(name, "failed", error=error)
        else:
            notebook.metadata["glossary"].setdefault("torch", torch_version())
            try:
                cache.put(name, keys[name], notebook)
            except OSError as exc:  # the result stands; the next build executes it again
                print(f"warning: {name}: not cached in {cache.location}: {type(exc).__name__}: {exc}",
                      file=sys.stderr)
            results[name] = ExampleResult(name, "executed", notebook)
        if bar is not None:
            bar.set_description(name)
            bar.update(1)

    try:
        if executor != "local" and pending:
            from .cluster import run_on_dask

            run_on_dask(executor, [(name, script) for name, script, _ in pending], run_settings, done)
        else:
            _run_local(pending, run_settings, jobs or cores(), done, bar)
    finally:
        if bar is not None:
            bar.close()
        if pending:
            cache.evict()
    summary.results = {name: results[name] for name in wanted if name in results}
    return summary


def _run_local(pending: list[tuple[str, Path, str]], settings: Settings, jobs: int,
               done: Callable[[str, nbformat.NotebookNode | None, str], None], bar: Any) -> None:
    """Execute here: one at a time in this process, or side by side, one process per example."""
    workers = min(jobs, len(pending))
    if workers <= 1:
        for name, script, _ in pending:
            if bar is not None:
                bar.set_description(name)
            try:
                notebook = execute(script, settings)
            except ExampleFailure as failure:
                done(name, None, str(failure))
            else:
                done(name, notebook, "")
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from .isolated import run_isolated

    shared = replace(settings, threads=max(1, cores() // workers))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="glossary-example") as pool:
        futures = {pool.submit(run_isolated, script, shared): name for name, script, _ in pending}
        for future in as_completed(futures):
            name = futures[future]
            try:
                notebook = future.result()
            except ExampleFailure as failure:
                done(name, None, str(failure))
            else:
                done(name, notebook, "")


def list_examples(project: Project) -> list[str]:
    from ..loader import load_glossary

    users: dict[str, list[str]] = {}
    for slug, term in load_glossary(project).glossary.terms.items():
        for name in term.examples:
            users.setdefault(name, []).append(slug)
    cache = NotebookCache(project.examples.cache_store)
    device = detect_device()
    lines = []
    for name in project.example_names():
        key = cache_key(example_script(project, name), device, project.examples.quick)
        state = "cached" if cache.has(name, key) else "not run"
        lines.append(f"{name:24} {state:8} used by: {', '.join(sorted(users.get(name, []))) or '-'}")
    return lines

