"""Content-addressed cache of executed examples.

The key covers everything that can change an example's outputs: the script, the local
modules it imports, the data files it names, the torch version, the device type, the
size (quick or full) and this runner's version. Only successful runs are stored; each key has
its own entry, and the cache is bounded by size (least recently used entries go first).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import uuid
from importlib import metadata
from pathlib import Path

import nbformat

from ..options import url_scheme
from ..writer import atomic_write

RUNNER_VERSION = "3"  # 2: entries carry their key (validated on read); 3: figures and conclusions per language (i18n.py)
_IMPORT_RE = re.compile(r"^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)|import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?"
                        r"(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*))", re.M)


def _imported(text: str) -> list[str]:
    """The top-level modules a script imports ('import a, b.c as d' names a and b)."""
    found = []
    for source, names in _IMPORT_RE.findall(text):
        found += [source] if source else [n.strip().split()[0].split(".")[0] for n in names.split(",")]
    return found


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
        for module in _imported(text):
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


class NotebookCache:
    """Executed notebooks, one entry per example x key (the key covers size, device and torch),
    so a quick run does not evict the full-size results. Entries live under ``examples/<name>/<key>.ipynb``
    of a local folder (plain path: os calls, the fast path) or of any fsspec URL (s3://, gs://,
    file://, memory://), so CI runners and cluster workers can share one cache.

    Writes go to a temporary name and are then moved over the entry, and every read is validated
    (it parses and names its own key): an entry cut short by a crash is a miss, never a result.
    The cache is bounded: ``evict`` removes the least recently used entries past ``max_bytes``
    (last use is the file's mtime locally, a ``<key>.used`` stamp beside the entry on a URL).
    """

    STALE_TMP_SECONDS = 3600  # a temporary file this old belongs to a writer that died

    def __init__(self, location: str | Path, max_bytes: int = 500 * 2**20) -> None:
        self.location = str(location)
        self.max_bytes = max_bytes
        self.url = url_scheme(self.location) is not None
        if self.url:
            import fsspec

            self.fs, self.root = fsspec.core.url_to_fs(self.location)
            self.root = self.root.rstrip("/")
        else:
            self.directory = Path(self.location)

    def path(self, name: str, key: str) -> str:
        """The entry's path (a local path, or a path inside the fsspec filesystem)."""
        if self.url:
            return f"{self.root}/examples/{name}/{key}.ipynb"
        return str(self.directory / "examples" / name / f"{key}.ipynb")

    def has(self, name: str, key: str) -> bool:
        path = self.path(name, key)
        return self.fs.isfile(path) if self.url else os.path.isfile(path)

    def get(self, name: str, key: str) -> nbformat.NotebookNode | None:
        path = self.path(name, key)
        try:
            data = self.fs.cat_file(path) if self.url else Path(path).read_bytes()
        except (OSError, FileNotFoundError):
            return None
        notebook = _valid(data, key)
        if notebook is not None:
            self._touch(path)
        return notebook  # a damaged entry is a miss; it is rewritten on the next run

    def put(self, name: str, key: str, notebook: nbformat.NotebookNode) -> str:
        notebook.metadata.setdefault("glossary", {})["key"] = key
        data = nbformat.writes(notebook).encode("utf-8")
        path = self.path(name, key)
        if not self.url:
            atomic_write(Path(path), data, force=True)
            return path
        folder, entry = path.rsplit("/", 1)
        tmp = f"{folder}/.{entry}.{int(time.time())}.{uuid.uuid4().hex[:12]}.tmp"
        self.fs.makedirs(folder, exist_ok=True)
        try:
            self.fs.pipe_file(tmp, data)
            self.fs.mv(tmp, path)
        finally:
            with contextlib.suppress(OSError, FileNotFoundError):
                if self.fs.exists(tmp):
                    self.fs.rm_file(tmp)
        self._touch(path)
        return path

    def _touch(self, path: str) -> None:
        """Mark the entry as used now (what eviction orders by)."""
        with contextlib.suppress(OSError):
            if self.url:
                self.fs.pipe_file(path[: -len(".ipynb")] + ".used", repr(time.time()).encode())
            else:
                os.utime(path)

    def entries(self) -> list[tuple[float, int, str]]:
        """(last used, size, path) of every entry, and of stale temporary files (last used 0)."""
        found: list[tuple[float, int, str]] = []
        now = time.time()
        if not self.url:
            for folder, _, names in os.walk(self.directory / "examples"):
                for entry in names:
                    path = os.path.join(folder, entry)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    if entry.endswith(".ipynb"):
                        found.append((stat.st_mtime, stat.st_size, path))
                    elif entry.endswith(".tmp") and now - stat.st_mtime > self.STALE_TMP_SECONDS:
                        found.append((0.0, stat.st_size, path))
            return found
        try:
            listing = self.fs.find(f"{self.root}/examples", detail=True)
        except (OSError, FileNotFoundError):
            return found
        stamps = [p for p in listing if p.endswith(".used")]
        used = self.fs.cat(stamps, on_error="omit") if stamps else {}
        for path, info in listing.items():
            entry = path.rsplit("/", 1)[-1]
            if entry.endswith(".ipynb"):
                stamp = used.get(path[: -len(".ipynb")] + ".used", b"0")
                try:
                    when = float(stamp)
                except ValueError:
                    when = 0.0
                found.append((when, int(info.get("size") or 0), path))
            elif entry.endswith(".tmp"):
                parts = entry.rsplit(".", 3)
                born = float(parts[1]) if len(parts) == 4 and parts[1].isdigit() else 0.0
                if now - born > self.STALE_TMP_SECONDS:
                    found.append((0.0, int(info.get("size") or 0), path))
        return found

    def evict(self) -> list[str]:
        """Remove the least recently used entries until the cache holds at most max_bytes; the
        paths removed, oldest first."""
        entries = sorted(self.entries())
        total = sum(size for _, size, _ in entries)
        removed = []
        for _, size, path in entries:
            if total <= self.max_bytes and not path.endswith(".tmp"):
                break
            with contextlib.suppress(OSError, FileNotFoundError):
                if self.url:
                    self.fs.rm_file(path)
                    if path.endswith(".ipynb"):
                        with contextlib.suppress(OSError, FileNotFoundError):
                            self.fs.rm_file(path[: -len(".ipynb")] + ".used")
                else:
                    os.unlink(path)
            total -= size
            removed.append(path)
        return removed


def _valid(data: bytes, key: str) -> nbformat.NotebookNode | None:
    """The notebook an entry holds, if it is whole and is the entry for ``key``."""
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    except (ValueError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError):
        return None
    meta = notebook.get("metadata", {}).get("glossary")
    if not isinstance(meta, dict) or meta.get("key") != key or not isinstance(notebook.get("cells"), list):
        return None
    return notebook
