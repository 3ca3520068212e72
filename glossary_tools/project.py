"""Project configuration: where things live and which languages exist, read from mkdocs.yml.

The list of languages lives once, in mkdocs.yml's i18n plugin; categories live in
``<docs_dir>/categories.yml``. Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, GlossaryError, Rule
from .model import Category
from .options import BY_NAME, url_scheme, validate


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does: ``!ENV`` is resolved; other tags (``!!python/name``,
    ``!relative``) are for MkDocs itself and read as opaque ``Tagged`` values."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV VAR`` and ``!ENV [VAR, OTHER, default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(child, deep=True) for child in node.value]
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 else None
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.load(os.environ[name], Loader=yaml.SafeLoader) if os.environ[name] else ""
    return default


class Tagged:
    """A value written with a YAML tag for MkDocs itself (``!!python/name:...``, ``!relative``):
    kept opaque, so an option of ours given one is reported rather than read as unset."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def __repr__(self) -> str:
        return self.tag


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    return Tagged(node.tag if node.tag.startswith("!") else f"!{suffix}")


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("", _ignore_tag)


def _position(node: yaml.Node | None, path: tuple[str | int, ...]) -> tuple[int, int]:
    """1-based line and column of the value at ``path`` in a composed document (else the nearest)."""
    best = node
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        best = node
    return (best.start_mark.line + 1, best.start_mark.column + 1) if best is not None else (1, 1)


_CATEGORY_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LOCALE_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_EXAMPLE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ExampleSettings:
    directory: Path
    cache_dir: Path
    cell_timeout: int
    max_output_bytes: int
    execute: bool = True
    quick: bool = False
    # where executed examples are cached: cache_dir's folder as text, or the fsspec URL it names
    # (then cache_dir is the local working folder, .cache/glossary, for pages and link results)
    store: str = ""
    cache_max_mb: int = 500
    jobs: int = 0  # 0: one per core
    executor: str = "local"

    @property
    def cache_store(self) -> str:
        return self.store or str(self.cache_dir)


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    languages: tuple[str, ...]
    language_names: dict[str, str]
    examples: ExampleSettings
    external_exclude: tuple[str, ...] = ()
    # mkdocs.yml's markdown_extensions as (name, options); options with YAML tags are left out
    markdown_extensions: tuple[tuple[str, dict[str, Any]], ...] = ()
    config_text: str = ""  # mkdocs.yml as written (the site owner's: files it names are trusted)

    @property
    def glossary_dir(self) -> Path:
        return self.docs_dir / "glossary"

    @property
    def categories_file(self) -> Path:
        return self.docs_dir / "categories.yml"

    @property
    def has_categories_file(self) -> bool:
        """categories.yml is optional: without it each category an entry names is one."""
        return self.categories_file.exists() or self.categories_file.is_symlink()

    def example_names(self) -> list[str]:
        """The runnable examples: examples/*.py named with letters, digits, '_' and '-' (not starting
        with '_': those are helpers), that are regular files inside the project."""
        from .files import UnsafeFile, check_file

        directory = self.examples.directory
        names = []
        for path in sorted(directory.glob("*.py")) if directory.is_dir() else []:
            if _EXAMPLE_NAME_RE.fullmatch(path.stem):
                try:
                    check_file(path, self.root)
                except UnsafeFile:
                    continue
                names.append(path.stem)
        return names

    def names_in_config(self, path: Path) -> bool:
        """Whether mkdocs.yml names this file under the docs folder (extra_javascript, a plugin option)."""
        rel = os.path.relpath(path, self.docs_dir).replace(os.sep, "/")
        return not rel.startswith("../") and re.search(rf"(?<![\w/.-])(?:\.\./)*{re.escape(rel)}(?![\w/.-])",
                                                       self.config_text) is not None

    def rel(self, path: Path | str) -> str:
        """A path as shown in diagnostics: relative to the project root where possible."""
        text = os.fspath(path)
        root = os.fspath(self.root) + os.sep
        if not text.startswith(root):
            text = os.path.realpath(text)
        return text[len(root):].replace(os.sep, "/") if text.startswith(root) else text


def _config_error(path: Path, message: str, hint: str = "") -> GlossaryError:
    return GlossaryError.at(str(path), Rule.CONFIG, message, hint)


