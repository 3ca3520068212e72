"""Shared fixtures: projects in temporary folders, site builds, executed examples."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
# Tests run the examples at reduced size, as CI does; the published site runs them in full.
QUICK_ENV = {"GLOSSARY_EXAMPLES_QUICK": "1", "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(project: Path, site_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Build a project with MkDocs in a subprocess, as 'glossary build' would (``args``: more options)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir), *args],
        cwd=project, capture_output=True, text=True, env={**os.environ, **QUICK_ENV, **env}, timeout=900,
    )


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    """A small three-language project (three terms, one example) to change at will."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    return project


@pytest.fixture(scope="session")
def executed_examples():  # type: ignore[no-untyped-def]
    """Every example in examples/ executed once (reduced size) for this test session."""
    from glossary_tools.notebooks.runner import run_examples
    from glossary_tools.project import load_project

    project = load_project(REPO, quick=True)
    return run_examples(project, force=True, quick=True)


@pytest.fixture(scope="session")
def built_site(executed_examples, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """The real site, built once (its examples come from the cache filled above)."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(REPO, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "examples: 0 executed" in result.stdout + result.stderr, result.stdout + result.stderr
    return site
