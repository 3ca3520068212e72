"""The bytes a reader downloads to run one search query, on a site of N synthetic terms x 3 languages.

Generates N terms in en/pt/es (titles, aliases, sources, related terms, ~250 words of definition
drawn from a 30,000-word vocabulary per language, and a code block that must stay out of the
index), adds this repository's content, builds the site with this repository's mkdocs.yml
(GLOSSARY_EXECUTE=0; the plugin writes its search index after the last language), then serves it
on 127.0.0.1 and runs each query in Chromium on a fresh page (new browser context: nothing cached).
Counted: every response the page receives from the moment the search box opens until the results
of the query (entered at once, as pasted) are shown: the language's index directory, the shards
the query's words need and the records of the results shown; not the page itself nor its assets
(the search box's script, glossary-search.js, comes with every page: its size is printed apart).
The server compresses JS/JSON with gzip, as static hosts do; the uncompressed total is printed
beside it.
Goal: <= 150 KB per query at 10,000 x 3. Not a timed test.

    python benchmarks/search_bytes.py [--terms 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANGS = ("en", "pt", "es")
CATEGORIES = ("fundamentals", "models", "techniques", "training")
GOAL = 150_000
SYLLABLES = ("ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "ka",
             "ra", "to", "ne", "mi", "lo", "pe", "du", "si", "na", "re", "ti", "co", "ma", "ge", "vo")


def vocabulary(lang: str, size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    marks = {"en": "", "pt": "ção", "es": "ón"}[lang]
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.add(word + (marks if rng.random() < 0.1 else ""))
    return sorted(words)


def generate(root: Path, terms: int) -> list[str]:
    """The project under ``root``; returns the queries to run."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    shutil.copytree(REPO / "examples", root / "examples")
    rng = random.Random(0)
    vocab = {lang: vocabulary(lang, 30_000, rng) for lang in LANGS}
    weights = [1 / (rank + 1) for rank in range(30_000)]  # Zipf: a few common words, a long tail
    slugs = [f"term-{i:05d}" for i in range(terms)]
    titles: dict[str, list[str]] = {}
    for i, slug in enumerate(slugs):
        related = [r for r in rng.sample(slugs, 4) if r != slug][:3]
        for lang in LANGS:
            words = rng.choices(vocab[lang], weights, k=250)
            title = " ".join(rng.choice(vocab[lang][5_000:]) for _ in range(2)).capitalize()
            titles.setdefault(slug, []).append(title)
            if lang == "en":
                front = (f"title: {title}\ncategory: {rng.choice(CATEGORIES)}\n"
                         f"aliases: [alias-{i:05d}, {slug}-{lang}-name]\nrelated: [{', '.join(related)}]\n"
                         f"sources:\n  - text: Source {i}\n    url: https://example.org/{i}\n")
            else:
                front = f"title: {title}\n"
            body = (f"A **{title.lower()}** is {' '.join(words[:120])} [1]. See [{related[0]}]({related[0]}.md).\n\n"
                    f"## How it works\n\n{' '.join(words[120:])}.\n\n"
                    f"```python\nimport torch\nmodel_{i} = torch.nn.Linear(784, 10)  # codeonlytoken{i}\n"
                    f"loss = model_{i}(torch.randn(32, 784)).sum()\nloss.backward()\n```\n")
            (content / "glossary" / f"{slug}.{lang}.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    middle = slugs[terms // 2]
    # a title, an alias, the commonest word, a rare one, and three common words the last still being typed
    return [titles[middle][0], f"alias-{terms // 3:05d}", vocab["en"][0], vocab["en"][20_000],
            f"{vocab['en'][1]} {vocab['en'][2]} {vocab['en'][3][:3]}"]


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; .js/.json/.css gzip-encoded when the browser asks (as GitHub Pages and others do)."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.suffix in (".js", ".json", ".css") and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(path.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return _Body(data)
        return super().send_head()


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


KINDS = (("/index.json", "directory"), ("/s/", "shards"), ("/d/", "records"))


def kind(url: str) -> str:
    return next((name for part, name in KINDS if part in url), "other")


def measure(site: Path, page_path: str, queries: list[str]) -> list[tuple[str, int, int, int, str, dict[str, int]]]:
    """(query, bytes on the wire, bytes decoded, requests, first result, wire bytes by kind) per query,
    each on a fresh page."""
    from playwright.sync_api import sync_playwright

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        for query in queries:
            context = browser.new_context()  # an empty cache
            page = context.new_page()
            page.goto(f"{base}/{page_path}", wait_until="networkidle")
            seen: list = []
            page.on("requestfinished", lambda request, seen=seen: seen.append(request))
            page.locator(".glossary-search-button").click()
            page.locator(".glossary-search-input").fill(query)  # one query (typing runs one per pause)
            page.locator(".glossary-search-result").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            wire = decoded = 0
            kinds: dict[str, int] = {}
            for request in seen:
                sizes = request.sizes()
                if os.environ.get("SEARCH_BYTES_VERBOSE"):
                    print(f"    {sizes['responseBodySize']:>8} {request.url.split('/', 3)[3]}")
                wire += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                kinds[kind(request.url)] = kinds.get(kind(request.url), 0) + sizes["responseBodySize"]
                response = request.response()
                decoded += len(response.body()) if response else 0
            first = page.locator(".glossary-search-title").first.inner_text()
            rows.append((query, wire, decoded, len(seen), first, kinds))
            context.close()
        browser.close()
    httpd.shutdown()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the generated project here")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="search-bytes-")
    root = args.keep or Path(tmp)
    try:
        root.mkdir(parents=True, exist_ok=True)
        queries = generate(root, args.terms)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True,
                                text=True, env={**os.environ, "GLOSSARY_EXECUTE": "0", "NO_MKDOCS_2_WARNING": "1"})
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"build failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        bundle = root / "site" / "glossary-search"
        every = [f for f in bundle.rglob("*") if f.is_file()]
        total, files = sum(f.stat().st_size for f in every), len(every)
        lunr_equivalent = sum(f.stat().st_size for f in (bundle / "en" / "d").glob("*.json"))
        script = (root / "site" / "assets" / "glossary-search.js").read_bytes()
        print(f"terms: {args.terms:,} x 3 languages; build {seconds:.0f} s (search index included)")
        print(f"glossary-search/: {total / 1e6:.1f} MB in {files:,} files; the English records alone "
              f"{lunr_equivalent / 1e6:.1f} MB (about what a whole-index search such as lunr would download)")
        print(f"glossary-search.js (with every page): {len(script) / 1000:.1f} KB, "
              f"{len(gzip.compress(script)) / 1000:.1f} KB gzip")
        print(f"{'query':<28} {'wire':>10} {'decoded':>10} {'requests':>8}  first result")
        rows = measure(root / "site", "glossary/term-00001/", queries)
        for query, wire, decoded, count, first, kinds in rows:
            print(f"{query:<28} {wire / 1000:>8.1f} KB {decoded / 1000:>7.1f} KB {count:>8}  {first}")
            print("    " + ", ".join(f"{name} {kinds.get(name, 0) / 1000:.1f}" for _, name in KINDS)
                  + f", other {kinds.get('other', 0) / 1000:.1f} KB (bodies; headers in the total)")
        worst = max(r[1] for r in rows)
        print(f"worst: {worst / 1000:.1f} KB per query on the wire (goal <= {GOAL / 1000:.0f} KB): "
              f"{'met' if worst <= GOAL else 'NOT met'}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
