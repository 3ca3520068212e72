"""Project configuration: where things live and which languages exist, read from mkdocs.yml.

The list of languages lives once, in mkdocs.yml's i18n plugin; categories live in
``<docs_dir>/categories.yml``. Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import GlossaryError, Rule
from .model import Category


class _PermissiveLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, which may carry !!python/name or !ENV tags we do not need."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_PermissiveLoader.add_multi_constructor("", _ignore_tag)


@dataclass(frozen=True)
class ExampleSettings:
    directory: Path
    cache_dir: Path
    cell_timeout: int = 300
    max_output_bytes: int = 200_000
    quick: bool = False


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    languages: tuple[str, ...]
    language_names: dict[str, str]
    examples: ExampleSettings
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def glossary_dir(self) -> Path:
        return self.docs_dir / "glossary"

    @property
    def categories_file(self) -> Path:
        return self.docs_dir / "categories.yml"

    def example_names(self) -> list[str]:
        """The runnable examples: examples/*.py, except modules named _like_this (helpers)."""
        directory = self.examples.directory
        return sorted(p.stem for p in directory.glob("*.py") if not p.name.startswith("_")) \
            if directory.is_dir() else []

    def rel(self, path: Path | str) -> str:
        """A path as shown in diagnostics: relative to the project root where possible."""
        text = os.fspath(path)
        root = os.fspath(self.root) + os.sep
        if not text.startswith(root):
            text = os.path.realpath(text)
        return text[len(root):].replace(os.sep, "/") if text.startswith(root) else text


def _config_error(path: Path, message: str, hint: str = "") -> GlossaryError:
    return GlossaryError.at(str(path), Rule.CONFIG, message, hint)


def _plugin_options(plugins: Any, name: str) -> dict[str, Any] | None:
    for item in plugins or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return item[name] or {}
    if isinstance(plugins, dict) and name in plugins:
        return plugins[name] or {}
    return None


def find_root(start: Path) -> Path:
    for candidate in [start, *start.parents]:
        if (candidate / "mkdocs.yml").is_file():
            return candidate
    raise _config_error(start / "mkdocs.yml", "no mkdocs.yml found here or in any parent folder",
                        "run the command from the project root or pass --root")


def load_project(root: Path, config_file: Path | None = None, quick: bool | None = None) -> Project:
    config_file = config_file or root / "mkdocs.yml"
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_PermissiveLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _config_error(config_file, f"cannot read {config_file.name}: {exc}") from None
    if not isinstance(raw, dict):
        raise _config_error(config_file, "mkdocs.yml is not a mapping")
    docs_dir = (config_file.parent / str(raw.get("docs_dir", "docs"))).resolve()
    i18n = _plugin_options(raw.get("plugins"), "i18n") or {}
    languages: list[str] = []
    names: dict[str, str] = {}
    for item in i18n.get("languages") or []:
        if isinstance(item, dict) and isinstance(item.get("locale"), str):
            lang = item["locale"]
            names[lang] = str(item.get("name") or lang)
            if item.get("default"):
                languages.insert(0, lang)
            else:
                languages.append(lang)
    if not languages:
        raise _config_error(config_file, "the i18n plugin in mkdocs.yml declares no languages",
                            "add plugins: - i18n: languages: [{locale: en, default: true}, ...]")
    options = _plugin_options(raw.get("plugins"), "glossary") or {}
    if quick is None:
        quick = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
    examples = ExampleSettings(
        directory=(config_file.parent / str(options.get("examples_dir", "examples"))).resolve(),
        cache_dir=(config_file.parent / str(options.get("cache_dir", ".cache/glossary"))).resolve(),
        cell_timeout=int(options.get("cell_timeout", 300)),
        max_output_bytes=int(options.get("max_output_bytes", 200_000)),
        quick=quick,
    )
    return Project(config_file.parent.resolve(), docs_dir, tuple(languages), names, examples, options)


def load_categories(project: Project) -> dict[str, Category]:
    path = project.categories_file
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _config_error(path, f"cannot read categories: {exc}") from None
    if not isinstance(raw, dict) or not raw:
        raise _config_error(path, "categories.yml must map category ids to labels")
    categories: dict[str, Category] = {}
    for cid, spec in raw.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), dict):
            raise _config_error(path, f"category {cid!r} needs a 'label' mapping of language to text")
        labels = {str(k): str(v) for k, v in spec["label"].items()}
        descriptions = {str(k): str(v) for k, v in (spec.get("description") or {}).items()}
        categories[str(cid)] = Category(str(cid), labels, descriptions)
    return categories
