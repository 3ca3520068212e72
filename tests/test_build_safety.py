"""The build publishes no script from content and no file the check did not see.

Two layers: 'glossary check' (run by the plugin) refuses what the sanitizer would remove, and the
sanitizer runs on every page anyway. The first test takes the check away to prove the second layer
alone keeps script out of the pages, in the HTML and in a real browser.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import QUICK_ENV, mkdocs_build

pytestmark = pytest.mark.slow

HOSTILE_BODY = """Hostile is a test entry.

![chart](chart.png){onerror=alert(1)}

[alpha](alpha-net.md){onclick=alert(2)} and [home](alpha-net.md){href="javascript:alert(3)"}

<a title="x>y" onmouseover=alert(4)>hover</a> and [click](jav&#x61;script:alert(5))

<form action="javascript:alert(6)"><button>go</button></form>

[ref][r] and [split](<java
script:alert(7)>)

[r]: javascript:alert(8)

<img src="data:image/svg+xml,<svg onload=alert(9)>"> <script>alert(10)</script>
<iframe src="javascript:alert(11)"></iframe> <img src=x onerror="document.title='owned'">

## Heading { data-toc-label="<img src=x onerror=alert(12)>" }

Plain end.
"""
INDEX_BODY = ("---\ntitle: <script>alert(13)</script>\ndescription: '\"><script>alert(15)</script>'\n"
              "template: redirect.html\nlocation: 'javascript:alert(16)//'\n---\n\n# Home\n\n<img src=x onerror=alert(14)>\n")
SUB_PAGE = "# &lt;/title&gt;&lt;img src=x onerror=alert(17)&gt;\n\ntext\n"
def _active(fragment: str) -> list[str]:
    """What in parsed HTML could run script: handler attributes, script-like URLs, active elements."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "iframe", "form", "object", "embed", "base", "meta", "link"):
                found.append(f"<{tag}>")
            for name, value in attrs:
                url = re.sub(r"[\x00-\x20]", "", value or "").lower()
                if name.startswith("on") or url.startswith(("javascript:", "data:text", "data:image/svg")) \
                        or (name in ("id", "name") and (value or "").startswith("__")):
                    found.append(f"{tag} {name}={value!r}")

    Parser().feed(fragment)
    return found


def _hostile_project(project: Path) -> None:
    glossary = project / "content" / "glossary"
    (glossary / "hostile.en.md").write_text("---\ntitle: Hostile\ncategory: fundamentals\n---\n\n" + HOSTILE_BODY)
    (glossary / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (project / "content" / "index.en.md").write_text(INDEX_BODY)
    (project / "content" / "sub").mkdir()
    (project / "content" / "sub" / "page.md").write_text(SUB_PAGE)


def _build_without_the_html_and_link_checks(project: Path) -> subprocess.CompletedProcess[str]:
    code = ("import sys, glossary_tools.checks as c\n"
            "c.CHECKS = tuple(m for m in c.CHECKS if m not in (c.html, c.links))\n"
            "from mkdocs.__main__ import cli\n"
            "sys.argv = ['mkdocs', 'build', '-f', 'mkdocs.yml', '-d', 'site']\n"
            "cli()\n")
    return subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={**os.environ, **QUICK_ENV, "GLOSSARY_EXECUTE": "0"}, timeout=600)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from .conftest import FIXTURE_SITE

    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(FIXTURE_SITE, project, ignore=shutil.ignore_patterns(".cache", "site"))
    _hostile_project(project)
    result = _build_without_the_html_and_link_checks(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _pages(site: Path) -> list[Path]:
    return [site / "glossary" / "hostile" / "index.html", site / "index.html",
            site / "pt" / "glossary" / "hostile" / "index.html", site / "sub" / "page" / "index.html"]


def test_no_handler_or_script_scheme_reaches_any_page(hostile_site: Path) -> None:
    for path in _pages(hostile_site):
        html = path.read_text()
        content = html[html.index("<article"):html.index("</article>")]
        assert _active(content) == [], path
        assert "Plain end." in content or path.name == "index.html"
        # the page's own scripts are Material's, and the toc label and title are text
        assert "alert(12)" not in html.replace("&lt;img src=x onerror=alert(12)&gt;", "")
        assert "<script>alert(13)" not in html and "<script>alert(15)" not in html
        assert "alert(16)" not in html  # a page may not choose the redirect template
        assert "<img src=x onerror=alert(17)>" not in html  # the <title> made from a heading stays text


def test_the_check_refuses_the_same_page(fixture_project: Path) -> None:
    _hostile_project(fixture_project)
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "unsafe-html" in output and "Traceback" not in output
    assert "hostile.en.md:" in output and "content/index.en.md:10:" in output
    assert "content/index.en.md:4:1: error[unknown-field]" in output  # template: a page may not choose it


def test_symlinked_asset_outside_the_project_is_not_published(fixture_project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret\n")
    (fixture_project / "content" / "assets" / "leak.txt").symlink_to(secret)
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "leak.txt" in output and "outside the project" in output
    assert not any(p.read_bytes() == b"top secret\n" for p in (fixture_project / "site").rglob("leak.txt"))


@pytest.mark.parametrize("name,content", [
    ("diagram.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("notes.html", "<script>alert(1)</script>"),
    ("tool.js", "alert(1)"),
])
def test_active_files_under_content_are_not_published(fixture_project: Path, name: str, content: str) -> None:
    (fixture_project / "content" / "assets" / name).write_text(content)
    result = mkdocs_build(fixture_project, fixture_project / "site", GLOSSARY_EXECUTE="0")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and f"content/assets/{name}:1:1: error[unsafe-file]" in output
    assert not (fixture_project / "site" / "assets" / name).exists()


def test_a_page_rewritten_during_the_build_with_its_old_mtime_and_size_is_refused(fixture_project: Path) -> None:
    (fixture_project / "examples" / "rewriter.py").write_text(
        "# %%\nimport os, pathlib\np = pathlib.Path.cwd().parent / 'content' / 'index.en.md'\n"
        "st = p.stat()\ntext = p.read_text()\np.write_text(text.replace(text[:8], '<script>'[:8], 1))\n"
        "os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))\n")
    result = mkdocs_build(fixture_project, fixture_project / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "index.en.md: was written or changed after 'glossary check'" in output


def test_an_entry_written_during_the_build_is_not_published(fixture_project: Path) -> None:
    (fixture_project / "examples" / "writer.py").write_text(
        "# %%\nimport pathlib\nroot = pathlib.Path.cwd().parent\n"
        "(root / 'content' / 'glossary' / 'sneaky.en.md').write_text("
        "'---\\ntitle: Sneaky\\ncategory: fundamentals\\n---\\n\\n<script>alert(1)</script>\\n')\n")
    result = mkdocs_build(fixture_project, fixture_project / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "sneaky.en.md" in output and "after 'glossary check'" in output, output
    assert not (fixture_project / "site" / "glossary" / "sneaky").exists()


@pytest.mark.browser
def test_a_browser_runs_nothing_from_the_hostile_page(hostile_site: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian chromium is not installed (make chromium installs it)")
    from playwright.sync_api import sync_playwright

    from .test_browser import ARGS

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.RequestHandlerClass.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    dialogs: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for url in ("/glossary/hostile/", "/pt/glossary/hostile/", "/", "/sub/page/"):
                page.goto(base + url)
                page.wait_for_load_state("load")
                title = page.title()
                assert "owned" not in title
                links = page.locator("article a")
                for i in range(links.count()):
                    link = links.nth(i)
                    if link.is_visible():
                        link.hover()
                        link.click(modifiers=["Control"])  # open in background: the page stays to be judged
                        lightbox = page.locator(".glightbox-container")
                        if lightbox.count():  # an image's zoom link opens GLightbox over the page: close it
                            page.keyboard.press("Escape")
                            lightbox.first.wait_for(state="detached", timeout=10_000)
                page.wait_for_timeout(300)
                assert page.title() == title
            browser.close()
    finally:
        httpd.shutdown()
    assert dialogs == []


def test_files_in_a_linked_folder_are_refused_at_any_depth(fixture_project: Path) -> None:
    from glossary_tools import site
    from glossary_tools.project import load_project

    real = fixture_project / "content" / "assets" / "real" / "deep"
    real.mkdir(parents=True)
    (real / "a.png").write_bytes(b"\x89PNG")
    (real / "b.png").write_bytes(b"\x89PNG")
    (fixture_project / "content" / "assets" / "alias").symlink_to(real.parent)  # a folder link inside
    project = load_project(fixture_project)
    checked = site.snapshot(project.docs_dir)
    sources = [str(fixture_project / "content" / "assets" / part / "deep" / name)
               for part in ("real", "alias") for name in ("a.png", "b.png")]
    problems = site.refused(sources, project, checked)
    assert sorted(problems) == sources[2:]  # both files under the link, none under the real folder
    assert all("linked folder" in why for why in problems.values())
