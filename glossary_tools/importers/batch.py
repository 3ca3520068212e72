"""A whole import: inputs -> documents -> shapes -> entries matched to terms -> files written.

Three passes, so that files of one batch can link to each other and attach to each other as
translations: every input is read and converted first; then each entry is matched to a term (an
existing one, one planned earlier in the batch, or a new one) and its target file decided; last,
links and related names are resolved against the existing glossary plus the planned files, and
everything is written through the same writer as ``glossary new``. A file that fails writes
nothing and the rest go on.
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from .. import body as md
from ..diagnostics import GlossaryError, Rule, printable
from ..files import UnsafeFile, read_capped
from ..frontmatter import MAX_FILE_BYTES
from ..loader import LoadResult, category_index, load_glossary
from ..project import Project, load_categories
from ..schema import ALIAS_RE, NEUTRAL_FIELDS, RESERVED_SLUGS, SLUG_RE, title_repeats
from ..writer import atomic_write, entry_text, write_entry
from . import SHAPES, detect
from .base import (
    LINK_RE,
    TOKEN_RE,
    Document,
    ImportedEntry,
    ImportProblem,
    Link,
    escape_source_refs,
    is_external,
    one_line,
    read_document,
    slugify,
)
from .inputs import Input, collect, read_input
from .langdetect import detect as detect_language

MAX_ASSET_BYTES = 20 * 1024 * 1024
_LANGUAGE_NAMES = {"english": "en", "inglês": "en", "inglés": "en", "portuguese": "pt", "português": "pt",
                   "portugués": "pt", "spanish": "es", "espanhol": "es", "español": "es"}


@dataclass
class ImportOptions:
    lang: str | None = None
    as_slug: str | None = None
    category: str | None = None
    shape: str = "auto"
    source_url: str | None = None
    dry_run: bool = False
    force: bool = False


@dataclass
class Row:
    """One line of the table: a source file and what became of it."""

    source: str
    shape: str = "-"
    lang: str = "-"
    slug: str = "-"
    written: str = "-"
    todo: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class ImportResult:
    rows: list[Row]
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(row.error for row in self.rows)

    def errors(self) -> list[str]:
        return [f"error: {row.source}: {row.error}" for row in self.rows if row.error]

    def table(self) -> str:
        header = ("source", "shape", "lang", "slug", "written", "to do")
        lines: list[tuple[str, ...]] = [header]
        for row in self.rows:
            todo = f"FAILED: {row.error}" if row.error else "; ".join(dict.fromkeys(row.todo)) or "-"
            # names and notes come from the imported files: control characters are shown escaped
            lines.append(tuple(printable(cell) for cell in (row.source, row.shape, row.lang, row.slug, row.written,
                                                            todo)))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
        out = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])) + "  " + line[-1]
               for line in lines]
        written = sum(1 for row in self.rows if not row.error and row.written != "-")
        failed = sum(1 for row in self.rows if row.error)
        out.append(f"{len(self.rows)} files: {written} {'to write' if self.dry_run else 'written'}, {failed} failed")
        return "\n".join(out)


@dataclass
class _Plan:
    """A file to write: the entry, its term, its target and the fields decided so far."""

    row: Row
    entry: ImportedEntry
    doc: Document
    slug: str
    lang: str
    path: Path
    fields: dict[str, Any]
    new_term: bool


class _Terms:
    """The existing glossary plus the files planned in this batch, indexed for matching."""

    def __init__(self, loaded: LoadResult, languages: tuple[str, ...]) -> None:
        self.loaded = loaded
        self.languages = languages
        self.exact: dict[str, str] = {}  # slugs and aliases (as the checks resolve them)
        self.fuzzy: dict[str, str] = {}  # slugified slugs, aliases, titles and file names
        self.urls: dict[str, str] = {}
        self.planned: dict[tuple[str, str], _Plan] = {}
        self.planned_slugs: set[str] = set()
        # aliases to add to existing files of a term (each file rewritten once, at the end)
        self.alias_updates: dict[tuple[str, str], tuple[list[str], list[Row]]] = {}
        glossary = loaded.glossary
        for slug in sorted(glossary.terms):
            term = glossary.terms[slug]
            self.exact.setdefault(slug, slug)
            self._fuzzy(slug, slug)
            for alias in term.aliases:
                self.exact.setdefault(alias, slug)
                self._fuzzy(alias, slug)
            for tr in term.translations.values():
                self._fuzzy(tr.title, slug)
                for source in tr.sources or ():
                    self._cite(source.url, slug)

    def _cite(self, url: str, slug: str) -> None:
        # a URL identifies a term only when no other term cites it (a book's home page does not)
        self.urls[url] = slug if self.urls.get(url, slug) == slug else ""

    def _fuzzy(self, name: str, slug: str) -> None:
        key = slugify(name)
        if key:
            self.fuzzy.setdefault(key, slug)

    def exists(self, slug: str) -> bool:
        return slug in self.loaded.glossary.terms or slug in self.planned_slugs

    def resolve(self, name: str) -> str | None:
        return self.exact.get(name) or self.fuzzy.get(slugify(name))

    def add_plan(self, plan: _Plan, other_names: list[str]) -> None:
        self.planned[(plan.slug, plan.lang)] = plan
        self.planned_slugs.add(plan.slug)
        self.exact.setdefault(plan.slug, plan.slug)
        for name in (plan.slug, plan.entry.title, *other_names):
            self._fuzzy(name, plan.slug)
        for alias in plan.fields.get("aliases", ()):
            self.exact.setdefault(alias, plan.slug)
            self._fuzzy(alias, plan.slug)
        for source in plan.entry.sources or ():
            self._cite(source.url, plan.slug)

    def add_alias(self, alias: str, slug: str) -> None:
        self.exact.setdefault(alias, slug)
        self._fuzzy(alias, slug)

    def neutral(self, slug: str, but: str) -> dict[str, tuple[str, Any]]:
        """The term's neutral fields given by its files in languages other than ``but``: name -> (lang, value)."""
        found: dict[str, tuple[str, Any]] = {}
        for lang in self.languages:
            if lang == but:
                continue
            existing = self.loaded.entries.get((slug, lang))
            plan = self.planned.get((slug, lang))
            given = dict(plan.fields) if plan else dict(existing.neutral) if existing else {}
            for name in NEUTRAL_FIELDS:
                if name in given and name not in found:
                    found[name] = (lang, given[name])
        return found

    def default_sources(self, slug: str, but: str) -> int:
        for lang in self.languages:
            plan = self.planned.get((slug, lang))
            existing = self.loaded.entries.get((slug, lang))
            if lang != but and plan and "sources" in plan.fields:
                return len(plan.fields["sources"])
            if lang != but and existing and existing.sources is not None:
                return len(existing.sources)
        return 0


