"""The site's search index: per language, prefix-sharded, capped, read by the browser in pieces.

Why our own: Material's lunr search downloads a language's whole index on the first query (tens
of MB at 10,000 terms) and cannot weight aliases or fold accents; Pagefind loads a fixed 143 KB
(its wasm, script and per-page metadata) before the first result. Here a query downloads the
directory of shards, the one shard per query word (a few KB), and the records of the ten results
shown: tens of KB at any size.

Layout under ``<site>/glossary-search/<lang>/``:

- ``index.json``: ``{"v": version, "n": documents, "s": [first key of each shard]}``; the first
  key is ``""``, so a key belongs to the last shard whose first key is not greater than it.
- ``s/<i>.json``: ``{key: [df, id, score, id delta, score, ...]}``, keys in UTF-16 order (the
  browser's string order). A key is a word as ``terms`` writes it, or a whole name (its words
  joined by spaces, and a trailing space). ``df`` is the number of documents holding the key;
  the postings are its ``CAP`` best documents, ordered by id.
- ``d/<id>.json``: ``{"u": url from the site root, "t": title, "x": the definition's text}``.

What is indexed: entry pages only. Their title and every name of the term (titles in each
language, aliases) as name words and whole names, weighted above the definition's words. The
definition is the page's own text before the generated parts (sources, related terms, examples),
without its code, formulas, meta line and headings' permalinks.

Words are accent-folded, lower-cased and reduced by a light plural stemmer per language (below,
mirrored in ``search_ui.js``; a browser test runs both on the same words). Shard and record files
carry ``?v=`` with a hash of the index, so a browser never mixes two builds.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from . import sanitize

FOLDER = "glossary-search"
CAP = 128  # postings kept per key: the best documents for it (a name word always outranks body text)
SHARD_BYTES = 12_000  # a shard's size before compression (about 4-6 KB on the wire)
TEXT_CHARS = 4_000  # of a definition kept for excerpts
TITLE, NAME, BODY_MAX = 30, 20, 10  # a word in the page's title, in another name, in the text (tf up to)
TITLE_PHRASE, NAME_PHRASE = 100, 80  # the query is the page's title, another of the term's names

_WORD = re.compile(r"[^\W_]+")
# parts of an entry page's HTML that are not its definition's text
_DROP = re.compile(
    r"<(pre|math|script|style|h1)\b.*?</\1>"
    r'|<p class="glossary-(?:meta|fallback)\b[^"]*".*?</p>'
    r'|<a class="headerlink"[^>]*>.*?</a>'
    r'|\s*<sup class="glossary-ref">.*?</sup>', re.S)
_BLOCK = re.compile(r"<(?=/?(?:p|li|h[1-6]|div|td|th|tr|br|ul|ol|dl|dd|dt|blockquote|table|figure|figcaption)\b)")


def fold(text: str) -> str:
    """``text`` without diacritics ("retropropagação" -> "retropropagacao"): compatibility
    decomposition, then every combining mark (Unicode category M) removed."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    marks = [c for c in set(decomposed) if c > "\u02ff" and _is_mark(c)]
    return decomposed.translate(dict.fromkeys(map(ord, marks))) if marks else decomposed


@functools.lru_cache(maxsize=4096)
def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def words(text: str) -> list[str]:
    """Folded, lower-cased words (letters and digits) of ``text``."""
    return _WORD.findall(fold(text).lower())


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str, lang: str) -> str:
    """A light plural stemmer: singular and plural meet ("networks", "redes", "funciones").
    Mirrored in search_ui.js (``stem``), rule for rule."""
    if len(word) < 4:
        return word
    lang = lang.split("-")[0].lower()  # "pt-BR": the Portuguese rules
    if lang == "pt":
        if word.endswith(("oes", "aes")):
            return word[:-3] + "ao"
        for plural, singular in (("ais", "al"), ("eis", "el"), ("ois", "ol")):
            if word.endswith(plural) and len(word) > 4:
                return word[:-3] + singular
        if word.endswith("ns"):
            return word[:-2] + "m"
        if word.endswith("res") and len(word) > 4:
            return word[:-2]
    elif lang == "es":
        if word.endswith("ces") and len(word) > 4:
            return word[:-3] + "z"
        if word.endswith("es") and len(word) > 4 and word[-3] in "lrndj":
            return word[:-2]
    else:
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if word.endswith("sses") or word.endswith(("ches", "shes", "xes", "zes")):
            return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str, lang: str) -> list[str]:
    """The index keys of ``text``'s words (one-letter words are not indexed alone)."""
    return [stem(w, lang) for w in words(text) if len(w) > 1]


