"""Reading files from the project safely: only regular files inside the root, with a size cap.

Everything the tools read from content (entries, categories, assets to publish, files to import)
goes through ``check_file`` first: a symlink that leaves the project, a device, a FIFO or a socket
is refused from ``stat`` alone, before anything is opened, and reads stop past the size cap.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs renders as pages


Stamp = tuple[int, ...]


def stamp(path: str) -> Stamp:
    """What changes when a file is written or replaced: its inode, mtime, ctime and size and, for a
    link, the same of what it points to (a write through a link changes only the target). ctime: a
    write that restores mtime and size still changes it; the inode: a file renamed over the old one
    within the same clock tick. Raises OSError when there is no such file."""
    link = os.lstat(path)
    found: Stamp = (link.st_ino, link.st_mtime_ns, link.st_ctime_ns, link.st_size)
    if stat.S_ISLNK(link.st_mode):
        target = os.stat(path)
        found += (target.st_mtime_ns, target.st_ctime_ns, target.st_size, target.st_ino)
    return found


class UnsafeFile(Exception):
    """The path is not a regular file inside the root (the message says what it is)."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path`` (after following every link) lies under ``root``."""
    try:
        real = Path(os.path.realpath(path))
    except (OSError, RuntimeError, ValueError):
        return False
    real_root = Path(os.path.realpath(root))
    return real == real_root or real_root in real.parents


def check_file(path: Path | str, root: Path) -> os.stat_result:
    """The file's stat if it is a regular file inside ``root``; else UnsafeFile, without opening it."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise UnsafeFile(f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        if not inside(path, root):
            raise UnsafeFile(f"is a link to {os.readlink(path)!r}, outside the project")
        try:
            info = os.stat(path)
        except RuntimeError:  # a symlink loop on old Pythons
            raise UnsafeFile("is a symlink loop") from None
        except OSError as exc:
            if exc.errno == 40:  # ELOOP
                raise UnsafeFile("is a symlink loop") from None
            raise UnsafeFile(f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(f"is {_kind(info.st_mode)}, not a regular file")
    if not _dir_inside(os.path.dirname(os.path.abspath(path)), os.fspath(root)):
        raise UnsafeFile("lies outside the project")
    return info


@functools.lru_cache(maxsize=1024)
def _dir_inside(directory: str, root: str) -> bool:
    """Whether a folder (after following links) lies under ``root``: asked once per folder, not per file."""
    return inside(Path(directory), Path(root))


def read_capped(path: Path | str, root: Path, limit: int) -> bytes:
    """The file's bytes, at most ``limit + 1`` of them (so callers can tell it is too large)."""
    size = check_file(path, root).st_size
    try:
        # a plain descriptor: a buffered file object costs more to make than reading a small file does
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
        try:
            return _read_up_to(fd, size, limit)
        finally:
            os.close(fd)
    except OSError as exc:
        raise UnsafeFile(f"cannot be read: {exc.strerror or exc}") from None


def _read_up_to(fd: int, size: int, limit: int) -> bytes:
    # as much as stat saw and one byte to tell EOF: reading limit + 1 at once would allocate the whole
    # cap for every file (a 2 MB buffer mapped and unmapped each time: a fifth of a check)
    want = min(size, limit) + 1
    data = os.read(fd, want)
    if len(data) == size < want:
        return data  # the usual case: all of it
    # a short read, or the file changed since stat: read on to EOF, up to the cap
    parts, total = [data], len(data)
    while data and total <= limit:
        data = os.read(fd, limit + 1 - total)
        parts.append(data)
        total += len(data)
    return b"".join(parts)