class _Context:
    """What converters may ask while converting (categories, original URLs, attachments)."""

    def __init__(self, project: Project, options: ImportOptions, categories: dict[str, str]) -> None:
        self.project = project
        self.options = options
        self.categories = categories
        self.assets: dict[Path, bytes] = {}  # attachment copies to write
        self._names: dict[Path, dict[str, list[Path]]] = {}
        self.input: Input | None = None

    def category_id(self, text: str) -> str | None:
        return self.categories.get(one_line(text).casefold())

    def category_from_tags(self, tags: list[str]) -> str | None:
        for tag in tags:
            words = re.sub(r"[-_/]+", " ", tag).casefold()
            found = self.categories.get(words) or self.categories.get(tag.casefold())
            if found:
                return found
        return None

    def original_url(self, doc: Document, joined: str) -> str | None:
        base = self.options.source_url
        if not base or doc.root is None:
            return None
        rel = posixpath.relpath(joined, doc.root.as_posix()) if joined.startswith("/") else joined
        if rel.startswith(".."):
            return None
        for suffix in ("index.md", "index.markdown", ".md", ".markdown"):
            if rel.endswith(suffix):
                rel = rel[: -len(suffix)]
                break
        return base.rstrip("/") + "/" + rel.lstrip("./")

    def _name_index(self, root: Path) -> dict[str, list[Path]]:
        if root not in self._names:
            index: dict[str, list[Path]] = {}
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    index.setdefault(name.casefold(), []).append(Path(folder) / name)
            self._names[root] = index
        return self._names[root]

    def embed(self, doc: Document, entry: ImportedEntry, target: str, label: str) -> str:
        """An attachment as a Markdown image of its copy under assets/imported/, or a visible note."""
        name = target.replace("%20", " ").strip()
        shown = label.strip() or PurePath(name).stem
        root = doc.root
        candidates: list[Path] = []
        if root is not None and not PurePath(name).is_absolute():
            candidates += [Path(doc.path).parent / name, root / name]
            if self.input is not None and self.input.vault:
                candidates += self._name_index(root).get(PurePath(name).name.casefold(), [])
        for candidate in candidates:
            if not os.path.lexists(candidate):
                continue
            assert root is not None
            try:
                data = read_capped(candidate, root, MAX_ASSET_BYTES)
            except UnsafeFile as exc:
                entry.notes.append(f"image {name!r} {exc}: not copied")
                return _missing(name)
            if len(data) > MAX_ASSET_BYTES:
                entry.notes.append(f"image {name!r} is larger than {MAX_ASSET_BYTES:,} bytes: not copied")
                return _missing(name)
            if PurePath(name).suffix.lower() in (".svg", ".svgz"):
                from ..site import svg_problem

                why = svg_problem(name, len(data), functools.partial(bytes, data))
                if why:
                    entry.notes.append(f"image {name!r} {why}: not copied")
                    return _missing(name)
            digest = hashlib.sha256(data).hexdigest()[:10]
            stem = slugify(PurePath(name).stem) or "image"
            dest = self.project.docs_dir / "assets" / "imported" / f"{stem}-{digest}{PurePath(name).suffix.lower()}"
            self.assets[dest] = data
            entry.assets.append(dest)
            rel = posixpath.relpath(dest.as_posix(), self.project.glossary_dir.as_posix())
            return f"![{_escape_label(shown)}]({rel})"
        entry.notes.append(f"image {name!r} is not in the vault: add it by hand")
        return _missing(name)


