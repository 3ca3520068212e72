"""Content-addressed cache of executed examples.

The key covers everything that can change an example's outputs: the script, the local
modules it imports, the data files it names, the torch version, the device type, the
size (quick or full) and this runner's version. Only successful runs are stored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import nbformat

from ..writer import atomic_write

RUNNER_VERSION = "2"  # 2: figures and conclusions per language (i18n.py)
_IMPORT_RE = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)


def torch_version() -> str:
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return "none"


_PROBE = "import torch; print('cuda' if torch.cuda.is_available() else 'cpu')"


def detect_device(requested: str = "auto") -> str:
    """'cuda' or 'cpu': what torch in the kernel's Python will use.

    Without an NVIDIA device node there is no CUDA, and the answer costs nothing. With one, torch
    itself is asked, once per process, in the interpreter the kernels run (a CPU-only torch on a
    GPU machine answers 'cpu', so the examples are not told to use a device they cannot)."""
    if requested != "auto":
        return requested
    return _torch_device() if os.path.exists("/dev/nvidiactl") else "cpu"


@functools.cache
def _torch_device() -> str:
    try:
        answer = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                                timeout=120).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        answer = ""
    return answer if answer in ("cuda", "cpu") else "cpu"


def inputs(script: Path) -> list[Path]:
    """The script, the sibling modules it imports (transitively) and the data files it names."""
    folder = script.parent
    found: list[Path] = []
    pending = [script]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.append(current)
        text = current.read_text(encoding="utf-8", errors="replace")
        for module in _IMPORT_RE.findall(text):
            candidate = folder / f"{module}.py"
            if candidate.is_file() and candidate not in found:
                pending.append(candidate)
    texts = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in found)
    for data in sorted(folder.rglob("*")):
        if data.is_file() and data.suffix != ".py" and "__pycache__" not in data.parts \
                and not any(part.startswith(".") for part in data.relative_to(folder).parts) \
                and data.name in texts:
            found.append(data)
    return found


def cache_key(script: Path, device: str, quick: bool) -> str:
    digest = hashlib.sha256()
    for part in (RUNNER_VERSION, torch_version(), device, "quick" if quick else "full"):
        digest.update(part.encode() + b"\0")
    # the helper examples import to draw per-language figures changes what they output
    digest.update(hashlib.sha256(Path(__file__).with_name("i18n.py").read_bytes()).digest())
    for path in inputs(script):
        digest.update(path.relative_to(script.parent).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


@dataclass(frozen=True)
class NotebookCache:
    directory: Path

    def path(self, name: str, key: str) -> Path:
        return self.directory / "examples" / name / f"{key}.ipynb"

    def get(self, name: str, key: str) -> nbformat.NotebookNode | None:
        path = self.path(name, key)
        if not path.is_file():
            return None
        try:
            return nbformat.read(path, as_version=4)
        except (OSError, ValueError, json.JSONDecodeError):
            return None  # a damaged entry is a miss; it is rewritten on the next run

    def put(self, name: str, key: str, notebook: nbformat.NotebookNode) -> Path:
        path = self.path(name, key)
        atomic_write(path, nbformat.writes(notebook), force=True)
        for stale in path.parent.glob("*.ipynb"):
            if stale != path:
                stale.unlink(missing_ok=True)
        return path
