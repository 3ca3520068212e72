"""glossary import: golden files per shape, translations, dry runs, refusals, bad input, a property."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary_tools.checks import run_all
from glossary_tools.cli import main
from glossary_tools.diagnostics import Rule
from glossary_tools.frontmatter import MAX_FILE_BYTES
from glossary_tools.importers import detect
from glossary_tools.importers.base import ImportProblem, read_document, slugify
from glossary_tools.importers.batch import ImportOptions, import_paths
from glossary_tools.importers.langdetect import detect as detect_language
from glossary_tools.loader import load_glossary
from glossary_tools.project import load_project
from glossary_tools.schema import RESERVED_SLUGS

from .conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "import"
INPUTS = [str(FIXTURES / shape) for shape in ("canonical", "fcc", "obsidian", "page")]
EXPECTED = FIXTURES / "expected"
SHARED = next((p / "formats" for p in (REPO.parent / "shared", REPO.parent.parent / "shared")
               if (p / "formats").is_dir()), None)

# Problems an importer could make (as opposed to what the source lacked): none may follow an import.
IMPORTER_MADE = {Rule.ENCODING, Rule.FILE_TOO_LARGE, Rule.FILENAME, Rule.UNKNOWN_LANGUAGE, Rule.FRONTMATTER_MISSING,
                 Rule.FRONTMATTER_UNCLOSED, Rule.FRONTMATTER_NOT_MAPPING, Rule.YAML_SYNTAX, Rule.YAML_TOO_DEEP,
                 Rule.YAML_ALIAS, Rule.YAML_TAG, Rule.DUPLICATE_KEY, Rule.UNKNOWN_FIELD, Rule.MISSING_FIELD,
                 Rule.FIELD_TYPE, Rule.INVALID_SLUG, Rule.ALIAS_CONFLICT, Rule.TRANSLATION_CONFLICT,
                 Rule.BROKEN_LINK, Rule.BROKEN_ANCHOR, Rule.SOURCE_REF, Rule.URL_SCHEME, Rule.UNSAFE_FILE}


def run(capsys: pytest.CaptureFixture[str], project: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--root", str(project), "import", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def problems(project: Path, *, source_rules: bool = False) -> list[str]:
    """Diagnostics of the importer-made kind after an import (empty when the import is clean)."""
    proj = load_project(project)
    loaded = load_glossary(proj)
    found = [*loaded.diagnostics, *run_all(proj, loaded)]
    return [f"{d.path}:{d.line}: {d.rule.id}: {d.message}" for d in found if d.rule in IMPORTER_MADE]


GOLDEN = [
    ("canonical", ["canonical/regularizacion.es.md"]),
    ("fcc", ["fcc/guide", "--source-url", "https://guide.example.org"]),
    ("obsidian", ["obsidian/vault"]),
    ("page", ["page/red-kappa.txt"]),
]


@pytest.mark.parametrize(("shape", "argv"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_files_per_shape(fixture_project: Path, capsys, shape: str, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    args = [str(FIXTURES / argv[0]), *argv[1:]]
    code, out, _ = run(capsys, fixture_project, *args)
    assert code == 0, out
    assert f"  {shape}  " in out
    for expected in sorted((EXPECTED / shape).iterdir()):
        written = fixture_project / "content" / "glossary" / expected.name
        assert written.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8"), expected.name
    assert problems(fixture_project) == []


def test_obsidian_attachments_copied_and_missing_ones_reported(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, fixture_project, str(FIXTURES / "obsidian" / "vault"))
    assert code == 0
    copied = list((fixture_project / "content" / "assets" / "imported").iterdir())
    assert [p.suffix for p in copied] == [".png"]
    assert copied[0].read_bytes() == (FIXTURES / "obsidian/vault/anexos/diagrama teta.png").read_bytes()
    assert "imagem ausente.png' is not in the vault" in out
    assert "[[Nota Que Não Existe]] kept as text" in out


def test_fcc_links_without_source_url_are_reported(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, fixture_project, str(FIXTURES / "fcc" / "guide"))
    assert code == 0
    text = (fixture_project / "content/glossary/rede-delta.pt.md").read_text(encoding="utf-8")
    assert "[rede épsilon](rede-epsilon.md)" in text and "rede-zeta" not in text
    assert "link to 'rede-zeta' kept as text" in out
    assert problems(fixture_project) == []


@pytest.mark.skipif(SHARED is None, reason="../shared/formats is not here (CI has it)")
def test_the_four_shared_samples(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert SHARED is not None
    glossary = fixture_project / "content" / "glossary"
    code, out, _ = run(capsys, fixture_project, str(SHARED / "canonical-pt.md"), str(SHARED / "obsidian-note-pt.md"),
                       str(SHARED / "glossary-page-text-pt.txt"))
    assert code == 0, out
    canonical = glossary / "aprendizagem-profunda.pt.md"
    head = yaml.safe_load(canonical.read_text(encoding="utf-8").split("---")[1])
    assert head["category"] == "fundamentals" and head["related"] == ["rete_neurale", "inferenza"]
    assert len(head["sources"]) == 2 and head["title"].startswith("Aprendizagem Profunda:")
    note = (glossary / "obsidian-note-pt.pt.md").read_text(encoding="utf-8")
    assert "![[" not in note and note.count("image not found") == 3
    page = (glossary / "dropout.en.md").read_text(encoding="utf-8")  # the body is English, the chrome Portuguese
    assert "category: techniques" in page and "## Exemplo" in page
    assert "Últimas" not in page and "Glossário" not in page and "Termos relacionados" not in page
    # the freeCodeCamp article is the same term in the same language: refused, named
    code, out, err = run(capsys, fixture_project, str(SHARED / "freecodecamp-guide-pt.md"))
    assert code == 1 and "aprendizagem-profunda.pt.md already exists" in err
    code, out, _ = run(capsys, fixture_project, str(SHARED / "freecodecamp-guide-pt.md"), "--force", "--dry-run")
    assert code == 0 and "  fcc  " in out
    report = problems(fixture_project)
    assert report == [], report


@pytest.mark.skipif(SHARED is None, reason="../shared/formats is not here (CI has it)")
def test_shared_samples_shapes_and_languages() -> None:
    assert SHARED is not None
    expected = {"canonical-pt.md": ("canonical", "pt"), "freecodecamp-guide-pt.md": ("fcc", "pt"),
                "obsidian-note-pt.md": ("obsidian", "pt"), "glossary-page-text-pt.txt": ("page", None)}
    for name, (shape, lang) in expected.items():
        text = (SHARED / name).read_text(encoding="utf-8")
        assert detect(text, SHARED / name)[0] == shape, name
        if lang:
            assert detect_language(text).lang == lang, name


def test_attach_as_translation_adds_the_alias_and_reports_conflicts(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    glossary = fixture_project / "content" / "glossary"
    (glossary / "alpha-net.es.md").unlink()
    source = tmp_path / "red-alfa.md"
    source.write_text("---\ntitle: Red Alfa\ncategory: training\nlang: es\n---\n\nLa **red alfa** es una red de prueba.\n",
                      encoding="utf-8")
    english_before = (glossary / "alpha-net.en.md").read_text(encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(source), "--as", "alpha-net")
    assert code == 0, out
    written = (glossary / "alpha-net.es.md").read_text(encoding="utf-8")
    assert written.startswith("---\ntitle: Red Alfa\n---\n") and "category" not in written
    assert "category 'training' differs from the term's 'models'" in out
    english = yaml.safe_load((glossary / "alpha-net.en.md").read_text(encoding="utf-8").split("---")[1])
    assert english["aliases"] == ["rede-alfa", "red-alfa"]
    before = yaml.safe_load(english_before.split("---")[1])
    assert {k: v for k, v in english.items() if k != "aliases"} == {k: v for k, v in before.items() if k != "aliases"}
    assert english_before.split("---", 2)[2].strip() == (glossary / "alpha-net.en.md").read_text().split("---", 2)[2].strip()
    assert problems(fixture_project) == []


def test_attach_by_title_and_by_source_url(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    by_title = tmp_path / "gamma.md"
    by_title.write_text("---\ntitle: GAMMA\nlang: pt\n---\n\nA **gama** é um termo de teste.\n", encoding="utf-8")
    by_url = tmp_path / "beta.md"
    by_url.write_text("---\ntitle: Beta en español\nlang: es\nsources:\n  - text: Fuente\n    url: https://example.org/beta\n"
                      "---\n\nLa **beta** es el segundo término [1].\n", encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(by_title), str(by_url))
    assert code == 0, out
    glossary = fixture_project / "content" / "glossary"
    assert (glossary / "gamma.pt.md").is_file() and (glossary / "beta.es.md").is_file()
    assert "beta-en-espanol" in (glossary / "beta.es.md").read_text(encoding="utf-8")  # beta had no aliases
    assert problems(fixture_project) == []


def test_dry_run_writes_nothing(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(fixture_project)
    code, out, _ = run(capsys, fixture_project, *INPUTS, "--dry-run")
    assert code == 0, out
    assert "would write content/glossary/rede-teta.pt.md" in out and "would copy" in out
    assert snapshot(fixture_project) == before


def test_existing_target_needs_force_and_stays_unchanged(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "beta.md"
    source.write_text("---\ntitle: Beta\nlang: en\n---\n\nAnother text.\n", encoding="utf-8")
    target = fixture_project / "content/glossary/beta.en.md"
    before = snapshot(fixture_project)
    code, _, err = run(capsys, fixture_project, str(source))
    assert code == 1 and "content/glossary/beta.en.md already exists" in err and str(source) in err
    assert snapshot(fixture_project) == before
    code, _, _ = run(capsys, fixture_project, str(source), "--force")
    assert code == 0 and "Another text." in target.read_text(encoding="utf-8")


def test_importing_twice_with_force_gives_identical_files(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    args = [*INPUTS, "--source-url", "https://guide.example.org"]
    assert run(capsys, fixture_project, *args)[0] == 0
    first = snapshot(fixture_project)
    code, out, _ = run(capsys, fixture_project, *args, "--force")
    assert code == 0, out
    assert snapshot(fixture_project) == first
    assert problems(fixture_project) == []


def test_bad_inputs_fail_alone_with_messages(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text("# Épsilon\n\nThe epsilon term is a small test entry that is written in English.\n",
                                    encoding="utf-8")
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "empty.md").write_text("  \n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 com leite".encode("latin-1"))
    (folder / "huge.md").write_bytes(b"# Huge\n" + b"x" * (MAX_FILE_BYTES + 10))
    (folder / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nBody text here.\n", encoding="utf-8")
    (folder / "bad-toml.md").write_text("+++\ntitle = \n+++\nBody\n", encoding="utf-8")
    (folder / "bad-json.md").write_text("{\n\"title\": \n}\nBody\n", encoding="utf-8")
    (folder / "punct.md").write_text("--- *** ... !!! ???\n", encoding="utf-8")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "out.md").symlink_to("/etc/hostname")
    (folder / "sub").symlink_to(folder)
    os.mkfifo(folder / "pipe.md")
    code, out, err = run(capsys, fixture_project, str(folder), "--lang", "en")
    assert code == 1
    assert (fixture_project / "content/glossary/epsilon.en.md").is_file()
    for name, message in [("binary.md", "binary"), ("empty.md", "is empty"), ("latin1.txt", "not UTF-8"),
                          ("huge.md", "larger than"), ("bad-yaml.md", "invalid YAML"), ("bad-toml.md", "TOML"),
                          ("bad-json.md", "JSON"), ("loop.md", "loop"), ("out.md", "outside"),
                          ("sub", "loop"), ("pipe.md", "FIFO"), ("punct.md", "shape is not one")]:
        assert any(name in line and message in line for line in err.splitlines()), (name, err)
    assert problems(fixture_project) == []


def test_single_bad_paths(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo(tmp_path / "fifo")
    code, _, err = run(capsys, fixture_project, str(tmp_path / "fifo"), str(tmp_path / "missing.md"))
    assert code == 1 and "FIFO" in err and "does not exist" in err
    code, _, err = run(capsys, fixture_project, str(tmp_path), "--as", "../../etc/passwd")
    assert code == 2 and "not a slug" in err


def test_reserved_and_untransliterable_titles_ask_for_as(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "index.md"
    source.write_text("# Index\n\nThe index is the list of every term of the glossary in order.\n", encoding="utf-8")
    code, _, err = run(capsys, fixture_project, str(source), "--lang", "en")
    assert code == 1 and "generated page" in err and "--as" in err
    assert run(capsys, fixture_project, str(source), "--lang", "en", "--as", "term-index")[0] == 0
    assert {"index", "categories", "translations", "category", "examples"} <= RESERVED_SLUGS


def test_stdin_and_unsure_language(fixture_project: Path, tmp_path) -> None:
    project = load_project(fixture_project)
    text = "# Zeta\n\nZeta é um termo de teste escrito em português para a entrada padrão do importador.\n"
    result = import_paths(project, ["-"], ImportOptions(), stdin=io.BytesIO(text.encode()))
    assert not result.failed and result.rows[0].lang == "pt" and result.rows[0].slug == "zeta"
    result = import_paths(project, ["-"], ImportOptions(as_slug="eta"), stdin=io.BytesIO(b"Eta ok\n"))
    assert result.failed and "--lang" in (result.rows[0].error or "")


def test_front_matter_language_wins_over_the_batch_option(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "nu.md"
    source.write_text("---\ntitle: Red Nu\nlocale: es-ES\n---\n\nOk.\n", encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(source), "--lang", "pt")
    assert code == 0 and (fixture_project / "content/glossary/red-nu.es.md").is_file()
    assert "its front matter says 'es-ES'" in out


def test_front_matter_values_stay_text(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    yes = tmp_path / "no.md"
    yes.write_text("---\ntitle: no\ncategory: models\nlang: en\n---\n\nThe word no, as a term.\n", encoding="utf-8")
    toml = tmp_path / "theta.md"
    toml.write_text("+++\ntitle = 2024-01-01\nlanguage = \"es\"\ncategory = \"models\"\n+++\n\nUna fecha.\n", encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(yes), str(toml))
    assert code == 0, out
    assert "title: 'no'" in (fixture_project / "content/glossary/no.en.md").read_text(encoding="utf-8")
    assert "title: '2024-01-01'" in (fixture_project / "content/glossary/2024-01-01.es.md").read_text(encoding="utf-8")


def test_read_document_handles_each_front_matter_kind() -> None:
    for text in ("---\ntitle: A\n---\nbody", "+++\ntitle = \"A\"\n+++\nbody", "{\n\"title\": \"A\"\n}\nbody"):
        doc = read_document(text, "x.md", Path("x.md"), None)
        assert doc.meta == {"title": "A"} and doc.body.strip() == "body"
    with pytest.raises(ImportProblem):
        read_document("---\na: &x [1]\nb: *x\n---\n", "x.md", Path("x.md"), None)


def test_slugs_are_ascii() -> None:
    assert slugify("Aprendizagem Profunda") == "aprendizagem-profunda"
    assert slugify("Regularización: ¿qué es?") == "regularizacion-que-es"
    assert slugify("Große Straße") == "grosse-strasse"
    assert slugify("日本語") == ""


TEXTS = {
    "en": "The learning rate controls how far each step of gradient descent moves the weights; if it is too "
          "large the loss jumps around, and if it is too small the training takes far longer than it should.",
    "pt": "A taxa de aprendizagem controla o tamanho de cada passo da descida do gradiente; se ela for grande "
          "demais a perda oscila, e se for pequena demais o treinamento demora muito mais do que deveria.",
    "es": "La tasa de aprendizaje controla el tamaño de cada paso del descenso del gradiente; si es demasiado "
          "grande la pérdida oscila, y si es demasiado pequeña el entrenamiento tarda mucho más de lo debido.",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_language_detector_on_own_texts(lang: str) -> None:
    assert detect_language(TEXTS[lang]).lang == lang


def test_language_detector_says_when_unsure() -> None:
    assert detect_language("Dropout ReLU GPU").lang is None
    assert detect_language("12345 67890 $x^2$ `code`").lang is None


def test_copying_the_whole_fixture_tree_does_not_follow_links_out(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURES / "obsidian" / "vault", vault)
    (vault / "anexos" / "secret.png").symlink_to("/etc/hostname")
    (vault / "Nota.md").write_text("# Nota\n\nUma nota de teste com uma imagem ![[secret.png]] que aponta para fora.\n",
                                   encoding="utf-8")
    code, out, err = run(capsys, fixture_project, str(vault))
    assert code == 1 and "secret.png" in err  # the link itself is reported
    assert "secret.png" in out and "not copied" in out
    assert not any("secret" in p.name for p in (fixture_project / "content/assets/imported").iterdir())


# --- property: arbitrary text imports to clean entries or gives a message ---------------------------

PIECES = ["---\n", "+++\n", "{\n", "}\n", "title: ", "localeTitle: Rede X\n", "category: models\n", "lang: pt\n",
          "related: [beta, x y]\n", "aliases: [beta, rede-alfa, gamma]\n", "sources:\n  - text: a\n    url: https://e.org/a\n",
          "sources: javascript:x\n", "[[", "]]", "[[Beta]]", "[[Beta|b]]", "![[x.png]]", "![a](img.png)", "#models ",
          "#técnicas", "$", "$$", "`", "```\n", "> [!note] T\n> body\n", "[1]", "[2]", "[a](b.md)", "[a](beta.md#nope)",
          "[a](../x/index.md)", "](", "\n", "\n\n", "# ", "## Exemplo\n", "Related terms\n", "Beta\n", "← Glossary\n",
          "Home › Glossary\n", "### More Information:\n* [A](https://e.org/b)\n", "<script>x</script>", ": ", "- ", "&a *b",
          "A rede neural aprende com os dados e ajusta os pesos das conexões em cada passo do treinamento. ",
          "The network learns from the data and adjusts the weights of its connections at each step. ",
          "La red aprende de los datos y ajusta los pesos de sus conexiones en cada paso del entrenamiento. "]
_TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=25).map("".join)
_BODY_RULES = {Rule.BROKEN_LINK, Rule.BROKEN_ANCHOR, Rule.SOURCE_REF, Rule.URL_SCHEME}  # kept as written in our own shape


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS, suffix=st.sampled_from([".md", ".txt"]), lang=st.sampled_from([None, "en", "pt"]))
def test_arbitrary_text_imports_cleanly_or_gives_a_message(fixture_project: Path, text: str, suffix: str,
                                                          lang: str | None) -> None:
    content = fixture_project / "content"
    before = snapshot(content)
    source = fixture_project.parent / f"input{suffix}"
    source.write_text(text, encoding="utf-8")
    project = load_project(fixture_project)
    try:
        result = import_paths(project, [str(source)], ImportOptions(lang=lang))
        row = result.rows[0]
        assert row.error or row.written.startswith("content/glossary/"), row
        if row.error:
            assert snapshot(content) == before
            return
        proj = load_project(fixture_project)
        loaded = load_glossary(proj)
        allowed = _BODY_RULES if row.shape == "canonical" else set()
        found = [d for d in [*loaded.diagnostics, *run_all(proj, loaded)]
                 if d.rule in IMPORTER_MADE - allowed]
        assert found == [], (text, found)
    finally:
        shutil.rmtree(content)
        for name, data in before.items():
            (content / name).parent.mkdir(parents=True, exist_ok=True)
            (content / name).write_bytes(data)


def test_vault_benchmark_prints_its_figures() -> None:
    result = subprocess.run([sys.executable, "benchmarks/import_vault.py", "--notes", "30"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "vault: 30 notes" in result.stdout and "(30 written, 0 failed" in result.stdout


def test_json_front_matter_tags_and_callouts(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    note = tmp_path / "Rede Lambda.md"
    note.write_text('{\n"title": "Rede Lambda", "tags": ["técnicas"], "created": 20240101\n}\n'
                    "A rede lambda é uma nota com [[Beta|a beta]] e um aviso.\n\n"
                    "> [!faq]+ Pergunta\n> Por que existe?\n>\n> Para os testes.\n", encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(note), "--lang", "pt")
    assert code == 0, out
    text = (fixture_project / "content/glossary/rede-lambda.pt.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Rede Lambda\ncategory: techniques\nrelated:\n- beta\n---\n")
    assert "[a beta](beta.md)" in text
    assert '???+ question "Pergunta"\n    Por que existe?\n\n    Para os testes.\n' in text


def test_alias_holder_with_comments_is_not_rewritten(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    glossary = fixture_project / "content" / "glossary"
    english = glossary / "alpha-net.en.md"
    english.write_text(english.read_text(encoding="utf-8").replace("aliases: [rede-alfa]",
                                                                   "aliases: [rede-alfa]  # spellings"), encoding="utf-8")
    (glossary / "alpha-net.es.md").unlink()
    before = english.read_bytes()
    source = tmp_path / "red.md"
    source.write_text("# Red Alfa\n\nLa red alfa es una red de prueba que usamos en los tests del importador.\n",
                      encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(source), "--as", "alpha-net")
    assert code == 0 and english.read_bytes() == before
    assert "add red-alfa to 'aliases' in content/glossary/alpha-net.en.md by hand" in out
    assert problems(fixture_project) == []


def test_link_to_a_folder_inside_is_walked_once(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURES / "obsidian" / "vault", vault)
    (vault / "atalho").symlink_to(vault / "notas")
    code, out, err = run(capsys, fixture_project, str(vault))
    assert code == 0, err
    assert out.count("Rede Iota.md") == 1


def test_standard_input_through_the_command(fixture_project: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = "Categoria: Modelos\n\nRede Mu\n\nA rede mu é um termo de teste lido da entrada padrão do comando.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, out, _ = run(capsys, fixture_project, "-", "--format", "page")
    assert code == 0, out
    written = (fixture_project / "content/glossary/rede-mu.pt.md").read_text(encoding="utf-8")
    assert written == "---\ntitle: Rede Mu\ncategory: models\n---\n\nA rede mu é um termo de teste lido da entrada padrão do comando.\n"


@pytest.mark.slow
def test_imported_entries_build_strictly(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from .conftest import mkdocs_build

    code, out, _ = run(capsys, fixture_project, *INPUTS, "--category", "models",
                       "--source-url", "https://guide.example.org")
    assert code == 0, out
    result = mkdocs_build(fixture_project, tmp_path / "site", GLOSSARY_EXECUTE="0")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site" / "pt" / "glossary" / "rede-teta" / "index.html").read_text(encoding="utf-8")
    assert "../../../assets/imported/diagrama-teta-" in page and 'class="admonition tip"' in page


def test_reserved_slugs_in_new_and_check(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--root", str(fixture_project), "new", "categories", "--category", "models"]) == 2
    assert "generated page" in capsys.readouterr().err
    (fixture_project / "content/glossary/index.en.md").write_text("---\ntitle: Index\ncategory: models\n---\n")
    assert main(["--root", str(fixture_project), "check"]) == 1
    assert "error[filename]: the slug 'index' is the name of a generated page" in capsys.readouterr().out


def test_references_without_sources_become_text(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "xi.txt"
    page.write_text("Modelos\n\nRede Xi\n\nA rede xi aparece em dois artigos [1][2] e num livro `[3]` de teste.\n",
                    encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(page))
    assert code == 0, out
    text = (fixture_project / "content/glossary/rede-xi.pt.md").read_text(encoding="utf-8")
    assert "artigos \\[1]\\[2] e num livro `[3]`" in text and "2 [n] without a source kept as text" in out
    assert problems(fixture_project) == []


OMICRON_PAGE = """Inicio › Glosario › Rede Ômicron
Volver al glosario