def phrase(name: str, lang: str) -> str:
    """The key of a whole name: its stemmed words joined by spaces, and a space."""
    found = [stem(w, lang) for w in words(name)]
    return " ".join(found) + " " if found else ""


def definition_text(html: str, tail: Iterable[str] = ()) -> str:
    """The text of an entry page's definition: its sanitized HTML up to the generated parts, which
    begin at the last occurrence of one of ``tail`` (``pages.tail_markers``)."""
    starts = [at for at in (html.rfind(marker) for marker in tail) if at >= 0]
    html = _DROP.sub(lambda m: " " if m.group(1) else "", html[:min(starts)] if starts else html)
    return " ".join(sanitize.plain(_BLOCK.sub(" <", html)).split())


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")


class _Language:
    """One language's index as pages come: postings packed ``id * 256 + score`` per key, records as
    JSON bytes (about 20 MB of postings and 120 MB of records at 10,000 terms, where a dictionary
    per page took 400 MB)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # url -> document id, in the order pages come
        self.records: list[bytes] = []
        self.keys: list[tuple[str, ...]] = []  # each document's keys (to replace it when it comes again)
        self.postings: dict[str, array] = {}

    def add(self, url: str, record: bytes, scores: dict[str, int]) -> None:
        doc = self.ids.get(url)
        if doc is None:
            doc = self.ids[url] = len(self.records)
            self.records.append(record)
            self.keys.append(())
        else:  # the same page rendered again ('glossary serve'): its old postings go
            self.records[doc] = record
            for key in self.keys[doc]:
                kept = array("I", (p for p in self.postings[key] if p >> 8 != doc))
                if kept:
                    self.postings[key] = kept
                else:
                    del self.postings[key]
        stored = []
        for key, score in scores.items():
            key = sys.intern(key)  # one string per key, however many documents hold it
            found = self.postings.get(key)
            if found is None:
                found = self.postings[key] = array("I")
            found.append(doc << 8 | min(score, 255))
            stored.append(key)
        self.keys[doc] = tuple(stored)


class SearchIndex:
    """Entry pages added while the site is built; ``write`` puts each language's index on disk."""

    def __init__(self, incremental: bool = False) -> None:
        """``incremental`` ('glossary serve'): keep a digest of each file written, so that writing a
        language again replaces only the files whose bytes changed."""
        self.languages: dict[str, _Language] = {}
        self.staged: set[str] = set()  # languages already written beside the index (see stage)
        self.incremental = incremental
        self.written: dict[str, dict[str, bytes]] = {}  # language -> file -> digest of what is on disk

    def add(self, lang: str, url: str, title: str, names: list[str], html: str, tail: Iterable[str] = ()) -> None:
        """An entry page: its URL from the site root, its title in ``lang``, every other name of the
        term (titles in the other languages, aliases), its sanitized content HTML and where the
        generated parts after the definition begin (``definition_text``)."""
        text = definition_text(html, tail)
        counts: Counter[str] = Counter()
        for word, n in Counter(words(text)).items():
            if len(word) > 1:
                counts[stem(word, lang)] += n
        scores = {key: min(n, BODY_MAX) for key, n in counts.items()}
        named: dict[str, int] = {}  # name word -> its best weight
        for name, weight, whole in [(title, TITLE, TITLE_PHRASE)] + [(n, NAME, NAME_PHRASE) for n in names]:
            for key in terms(name, lang):
                named[key] = max(named.get(key, 0), weight)
            key = phrase(name, lang)
            if key:
                scores[key] = max(scores.get(key, 0), whole)
        for key, weight in named.items():
            scores[key] = scores.get(key, 0) + weight
        record = _dump({"u": url, "t": title, "x": text[:TEXT_CHARS]}).encode("utf-8")
        self.languages.setdefault(lang, _Language()).add(url, record, scores)

    def count(self, lang: str) -> int:
        """How many pages of ``lang`` were added."""
        language = self.languages.get(lang)
        return len(language.ids) if language else 0

    def scores(self, lang: str, url: str) -> dict[str, int]:
        """What the page at ``url`` holds in the index: key -> score."""
        language = self.languages[lang]
        doc = language.ids[url]
        return {key: p & 255 for key in language.keys[doc] for p in language.postings[key] if p >> 8 == doc}

    def record(self, lang: str, url: str) -> dict[str, str]:
        """The page's record: ``u`` (its URL), ``t`` (title), ``x`` (the definition's text)."""
        language = self.languages[lang]
        return json.loads(language.records[language.ids[url]])

    def stage(self, site_dir: Path, lang: str) -> None:
        """A full build's language whose pages are all added: written now beside the index (in the
        folder ``write`` swaps in at the end) and forgotten here, while the next language renders."""
        language = self.languages.pop(lang, None)
        if language is None:
            return
        _write_new(self._staging(site_dir) / lang, _files(language))
        self.staged.add(lang)

    def _staging(self, site_dir: Path) -> Path:
        """This build's staging folder: emptied of an earlier build's leftovers before its first use."""
        staging = staging_folder(site_dir, os.getpid())
        if not self.staged:
            shutil.rmtree(staging, ignore_errors=True)
        return staging

    def write(self, site_dir: Path, languages: Iterable[str] | None = None) -> None:
        """``site_dir/glossary-search/<lang>/`` for every language added (or only ``languages``, the
        others kept as they are): each written beside, then swapped in."""
        target = site_dir / FOLDER
        if languages is not None:  # 'glossary serve' after an edit: the languages whose pages changed
            for lang in sorted(set(languages) & set(self.languages)):
                files = _files(self.languages[lang])
                written = self.written.get(lang)
                if written is not None and (target / lang).is_dir():  # only the files whose bytes changed
                    self.written[lang] = _write_changed(target / lang, files, written)
                    continue
                staging = target / f".{lang}-{os.getpid()}"
                shutil.rmtree(staging, ignore_errors=True)
                _write_new(staging, files)
                _swap(staging, target / lang)
                if self.incremental:
                    self.written[lang] = _digests(files)
            return
        staging = self._staging(site_dir)
        for lang, language in sorted(self.languages.items()):
            files = _files(language)
            _write_new(staging / lang, files)
            if self.incremental:
                self.written[lang] = _digests(files)
        staging.mkdir(parents=True, exist_ok=True)
        _swap(staging, target)
        self.staged.clear()


