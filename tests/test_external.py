"""glossary check --external, against HTTP servers on 127.0.0.1 started here (never the internet)."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from glossary_tools.cli import main
from glossary_tools.external import ERROR, OK, REDIRECT, WARNING, LinkOptions, Stats, check_urls, excluded

from .linkserver import link_server, refused_url

FAST = LinkOptions(timeout=0.5, backoff=0.01, retry_after_cap=2.0)


class Sleeps:
    """Records the waits the checker asks for instead of waiting (tests stay fast)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _check(urls: list[str], options: LinkOptions = FAST, stats: Stats | None = None,
           sleep: Sleeps | None = None):  # type: ignore[no-untyped-def]
    return asyncio.run(check_urls(urls, options, stats, sleep or Sleeps()))


def test_each_behaviour_gets_its_outcome() -> None:
    with link_server(slow_s=1.5) as server:
        b = server.base
        refused = refused_url()
        urls = [f"{b}/ok", f"{b}/missing", f"{b}/gone", f"{b}/forbidden", f"{b}/slow", f"{b}/no-head",
                f"{b}/redirect-1", f"{b}/loop-a", refused, f"{b}/broken"]
        sleeps = Sleeps()
        results = _check(urls, sleep=sleeps)
    levels = {url.removeprefix(b): (r.level, r.status) for url, r in results.items()}
    assert levels == {
        "/ok": (OK, 200), "/missing": (ERROR, 404), "/gone": (ERROR, 410), "/forbidden": (WARNING, 403),
        "/slow": (WARNING, None), "/no-head": (OK, 200), "/redirect-1": (REDIRECT, 200),
        "/loop-a": (ERROR, None), refused: (ERROR, None), "/broken": (ERROR, 503)}
    assert results[f"{b}/redirect-1"].final_url == f"{b}/ok/final"
    assert "redirect loop" in results[f"{b}/loop-a"].message
    assert results[refused].message == "connection refused"
    assert "within 0.5 s" in results[f"{b}/slow"].message
    assert "after 3 attempts" in results[f"{b}/broken"].message  # 5xx is retried (twice), then an error
    assert sleeps.waits == [0.01, 0.02]  # exponential backoff without Retry-After


def test_429_honours_retry_after_capped_and_persistent_429_is_a_warning() -> None:
    with link_server() as server:
        sleeps = Sleeps()
        results = _check([f"{server.base}/busy-once", f"{server.base}/busy"], sleep=sleeps)
        assert server.hits["/busy-once"] == 2 and server.hits["/busy"] == 3
    assert results[f"{server.base}/busy-once"].level == OK
    assert results[f"{server.base}/busy"].level == WARNING and results[f"{server.base}/busy"].status == 429
    assert sleeps.waits == [2.0, 2.0, 2.0]  # Retry-After: 7, capped at 2


def test_concurrency_is_bounded_per_host_and_overall() -> None:
    with link_server(delay_s=0.05) as one, link_server(delay_s=0.05) as two:
        urls = [f"{server.base}/ok/{i}" for server in (one, two) for i in range(12)]
        stats = Stats()
        results = _check(urls, LinkOptions(timeout=5, max_concurrency=3, per_host=2), stats)
        assert all(r.level == OK for r in results.values())
        assert one.max_in_flight <= 2 and two.max_in_flight <= 2
    assert 2 <= stats.max_in_flight <= 3
    assert max(stats.max_per_host.values()) == 2


def test_a_redirect_to_a_missing_page_is_an_error_naming_the_target() -> None:
    with link_server() as server:
        result = _check([f"{server.base}/moved-away"])[f"{server.base}/moved-away"]
    assert result.level == ERROR and result.status == 404
    assert result.message == f"answers 404 Not Found (redirected to {server.base}/missing)"


def test_socket_errors_are_named() -> None:
    import socket

    import httpx

    from glossary_tools.external import _connect_problem

    def wrapped(cause: BaseException) -> httpx.ConnectError:
        try:
            try:
                raise cause
            except OSError as exc:
                raise httpx.ConnectError("All connection attempts failed") from exc
        except httpx.ConnectError as exc:
            return exc

    assert _connect_problem(wrapped(socket.gaierror(-2, "Name or service not known"))) == "DNS lookup failed"
    assert _connect_problem(wrapped(ConnectionRefusedError(111, "Connection refused"))) == "connection refused"
    assert _connect_problem(wrapped(OSError(113, "No route to host"))).startswith("cannot connect")


def test_exclude_patterns() -> None:
    assert excluded("https://example.org/a", ["https://example.org/*"])
    assert excluded("https://doi.org/10.1/x", ["re:^https://(dx\\.)?doi\\.org/"])
    assert not excluded("https://example.com/a", ["https://example.org/*", "re:nomatch"])


