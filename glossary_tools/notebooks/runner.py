"""Run the examples an entry set needs: each once, from the cache when nothing changed."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..project import Project
from .cache import NotebookCache, cache_key, detect_device, torch_version
from .execute import ExampleFailure, Settings, execute


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
                 force: bool = False, quick: bool | None = None, progress: bool = False) -> Summary:
    settings = project.examples
    quick = settings.quick if quick is None else quick
    resolved_device = detect_device(device)
    cache = NotebookCache(settings.cache_dir)
    summary = Summary()
    known = project.example_names()
    wanted = names or known
    bar = None
    if progress and wanted:
        from tqdm import tqdm

        bar = tqdm(total=len(wanted), unit="example", file=sys.stderr, dynamic_ncols=True)
    for name in wanted:
        if bar is not None:
            bar.set_description(name)
        script = example_script(project, name)
        if name not in known or not script.is_file():
            summary.results[name] = ExampleResult(name, "failed", error=f"{script}: no such example")
        else:
            summary.results[name] = _run_one(name, script, cache, force, Settings(
                settings.cell_timeout, settings.max_output_bytes, resolved_device, quick))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return summary


def _run_one(name: str, script: Path, cache: NotebookCache, force: bool, settings: Settings) -> ExampleResult:
    key = cache_key(script, settings.device, settings.quick)
    if not force:
        cached = cache.get(name, key)
        if cached is not None:
            return ExampleResult(name, "cached", cached)
    try:
        notebook = execute(script, settings)
    except ExampleFailure as failure:
        return ExampleResult(name, "failed", error=str(failure))
    notebook.metadata["glossary"]["torch"] = torch_version()
    cache.put(name, key, notebook)
    return ExampleResult(name, "executed", notebook)


def list_examples(project: Project) -> list[str]:
    from ..loader import load_glossary

    users: dict[str, list[str]] = {}
    for slug, term in load_glossary(project).glossary.terms.items():
        for name in term.examples:
            users.setdefault(name, []).append(slug)
    cache = NotebookCache(project.examples.cache_dir)
    device = detect_device()
    lines = []
    for name in project.example_names():
        key = cache_key(example_script(project, name), device, project.examples.quick)
        state = "cached" if cache.path(name, key).is_file() else "not run"
        lines.append(f"{name:24} {state:8} used by: {', '.join(sorted(users.get(name, []))) or '-'}")
    return lines