def _missing(name: str) -> str:
    return f"*(image not found: {_escape_label(name)})*"


def _escape_label(text: str) -> str:
    return re.sub(r"([\[\]\\*_`<>])", r"\\\1", text)


def _language(value: str | None, project: Project) -> str | None:
    if not value:
        return None
    text = value.strip().casefold()
    code = _LANGUAGE_NAMES.get(text) or re.split(r"[-_]", text)[0]
    return code if code in project.languages else None


def import_paths(project: Project, paths: list[str], options: ImportOptions,
                 stdin: BinaryIO | None = None) -> ImportResult:
    """Import files, folders or standard input ('-'); see the module's docstring."""
    categories = category_index(load_categories(project))
    options = _check_options(project, options, categories)
    loaded = load_glossary(project)
    context = _Context(project, options, categories)
    terms = _Terms(loaded, project.languages)
    converted: list[tuple[Row, ImportedEntry, Document]] = []
    rows: list[Row] = []
    for item in collect(paths, stdin):
        row = Row(item.source)
        rows.append(row)
        if item.error:
            row.error = item.error
            continue
        try:
            context.input = item
            entry, doc = _convert(item, row, context, options)
            converted.append((row, entry, doc))
        except ImportProblem as exc:
            row.error = str(exc)
    plans = []
    for row, entry, doc in converted:
        try:
            plans.append(_plan(row, entry, doc, project, options, terms, context))
        except ImportProblem as exc:
            row.error = str(exc)
        except GlossaryError as exc:
            row.error = "; ".join(d.message for d in exc.diagnostics)
    articles = {plan.entry.key: plan.slug for plan in plans if plan.entry.key}
    stems = {slugify(PurePath(plan.doc.path).stem): plan.slug for plan in plans}
    for plan in plans:
        _finish(plan, terms, articles, stems)
    _write(plans, project, options, terms, context)
    return ImportResult(rows, options.dry_run)


def _check_options(project: Project, options: ImportOptions, categories: dict[str, str]) -> ImportOptions:
    """The options with the category as an id; GlossaryError (a usage problem) when one is unusable."""
    def usage(message: str, hint: str) -> GlossaryError:
        return GlossaryError.at("glossary import", Rule.CONFIG, message, hint)

    if options.lang is not None and options.lang not in project.languages:
        raise usage(f"language {options.lang!r} is not configured", f"configured: {', '.join(project.languages)}")
    if options.as_slug is not None and (not SLUG_RE.fullmatch(options.as_slug) or options.as_slug in RESERVED_SLUGS):
        raise usage(f"--as {options.as_slug!r} is not a slug an entry may have",
                    "lowercase ASCII letters, digits and hyphens; not a generated page's name")
    if options.category is not None:
        found = categories.get(options.category.casefold())
        if found is None:
            raise usage(f"unknown category {options.category!r}", f"known: {', '.join(sorted(set(categories.values())))}")
        options = replace(options, category=found)
    if options.shape != "auto" and options.shape not in SHAPES:
        raise usage(f"unknown format {options.shape!r}", f"one of: auto, {', '.join(SHAPES)}")
    if options.source_url is not None and not options.source_url.lower().startswith(("http://", "https://")):
        raise usage(f"--source-url {options.source_url!r} is not an http(s) address", "e.g. https://guide.example.org")
    return options