def _project_with_links(project: Path, base: str) -> None:
    en = project / "content/glossary/gamma.en.md"
    text = en.read_text()
    head, _, rest = text.partition("\n---\n")
    en.write_text(
        f"{head}\nsources:\n  - text: A\n    url: {base}/ok\n  - text: B\n    url: {base}/missing\n---\n{rest}"
        f"\nSee [moved]({base}/redirect-1), <{base}/forbidden> and `{base}/gone` (code).\n")
    example = project / "examples/tiny.py"
    example.write_text(example.read_text() + f"\n# %% [markdown]\n# Read [the notes]({base}/gone).\n")


def test_check_external_end_to_end_with_positions_cache_and_exclude(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    root = ("--root", str(fixture_project))
    with link_server() as server:
        _project_with_links(fixture_project, server.base)
        # the fixture's own sources name real sites: never request them
        external = ("check", "--external", "--timeout", "2", "--format", "json", "--exclude", r"re:^(?!http://127\.0\.0\.1)")
        code, out, err = main([*root, *external]), *capsys.readouterr()
        found = {(d["path"], d["line"], d["column"], d["severity"], d["message"].split(": ", 1)[1])
                 for d in json.loads(out)["diagnostics"] if d["rule"] == "external-link"}
        lines = (fixture_project / "content/glossary/gamma.en.md").read_text().splitlines()
        see = next(i for i, line in enumerate(lines, 1) if line.startswith("See [moved]"))
        missing = next(i for i, line in enumerate(lines, 1) if line.endswith("/missing"))
        tiny = (fixture_project / "examples/tiny.py").read_text().splitlines()
        assert found == {
            ("content/glossary/gamma.en.md", missing, 10, "error", "answers 404 Not Found"),
            ("content/glossary/gamma.en.md", see, 13, "info", f"redirects to {server.base}/ok/final"),
            ("content/glossary/gamma.en.md", see, lines[see - 1].index("<") + 2, "warning", "answers 403 Forbidden"),
            ("examples/tiny.py", len(tiny), tiny[-1].index("http") + 1, "error", "answers 410 Gone"),
        }
        assert code == 1
        others = int(re.search(r"(\d+) excluded", err).group(1))  # type: ignore[union-attr]
        assert others >= 1 and f"(5 requested, 0 from cache, {others} excluded)" in err
        assert "1 ok, 1 redirected, 1 warnings, 2 errors" in err
        cache = json.loads((fixture_project / ".cache/glossary/links.json").read_text())
        assert set(cache["urls"]) == {f"{server.base}/{p}" for p in ("ok", "missing", "redirect-1", "forbidden", "gone")}
        hits = sum(server.hits.values())

        main([*root, *external]); _, err = capsys.readouterr()  # noqa: E702
        assert sum(server.hits.values()) == hits, "a second run within the TTL requests nothing"
        assert f"(0 requested, 5 from cache, {others} excluded)" in err

        main([*root, *external, "--refresh", "--exclude", f"{server.base}/miss*", "--exclude", "re:/gone$"])
        out, err = capsys.readouterr()
        assert f"(3 requested, 0 from cache, {others + 2} excluded)" in err
        # (the status with its reason: the URL's random port may itself contain '404' or '410')
        assert not any("404 Not Found" in d["message"] or "410 Gone" in d["message"]
                       for d in json.loads(out)["diagnostics"])

        config = fixture_project / "mkdocs.yml"
        config.write_text(config.read_text().replace("      examples_dir: examples\n",
                                                     f"      examples_dir: examples\n      external_exclude: ['{server.base}/*']\n"))
        main([*root, *external, "--refresh"])
        assert f"(0 requested, 0 from cache, {others + 5} excluded)" in capsys.readouterr()[1]


def test_external_is_off_by_default(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with link_server() as server:
        _project_with_links(fixture_project, server.base)
        main(["--root", str(fixture_project), "check"])
        out, err = capsys.readouterr()
        assert not server.hits and "external" not in out + err


@pytest.mark.parametrize("option", ["--per-host", "--max-concurrency", "--timeout"])
@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_limits_must_be_positive(option: str, value: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["check", "--external", option, value])
    assert info.value.code == 2 and option in capsys.readouterr().err


def test_only_the_named_files_urls_are_requested(fixture_project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with link_server() as server:
        _project_with_links(fixture_project, server.base)
        beta = fixture_project / "content/glossary/beta.en.md"
        beta.write_text(beta.read_text() + f"\n[elsewhere]({server.base}/missing)\n")
        main(["--root", str(fixture_project), "check", "--external", "--exclude", r"re:^(?!http://127\.0\.0\.1)",
              str(beta)])
        out, err = capsys.readouterr()
        assert set(server.hits) == {"/missing"} and "1 requested" in err
        assert "beta.en.md" in out and "gamma.en.md" not in out