def staging_folder(site_dir: Path, pid: int) -> Path:
    """Where a full build's index is written before it replaces the last one."""
    return site_dir / f".search-{pid}"


class IndexWorkerError(Exception):
    """The child process that builds the index stopped before it wrote it (the message says why)."""


class Background:
    """The same index, built by a child process while the site renders, so that the word counting
    (about a fifth of a millisecond per entry page) runs on another core. ``add`` sends each page
    down a pipe (``marshal``: strings and lists only) and returns; ``write`` sends the site's folder
    and waits for the child to write it as ``SearchIndex.write`` does. One build, one child: it
    exits after writing, or when the pipe closes (the build stopped). Where no interpreter can be
    started, the index is built in this process, as ``SearchIndex`` does."""

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None  # the child's stderr: a file, never a pipe it could fill
        self._local: SearchIndex | None = None  # when no child can be started: the index built here
        self._urls: dict[str, set[str]] = {}
        self._done = False  # written or closed: a second child would hold only the pages that follow
        self._staged: set[str] = set()
        self._site_dir: Path | None = None  # where the index is staged (cleared if the build fails)
        self._stager = os.getpid()  # the process whose staging folder that is: the child's, once started

    def add(self, lang: str, url: str, title: str, names: list[str], html: str, tail: Iterable[str] = ()) -> None:
        if self._local is not None:
            self._local.add(lang, url, title, names, html, tail)
        else:
            self._send(("add", lang, url, title, list(names), html, list(tail)))
        self._urls.setdefault(lang, set()).add(url)

    def count(self, lang: str) -> int:
        return len(self._urls.get(lang, ()))

    def stage_all_but(self, site_dir: Path, current: str) -> None:
        """Every language added so far, except ``current``, is complete (static-i18n builds the
        languages one after another): the child writes each while the next renders, so that the
        build waits at the end only for the last language's index."""
        for lang in sorted(set(self._urls) - self._staged - {current}):
            self._staged.add(lang)
            self._site_dir = site_dir
            if self._local is not None:
                self._local.stage(site_dir, lang)
            else:
                self._send(("stage", os.fspath(site_dir), lang))

    def write(self, site_dir: Path, languages: Iterable[str] | None = None) -> None:
        """Raises OSError when the child could not write the files, IndexWorkerError when it stopped."""
        if self._local is not None:
            self._done = True
            self._local.write(site_dir, languages)
            return
        self._send(("write", os.fspath(site_dir), None if languages is None else sorted(languages)))
        self._done = True
        child, self._child = self._child, None
        assert child is not None
        out, _ = child.communicate()  # closes the pipe; the child has the whole index by then
        answer = out.decode("utf-8", "replace").strip()
        if child.returncode == 0 and answer == "ok":
            self._last_words()
            return
        self._discard_staged()
        if answer.startswith("oserror "):
            self._last_words()
            raise OSError(answer[len("oserror "):])
        raise IndexWorkerError(f"the search index worker stopped (exit {child.returncode}): {self._last_words()}")

    def close(self) -> None:
        """Stop the child without writing (the build failed)."""
        self._done = True
        child, self._child = self._child, None
        if child is not None:
            child.kill()
            child.communicate()
        self._discard_staged()
        self._last_words()

    def _discard_staged(self) -> None:
        """What was staged for this build is not published (MkDocs' cleaning skips dot folders)."""
        if self._site_dir is not None:
            shutil.rmtree(staging_folder(self._site_dir, self._stager), ignore_errors=True)

    def _send(self, message: tuple[str | list[str] | None, ...]) -> None:
        if self._done:
            raise IndexWorkerError("this index was already written (or closed); a new build makes a new one")
        if self._child is None:
            # this package wherever this process found it (last on the path: nothing shadows the standard
            # library); -P: not the working folder first
            code = (f"import sys; sys.path.append({str(Path(__file__).resolve().parent.parent)!r}); "
                    "from glossary_tools.search_index import _worker; sys.exit(_worker())")
            self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _last_words
            try:
                self._child = subprocess.Popen([sys.executable, "-P", "-c", code], stdin=subprocess.PIPE,
                                               stdout=subprocess.PIPE, stderr=self._errors)
                self._stager = self._child.pid
            except OSError:  # no interpreter to start (an embedded Python): the index is built here
                self._last_words()
                self._local = SearchIndex()
                self._local.add(*message[1:])  # type: ignore[arg-type]
                return
        assert self._child.stdin is not None
        data = marshal.dumps(message)
        try:
            self._child.stdin.write(len(data).to_bytes(8, "little") + data)
            if message[0] == "stage":  # now, not when the pipe's buffer fills
                self._child.stdin.flush()
        except OSError:  # the child is gone: its own words say why
            self._done = True
            child, self._child = self._child, None
            child.communicate()
            self._discard_staged()
            raise IndexWorkerError(f"the search index worker stopped: {self._last_words()}") from None

    def _last_words(self) -> str:
        """The last line the child wrote to stderr (and the file closed)."""
        errors, self._errors = self._errors, None
        if errors is None:
            return "no message"
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").strip().splitlines()
        errors.close()
        return lines[-1] if lines else "no message"


