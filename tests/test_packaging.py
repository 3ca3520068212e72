"""The package installed from its wheel into someone else's MkDocs project.

The checker alone needs no MkDocs; with the [site] extra, a plain MkDocs project (one language,
`plugins: [search, glossary]`, two entries, no examples folder, no categories.yml) builds its
entry pages, and a broken related link fails the build; a three-language project with
mkdocs-static-i18n builds every language.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", out, REPO)
    (found,) = out.glob("glossary_tools-*.whl")
    return found


def _venv(root: Path, requirement: str) -> Path:
    venv.EnvBuilder(with_pip=True).create(root)
    python = root / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement)
    return python


ENTRIES = {
    "neuron.md": "---\ntitle: Neuron\ncategory: Basics\nrelated: [layer]\n---\n\nA neuron sums its weighted inputs.\n",
    "layer.md": "---\ntitle: Layer\ncategory: Basics\n---\n\nA layer is a set of [neurons](neuron.md).\n",
}


def _project(root: Path, config: str, entries: dict[str, str]) -> Path:
    (root / "docs" / "glossary").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(config)
    (root / "docs" / "index.md").write_text("# Team docs\n\nOur own pages.\n")
    for name, text in entries.items():
        (root / "docs" / "glossary" / name).write_text(text)
    return root


def test_the_checker_alone_needs_no_mkdocs(wheel: Path, tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv", str(wheel))
    assert _run(python, "-c", "import mkdocs", check=False).returncode != 0
    project = _project(tmp_path / "p", "site_name: T\nplugins: [search, glossary]\n", ENTRIES)
    result = _run(tmp_path / "venv" / "bin" / "glossary", "check", cwd=project)
    assert "2 files checked: 0 errors" in result.stdout


@pytest.fixture(scope="module")
def site_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _venv(tmp_path_factory.mktemp("site-venv") / "venv", f"{wheel}[site]")


def test_a_plain_mkdocs_project_gets_entry_pages(site_python: Path, tmp_path: Path) -> None:
    project = _project(tmp_path, "site_name: Team docs\nplugins:\n  - search\n  - glossary\n", ENTRIES)
    _run(site_python, "-m", "mkdocs", "build", "--strict", cwd=project)
    neuron = (project / "site" / "glossary" / "neuron" / "index.html").read_text()
    assert ">Neuron</h1>" in neuron and 'href="../layer/"' in neuron
    assert "neuron" in (project / "site" / "glossary" / "index.html").read_text()
    home = (project / "site" / "index.html").read_text()
    assert 'href="glossary/neuron/"' not in home and 'href="glossary/"' in home  # the index is in the nav, entries not
    (project / "docs" / "glossary" / "neuron.md").write_text(ENTRIES["neuron.md"].replace("[layer]", "[layr]"))
    broken = _run(site_python, "-m", "mkdocs", "build", cwd=project, check=False)
    assert broken.returncode == 1 and "unresolved-related" in broken.stdout + broken.stderr


I18N = """site_name: Team docs
theme:
  name: material
plugins:
  - search
  - glossary
  - i18n:
      docs_structure: suffix
      languages:
        - {locale: en, default: true, name: English, build: true}
        - {locale: pt, name: Português, build: true}
        - {locale: es, name: Español, build: true}
"""


def test_a_three_language_project_builds_every_language(site_python: Path, tmp_path: Path) -> None:
    entries = {"neuron.en.md": ENTRIES["neuron.md"], "layer.en.md": ENTRIES["layer.md"],
               "neuron.pt.md": "---\ntitle: Neurônio\n---\n\nUm neurônio soma as entradas.\n",
               "neuron.es.md": "---\ntitle: Neurona\n---\n\nUna neurona suma sus entradas.\n"}
    project = _project(tmp_path, I18N, entries)
    _run(site_python, "-m", "mkdocs", "build", cwd=project)
    site = project / "site"
    assert ">Neurônio</h1>" in (site / "pt" / "glossary" / "neuron" / "index.html").read_text()
    assert ">Neurona</h1>" in (site / "es" / "glossary" / "neuron" / "index.html").read_text()
    assert ">Layer</h1>" in (site / "es" / "glossary" / "layer" / "index.html").read_text()  # falls back to English
    # the plugin's theme overrides travel in the wheel: the chrome in each language, its script
    pt = (site / "pt" / "glossary" / "neuron" / "index.html").read_text()
    assert "Feito com" in pt and "assets/glossary-chrome.js" in pt and (site / "assets" / "glossary-chrome.js").is_file()
    assert "Página não encontrada" in (site / "pt" / "404.html").read_text()
