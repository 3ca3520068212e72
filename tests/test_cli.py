"""The glossary command: exit codes, output formats, writers, and what it imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from glossary_tools.cli import main

from .conftest import REPO


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_project_exits_0_and_strict_fails_on_warnings(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--root", str(fixture_project), "check")
    assert code == 0 and "0 errors, 3 warnings" in out
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--strict")
    assert code == 1


def test_errors_exit_1_with_positions_and_hints(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    entry = fixture_project / "content/glossary/beta.en.md"
    entry.write_text(entry.read_text().replace("category: Fundamentals", "category: Fundamentalz"))
    code, out, _ = run(capsys, "--root", str(fixture_project), "check")
    assert code == 1
    assert "content/glossary/beta.en.md:3:11: error[unknown-category]: unknown category 'Fundamentalz'" in out
    assert "  hint: did you mean 'Fundamentals'?" in out


def test_json_and_github_formats(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (fixture_project / "content/glossary/beta.es.md").write_text("---\ntitle: Beta\ntitle: Beta\n---\n[7]\n")
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["summary"]["errors"] == 2
    rules = {(d["path"], d["line"], d["column"], d["rule"]) for d in data["diagnostics"]}
    assert ("content/glossary/beta.es.md", 3, 1, "duplicate-key") in rules
    assert ("content/glossary/beta.es.md", 5, 1, "source-ref") in rules
    assert set(data["diagnostics"][0]) == {"path", "line", "column", "severity", "rule", "message", "hint"}
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "github")
    assert "::error file=content/glossary/beta.es.md,line=3,col=1,title=duplicate-key::" in out


def test_check_of_one_file_only(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (fixture_project / "content/glossary/beta.es.md").write_text("---\ntitle: [x\n---\n")
    code, out, _ = run(capsys, "--root", str(fixture_project), "check",
                       str(fixture_project / "content/glossary/beta.pt.md"))
    assert code == 0 and "1 files checked" in out


def test_configuration_problem_exits_2(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (fixture_project / "content/categories.yml").write_text("- not a mapping\n")
    code, _, err = run(capsys, "--root", str(fixture_project), "check")
    assert code == 2 and "error[config]" in err and "Traceback" not in err


def test_usage_problem_exits_2(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2


def test_check_imports_neither_torch_nor_mkdocs(fixture_project: Path) -> None:
    code = ("import sys; from glossary_tools.cli import main; rc = main(['--root', sys.argv[1], 'check']);"
            "bad = [m for m in ('torch', 'mkdocs', 'nbclient', 'jupytext') if m in sys.modules];"
            "print('heavy:', bad); sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code, str(fixture_project)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "heavy: []" in result.stdout


def test_new_writes_once_and_refuses_to_overwrite(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--root", str(fixture_project), "new", "delta", "--category", "models")
    path = fixture_project / "content/glossary/delta.en.md"
    assert code == 0 and path.is_file()
    path.write_text(path.read_text().replace("Author, Title, Year", "Someone, Delta, 2020")
                    .replace('url: https://', "url: https://example.org/delta"))
    before = path.read_text()
    code, _, err = run(capsys, "--root", str(fixture_project), "new", "delta", "--category", "models")
    assert code == 2 and "already exists" in err and path.read_text() == before
    code, _, _ = run(capsys, "--root", str(fixture_project), "new", "delta", "--lang", "pt", "--title", "Delta")
    assert code == 0
    pt = (fixture_project / "content/glossary/delta.pt.md").read_text()
    assert "category" not in pt  # translations inherit the language-neutral fields
    assert not list(path.parent.glob(".*.tmp"))  # no temporary files left behind
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()  # readable by the web server, like any new file


def _umask() -> int:
    import os

    current = os.umask(0o022)
    os.umask(current)
    return current


def test_titles_with_control_characters_or_bad_bytes_are_refused(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--root", str(fixture_project), "new", "delta", "--category", "models",
                       "--title", "Del\udcffta")
    assert code == 2 and "not valid UTF-8" in err and "Traceback" not in err
    entry = fixture_project / "content/glossary/alpha-net.en.md"
    text = entry.read_text()
    first_title = next(line for line in text.splitlines() if line.startswith("title:"))
    entry.write_text(text.replace(first_title, 'title: "Alpha\\u202eNet\\x1b"', 1))
    code, out, _ = run(capsys, "--root", str(fixture_project), "check")
    assert code == 1 and "control character U+202E" in out


def test_a_symlink_loop_given_as_path_exits_2(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    loop = fixture_project / "content/glossary/loop.en.md"
    loop.symlink_to(loop.name)
    code, _, err = run(capsys, "--root", str(fixture_project), "check", str(loop))
    assert code == 2 and "symlink loop" in err and "Traceback" not in err


@pytest.mark.parametrize("slug", ["../../etc/passwd", "Bad Slug", "/abs", "a" * 300, "index", "translations"])
def test_new_refuses_bad_slugs(fixture_project: Path, capsys, slug: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--root", str(fixture_project), "new", slug, "--category", "models")
    assert code == 2 and "invalid-slug" in err
    assert not (fixture_project / "etc").exists()


def test_examples_list(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--root", str(fixture_project), "examples", "list")
    assert code == 0 and "tiny" in out and "alpha-net" in out and "not run" in out


def test_repository_content_is_strictly_clean(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--root", str(REPO), "check", "--strict")
    assert code == 0, out
    assert "0 errors, 0 warnings" in out


def test_helper_modules_are_not_examples(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (fixture_project / "examples/_shared.py").write_text("VALUE = 1\n")
    code, out, _ = run(capsys, "--root", str(fixture_project), "examples", "list")
    assert code == 0 and "tiny" in out and "_shared" not in out


def _set_option(project: Path, line: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      cell_timeout: 300", f"      cell_timeout: {line}"))


def test_bad_option_is_a_config_diagnostic_at_its_line(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _set_option(fixture_project, "five")
    code, out, err = run(capsys, "--root", str(fixture_project), "check")
    line = next(i for i, text in enumerate((fixture_project / "mkdocs.yml").read_text().splitlines(), 1)
                if "cell_timeout" in text)
    assert code == 2 and f"mkdocs.yml:{line}:" in err and "error[config]" in err and "whole number" in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "json")
    assert code == 2 and json.loads(out)["diagnostics"][0]["rule"] == "config"  # JSON stays JSON


def test_env_tag_in_options_is_resolved(fixture_project: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _set_option(fixture_project, "!ENV [GLOSSARY_TEST_TIMEOUT, 300]")
    code, _, err = run(capsys, "--root", str(fixture_project), "check")
    assert code == 0, err
    monkeypatch.setenv("GLOSSARY_TEST_TIMEOUT", "0")
    code, _, err = run(capsys, "--root", str(fixture_project), "check")
    assert code == 2 and "at least 1" in err


@pytest.mark.parametrize("path", ["content/glossary/typo.en.md", "does/not/exist", "/etc"])
def test_check_of_a_missing_or_outside_path_exits_2(fixture_project: Path, capsys, path: str) -> None:  # type: ignore[no-untyped-def]
    target = path if path.startswith("/") else str(fixture_project / path)
    code, out, err = run(capsys, "--root", str(fixture_project), "check", target)
    assert code == 2 and "error[config]" in err and "0 errors" not in out


def test_mkdocs_schema_accepts_defaults_and_rejects_bad_values() -> None:
    """The plugin's MkDocs schema (what `mkdocs build` validates) takes an empty config and says why a value is bad."""
    from glossary_tools.mkdocs_plugin.config import GlossaryConfig

    config = GlossaryConfig()
    config.load_dict({})
    failed, _ = config.validate()
    assert not failed and config["external_exclude"] == [] and config["cell_timeout"] == 300
    for name, bad, why in (("external_exclude", "https://a.example/*", "list of text"),
                           ("cell_timeout", 0, "at least 1")):
        config = GlossaryConfig()
        config.load_dict({name: bad})
        failed, _ = config.validate()
        assert [(key, why in str(error)) for key, error in failed] == [(name, True)]


