"""``glossary serve``: the site with live reload, where an edit to an entry's text shows in about a second.

``mkdocs serve`` rebuilds every page of every language on each change (16 s at 1,000 terms x 3
languages). Here the first build is a full one; afterwards, a change that only edits the text of
existing entries re-renders just those entries' pages, in each language (a language without its
own file shows the default language's text), through the same MkDocs steps and plugins a full
build uses. Anything else (a new or removed file, a changed title, category, alias, relation,
source or example, the configuration, an example script, a theme file) rebuilds everything,
as ``mkdocs serve`` does. The search index of each language whose pages were re-rendered is
written again with them.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger("mkdocs.plugins.glossary")


def serve(config_file: Path, dev_addr: str | None = None, open_in_browser: bool = False) -> int:
    from mkdocs.__main__ import State
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError, ConfigurationError, PluginError
    from mkdocs.livereload import LiveReloadServer, _serve_url

    from .site import snapshot

    logging_state = State()  # mkdocs' own console logging, as 'mkdocs serve' sets it up  # noqa: F841
    site_dir = tempfile.mkdtemp(prefix="glossary_serve_")
    overrides = {"dev_addr": dev_addr} if dev_addr else {}

    def get_config():
        config = load_config(config_file=str(config_file), site_dir=site_dir, **overrides)
        config.plugins.on_startup(command="serve", dirty=False)
        return config

    failures = (Abort, BuildError, ConfigurationError, PluginError)
    config = get_config()
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = config.site_url = _serve_url(host, port, mount_path)
    state = {"config": config}

    def full() -> None:
        fresh = state["config"] if state.get("first") is None else get_config()
        state["first"] = False
        fresh.site_url = serve_url
        started = time.perf_counter()
        build(fresh, serve_url=serve_url)
        state["config"] = fresh
        log.info("glossary: full build in %.1f s", time.perf_counter() - started)

    def builder() -> None:
        for _ in range(3):  # an editor may still be writing when the first change is seen
            before = snapshot(Path(state["config"].docs_dir))
            plugin = state["config"].plugins.get("glossary")
            try:
                started = time.perf_counter()
                refreshed = plugin.refresh(state["config"]) if plugin is not None else None
                if refreshed is None:
                    full()
                else:
                    log.info("glossary: %d pages re-rendered in %.2f s", refreshed, time.perf_counter() - started)
                return
            except failures as exc:  # as mkdocs serve: say why, keep serving what was built
                if snapshot(Path(state["config"].docs_dir)) == before:
                    log.error("glossary: the site was not rebuilt: %s", exc)
                    return
                log.info("glossary: files changed during the build; building again")

    server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path)

    def error_handler(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_handler
    try:
        try:
            full()
        except failures as exc:
            log.error("glossary: the site was not built: %s", exc)
            return 1
        server.watch(config.docs_dir)
        server.watch(str(config_file))
        plugin = config.plugins.get("glossary")
        project = getattr(plugin, "project", None)
        if project is not None and project.examples.directory.is_dir():
            server.watch(str(project.examples.directory))
        for item in config.watch:
            server.watch(item)
        try:
            server.serve(open_in_browser=open_in_browser)
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        state["config"].plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