def _worker() -> int:
    """The child's side of ``Background``: pages in, files out."""
    # Ctrl-C in the terminal reaches this process too: the build decides (its pipe closes when it stops)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    index = SearchIndex()
    stream = sys.stdin.buffer
    failed: OSError | None = None  # staging a language failed: said when the build asks for the index
    site_dir: str | None = None
    while True:
        head = stream.read(8)
        if len(head) < 8:
            if site_dir is not None:  # the build stopped: what was staged is not published
                shutil.rmtree(staging_folder(Path(site_dir), os.getpid()), ignore_errors=True)
            return 1
        message = marshal.loads(stream.read(int.from_bytes(head, "little")))
        if message[0] == "add":
            index.add(*message[1:])
            continue
        site_dir = message[1]
        try:
            if failed is not None:
                raise failed
            if message[0] == "stage":
                index.stage(Path(site_dir), message[2])
                continue
            index.write(Path(site_dir), message[2])
        except OSError as exc:
            if message[0] == "stage":
                failed = exc
                continue
            sys.stdout.write(f"oserror {exc}")  # (the build removes what was staged)
        else:
            sys.stdout.write("ok")
        return 0


def _swap(staging: Path, target: Path) -> None:
    """``staging`` becomes ``target``; the previous ``target`` is removed after."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _encode(packed: array) -> str:
    """``df,id,score,id delta,score,...``: the CAP best documents, in id order."""
    df = len(packed)
    chosen = sorted(sorted(packed, key=lambda p: (-(p & 255), p))[:CAP]) if df > CAP else sorted(packed)
    ids = [p >> 8 for p in chosen]
    deltas = [doc - last for doc, last in zip(ids, [0, *ids], strict=False)]  # each id less the one before
    flat = [value for pair in zip(deltas, [p & 255 for p in chosen], strict=True) for value in pair]
    return f"{df}," + ",".join(map(str, flat))


_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _files(language: _Language) -> dict[str, bytes]:
    """The language's index as files: shards, records and the directory (last)."""
    postings = language.postings
    shards: list[list[str]] = [[]]  # each: serialized "key":postings items
    firsts = [""]
    size = 0
    for key in sorted(postings, key=_utf16):
        item = f"{_dump(key)}:[{_encode(postings[key])}]"
        if size + len(item) > SHARD_BYTES and shards[-1]:
            shards.append([])
            firsts.append(key)
            size = 0
        shards[-1].append(item)
        size += len(item) + 1
    shard_texts = ["{" + ",".join(items) + "}" for items in shards]
    digest = hashlib.sha256()
    for text in shard_texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    for record in language.records:
        digest.update(record)
        digest.update(b"\0")
    meta = {"v": digest.hexdigest()[:12], "n": len(language.records), "s": firsts}
    return {**{f"s/{i}.json": text.encode("utf-8") for i, text in enumerate(shard_texts)},
            **{f"d/{i}.json": record for i, record in enumerate(language.records)},
            "index.json": _dump(meta).encode("utf-8")}


def _digests(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: hashlib.blake2b(data, digest_size=16).digest() for name, data in files.items()}


def _write_new(folder: Path, files: dict[str, bytes]) -> None:
    """``files`` into ``folder``, which does not exist yet."""
    (folder / "s").mkdir(parents=True)
    (folder / "d").mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)


def _write_changed(folder: Path, files: dict[str, bytes], written: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` into ``folder``, which holds the last write of the same index ('glossary serve'),
    ``written`` the digests of its files: only the files whose bytes differ are replaced, each
    atomically and the directory last (its version changes with any of them), and files no longer
    part of the index removed. An edit to one entry rewrites its record and a few shards instead of
    thousands of files. Returns the digests of what ``folder`` now holds."""
    digests = _digests(files)
    for name, data in files.items():
        if written.get(name) != digests[name]:
            path = folder / name
            temporary = path.with_name(f".{path.name}-{os.getpid()}")
            temporary.write_bytes(data)
            os.replace(temporary, path)
    for name in written.keys() - digests.keys():
        (folder / name).unlink(missing_ok=True)
    return digests

if __name__ == "__main__":
    sys.exit(_worker())
