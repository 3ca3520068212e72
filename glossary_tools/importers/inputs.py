"""The inputs of an import: files, folders walked without following links out, standard input.

Every file is read through ``files.read_capped`` (a regular file inside its folder, at most the
size limit); links out of a folder, symlink loops, FIFOs and devices are reported, never opened.
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..files import UnsafeFile, check_file, read_capped
from ..frontmatter import MAX_FILE_BYTES
from .base import ImportProblem

TEXT_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass
class Input:
    source: str
    path: Path | None
    root: Path | None
    vault: bool = False  # a folder was imported: attachments are looked up anywhere inside it
    data: bytes | None = None
    error: str | None = None


def collect(paths: list[str], stdin: BinaryIO | None) -> Iterator[Input]:
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield Input("<stdin>", None, None, data=stream.read(MAX_FILE_BYTES + 1))
            continue
        path = Path(raw)
        if not os.path.lexists(path):
            yield Input(raw, path, None, error="does not exist")
        elif path.is_dir():
            yield from _walk(path, raw)
        else:
            root = Path(os.path.realpath(path)).parent
            yield Input(raw, path, root)


def _walk(folder: Path, shown: str) -> Iterator[Input]:
    """Text files under ``folder``; links are reported, never followed out of it."""
    root = Path(os.path.realpath(folder))
    unreadable: list[OSError] = []
    for current, dirs, files in os.walk(folder, onerror=unreadable.append):
        while unreadable:
            exc = unreadable.pop()
            yield Input(str(exc.filename), None, None, error=f"cannot be read: {exc.strerror or exc}")
        here = Path(current)
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            sub = here / name
            if sub.is_symlink():
                problem = _link_problem(sub, root, shown, folder)
                if problem.error:  # a link to a folder elsewhere inside is walked there already
                    yield problem
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            label = posixpath.join(shown.rstrip("/"), path.relative_to(folder).as_posix())
            if name.startswith("."):
                continue
            if path.is_symlink() and not _resolves_inside(path, root):
                yield _link_problem(path, root, shown, folder)
                continue
            if path.suffix.lower() in TEXT_SUFFIXES:
                yield Input(label, path, root, vault=True)
    for exc in unreadable:
        yield Input(str(exc.filename), None, None, error=f"cannot be read: {exc.strerror or exc}")


def _resolves_inside(path: Path, root: Path) -> bool:
    try:
        check_file(path, root)
    except UnsafeFile:
        return False
    return True


def _link_problem(path: Path, root: Path, shown: str, folder: Path) -> Input:
    label = posixpath.join(shown.rstrip("/"), path.relative_to(folder).as_posix())
    try:
        target = Path(os.path.realpath(path, strict=True))
    except (OSError, RuntimeError):
        return Input(label, path, root, error="is a symlink loop or a broken link: not followed")
    if target != root and root not in target.parents:
        return Input(label, path, root, error=f"is a link to {os.readlink(path)!r}, outside the folder: not followed")
    if target.is_dir():
        if target == path.parent.resolve() or target in path.parent.resolve().parents:
            return Input(label, path, root, error="is a symlink loop (a link to a folder that contains it): not followed")
        return Input(label, path, root)
    try:
        check_file(path, root)
    except UnsafeFile as exc:
        return Input(label, path, root, error=str(exc))
    return Input(label, path, root, error="is a link that cannot be imported")


def read_input(item: Input) -> str:
    data = item.data
    if data is None:
        assert item.path is not None and item.root is not None
        try:
            data = read_capped(item.path, item.root, MAX_FILE_BYTES)
        except UnsafeFile as exc:
            raise ImportProblem(str(exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportProblem(f"is larger than the limit of {MAX_FILE_BYTES:,} bytes")
    if b"\x00" in data:
        raise ImportProblem("is a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        raise ImportProblem("is empty")
    return text