def _convert(item: Input, row: Row, context: _Context, options: ImportOptions) -> tuple[ImportedEntry, Document]:
    text = read_input(item)
    path = PurePath(item.path) if item.path is not None else PurePath("stdin.md")
    real = Path(os.path.realpath(item.path.parent)) / item.path.name if item.path is not None else path
    doc = read_document(text, item.source, real, item.root)
    if options.shape == "auto":
        shape, _score = detect(text, path, doc)
    else:
        shape = options.shape
    row.shape = shape
    entry = SHAPES[shape].convert(doc, context)
    entry.shape = shape
    if not entry.title:
        if options.as_slug is None:
            raise ImportProblem("no title found (no front matter title, no '# ' heading): pass --as SLUG")
        entry.title = options.as_slug.replace("-", " ").capitalize()
    declared = _language(entry.lang, context.project)  # the file's own word wins over the batch's --lang
    if declared and options.lang and declared != options.lang:
        row.todo.append(f"its front matter says {entry.lang!r}: imported as {declared}, not --lang {options.lang}")
    lang = declared or options.lang
    if lang is None and entry.lang:
        raise ImportProblem(f"its language {entry.lang!r} is not configured (configured: "
                            f"{', '.join(context.project.languages)}); pass --lang")
    if lang is None:
        guess = detect_language(entry.lang_text or entry.body)
        if guess.lang is None or guess.lang not in context.project.languages:
            raise ImportProblem(f"cannot tell its language ({guess.describe()}): pass --lang")
        lang = guess.lang
    row.lang = lang
    entry.lang = lang
    return entry, doc


def _plan(row: Row, entry: ImportedEntry, doc: Document, project: Project, options: ImportOptions,
          terms: _Terms, context: _Context) -> _Plan:
    lang = entry.lang
    assert lang is not None
    head = entry.title.split(":", 1)[0] if title_repeats(entry.title) else entry.title
    spelling = slugify(head)  # 'X: The X' (kept as the title, reported by check) is spelt 'x'
    if options.as_slug is None and not spelling:
        raise ImportProblem(f"the title {entry.title!r} gives no ASCII slug: pass --as SLUG")
    if options.as_slug is None and spelling in RESERVED_SLUGS:
        raise ImportProblem(f"the slug {spelling!r} is the name of a generated page: pass --as SLUG")
    slug = _match(entry, spelling, options, terms)
    new_term = not terms.exists(slug)
    path = project.glossary_dir / f"{slug}.{lang}.md"
    shown = project.rel(path)
    if (slug, lang) in terms.planned:
        raise ImportProblem(f"{shown} is also imported from {terms.planned[(slug, lang)].row.source}")
    if path.exists() and not options.force:
        raise ImportProblem(f"{shown} already exists: pass --force to overwrite it (nothing was changed)")
    row.slug = slug
    row.todo.extend(entry.notes)
    row.written = f"would write {shown}" if options.dry_run else shown
    if not new_term and not path.exists():
        row.todo.append(f"translation of '{slug}'")
    neutral = terms.neutral(slug, lang)
    fields: dict[str, Any] = {"title": one_line(entry.title)}
    # category
    category = entry.category or options.category  # the file's own category wins, as its language does
    if category:
        written = context.categories.get(category.casefold(), category)
        if "category" in neutral:
            have = neutral["category"][1]
            if context.categories.get(str(have).casefold(), have) != written:
                row.todo.append(f"category {category!r} differs from the term's {have!r} "
                                f"({slug}.{neutral['category'][0]}.md): not written, reconcile by hand")
        else:
            fields["category"] = written
            if written not in context.categories.values():
                row.todo.append(f"unknown category {category!r}: choose one of "
                                f"{', '.join(sorted(set(context.categories.values())))}")
    elif "category" not in neutral:
        row.todo.append("choose a category")
    # examples (related are settled once the batch is known)
    if entry.examples:
        if "examples" in neutral:
            extra = [e for e in entry.examples if e not in neutral["examples"][1]]
            if extra:
                row.todo.append(f"examples {', '.join(extra)} not written: the term lists its examples in "
                                f"{slug}.{neutral['examples'][0]}.md")
        else:
            fields["examples"] = list(dict.fromkeys(entry.examples))
    if entry.sources is not None:
        fields["sources"] = [{"text": s.text, "url": s.url} for s in entry.sources]
    elif new_term:
        row.todo.append("add sources")
    plan = _Plan(row, entry, doc, slug, lang, path, fields, new_term)
    # aliases: the new spelling and the file's own aliases, added where the term keeps them
    wanted = [a for a in (spelling, *(slugify(t) for t in entry.other_titles), *entry.aliases)
              if a and a != slug]
    holder = neutral.get("aliases")
    aliases: list[str] = []
    for alias in dict.fromkeys(wanted):
        if not ALIAS_RE.fullmatch(alias):
            alias = slugify(alias)
        owner = terms.exact.get(alias)
        if owner is not None and owner != slug:
            row.todo.append(f"alias {alias!r} not added: it already names '{owner}'")
            continue
        if holder and alias in holder[1]:
            continue
        aliases.append(alias)
    if aliases:
        if holder is None:
            fields["aliases"] = aliases
        else:
            _add_aliases(terms, slug, holder[0], aliases, row)
    for alias in aliases:
        terms.add_alias(alias, slug)
    terms.add_plan(plan, [*entry.other_titles, PurePath(doc.path).stem])
    return plan


