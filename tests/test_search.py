"""The search index without a site build: words, stems, what an entry page contributes, the files.

The index in a built site is tested in test_site_build.py; ranking, excerpts and the same words
and stems in the browser's script in test_browser.py.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary_tools import search_index as si
from glossary_tools.labels import LABELS
from glossary_tools.mkdocs_plugin import search
from glossary_tools.options import BY_NAME, OptionError

ENTRY = (
    '<h1>Backpropagation</h1><p class="glossary-meta">Category: <a href="#">Training</a></p>'
    '<p class="glossary-fallback admonition note">Not translated yet</p>'
    '<p>A <strong>backpropagation</strong> pass computes gradients<sup class="glossary-ref"><a href="#source-1">[1]</a></sup>.</p>'
    '<h2 id="how">How it works<a class="headerlink" href="#how" title="Permanent link">¶</a></h2>'
    '<ul><li>first</li><li>second</li></ul>'
    '<div class="highlight"><pre><span></span><code>import torch  # codeonly</code></pre></div>'
    '<div class="glossary-math"><math><mi>mathonly</mi></math></div>'
    '<p>Chain rule &amp; friends.</p>'
    '<h2 id="sources">Sources</h2><ol><li>tailonly source</li></ol>'
)


def test_fold_removes_diacritics_only() -> None:
    assert si.fold("Retropropagação, función, Ñandú") == "Retropropagacao, funcion, Nandu"
    assert si.fold("ReLU max(0, z)") == "ReLU max(0, z)"


def test_words_are_folded_lowercase_letters_and_digits() -> None:
    assert si.words("Rete_neurale, ReLU-6 e Função!") == ["rete", "neurale", "relu", "6", "e", "funcao"]
    assert si.words("word2vec ½") == ["word2vec", "1", "2"]  # NFKD splits the vulgar fraction


@pytest.mark.parametrize(("lang", "word", "stem"), [
    ("en", "networks", "network"), ("en", "activities", "activity"), ("en", "batches", "batch"),
    ("en", "processes", "process"), ("en", "loss", "loss"), ("en", "status", "status"),
    ("en", "gas", "gas"),
    ("pt", "funcoes", "funcao"), ("pt", "neurais", "neural"), ("pt", "niveis", "nivel"), ("pt", "imagens", "imagem"),
    ("pt", "vetores", "vetor"), ("pt", "redes", "rede"), ("pt", "camadas", "camada"), ("pt", "mais", "mais"),
    ("es", "matrices", "matriz"), ("es", "redes", "red"), ("es", "funciones", "funcion"), ("es", "vectores", "vector"),
    ("es", "neuronales", "neuronal"), ("es", "gradientes", "gradiente"), ("es", "capas", "capa"),
    ("es", "clases", "clase"), ("es", "analisis", "analisis"),
])
def test_light_plural_stemmer(lang: str, word: str, stem: str) -> None:
    assert si.stem(word, lang) == stem
    assert si.stem(stem, lang) == stem  # the singular is its own stem


def test_a_regional_code_gets_its_languages_rules() -> None:
    assert si.stem("funcoes", "pt-BR") == "funcao" and si.stem("redes", "es-MX") == "red"


def test_phrase_key_is_the_stemmed_words_and_a_space() -> None:
    assert si.phrase("Redes neurais", "pt") == "rede neural "
    assert si.phrase("rete_neurale", "en") == "rete neurale "
    assert si.phrase("k-means", "en") == "k mean "  # one-letter words count in a name
    assert si.phrase("—", "en") == ""


def test_definition_text_leaves_out_title_meta_code_math_refs_permalinks_and_the_tail() -> None:
    text = si.definition_text(ENTRY, ['<h2 id="sources">', '<h2 id="related">'])
    assert text == "A backpropagation pass computes gradients. How it works first second Chain rule & friends."


def test_the_tail_is_the_generated_part_not_a_heading_of_the_body_with_its_id() -> None:
    body = '<p>Intro.</p><h2 id="sources">Sources</h2><p>zzhidden after.</p>'
    assert si.definition_text(body) == "Intro. Sources zzhidden after."  # the term has no sources: no tail
    assert si.definition_text(body + '<h2 id="sources">Sources</h2><ol><li>x</li></ol>',
                              ['<h2 id="sources">']) == "Intro. Sources zzhidden after."


def test_an_entry_weights_its_title_then_its_other_names_then_its_text() -> None:
    index = si.SearchIndex()
    index.add("pt", "pt/glossary/backpropagation/", "Retropropagação", ["Backpropagation", "rete_neurale"], ENTRY,
              ['<h2 id="sources">'])
    scores = index.scores("pt", "pt/glossary/backpropagation/")
    assert scores["retropropagacao"] == si.TITLE
    assert scores["backpropagation"] == si.NAME + 1  # a name, and once in the text
    assert scores["rete"] == si.NAME and scores["gradient"] == 1
    assert scores["retropropagacao "] == si.TITLE_PHRASE and scores["rete neurale "] == si.NAME_PHRASE
    assert "codeonly" not in scores and "mathonly" not in scores and "tailonly" not in scores
    assert "a" not in scores  # one-letter words are not indexed alone


def _route(firsts: list[str], key: str) -> int:
    """Which shard holds ``key`` (as the browser finds it: the last first key not greater)."""
    return bisect.bisect_right([si._utf16(f) for f in firsts], si._utf16(key)) - 1


def _read(folder: Path) -> tuple[dict, list[dict], list[dict]]:
    meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    shards = [json.loads((folder / "s" / f"{i}.json").read_text(encoding="utf-8")) for i in range(len(meta["s"]))]
    docs = [json.loads((folder / "d" / f"{i}.json").read_text(encoding="utf-8")) for i in range(meta["n"])]
    return meta, shards, docs


def _postings(entry: list[int]) -> list[tuple[int, int]]:
    out, doc = [], 0
    for k in range(1, len(entry), 2):
        doc += entry[k]
        out.append((doc, entry[k + 1]))
    return out


def test_written_index_routes_every_key_to_its_shard_and_caps_postings(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(si, "SHARD_BYTES", 150)
    monkeypatch.setattr(si, "CAP", 3)
    index = si.SearchIndex()
    for i in range(8):
        body = f"<p>common word{i} {'common ' * i}𝒳ünïcode {'z' * (i + 2)}</p>"
        index.add("en", f"glossary/t{i}/", f"Term {i}", [f"alias {i}"], body)
    index.write(tmp_path)
    meta, shards, docs = _read(tmp_path / si.FOLDER / "en")
    assert meta["n"] == 8 and meta["s"][0] == "" and len(shards) > 2
    assert [d["u"] for d in docs] == [f"glossary/t{i}/" for i in range(8)]  # ids in the order pages came
    every = {}
    for n, shard in enumerate(shards):
        for key, entry in shard.items():
            assert _route(meta["s"], key) == n, key
            every[key] = entry
    keys = list(every)
    assert keys == sorted(keys, key=si._utf16)
    common = every["common"]
    assert common[0] == 8 and len(_postings(common)) == 3  # the true df, the best three documents
    best = {docs[d]["u"] for d, _ in _postings(common)}
    assert best == {"glossary/t7/", "glossary/t6/", "glossary/t5/"}  # most occurrences
    assert _postings(every["term 3 "]) == [(docs.index(next(d for d in docs if d["u"] == "glossary/t3/")), si.TITLE_PHRASE)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=40))
def test_any_key_routes_to_the_shard_that_holds_it(tmp_path_factory, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("idx")
    index = si.SearchIndex()
    for i, name in enumerate(names):
        index.add("es", f"glossary/t{i}/", name, [], f"<p>{name}</p>")
    si_bytes, si.SHARD_BYTES = si.SHARD_BYTES, 60
    try:
        index.write(root)
    finally:
        si.SHARD_BYTES = si_bytes
    meta, shards, _ = _read(root / si.FOLDER / "es")
    for n, shard in enumerate(shards):
        for key in shard:
            assert _route(meta["s"], key) == n


def test_write_replaces_the_previous_index_and_versions_it(tmp_path: Path) -> None:
    index = si.SearchIndex()
    index.add("en", "glossary/a/", "Alpha", [], "<p>one</p>")
    index.add("pt", "pt/glossary/a/", "Alfa", [], "<p>um</p>")
    index.write(tmp_path)
    first = json.loads((tmp_path / si.FOLDER / "en" / "index.json").read_text())
    index.write(tmp_path)  # the same site: the same files
    assert json.loads((tmp_path / si.FOLDER / "en" / "index.json").read_text()) == first
    again = si.SearchIndex()
    again.add("en", "glossary/a/", "Alpha", [], "<p>two</p>")
    again.write(tmp_path)
    assert json.loads((tmp_path / si.FOLDER / "en" / "index.json").read_text())["v"] != first["v"]
    assert not (tmp_path / si.FOLDER / "pt").exists()  # nothing left from the previous build
    assert sorted(p.name for p in tmp_path.iterdir()) == [si.FOLDER]  # no staging folder left behind


def test_records_are_text_not_markup() -> None:
    index = si.SearchIndex()
    index.add("en", "glossary/x/", "<b>x</b>", [], '<p>a &lt;img src=x onerror=alert(1)&gt; b</p>')
    record = index.record("en", "glossary/x/")
    assert record["t"] == "<b>x</b>"  # shown with textContent by the search box
    assert record["x"] == "a <img src=x onerror=alert(1)> b"


def test_a_page_added_again_replaces_its_postings() -> None:
    index = si.SearchIndex()
    index.add("en", "glossary/x/", "X", [], "<p>old words</p>")
    index.add("en", "glossary/y/", "Y", [], "<p>old</p>")
    index.add("en", "glossary/x/", "X", [], "<p>new words</p>")
    assert set(index.scores("en", "glossary/x/")) == {"x ", "new", "word"}
    assert set(index.scores("en", "glossary/y/")) == {"y ", "old"}
    assert index.record("en", "glossary/x/")["x"] == "new words"
    assert [p >> 8 for p in index.languages["en"].postings["old"]] == [1]


def test_search_option_accepts_its_choices_only() -> None:
    option = BY_NAME["search"]
    assert option.validate(None) == "auto"
    assert option.validate("glossary") == "glossary" and option.validate("material") == "material"
    with pytest.raises(OptionError, match="one of auto, glossary, material"):
        option.validate("pagefind")


def test_script_carries_every_language_label_and_no_placeholder() -> None:
    source = search.script()
    assert "__LABELS__" not in source
    labels = json.loads(re.search(r"var LABELS = (\{.*?\});\n", source).group(1))
    assert set(labels) == set(LABELS)
    assert labels["pt"]["search"] == "Pesquisar" and labels["es"]["search_none"] == "Ningún término encontrado"
    assert "http://" not in source.replace('"http://www.w3.org/2000/svg"', "")  # nothing from another host
    assert "https://" not in source
    assert f'new URL("{si.FOLDER}/" + code' in source  # the folder the index is written to: the page's language code


def test_writing_some_languages_keeps_the_others(tmp_path: Path) -> None:
    index = si.SearchIndex()
    index.add("en", "glossary/a/", "Alpha", [], "<p>one</p>")
    index.add("pt", "pt/glossary/a/", "Alfa", [], "<p>um</p>")
    index.write(tmp_path)
    folder = tmp_path / si.FOLDER
    pt_before = {p: p.read_bytes() for p in (folder / "pt").rglob("*") if p.is_file()}
    index.add("en", "glossary/a/", "Alpha", [], "<p>two</p>")  # 'glossary serve' re-rendered the page
    index.write(tmp_path, ["en"])
    assert json.loads((folder / "en" / "d" / "0.json").read_text())["x"] == "two"
    assert {p: p.read_bytes() for p in (folder / "pt").rglob("*") if p.is_file()} == pt_before
    assert sorted(p.name for p in folder.iterdir()) == ["en", "pt"]  # nothing staged is left


def test_rewriting_a_language_replaces_only_the_files_whose_bytes_changed(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(si, "SHARD_BYTES", 60)  # a few keys a shard: an edit changes some of them
    pages = _pages()
    served = si.SearchIndex(incremental=True)  # as 'glossary serve' keeps it
    for page in pages:
        served.add(*page)
    served.write(tmp_path / "served")
    folder = tmp_path / "served" / si.FOLDER / "en"

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    before, inodes = files(folder), {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")}
    edited = ("en", "glossary/t3/", "Term 3", [], "<h1>Term 3</h1><p>Networks.</p>", [])
    served.add(*edited)  # 'glossary serve' re-rendered one page: its own names gone, fewer keys
    served.write(tmp_path / "served", ["en"])
    fresh = si.SearchIndex()  # the same pages written from scratch
    for page in pages:
        fresh.add(*(edited if page[1] == edited[1] else page))
    fresh.write(tmp_path / "fresh")
    after = files(folder)
    assert after == files(tmp_path / "fresh" / si.FOLDER / "en")  # the same index
    kept = {name for name in after if name in before and after[name] == before[name]}
    assert "d/0.json" in kept and "d/3.json" not in kept and "index.json" not in kept
    assert all((folder / name).stat().st_ino == inodes[name] for name in kept)  # not written again
    assert not [p for p in folder.rglob(".*")]  # no temporary file left
    monkeypatch.setattr(si, "SHARD_BYTES", 100_000)  # one shard: the others are no longer part of the index
    served.write(tmp_path / "served", ["en"])
    fresh.write(tmp_path / "one")
    assert files(folder) == files(tmp_path / "one" / si.FOLDER / "en") and len(files(folder)) == 40 + 2


def _pages() -> list[tuple[str, str, str, list[str], str, list[str]]]:
    return [("en", f"glossary/t{i}/", f"Term {i}", [f"Termo {i}", f"alias-{i}"],
             f'<h1>Term {i}</h1><p>Networks of {i} layers, ção ñ.</p><h2 id="sources">Sources</h2><p>tail</p>',
             ['<h2 id="sources">'])
            for i in range(40)] + [("pt", "pt/glossary/t0/", "Termo 0", ["Term 0"], "<p>Redes neurais.</p>", [])]


def test_the_background_index_writes_the_same_files(tmp_path: Path) -> None:
    here, there = si.SearchIndex(), si.Background()
    for page in _pages():
        here.add(*page)
        there.add(*page)
    assert there.count("en") == 40 and there.count("pt") == 1 and there.count("es") == 0
    here.write(tmp_path / "here")
    there.write(tmp_path / "there")
    written = {p.relative_to(tmp_path / "here"): p.read_bytes() for p in (tmp_path / "here").rglob("*") if p.is_file()}
    assert len(written) > 40
    assert {p.relative_to(tmp_path / "there"): p.read_bytes()
            for p in (tmp_path / "there").rglob("*") if p.is_file()} == written


def _tree(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("in_child", [True, False])
def test_languages_staged_while_the_next_renders_give_the_same_index(tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
                                                                      in_child: bool) -> None:
    here = si.SearchIndex()
    for page in _pages():
        here.add(*page)
    here.write(tmp_path / "here")
    if not in_child:  # staged in this process, at once: the staging folder can be looked at
        monkeypatch.setattr(si.sys, "executable", str(tmp_path / "no-python"))
    there = si.Background()
    site = tmp_path / "there"
    for page in _pages():
        there.stage_all_but(site, page[0])  # as each language build starts
        there.add(*page)
    there.stage_all_but(site, "es")
    if not in_child:
        staged = list(site.glob(".search-*"))
        assert len(staged) == 1 and sorted(p.name for p in staged[0].iterdir()) == ["en", "pt"]
        assert not (site / si.FOLDER).exists()
    there.write(site)
    assert _tree(site) == _tree(tmp_path / "here")  # the staging folder became the index
    assert not list(site.glob(".search-*"))


def _staged_build(site: Path, *more: tuple[str, str, str, list[str], str, list[str]]) -> si.Background:
    """An index fed as a build feeds it: each language staged when the next one starts, up to "es"."""
    index = si.Background()
    for page in [*_pages(), *more]:
        index.stage_all_but(site, page[0])
        index.add(*page)
    index.stage_all_but(site, "es")
    return index


def test_a_build_that_fails_after_staging_leaves_nothing_in_the_site(tmp_path: Path) -> None:
    index = _staged_build(tmp_path)
    pid = index._child.pid  # type: ignore[union-attr]
    deadline = time.monotonic() + 30
    while not (tmp_path / f".search-{pid}" / "pt").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / f".search-{pid}" / "en").is_dir()
    index.close()  # the build failed
    assert list(tmp_path.iterdir()) == []


def _staged(index: si.Background, site: Path) -> Path:
    """The child's staging folder, once it has written the languages staged so far."""
    folder = si.staging_folder(site, index._child.pid)  # type: ignore[union-attr]
    deadline = time.monotonic() + 30
    while not (folder / "pt").is_dir() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (folder / "en").is_dir() and (folder / "pt").is_dir()
    return folder


