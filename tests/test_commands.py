"""The README's other commands really work: glossary build, glossary serve, make lint, the benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import QUICK_ENV, REPO

pytestmark = pytest.mark.slow
GLOSSARY = [sys.executable, "-m", "glossary_tools.cli"]


def test_glossary_build(fixture_project: Path) -> None:
    site = fixture_project / "out"
    result = subprocess.run([*GLOSSARY, "--root", str(fixture_project), "build", "-d", str(site)],
                            capture_output=True, text=True, env={**os.environ, **QUICK_ENV}, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (site / "pt" / "glossary" / "alpha-net" / "index.html").is_file()


def test_glossary_build_fails_on_errors(fixture_project: Path) -> None:
    (fixture_project / "content/glossary/beta.en.md").write_text("---\ntitle: Beta\ncategory: nope\n---\n")
    result = subprocess.run([*GLOSSARY, "--root", str(fixture_project), "build", "-d", str(fixture_project / "out")],
                            capture_output=True, text=True, env={**os.environ, **QUICK_ENV}, timeout=600)
    assert result.returncode != 0
    assert "unknown-category" in result.stderr


def test_glossary_serve(fixture_project: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([*GLOSSARY, "--root", str(fixture_project), "serve", "-a", f"127.0.0.1:{port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **QUICK_ENV})
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/es/glossary/alpha-net/", timeout=5) as response:
                    assert response.status == 200
                    assert "Red alfa" in response.read().decode("utf-8")
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "glossary serve did not answer"
                time.sleep(1)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_lint_is_clean() -> None:
    bin_dir = Path(sys.executable).parent
    ruff = subprocess.run([str(bin_dir / "ruff"), "check", "glossary_tools", "tests", "benchmarks"],
                          cwd=REPO, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run([str(bin_dir / "mypy")], cwd=REPO, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout


def test_benchmark_prints_its_figures() -> None:
    result = subprocess.run([sys.executable, "benchmarks/check_scale.py", "--terms", "200", "--repeat", "1"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "200 x 3 languages = 600 files" in result.stdout and "ratio:" in result.stdout