def _plugin_options(plugins: Any, name: str) -> tuple[dict[str, Any] | None, tuple[str | int, ...]]:
    """The options of plugin ``name`` and their path in mkdocs.yml (for positions)."""
    if isinstance(plugins, dict):
        value = plugins.get(name, None) if name in plugins else None
        return (value if value is not None else {}) if name in plugins else None, ("plugins", name)
    for i, item in enumerate(plugins if isinstance(plugins, list) else []):
        if item == name:
            return {}, ("plugins", i)
        if isinstance(item, dict) and name in item:
            value = item[name]
            return (value if value is not None else {}), ("plugins", i, name)
    return None, ()


def find_root(start: Path) -> Path:
    for candidate in [start, *start.parents]:
        if (candidate / "mkdocs.yml").is_file():
            return candidate
    raise _config_error(start / "mkdocs.yml", "no mkdocs.yml found here or in any parent folder",
                        "run the command from the project root or pass --root")


def load_project(root: Path, config_file: Path | None = None, quick: bool | None = None) -> Project:
    """The project described by mkdocs.yml. Raises GlossaryError (rule 'config') when it is unusable."""
    config_file = config_file or root / "mkdocs.yml"
    try:
        text = config_file.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        raise _config_error(config_file, f"cannot read {config_file.name}: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict):
        raise _config_error(config_file, "mkdocs.yml is not a mapping")
    given_docs = raw.get("docs_dir", "docs")
    if not isinstance(given_docs, str) or not given_docs.strip():
        raise _config_error(config_file, f"docs_dir must be a folder name, not {given_docs!r}")
    docs_dir = (config_file.parent / given_docs).resolve()
    root = config_file.parent.resolve()
    if docs_dir != root and root not in docs_dir.parents:
        raise _config_error(config_file, f"docs_dir {given_docs!r} lies outside the project",
                            "keep the content in a folder beside mkdocs.yml")
    i18n, _ = _plugin_options(raw.get("plugins"), "i18n")
    languages: list[str] = []
    names: dict[str, str] = {}
    if i18n is not None and not isinstance(i18n, dict):
        raise _config_error(config_file, f"the i18n plugin's options must be a mapping, not {i18n!r}")
    listed = (i18n or {}).get("languages") or []
    if not isinstance(listed, list):
        raise _config_error(config_file, "the i18n plugin's 'languages' must be a list of {locale: ...} items")
    for item in listed:
        if isinstance(item, dict) and isinstance(item.get("locale"), str):
            lang = item["locale"]
            if not _LOCALE_RE.fullmatch(lang) or lang in names:
                raise _config_error(config_file, f"locale {lang!r} is " + ("listed twice" if lang in names else
                                    "not a language code"), "use codes such as en, pt, pt-BR, once each")
            name = item.get("name") or lang
            if not isinstance(name, str):
                raise _config_error(config_file, f"the name of language {lang!r} must be text, not {name!r}")
            names[lang] = name
            if item.get("default"):
                languages.insert(0, lang)
            else:
                languages.append(lang)
    if not languages:  # a one-language site: MkDocs' theme language, else English
        theme = raw.get("theme")
        lang = theme.get("language") if isinstance(theme, dict) else None
        languages = [lang if isinstance(lang, str) and lang else "en"]
        names = {languages[0]: languages[0]}
    given, where = _plugin_options(raw.get("plugins"), "glossary")
    if given is not None and not isinstance(given, dict):
        raise _config_error(config_file, f"the glossary plugin's options must be a mapping, not {given!r}")
    values, problems = validate(given or {})
    if problems:
        node = yaml.compose(text, Loader=_ConfigLoader)
        shown = config_file.name
        raise GlossaryError([Diagnostic(shown, *_position(node, (*where, name)), Rule.CONFIG, message,
                                        "fix the option under plugins: - glossary: in mkdocs.yml")
                             for name, message in problems])
    if quick is None:
        quick = os.environ.get("GLOSSARY_EXAMPLES_QUICK") == "1"
    location = values["cache_dir"]
    scheme = url_scheme(location)
    local = location if scheme is None else BY_NAME["cache_dir"].default
    examples = ExampleSettings(
        directory=(config_file.parent / values["examples_dir"]).resolve(),
        cache_dir=(config_file.parent / local).resolve(),
        cell_timeout=values["cell_timeout"],
        max_output_bytes=values["max_output_bytes"],
        execute=values["execute"] and os.environ.get("GLOSSARY_EXECUTE", "1") != "0",
        quick=quick,
        store=location if scheme is not None else "",
        cache_max_mb=values["cache_max_mb"],
        jobs=values["jobs"],
        executor=values["executor"],
    )
    shared = Path(location[len("file://"):]) if scheme == "file" else None
    if shared is not None and (shared == docs_dir or docs_dir in shared.parents):
        raise _config_error(config_file, f"cache_dir {location!r} lies inside docs_dir, which the site publishes",
                            "keep the cache beside the docs folder")
    if examples.cache_dir == docs_dir or docs_dir in examples.cache_dir.parents:
        raise _config_error(config_file, f"cache_dir {values['cache_dir']!r} lies inside docs_dir, which the site "
                            "publishes", "keep the cache beside the docs folder, e.g. .cache/glossary")
    _check_theme_languages(config_file, raw.get("theme"), languages)
    return Project(config_file.parent.resolve(), docs_dir, tuple(languages), names, examples,
                   tuple(values["external_exclude"]), _markdown_extensions(raw.get("markdown_extensions")), text)


def _check_theme_languages(config_file: Path, theme: Any, languages: list[str]) -> None:
    """Material has a translation file per language; a language it lacks crashes the build."""
    import importlib.util

    name = theme.get("name") if isinstance(theme, dict) else theme
    if name != "material":
        return
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return  # the checker alone: Material is not installed here
    partials = Path(next(iter(spec.submodule_search_locations))) / "templates" / "partials" / "languages"
    wanted = [theme.get("language")] if isinstance(theme, dict) and theme.get("language") is not None else []
    for lang in [*wanted, *languages]:
        if not isinstance(lang, str) or not (partials / f"{lang}.html").is_file():
            raise _config_error(config_file, f"Material has no translation for the language {lang!r}",
                                "use a language code Material knows (en, pt, es, pt-BR, ...)")


def _markdown_extensions(raw: Any) -> tuple[tuple[str, dict[str, Any]], ...]:
    found: list[tuple[str, dict[str, Any]]] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str):
            found.append((item, {}))
        elif isinstance(item, dict) and len(item) == 1:
            name, options = next(iter(item.items()))
            if isinstance(name, str):
                clean = {k: v for k, v in options.items()
                         if isinstance(k, str) and v is not None and not isinstance(v, Tagged)} \
                    if isinstance(options, dict) else {}
                found.append((name, clean))
    return tuple(found)


