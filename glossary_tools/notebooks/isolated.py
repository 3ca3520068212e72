"""Execute one example in a process of its own: what the pool and the Dask workers run.

``execute`` makes its process a child subreaper and, when the example ends, kills every child that
appeared meanwhile; two examples executing in one process would end each other's kernels. So each
example side by side gets its own short-lived Python (``python -m glossary_tools.notebooks.isolated``),
which also dies with whoever started it (PR_SET_PDEATHSIG), and its kernel with it (ipykernel leaves
when its parent changes).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import nbformat

from .cache import torch_version
from .execute import ExampleFailure, Settings, execute


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def run_isolated(script: Path, settings: Settings) -> nbformat.NotebookNode:
    """``execute(script, settings)`` in a child Python; raises ExampleFailure as execute does."""
    with tempfile.TemporaryDirectory(prefix="glossary-run-") as tmp:
        request, result = Path(tmp) / "request.json", Path(tmp) / "result.json"
        request.write_text(json.dumps({"script": str(script), "settings": asdict(settings)}), encoding="utf-8")
        process = subprocess.run([sys.executable, "-m", __name__, str(request), str(result)],
                                 capture_output=True, text=True, errors="replace", preexec_fn=_die_with_parent,
                                 env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
        try:
            answer = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            said = [line for line in process.stderr.splitlines() if line.strip()]
            how = (f"killed by signal {-process.returncode}" if process.returncode < 0
                   else f"exit status {process.returncode}")
            raise ExampleFailure(script, None, None, f"the process executing it ended ({how})"
                                 + (f": {said[-1]}" if said else "")) from None
    if "failed" in answer:
        cell, line, error = answer["failed"]
        raise ExampleFailure(script, cell, line, error)
    return nbformat.reads(answer["ok"], as_version=4)


def main(request_file: str, result_file: str) -> int:
    request = json.loads(Path(request_file).read_text(encoding="utf-8"))
    script, settings = Path(request["script"]), Settings(**request["settings"])
    try:
        notebook = execute(script, settings)
        notebook.metadata["glossary"]["torch"] = torch_version()
        answer = {"ok": nbformat.writes(notebook)}
    except ExampleFailure as failure:
        answer = {"failed": [failure.cell, failure.line, failure.error]}
    Path(result_file).write_text(json.dumps(answer), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