def _match(entry: ImportedEntry, spelling: str, options: ImportOptions, terms: _Terms) -> str:
    """The slug of the term this file belongs to (an existing one, one of this batch, or a new one)."""
    if options.as_slug is not None:
        return terms.exact.get(options.as_slug) or options.as_slug
    for name in (spelling, entry.title, *entry.other_titles):
        found = terms.resolve(name)
        if found:
            return found
    for source in entry.sources or ():
        if terms.urls.get(source.url):
            return terms.urls[source.url]
    return spelling


def _add_aliases(terms: _Terms, slug: str, lang: str, aliases: list[str], row: Row) -> None:
    plan = terms.planned.get((slug, lang))
    if plan is not None:
        plan.fields["aliases"] = list(dict.fromkeys([*plan.fields.get("aliases", []), *aliases]))
        return
    names, rows = terms.alias_updates.setdefault((slug, lang), ([], []))
    names.extend(a for a in aliases if a not in names)
    rows.append(row)


def _finish(plan: _Plan, terms: _Terms, articles: dict[str, str], stems: dict[str, str]) -> None:
    """Resolve links and related names against the glossary and the batch; settle the body."""
    entry, row = plan.entry, plan.row
    related: list[str] = []
    for name in entry.related:  # our own shape: kept as written (aliases resolve them)
        if name != plan.slug:
            related.append(name)
        if terms.exact.get(name) is None:
            row.todo.append(f"related {name!r} names no entry yet")
    for name in entry.related_names:
        found = terms.resolve(name)
        if found and found != plan.slug:
            related.append(found)
        elif not found:
            row.todo.append(f"related term {name!r} not found: add it later")
    links: dict[str, Link] = {link.token: link for link in entry.links}

    def replace(match: re.Match[str]) -> str:
        link = links.get(match.group(0))
        if link is None:
            return ""
        label = _escape_label(link.label)
        if link.kind == "article":
            slug = articles.get(link.target)
            if slug:
                return f"[{label}]({slug}.md)"
            if link.url:
                return f"[{label}]({link.url})"
            row.todo.append(f"link to {link.target!r} kept as text (not imported; --source-url BASE links it)")
            return label
        slug = terms.resolve(link.target) or stems.get(slugify(link.target))
        if slug:
            if slug != plan.slug and entry.shape == "obsidian":
                related.append(slug)
            return f"[{label}]({slug}.md)"
        row.todo.append(f"link [[{link.target}]] kept as text (no such entry)")
        return label

    body = TOKEN_RE.sub(replace, entry.body) if links else entry.body
    if entry.shape != "canonical":  # our own shape is kept as written; others must not bring broken links
        body = _settle_links(body, plan, terms)
    if entry.escape_refs:
        own = plan.fields.get("sources")
        body, escaped = escape_source_refs(body, len(own) if own is not None else terms.default_sources(plan.slug, plan.lang))
        if escaped:
            row.todo.append(f"{escaped} [n] without a source kept as text")
    entry.body = body
    related = list(dict.fromkeys(related))
    if related:
        have = terms.neutral(plan.slug, plan.lang).get("related")
        if have is None:
            plan.fields["related"] = related
        else:
            extra = [r for r in related if r not in have[1]]
            if extra:
                row.todo.append(f"related {', '.join(extra)} not written: the term lists its related terms in "
                                f"{plan.slug}.{have[0]}.md")