def test_a_final_write_that_fails_after_staging_leaves_nothing_in_the_site(tmp_path: Path) -> None:
    index = _staged_build(tmp_path, ("es", "es/glossary/t0/", "Término 0", [], "<p>Redes.</p>", []))
    (_staged(index, tmp_path) / "es").write_text("in the way")  # the last language cannot be written
    with pytest.raises(OSError):
        index.write(tmp_path)
    index.close()  # as the failed build does
    assert list(tmp_path.iterdir()) == []  # (MkDocs' cleaning would skip a folder named with a dot)


def test_ctrl_c_does_not_stop_the_index_child(tmp_path: Path) -> None:
    import signal

    index = _staged_build(tmp_path)
    _staged(index, tmp_path)
    os.kill(index._child.pid, signal.SIGINT)  # type: ignore[union-attr]  # the terminal's Ctrl-C reaches it too
    time.sleep(0.3)
    assert index._child.poll() is None  # type: ignore[union-attr]  # the build decides: it closes the pipe
    index.close()
    assert list(tmp_path.iterdir()) == []


def test_the_background_index_reports_a_folder_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "site"
    blocker.write_text("a file where the site folder should be")
    index = si.Background()
    index.add(*_pages()[0])
    with pytest.raises(OSError):
        index.write(blocker)
    staged = si.Background()  # a language staged while the next renders: said at the end
    staged.add(*_pages()[0])
    staged.stage_all_but(blocker, "pt")
    staged.add(*_pages()[-1])
    with pytest.raises(OSError):
        staged.write(blocker)


