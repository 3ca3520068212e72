"""Importers: one module per foreign shape, and the registry that picks one for a file.

Each shape module has ``NAME``, ``detect(doc, path) -> score`` (0 = not this shape, 1 = surely)
and ``convert(doc, context) -> ImportedEntry``. ``batch.import_paths`` runs a whole import.
"""

from __future__ import annotations

from pathlib import PurePath
from types import ModuleType

from . import canonical, fcc, obsidian, page
from .base import Document, ImportProblem, read_document

SHAPES: dict[str, ModuleType] = {m.NAME: m for m in (canonical, fcc, obsidian, page)}
MIN_SCORE = 0.2


def detect(text: str, path: PurePath, doc: Document | None = None) -> tuple[str, float]:
    """The most likely shape of ``text`` and its score; ImportProblem when none fits."""
    doc = doc or read_document(text, str(path), path, None)
    scores = {name: module.detect(doc, path) for name, module in SHAPES.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] < MIN_SCORE:
        raise ImportProblem("its shape is not one the importer knows (canonical, fcc, obsidian, page)")
    return best, scores[best]


__all__ = ["SHAPES", "Document", "ImportProblem", "detect", "read_document"]
