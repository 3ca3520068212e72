"""content/terminology.yml: loading (config errors with positions), matching, and the real file."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary_tools.body import mask_code
from glossary_tools.cli import main
from glossary_tools.diagnostics import GlossaryError, Rule
from glossary_tools.project import load_project
from glossary_tools.terminology import blank_mentions, fold, load_terminology

from .conftest import REPO

TERMS = """\
deep-learning:
  en: deep learning
  pt:
    preferred: aprendizado profundo
    discouraged: [aprendizagem profunda]
  allow_in: [history]
mini-batch:
  en: mini-batch
  pt:
    preferred: minilote
    discouraged: [mini-batch, minibatch]
"""


def _terminology(project: Path, text: str = TERMS):  # type: ignore[no-untyped-def]
    (project / "content/terminology.yml").write_text(text, encoding="utf-8")
    return load_terminology(load_project(project))


def _hits(terminology, lang: str, slug: str, body: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(h.text, h.usage.kind) for h in terminology.scan(lang, slug, mask_code(body))]


def test_fold_keeps_offsets() -> None:
    text = "Precisión ÁÉÍ ção Ñ"
    assert fold(text) == "precision aei cao n" and len(fold(text)) == len(text)


def test_variants_and_english_terms_are_found_once_each(fixture_project: Path) -> None:
    terminology = _terminology(fixture_project)
    body = ("A Aprendizagem\nProfunda usa mini-batches; o MINIBATCH e o deep learning também.\n"
            "`mini-batch` e *mini-batch* e \"mini-batch\" e [x](https://e.org/mini-batch) não contam.\n"
            "> aprendizagem profunda citada\n```\nminibatch\n```\n")
    assert _hits(terminology, "pt", "x", body) == [
        ("Aprendizagem Profunda", "variant"), ("mini-batches", "variant"), ("MINIBATCH", "variant"),
        ("deep learning", "english")]
    assert _hits(terminology, "pt", "history", body) == [("mini-batches", "variant"), ("MINIBATCH", "variant")]
    assert _hits(terminology, "en", "x", body) == []  # English has no variants to avoid here
    assert _hits(terminology, "pt", "x", "aprendizagem profundamente; minilote; deep learner") == []


def test_blank_mentions_keeps_bold_and_link_text() -> None:
    text = blank_mentions("**word** [text](url) *it* _it_")
    assert text.startswith("**word** [text") and "url" not in text and "it" not in text[14:]


@pytest.mark.parametrize(("text", "line", "needle"), [
    ("deep-learning:\n  pt: [unclosed\n", 2, "invalid YAML"),
    ("deep-learning:\n  xx: termo\n", 2, "language 'xx' is not configured"),
    ("deep-learning:\n  pt:\n    preferred: ''\n", 3, "must be a non-empty text"),
    ("deep-learning:\n  pt:\n    preferred: a\n    discourage: [b]\n", 4, "unknown field 'discourage'"),
    ("x: &a {pt: y}\nz: *a\n", 2, "alias"),
])
def test_a_bad_file_is_a_config_error_with_its_line(fixture_project: Path, capsys, text: str, line: int,  # type: ignore[no-untyped-def]
                                                    needle: str) -> None:
    with pytest.raises(GlossaryError) as info:
        _terminology(fixture_project, text)
    assert any(d.rule is Rule.CONFIG and d.line == line and needle in d.message for d in info.value.diagnostics), \
        info.value.diagnostics
    code = main(["--root", str(fixture_project), "check"])
    _, err = capsys.readouterr()
    assert code == 2 and f"content/terminology.yml:{line}:" in err and "Traceback" not in err


def test_the_repository_terminology_has_the_required_concepts() -> None:
    terminology = load_terminology(load_project(REPO))
    assert terminology is not None
    pt, es = terminology.usages["pt"], terminology.usages["es"]
    assert pt["aprendizagem profunda"].preferred == "aprendizado profundo"
    assert pt["mini-batch"].preferred == pt["minibatch"].preferred == es["mini-batch"].preferred == "minilote"
    assert es["precision"].preferred == "exactitud" and "binary-classification" in es["precision"].allow_in
    assert pt["overfitting"].preferred == es["overfitting"].preferred == "sobreajuste"
    assert es["accuracy"].kind == "english"
