"""The ``glossary`` command: a thin layer over the library (no logic of its own).

Exit codes: 0 success, 1 errors found (or warnings with --strict), 2 usage or configuration problem.
Heavy libraries (MkDocs, nbclient, torch) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from .diagnostics import FORMATS, Diagnostic, GlossaryError, Report, Rule, encodable, printable
from .project import Project, find_root, load_project
from .suggest import did_you_mean


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve() if args.root else find_root(Path.cwd())


def _project(args: argparse.Namespace) -> Project:
    return load_project(_root(args))


def _checked_paths(project: Project, given: list[str]) -> list[Path]:
    """Paths named on the command line: each must exist inside the content folder."""
    from .files import inside

    paths = []
    for text in given:
        path = Path(text)
        try:
            exists = path.exists() or path.is_symlink()
        except OSError:
            exists = False
        if exists and path.is_symlink():
            try:
                path.resolve(strict=True)
            except (OSError, RuntimeError):
                raise GlossaryError.at(text, Rule.CONFIG, f"{text} is a symlink loop or points nowhere",
                                       "name entry files or folders of this project") from None
        if not exists:
            raise GlossaryError.at(text, Rule.CONFIG, f"{text}: no such file or folder",
                                   f"name entry files or folders under {project.rel(project.docs_dir)}/")
        if not inside(path, project.docs_dir):
            raise GlossaryError.at(text, Rule.CONFIG, f"{text} is not inside the content folder "
                                   f"{project.rel(project.docs_dir)}/", "name entry files or folders of this project")
        paths.append(path)
    return paths


def cmd_check(args: argparse.Namespace) -> int:
    from .checks import check_glossary
    from .diagnostics import Diagnostic, Rule, Severity
    from .loader import entry_files

    project = _project(args)
    paths = _checked_paths(project, args.paths)
    from .options import bad_pattern  # (mkdocs.yml's external_exclude is validated with the other options)

    for pattern in args.exclude:
        why = bad_pattern(pattern)
        if why:
            raise GlossaryError.at("--exclude", Rule.CONFIG, why,
                                   "write a glob such as https://doi.org/* or a valid 're:' expression")
    # The whole glossary is always loaded (links, translations and inherited fields need it);
    # given paths and --changed-since only narrow what is reported.
    shown = _changed_files(project, args.changed_since) if args.changed_since else None
    if args.paths:
        named = {project.rel(p) for p in entry_files(project, paths)}
        shown = named if shown is None else shown & named
    loaded, diagnostics = check_glossary(project, exiting=True)
    if args.external:
        from .external import LinkOptions, check_external

        options = LinkOptions(max_concurrency=args.max_concurrency, per_host=args.per_host, timeout=args.timeout,
                              refresh=args.refresh,
                              exclude=(*project.external_exclude, *args.exclude))
        found, summary = check_external(project, loaded, options, only=shown)
        diagnostics.extend(found)
        print(summary, file=sys.stderr)
    if args.max_stale is not None:
        # a budget of stale translations: within it they are notes, beyond it errors
        stale = [d for d in diagnostics if d.rule is Rule.STALE_TRANSLATION]
        level = Severity.INFO if len(stale) <= args.max_stale else Severity.ERROR
        diagnostics = [d for d in diagnostics if d.rule is not Rule.STALE_TRANSLATION]
        diagnostics.extend(Diagnostic(d.path, d.line, d.column, d.rule, d.message, d.hint, level) for d in stale)
    files = loaded.files
    if shown is not None:
        diagnostics = [d for d in diagnostics if d.path in shown]
        files = len({p for p in shown if p.endswith(".md")})
    report = Report(diagnostics)
    print(report.format(args.format, files))
    return 1 if report.failed(args.strict) else 0


def _changed_files(project: Project, ref: str) -> set[str]:
    from . import git
    from .diagnostics import Rule

    try:
        changed = git.changed_since(project.root, ref)
    except git.GitError as exc:
        raise GlossaryError.at("mkdocs.yml", Rule.CONFIG, f"--changed-since {ref}: {exc}",
                               "run inside a git work tree and name an existing commit, branch or tag") from None
    return {project.rel(p) for p in changed}


def cmd_translations(args: argparse.Namespace) -> int:
    from . import translations
    from .writer import entry_path

    project = _project(args)
    lang = args.lang
    entry_path(project, args.slug, lang)  # the slug and language name an entry file, or a diagnostic
    if args.translations_command == "stamp":
        path, digest = translations.stamp(project, args.slug, lang)
        print(f"stamped {printable(project.rel(path))}: translated_from hash {digest}")
    else:  # the text is the entries' own: control characters are shown escaped, lines kept
        print("\n".join(printable(line) for line in translations.diff(project, args.slug, lang).split("\n")))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .writer import new_entry

    project = _project(args)
    path = new_entry(project, args.slug, args.lang or project.languages[0], args.title, args.category,
                     force=args.force)
    print(f"created {project.rel(path)}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .importers.batch import ImportOptions, import_paths

    project = _project(args)
    options = ImportOptions(lang=args.lang, as_slug=args.as_slug, category=args.category, shape=args.format,
                            source_url=args.source_url, dry_run=args.dry_run, force=args.force)
    result = import_paths(project, args.paths, options)
    if not args.dry_run:
        _note_check_errors(project, result.rows)
    print(result.table())
    for line in result.errors():
        print(printable(line), file=sys.stderr)
    return 1 if result.failed else 0


def _note_check_errors(project: Project, rows: list[Any]) -> None:
    """What 'glossary check' will say about each written file (the source's own problems: a script,
    a reference to a missing source), as a to-do on its row."""
    from .checks import check_glossary

    written = {row.written: row for row in rows if row.written not in ("-", "") and not row.error}
    if not written:
        return
    try:
        _, found = check_glossary(project)
    except GlossaryError:
        return
    for d in found:
        row = written.get(d.path)
        if row is not None and d.level.value == "error":
            row.todo.append(f"check: line {d.line}: {d.rule.id}")


def cmd_examples(args: argparse.Namespace) -> int:
    from .notebooks.runner import list_examples, run_examples

    project = _project(args)
    if args.examples_command == "list":
        for line in list_examples(project):
            print(line)
        return 0
    known = project.example_names()
    unknown = [name for name in args.names if name not in known]
    if unknown:
        for name in unknown:
            hint = did_you_mean(name, known) or f"examples: {', '.join(known) or '(none)'}"
            print(Diagnostic(project.rel(project.examples.directory), 1, 1, Rule.CONFIG,
                             f"{name!r} is not an example (examples/<name>.py)", hint).format()
                  + f"\n  hint: {printable(hint)}", file=sys.stderr)
        return 2
    from .notebooks.cluster import ExecutorUnavailable
    from .options import BY_NAME, OptionError

    chosen: dict[str, Any] = {}
    for name in ("jobs", "executor"):  # the same rules as the options in mkdocs.yml
        if getattr(args, name) is None:
            continue
        try:
            chosen[name] = BY_NAME[name].validate(getattr(args, name))
        except OptionError as exc:
            print(f"error: --{name}: {printable(str(exc))}", file=sys.stderr)
            return 2
    try:
        summary = run_examples(project, args.names or None, device=args.device, force=args.force,
                               quick=args.quick, progress=True, **chosen)
    except ExecutorUnavailable as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    print(summary.line())
    for failure in summary.failures:
        print(failure, file=sys.stderr)
    return 1 if summary.failures else 0


def _mkdocs(args: argparse.Namespace, command: str) -> int:
    from mkdocs.__main__ import cli as mkdocs_cli

    argv = [command, "-f", str(_root(args) / "mkdocs.yml"), *args.mkdocs_args]
    try:
        mkdocs_cli.main(args=argv, prog_name="glossary", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception as exc:  # mkdocs reports its own errors; keep the exit code honest
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(_root(args) / "mkdocs.yml", args.dev_addr, args.open)


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 600 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="glossary", description=__doc__.splitlines()[0])
    parser.add_argument("--root", help="project root (the folder with mkdocs.yml); default: search upwards")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate entries: schema, links, anchors, translations, examples")
    check.add_argument("paths", nargs="*", help="entry files or folders (default: the whole glossary)")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--max-stale", type=_count, metavar="N",
                       help="fail when more than N translations are stale (within N they are notes)")
    check.add_argument("--changed-since", metavar="REF",
                       help="report only on files changed since the git ref REF (and untracked files)")
    ext = check.add_argument_group("external links (off by default; needs the network)")
    ext.add_argument("--external", action="store_true", help="also check every external http(s) URL")
    ext.add_argument("--max-concurrency", type=_positive, default=16, metavar="N", help="requests at once (16)")
    ext.add_argument("--per-host", type=_positive, default=2, metavar="N", help="requests at once per host (2)")
    ext.add_argument("--timeout", type=_seconds, default=10.0, metavar="S", help="seconds per request (10)")
    ext.add_argument("--refresh", action="store_true", help="ignore the cache of earlier results")
    ext.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                     help="never check URLs matching this glob or re:regex (repeatable)")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser("new", help="create an entry file from the template")
    new.add_argument("slug")
    new.add_argument("--lang", help="language (default: the default language)")
    new.add_argument("--title", help="title (default: the slug in words)")
    new.add_argument("--category", help="category id (needed for the default language)")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(func=cmd_new)

    imp = sub.add_parser("import", help="bring existing glossary files in (canonical, freeCodeCamp, Obsidian, pages)")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (walked) or - for standard input")
    imp.add_argument("--lang", help="the language of files whose front matter names none (default: detected)")
    imp.add_argument("--as", dest="as_slug", metavar="SLUG", help="the slug (an existing term: add as its translation)")
    imp.add_argument("--category", help="category id or label for files that give none")
    imp.add_argument("--format", choices=("auto", "canonical", "fcc", "obsidian", "page"), default="auto",
                     help="the input shape (default: detected per file)")
    imp.add_argument("--source-url", metavar="URL", help="base URL of the original pages (for links to articles not imported)")
    imp.add_argument("--dry-run", action="store_true", help="show what would be written; write nothing")
    imp.add_argument("--force", action="store_true", help="overwrite existing entry files")
    imp.set_defaults(func=cmd_import)

    tr = sub.add_parser("translations", help="stamp translations or show what changed in their source")
    tr_sub = tr.add_subparsers(dest="translations_command", required=True)
    for name, help_text in (("stamp", "record the source's current hash in the translation's front matter"),
                            ("diff", "show what changed in the source since the translation was stamped")):
        p = tr_sub.add_parser(name, help=help_text)
        p.add_argument("slug")
        p.add_argument("--lang", required=True, help="the translation's language")
    tr.set_defaults(func=cmd_translations)

    examples = sub.add_parser("examples", help="list or execute the runnable examples")
    ex_sub = examples.add_subparsers(dest="examples_command", required=True)
    ex_sub.add_parser("list", help="examples, the entries that show them, and their cache state")
    run = ex_sub.add_parser("run", help="execute examples (cached results are reused)")
    run.add_argument("names", nargs="*")
    run.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    run.add_argument("--force", action="store_true", help="execute even when cached")
    run.add_argument("--quick", action="store_true", default=None, help="reduced size (as in CI)")
    run.add_argument("--jobs", type=int, default=None, metavar="N",
                     help="examples executed at once (default: 'jobs' in mkdocs.yml; 0: one per core)")
    run.add_argument("--executor", default=None, metavar="local|dask://HOST:PORT",
                     help="where examples execute (default: 'executor' in mkdocs.yml, else local)")
    examples.set_defaults(func=cmd_examples)

    p = sub.add_parser("build", help="build the site into site/ (mkdocs build)", epilog="Other options are passed on to mkdocs.")
    p.set_defaults(func=lambda a: _mkdocs(a, "build"), passes_options=True)
    p = sub.add_parser("serve", help="serve the site with live reload; an edit to an entry's text re-renders only its pages")
    p.add_argument("-a", "--dev-addr", metavar="HOST:PORT", help="where to serve (default: mkdocs.yml's dev_addr, 127.0.0.1:8000)")
    p.add_argument("--open", action="store_true", help="open the site in a browser")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "passes_options", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.mkdocs_args = extra
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            # bytes the terminal passed that are not UTF-8 are kept as surrogates
            if isinstance(item, str) and not item.isprintable() and encodable(item) != item:
                print(f"error: the value of {name.replace('_', '-')} is not valid UTF-8 text "
                      f"({printable(item)!r})", file=sys.stderr)
                return 2
    try:
        return int(args.func(args))
    except GlossaryError as exc:
        report = Report(exc.diagnostics)
        if args.command == "check" and args.format != "text":  # machine-readable output stays machine-readable
            print(report.format(args.format))
        else:
            print(report.format_text(), file=sys.stderr)
        return 2
    except OSError as exc:  # the file system refused (permissions, a full disk): say so, no traceback
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (check ... | head): stop quietly
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more is written
        return 0


if __name__ == "__main__":
    sys.exit(main())