Técnicas
Rede Ômicron

A rede ômicron é um termo inventado: ela descreve uma forma de treinar redes com poucos exemplos e muita regularização.

Exemplo

Com dez exemplos por classe, a rede ômicron ainda generaliza bem.

Términos relacionados
Beta, Gamma

Compartir en
Suscríbete a nuestro boletín
Últimas noticias
Un titular cualquiera
© 2026 Sitio de ejemplo. Todos los derechos reservados.
"""


def test_page_with_spanish_chrome_and_portuguese_body(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "omicron.txt"
    page.write_text(OMICRON_PAGE, encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(page))
    assert code == 0, out
    assert (fixture_project / "content/glossary/rede-omicron.pt.md").read_text(encoding="utf-8") == (
        "---\ntitle: Rede Ômicron\ncategory: techniques\nrelated:\n- beta\n- gamma\n---\n\n"
        "A rede ômicron é um termo inventado: ela descreve uma forma de treinar redes com poucos exemplos e muita "
        "regularização.\n\n## Exemplo\n\nCom dez exemplos por classe, a rede ômicron ainda generaliza bem.\n")


def test_rules_around_text_are_not_front_matter(fixture_project: Path, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    note = tmp_path / "Rede Pi.md"
    note.write_text("---\n\nA rede pi é uma nota que começa com uma linha horizontal e [[Beta]] no texto.\n\n---\n\nFim.\n",
                    encoding="utf-8")
    code, out, _ = run(capsys, fixture_project, str(note))
    assert code == 0, out
    text = (fixture_project / "content/glossary/rede-pi.pt.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Rede Pi\nrelated:\n- beta\n---\n\n---\n\nA rede pi")
    assert problems(fixture_project) == []


def test_an_svg_attachment_with_script_is_not_copied(fixture_project: Path, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (vault / "plain.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>')
    (vault / "Rede neural.md").write_text("A rede neural aprende pesos.\n\n![[evil.svg]] ![[plain.svg]]\n")
    code, out, _ = run(capsys, fixture_project, str(vault), "--lang", "pt", "--category", "models")
    assert "evil.svg' is an SVG with script" in out
    copied = sorted(p.name for p in (fixture_project / "content" / "assets" / "imported").glob("*.svg"))
    assert len(copied) == 1 and copied[0].startswith("plain-")


def test_the_import_table_escapes_control_characters_in_names(fixture_project: Path, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "n\x1b[2Jote\nerror: forged.md").write_text("---\ntitle: Forged\nlang: en\n---\n\nA forged note.\n")
    code, out, err = run(capsys, fixture_project, str(folder), "--category", "models")
    assert "\x1b" not in out + err and "\\x1b[2J" in out
    assert not any(line.startswith("error: forged") for line in (out + err).splitlines())


def test_what_check_will_say_of_an_imported_file_is_a_to_do(fixture_project: Path, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "zeta.md"
    source.write_text("---\ntitle: Zeta\ncategory: models\nsources:\n  - text: A\n    url: https://a.org\n---\n\n"
                      "Zeta [3] <script>x</script>\n")
    code, out, _ = run(capsys, fixture_project, str(source), "--lang", "en")
    assert code == 0 and "check: line 9: source-ref" in out and "check: line 9: unsafe-html" in out
