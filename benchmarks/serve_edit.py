"""How long an edit to one entry takes to show in the page 'glossary serve' serves, at N terms x 3.

Builds a project like build_scale.py's (this repository's content plus N generated terms in
en/pt/es, examples not executed), starts 'glossary serve', then edits the text of an entry
(English, then Portuguese, several times) and polls the served page until the edit shows.
Prints each delay and the median against the goal (<= 2 s at 1,000 terms). Not a timed test.

    python benchmarks/serve_edit.py [--terms 1000] [--edits 5]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from build_scale import project  # noqa: E402


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project(root, args.terms)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        log = (root / "serve.log").open("w")
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "glossary_tools.cli", "--root", str(root), "serve", "-a", f"127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
            env={**os.environ, "GLOSSARY_EXECUTE": "0", "NO_MKDOCS_2_WARNING": "1"})
        try:
            while "Term 1" not in fetch(f"{base}/glossary/term-00001/"):
                if server.poll() is not None or time.perf_counter() - started > 900:
                    sys.exit("the server did not start:\n" + (root / "serve.log").read_text()[-3000:])
                time.sleep(0.5)
            print(f"terms: {args.terms:,} x 3 languages; first build served after {time.perf_counter() - started:.1f} s")
            delays = []
            for i in range(args.edits):
                lang = ("en", "pt")[i % 2]
                slug = f"term-{(i * 7 + 3) % args.terms:05d}"
                path = root / "content" / "glossary" / f"{slug}.{lang}.md"
                marker = f"edit-marker-{i}"
                text = path.read_text(encoding="utf-8").replace("\n\n## How it works", f" {marker}\n\n## How it works", 1)
                url = f"{base}/{'' if lang == 'en' else lang + '/'}glossary/{slug}/"
                written = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                while marker not in fetch(url):
                    if time.perf_counter() - written > 120:
                        sys.exit(f"edit {i} not visible after 120 s:\n" + (root / "serve.log").read_text()[-3000:])
                    time.sleep(0.02)
                delays.append(time.perf_counter() - written)
                log.flush()
                reports = re.findall(r"(\d+) pages re-rendered in ([\d.]+) s", (root / "serve.log").read_text())
                own = f" (the server's re-rendering: {reports[-1][1]} s)" if len(reports) > i else ""
                print(f"  edit {i + 1} ({lang}): visible after {delays[-1]:.2f} s{own}", flush=True)
                time.sleep(1)  # let the watcher settle between edits
            median = statistics.median(delays)
            print(f"median: {median:.2f} s (goal <= 2 s) -> {'met' if median <= 2 else 'NOT met'}")
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