_IMPORTED_ASSET = "../assets/imported/"


def _settle_links(body: str, plan: _Plan, terms: _Terms) -> str:
    """Links the checks would find broken (another site's pages, missing anchors) become their text."""
    masked = md.mask_code(body)
    if "](" not in masked:
        return body
    own = md.anchors(body)
    pieces, last = [], 0
    for match in LINK_RE.finditer(masked):
        bang, label, target = match.groups()
        if is_external(target):
            continue
        path, _, anchor = target.partition("#")
        if bang:
            ok = path.startswith(_IMPORTED_ASSET) and "/" not in path[len(_IMPORTED_ASSET):]
        elif not path:
            ok = anchor in own
        else:
            simple = re.fullmatch(r"([a-z0-9-]+)\.md", path)
            ok = bool(simple) and not anchor and terms.exists(simple.group(1)) if simple else False
        if ok:
            continue
        text = body[match.start():match.end()]
        inner = text[text.index("[") + 1:text.rindex("](")]
        pieces += [body[last:match.start()], inner]
        last = match.end()
        plan.row.todo.append(f"{'image' if bang else 'link'} {target!r} kept as text (it points nowhere here)")
    pieces.append(body[last:])
    return "".join(pieces)


def _write(plans: list[_Plan], project: Project, options: ImportOptions, terms: _Terms, context: _Context) -> None:
    ok: list[_Plan] = []
    for plan in plans:
        if plan.row.error:
            continue
        if options.dry_run and len(entry_text(plan.fields, plan.entry.body).encode("utf-8")) > MAX_FILE_BYTES:
            plan.row.error = f"the converted entry would be larger than {MAX_FILE_BYTES:,} bytes"
            plan.row.written = "-"
            continue
        ok.append(plan)
    if options.dry_run:
        for plan in ok:
            plan.row.todo.extend(f"would copy {project.rel(dest)}" for dest in dict.fromkeys(plan.entry.assets))
        _alias_rewrites(terms, project, dry_run=True)
        return
    for dest in sorted({dest for plan in ok for dest in plan.entry.assets}):  # copies first: no link dangles
        data = context.assets[dest]
        if not dest.exists() or dest.read_bytes() != data:
            atomic_write(dest, data, force=True)
    for plan in ok:
        try:
            write_entry(project, plan.slug, plan.lang, plan.fields, plan.entry.body, force=options.force)
        except GlossaryError as exc:
            plan.row.error = "; ".join(d.message for d in exc.diagnostics)
            plan.row.written = "-"
        except OSError as exc:
            plan.row.error = f"cannot write {project.rel(plan.path)}: {exc.strerror or exc}"
            plan.row.written = "-"
    _alias_rewrites(terms, project, dry_run=False)


def _alias_rewrites(terms: _Terms, project: Project, *, dry_run: bool) -> None:
    for (slug, lang), (aliases, rows) in sorted(terms.alias_updates.items()):
        existing = terms.loaded.entries[(slug, lang)]
        parsed = existing.parsed
        shown = existing.path
        data = parsed.data if parsed is not None else None
        yaml_text = parsed.yaml_text if parsed is not None else None
        problem = None
        if data is None or existing.refused or (parsed is not None and parsed.diagnostics):
            problem = f"{shown} has front matter problems"
        elif yaml_text is None or re.search(r"(?m)(^|\s)#", yaml_text):
            problem = f"{shown} has comments in its front matter that a rewrite would lose"
        if problem:
            for row in rows:
                row.todo.append(f"add {', '.join(aliases)} to 'aliases' in {shown} by hand ({problem})")
            continue
        assert data is not None
        fields = dict(data)
        fields["aliases"] = [*(fields.get("aliases") or []), *aliases]
        for row in rows:
            row.todo.append(f"{'would add' if dry_run else 'added'} alias {', '.join(aliases)} to {shown}")
        if not dry_run:
            try:
                write_entry(project, slug, lang, fields, existing.body, force=True)
            except (GlossaryError, OSError) as exc:
                for row in rows:
                    row.error = f"could not add the alias to {shown}: {exc}"


__all__ = ["ImportOptions", "ImportResult", "Row", "import_paths"]