def test_a_background_index_that_stopped_is_reported_not_waited_for(tmp_path: Path) -> None:
    index = si.Background()
    index.add(*_pages()[0])
    index._child.kill()  # type: ignore[union-attr]  # as if the machine had run out of memory
    index._child.wait()  # type: ignore[union-attr]
    with pytest.raises(si.IndexWorkerError, match="stopped"):
        for page in _pages():  # the pipe breaks on one of these, or at write
            index.add(*page)
        index.write(tmp_path)
    assert not (tmp_path / si.FOLDER).exists()
    stopped = si.Background()
    stopped.add(*_pages()[0])
    stopped.close()  # a failed build: no child is left behind and nothing is written
    assert stopped._child is None
    with pytest.raises(si.IndexWorkerError, match="already written"):
        stopped.add(*_pages()[0])  # a new child would hold only the pages after this one


def test_without_an_interpreter_to_start_the_index_is_built_here(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    here = si.SearchIndex()
    monkeypatch.setattr(si.sys, "executable", str(tmp_path / "no-python"))  # an embedded Python, say
    there = si.Background()
    for page in _pages():
        here.add(*page)
        there.add(*page)
    assert there._child is None and there.count("en") == 40
    here.write(tmp_path / "here")
    there.write(tmp_path / "there")
    assert [p.read_bytes() for p in sorted((tmp_path / "there").rglob("*.json"))] == \
        [p.read_bytes() for p in sorted((tmp_path / "here").rglob("*.json"))]
