"""Typed options of the ``glossary`` plugin (declared the MkDocs way)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class GlossaryConfig(base.Config):
    examples_dir = c.Type(str, default="examples")
    """Folder of the runnable examples (Jupytext percent scripts), relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache/glossary")
    """Where executed notebooks are cached, keyed by content hash, torch version and device."""
    cell_timeout = c.Type(int, default=300)
    """Seconds one notebook cell may run before the build fails."""
    max_output_bytes = c.Type(int, default=200_000)
    """Characters a notebook may print per stream; the rest is cut with a note."""
    execute = c.Type(bool, default=True)
    """Execute the examples (set GLOSSARY_EXECUTE=0 to build without them)."""
    external_exclude = c.ListOfItems(c.Type(str), default=[])
    """URLs 'glossary check --external' never requests: globs, or regular expressions prefixed 're:'."""
