"""The few git questions the checks ask, answered by the git command; never required.

Every function returns None (or raises GitError where the caller asked for git explicitly)
when git is missing or the project is not in a repository: checking never depends on git.
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

TIMEOUT_S = 30


class GitError(Exception):
    """git was needed (--changed-since, translations diff) and could not answer."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


@cache
def toplevel(path: Path) -> Path | None:
    """The work tree that holds ``path``, or None outside git (or without git)."""
    result = _git(path, "rev-parse", "--show-toplevel")
    if result is None or result.returncode != 0:
        return None
    return Path(result.stdout.decode("utf-8", "replace").strip()).resolve()


def last_change(root: Path, file: Path) -> str | None:
    """The committer date (YYYY-MM-DD) of the last commit that changed ``file``."""
    if toplevel(root) is None:
        return None
    result = _git(root, "log", "-1", "--format=%cs", "--", str(file))
    text = result.stdout.decode("ascii", "replace").strip() if result and result.returncode == 0 else ""
    return text or None


def last_commit_dates(root: Path, folder: Path) -> dict[Path, str]:
    """For each file under ``folder`` that git knows: the committer date (ISO 8601) of the last
    commit that changed it. One ``git log`` for the whole folder, parsed once. Files never committed
    (new, or outside a repository) are absent; a change not committed yet does not count; a
    shallow clone dates the files it did not see change from the oldest commit it holds."""
    top = toplevel(root)
    if top is None:
        return {}
    result = _git(top, "-c", "core.quotePath=false", "log", "--no-renames", "--format=%x01%cI",
                  "--name-only", "--", str(folder))
    if result is None or result.returncode != 0:
        return {}
    found: dict[Path, str] = {}
    date = ""
    for line in result.stdout.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("\x01"):
            date = line[1:].strip()
        elif line and date:
            found.setdefault(top / line, date)  # newest first: the first date seen is the last change
    return found


def changed_since(root: Path, ref: str) -> set[Path]:
    """Files changed since ``ref`` (committed since the merge base, staged, unstaged) and untracked files."""
    top = toplevel(root)
    if top is None:
        raise GitError(f"{root} is not inside a git repository")
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git reference")
    found: set[Path] = set()
    for args in (("diff", "--name-only", "-z", f"{ref}...", "--"),
                 ("diff", "--name-only", "-z", "HEAD", "--"),
                 ("ls-files", "--others", "--exclude-standard", "-z")):
        result = _git(top, *args)
        if result is None or result.returncode != 0:
            if args[1] == "--name-only" and args[3] == "HEAD":
                continue  # no commit yet: nothing staged against HEAD
            message = result.stderr.decode("utf-8", "replace").strip() if result else "git is not available"
            raise GitError(message.splitlines()[0] if message else f"git {' '.join(args)} failed")
        found.update((top / name).resolve() for name in result.stdout.decode("utf-8", "surrogateescape").split("\0")
                     if name)
    return found


def history(root: Path, file: Path, limit: int = 200) -> list[str]:
    """Commits that changed ``file``, newest first (at most ``limit``)."""
    if toplevel(root) is None:
        raise GitError(f"{root} is not inside a git repository")
    result = _git(root, "log", f"-n{limit}", "--format=%H", "--", str(file))
    if result is None or result.returncode != 0:
        return []
    return result.stdout.decode("ascii", "replace").split()


def show(root: Path, commit: str, file: Path) -> bytes | None:
    """``file`` as it was in ``commit``."""
    top = toplevel(root)
    if top is None:
        return None
    rel = file.resolve().relative_to(top).as_posix()
    result = _git(top, "show", f"{commit}:{rel}")
    return result.stdout if result and result.returncode == 0 else None
