"""Execute one Jupytext script with nbclient: per-cell timeout, capped output, failures named."""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from . import kernel

SETUP_TAG = "glossary-setup"

_SETUP = '''\
import os as _os
_os.environ["GLOSSARY_DEVICE"] = {device!r}
_os.environ["GLOSSARY_EXAMPLES_QUICK"] = {quick!r}
%matplotlib inline
'''


class ExampleFailure(Exception):
    def __init__(self, script: Path, cell: int | None, line: int | None, error: str) -> None:
        where = f"cell {cell}" + (f" (line {line})" if line else "") if cell else "kernel"
        super().__init__(f"{script}: {where}: {error}")
        self.script, self.cell, self.line, self.error = script, cell, line, error


@dataclass(frozen=True)
class Settings:
    cell_timeout: int
    max_output_bytes: int
    device: str
    quick: bool
    threads: int | None = None  # the kernel's share of the cores when examples run side by side


_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", kernel.VARIABLE)


def kernel_env(threads: int | None) -> dict[str, str] | None:
    """The kernel's environment: this one, with torch's (OpenMP's, MKL's) thread count limited to
    ``threads`` so that kernels running side by side do not fight over the cores (and the share
    that ``kernel.threads`` keeps an example's own torch.set_num_threads within)."""
    if threads is None:
        return None
    return {**os.environ, **{name: str(threads) for name in _THREAD_VARS}}


def _cell_lines(script: Path) -> list[int]:
    """1-based line numbers where the script's '# %%' cells start."""
    lines = script.read_text(encoding="utf-8").splitlines()
    return [i + 1 for i, line in enumerate(lines) if re.match(r"#\s*%%", line)]


def _cap_outputs(notebook: nbformat.NotebookNode, limit: int) -> None:
    """A second cap on what came back (rich outputs, text printed around the stream hook)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("text")
            if isinstance(text, str) and len(text) > limit:
                output["text"] = text[:limit] + f"\n[output cut at {limit:,} characters]\n"
            data = output.get("data", {})
            for mime in list(data):
                if len(str(data[mime])) > 8 * limit:
                    del data[mime]
            if "data" in output and not output["data"]:
                output["data"] = {"text/plain": "[output too large, dropped]"}


def _failure(script: Path, notebook: nbformat.NotebookNode, index: int, exc: Exception, settings: Settings,
             kernel_log: str) -> ExampleFailure:
    """Name the file, the user's cell (index 0 is our setup cell) and its line, and the error."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    lines = _cell_lines(script)
    user_cell = index if index >= 1 else None
    line = lines[index - 1] if user_cell and len(lines) == len(notebook.cells) - 1 else None
    if isinstance(exc, CellExecutionError):
        error = f"{exc.ename}: {exc.evalue}"
    elif isinstance(exc, CellTimeoutError | TimeoutError):
        error = f"timed out after {settings.cell_timeout} s (cell_timeout in mkdocs.yml)"
    else:
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        said = [ln.strip() for ln in kernel_log.splitlines() if ln.strip() and "without encryption" not in ln]
        if said:
            error += f" (kernel said: {said[-1]})"
    return ExampleFailure(script, user_cell, line, error)


def _kernel_group(client: Any) -> int | None:
    """The kernel's process group (jupyter_client starts each kernel in a session of its own)."""
    try:
        pid = client.km.provisioner.process.pid
        group = os.getpgid(pid)
    except (AttributeError, OSError):
        return None
    return group if group != os.getpgrp() else None


def _become_subreaper() -> None:
    """Orphans of what we start are re-parented to this process rather than to init (Linux), so
    a daemon an example detaches with setsid can still be found and ended."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _children() -> set[int]:
    """This process's children, read from /proc (empty where there is none)."""
    me, found = os.getpid(), set()
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                        fields = handle.read().rsplit(")", 1)[1].split()
                except (OSError, IndexError):
                    continue
                if len(fields) > 1 and fields[1] == str(me):
                    found.add(int(entry.name))
    return found


def _end_strays(before: set[int]) -> None:
    """Kill and reap the children that appeared during the run (re-parented orphans included),
    until none is left: a killed daemon's own children come to us in turn."""
    for _ in range(10):
        strays = _children() - before
        if not strays:
            return
        for pid in strays:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)
        for pid in strays:
            with contextlib.suppress(OSError):
                os.waitpid(pid, os.WNOHANG)


def _end_group(group: int | None) -> None:
    """Kill whatever the example started and left running (a forked server, a stray worker)."""
    if group is None:
        return
    with contextlib.suppress(OSError):  # already gone
        os.killpg(group, signal.SIGKILL)


def execute(script: Path, settings: Settings) -> nbformat.NotebookNode:
    """Run ``script`` in a fresh kernel with the working directory set to its folder."""
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = jupytext.read(script)
    for number, cell in enumerate(notebook.cells, 1):  # not nbformat's random ids: the same script
        cell["id"] = f"cell-{number}"                    # gives the same pages, however it was run
    setup = nbformat.v4.new_code_cell(_SETUP.format(device=settings.device, quick="1" if settings.quick else "0"))
    setup.metadata["tags"] = [SETUP_TAG]
    notebook.cells.insert(0, setup)
    current = {"index": 0}
    kernel: dict[str, int | None] = {}

    def on_cell_start(cell: nbformat.NotebookNode, cell_index: int) -> None:
        current["index"] = cell_index
        if "group" not in kernel:
            kernel["group"] = _kernel_group(client)

    class CappedClient(NotebookClient):
        """Drops printed output past the cap as it arrives, so memory stays bounded."""

        printed = 0

        def output(self, outs, msg, display_id, cell_index):
            if msg["msg_type"] == "stream":
                limit = settings.max_output_bytes
                text = msg["content"].get("text", "")
                room = limit - self.printed
                if room <= 0:
                    return None
                if len(text) > room:
                    msg = {**msg, "content": {**msg["content"], "text": text[:room]
                                               + f"\n[output cut at {limit:,} characters by the glossary runner]\n"}}
                self.printed += min(len(text), room)
            return super().output(outs, msg, display_id, cell_index)

    client = CappedClient(
        notebook,
        timeout=settings.cell_timeout,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(script.parent)}},
        on_cell_start=on_cell_start,
    )
    _become_subreaper()
    before = _children()
    started = time.perf_counter()
    # The kernel's own stderr (start-up chatter, or why it died) goes to a file, not the build log.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as kernel_log:
        try:
            env = kernel_env(settings.threads)
            client.execute(stderr=kernel_log, **({"env": env} if env is not None else {}))
        except (CellExecutionError, CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError) as exc:
            kernel_log.seek(0)
            raise _failure(script, notebook, current["index"], exc, settings, kernel_log.read()) from None
        finally:
            _end_group(kernel.get("group"))
            _end_strays(before)
    seconds = time.perf_counter() - started
    notebook.cells = [c for c in notebook.cells if SETUP_TAG not in c.metadata.get("tags", [])]
    _cap_outputs(notebook, settings.max_output_bytes)
    notebook.metadata["glossary"] = {
        "device": settings.device,
        "quick": settings.quick,
        "seconds": round(seconds, 1),
        "executed": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    return notebook