def load_categories(project: Project) -> dict[str, Category]:
    """categories.yml, read with the entries' safe parser (text only; no aliases, tags or duplicates)."""
    from .files import UnsafeFile, read_capped
    from .frontmatter import MAX_FRONTMATTER_BYTES, ParsedFile, decode, parse_yaml

    path = project.categories_file
    shown = project.rel(path)
    try:
        raw_bytes = read_capped(path, project.root, MAX_FRONTMATTER_BYTES)
    except UnsafeFile as exc:
        raise _config_error(path, f"{shown} {exc}", "categories.yml maps category ids to labels") from None
    text, problems = decode(raw_bytes, shown)
    parsed = ParsedFile(shown, None)
    if text is not None:
        parse_yaml(text, parsed, first_line=1)
    problems += parsed.diagnostics
    if problems:
        raise GlossaryError([Diagnostic(shown, d.line, d.column, Rule.CONFIG, f"{d.message} ({d.rule.id})", d.hint)
                             for d in problems])
    data = parsed.data
    if not data:
        raise _config_error(path, "categories.yml must map category ids to labels")
    categories: dict[str, Category] = {}
    for cid, spec in data.items():
        if not isinstance(cid, str) or not _CATEGORY_ID_RE.fullmatch(cid):
            line, col = parsed.position(cid, "#key")
            raise GlossaryError([Diagnostic(shown, line, col, Rule.CONFIG,
                                            f"category id {cid!r} is not lowercase letters, digits and '-'",
                                            "ids become page URLs (glossary/category/<id>/); the label is free text")])
        labels = spec.get("label") if isinstance(spec, dict) else None
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            line, col = parsed.position(cid)
            raise GlossaryError([Diagnostic(shown, line, col, Rule.CONFIG,
                                            f"category {cid!r} needs a 'label' mapping of language to text",
                                            "write label: {en: ..., pt: ...}")])
        descriptions = spec.get("description") or {}
        if not isinstance(descriptions, dict):
            descriptions = {}
        categories[str(cid)] = Category(str(cid), dict(labels),
                                        {str(k): v for k, v in descriptions.items() if isinstance(v, str)})
    return categories