@pytest.mark.parametrize("name", ["../../outside", "/etc/passwd", "missing", "_helper"])
def test_examples_run_accepts_only_example_names(fixture_project: Path, capsys, name: str) -> None:  # type: ignore[no-untyped-def]
    outside = fixture_project.parent / "outside.py"
    outside.write_text("open(__file__ + '.ran', 'w').close()\n")
    (fixture_project / "examples" / "_helper.py").write_text("open(__file__ + '.ran', 'w').close()\n")
    code, _, err = run(capsys, "--root", str(fixture_project), "examples", "run", name)
    assert code == 2 and "is not an example" in err and "Traceback" not in err
    assert not list(fixture_project.parent.rglob("*.ran"))


@pytest.mark.parametrize("change", [
    ("docs_dir: content", "docs_dir: /etc"),
    ("docs_dir: content", "docs_dir: [x]"),
    ("        - locale: es", "        - locale: ../x"),
    ("        - locale: es", "        - locale: en"),
])
def test_unusable_configuration_exits_2(fixture_project: Path, capsys, change: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    config = fixture_project / "mkdocs.yml"
    assert change[0] in config.read_text()
    config.write_text(config.read_text().replace(change[0], change[1], 1))
    code, _, err = run(capsys, "--root", str(fixture_project), "check")
    assert code == 2 and "error[config]" in err and "Traceback" not in err


def test_languages_that_are_not_a_list_exit_2(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    config = fixture_project / "mkdocs.yml"
    text = config.read_text()
    start, end = text.index("      languages:"), text.index("  - mkdocs-jupyter")
    config.write_text(text[:start] + "      languages: 5\n" + text[end:])
    code, _, err = run(capsys, "--root", str(fixture_project), "check")
    assert code == 2 and "must be a list" in err


def test_a_bad_exclude_expression_exits_2(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--root", str(fixture_project), "check", "--external", "--exclude", "re:(")
    assert code == 2 and "does not compile" in err


def test_category_ids_must_be_url_safe(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    categories = fixture_project / "content" / "categories.yml"
    categories.write_text(categories.read_text() + '"../../x":\n  label: {en: X}\n')
    code, _, err = run(capsys, "--root", str(fixture_project), "check")
    assert code == 2 and "category id '../../x'" in err


@pytest.mark.parametrize("title", ["a\n---\nb: c", "x" * 300, "  "])
def test_new_refuses_titles_check_would_reject(fixture_project: Path, capsys, title: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--root", str(fixture_project), "new", "delta", "--category", "models",
                       "--title", title)
    assert code == 2 and "error[field-type]" in err
    assert not (fixture_project / "content/glossary/delta.en.md").exists()


def test_new_force_on_the_default_language_keeps_the_neutral_fields(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(capsys, "--root", str(fixture_project), "new", "beta", "--force", "--category", "models")
    assert code == 0 and "category: models" in (fixture_project / "content/glossary/beta.en.md").read_text()


@pytest.mark.parametrize("command", ["stamp", "diff"])
def test_translations_take_only_entry_slugs(fixture_project: Path, capsys, command: str) -> None:  # type: ignore[no-untyped-def]
    (fixture_project / "other").mkdir()
    (fixture_project / "other" / "z.pt.md").write_text("---\ntitle: Z\n---\n\nZ.\n")
    code, _, err = run(capsys, "--root", str(fixture_project), "translations", command, "../../other/z", "--lang", "pt")
    assert code == 2 and "invalid-slug" in err
    assert (fixture_project / "other" / "z.pt.md").read_text() == "---\ntitle: Z\n---\n\nZ.\n"


def test_new_writes_the_title_into_the_body_as_text(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, _ = run(capsys, "--root", str(fixture_project), "new", "delta", "--category", "models",
                     "--title", "<img src=x onerror=alert(1)> [7] [l](nowhere.md)")
    assert code == 0
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "json")
    mine = [d["rule"] for d in json.loads(out)["diagnostics"] if "delta.en.md" in d["path"] and d["severity"] == "error"]
    assert mine == []


def test_machine_formats_stay_valid_with_file_names_that_are_not_utf8(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import os

    glossary = os.fsencode(fixture_project / "content" / "glossary")
    with open(glossary + b"/bad\xff q%0A.en.md", "wb") as handle:
        handle.write(b"---\ntitle: Bad\n---\n\nBad.\n")
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "json")
    assert code == 1 and any("\\udcff" in d["path"] for d in json.loads(out.encode("utf-8"))["diagnostics"])
    code, out, _ = run(capsys, "--root", str(fixture_project), "check", "--format", "sarif")
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]]
    assert any("%25" in u and "%20" in u for u in uris)  # percent-encoded: '%0A' in a name is not a newline
