"""``check --format sarif|github|gitlab|rdjson``: findings for CI and review tools.

One built-in plugin (listed in ``BUILTIN_PLUGINS``) registering four output
formats through ``quotecheck_output_formats``. Each formatter takes the run's
:class:`~quotecheck.session.Report` and returns the whole output as a string.

What every format shares (defined once, below):

* Paths are relative to the run's working directory (``report.run``), with
  forward slashes; a file outside it keeps its absolute path. Evidence paths
  (absolute in the findings) are made relative the same way.
* Positions come from ``Document.position``: 1-based lines and columns that
  count characters (Unicode code points), the end one past the last character
  (exclusive). rdjson alone counts columns in UTF-8 bytes, as its spec requires.
* The stable fingerprint is the SHA-256 (hex) of the rule name, the quote's
  words (the finding's own text ``doc.text[start:end]`` when it has no quote)
  lower-cased with whitespace collapsed, and the speaker, joined by NUL
  characters. It holds no line, column or offset, so it survives lines added
  or removed above the quote; it changes when the quote's words, the rule or
  the speaker change.
* Severities map ``error``/``warning``/``info`` to each tool's levels; an
  unknown severity a plugin might give is treated as ``error`` (as the exit
  status does).

``sarif`` -- SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, IDEs).
    One run. ``tool.driver`` names quotecheck and its version and describes
    every rule of the run: ``id`` = code, ``name`` = rule name,
    ``shortDescription`` = the first sentence of the "What it does" section,
    ``fullDescription`` = that whole section (wrapped lines joined),
    ``help.text`` = the rule's documentation as written, ``help.markdown`` =
    the same with its sections as ``##`` headings and the example in a code
    block, ``defaultConfiguration.level`` = error/warning/note. A finding
    whose code no rule of the run has (a plugin's hook finding) gets a
    descriptor of its id and name, so every ``ruleIndex`` is valid.
    ``columnKind`` is ``unicodeCodePoints`` (columns and ``charOffset`` count
    characters, as quotecheck does). Each result has ``ruleId``,
    ``ruleIndex``, ``level``, ``message.text``, one location (``uri``
    percent-encoded and relative to ``uriBaseId`` ``%SRCROOT%``, which
    ``originalUriBaseIds`` sets to the working directory's ``file:`` URI; a
    file outside the working directory gets its absolute ``file:`` URI and no
    base), a region with start and end line and column,
    ``partialFingerprints["quotecheck/v1"]``, ``relatedLocations`` for the
    evidence from other files (the source passages: their start line and
    column; as message the evidence's note and the source's words, joined by
    " — "), and, for
    a finding with safe fixes, one ``fix`` holding all of them (they are
    applied together): one ``artifactChange`` whose replacements, in text
    order, give ``deletedRegion`` as ``charOffset``/``charLength`` and the
    same span as start/end line and column (both, because a region with a
    start line and no end line would mean "to the end of the line"), and
    ``insertedContent.text``. Offsets are into the decoded text: a file that
    began with a byte-order mark has it dropped.

``github`` -- GitHub Actions workflow commands, one line a finding:
    ``::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=CODE rule::message``
    (``::warning``, ``::notice`` for info), escaped as the runner unescapes:
    in the message ``%`` ``\\r`` ``\\n``; in property values also ``:`` and
    ``,``. A finding that spans lines gets no ``col``/``endColumn`` (the
    runner drops columns when ``line`` and ``endLine`` differ). GitHub shows
    at most ten annotations of each level a step, so at most
    ``ANNOTATION_LIMIT`` (10) commands of each level are printed, in report
    order. When ``GITHUB_STEP_SUMMARY`` names a file, a Markdown table of
    every finding (file:line, code, rule, severity, message) is appended to
    it, always, never overwriting it. When findings were left out and there
    is no such file (or it cannot be written), the output ends with a
    ``::notice::`` saying how many; that notice is one of the ten notices, so
    then at most nine findings are notices.

``gitlab`` -- GitLab code quality report (``artifacts:reports:codequality``):
    a JSON list (indent 1) of ``description`` (the message), ``check_name``
    (the rule name), ``fingerprint``, ``severity`` (error: major, warning:
    minor, info: info) and ``location`` ``{path, lines: {begin}}``. The
    fingerprint is the shared one with the file's path added (GitLab compares
    fingerprints across a project's files); when two findings of the report
    would have the same one (the same quote twice in a file), the second and
    later take the hash with their occurrence number appended, so each is
    unique and stays the same while the findings keep their order.

``rdjson`` -- reviewdog's Diagnostic Format, JSON (``-f=rdjson``): ``source``
    ``{name, url}``, no overall severity, and ``diagnostics``: ``message``,
    ``location`` ``{path, range: {start, end}}`` (end exclusive, columns in
    UTF-8 bytes), ``severity`` ERROR/WARNING/INFO, ``code.value``, and
    ``suggestions`` (``range``, ``text``) for the safe fixes, which reviewdog
    turns into suggested changes. Indent 1.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote as percent_encode

from .. import HOMEPAGE, __version__
from ..hookspecs import hookimpl
from ..model import Document, Evidence, Finding
from ..rules.docs import as_paragraphs, doc_parts, is_markdown, section
from ..vocab import Severity

if TYPE_CHECKING:
    from ..session import Report, RuleInfo, RunInfo

TOOL_NAME = "quotecheck"
INFORMATION_URI = HOMEPAGE
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_NAME = "quotecheck/v1"
ANNOTATION_LIMIT = 10  # GitHub shows this many annotations of each level a step

SARIF_LEVEL: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMAND: dict[Severity, str] = {"error": "error", "warning": "warning", "info": "notice"}
GITLAB_SEVERITY: dict[Severity, str] = {"error": "major", "warning": "minor", "info": "info"}
RDJSON_SEVERITY: dict[Severity, str] = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def level(table: dict[Severity, str], severity: str) -> str:
    """A tool's word for ``severity``; an unknown one counts as an error."""
    return table.get(severity, table["error"])  # type: ignore[call-overload]


# -- shared: the run, places, positions, fingerprints ----------------------------------

def run_info(report: "Report") -> "RunInfo":
    """The report's run information (a report built by hand may have none)."""
    if report.run is not None:
        return report.run
    from ..session import RunInfo
    return RunInfo(TOOL_NAME, __version__, os.getcwd(), None, [])


@dataclass(frozen=True)
class Place:
    """A file as the formats name it."""

    path: str  # relative to the working directory (forward slashes), else absolute
    absolute: str
    relative: bool

    @property
    def uri(self) -> str:
        """A URI reference: percent-encoded relative path, or an absolute file URI."""
        return percent_encode(self.path, safe="/") if self.relative else Path(self.absolute).as_uri()


def locate(path: str, working_directory: str) -> Place:
    """``path`` (relative to the working directory, or absolute) as a Place.
    A file counts as inside the working directory also when only the resolved
    paths (symbolic links followed) show it."""
    absolute = os.path.normpath(os.path.join(working_directory, path))
    for base, target in ((working_directory, absolute),
                         (os.path.realpath(working_directory), os.path.realpath(absolute))):
        try:
            rel = os.path.relpath(target, base)
        except ValueError:  # another drive (Windows)
            continue
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep) and not os.path.isabs(rel):
            return Place(rel.replace(os.sep, "/"), absolute, True)
    return Place(absolute.replace(os.sep, "/"), absolute, False)


def same_file(a: str, b: str, working_directory: str) -> bool:
    return locate(a, working_directory).absolute == locate(b, working_directory).absolute


@dataclass(frozen=True)
class Region:
    """A span of a document: 1-based lines and columns, the end exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    char_offset: int
    char_length: int


def region(doc: Document, start: int, end: int, utf8: bool = False) -> Region:
    """The span ``doc.text[start:end]``; columns count characters, or with
    ``utf8`` bytes of UTF-8 (reviewdog's unit)."""
    (line, col), (end_line, end_col) = doc.position(start), doc.position(end)
    if utf8:
        col, end_col = _utf8_column(doc, start, col), _utf8_column(doc, end, end_col)
    return Region(line, col, end_line, end_col, doc.origin + start, end - start)


def _utf8_column(doc: Document, offset: int, column: int) -> int:
    line_start = offset - (column - 1)
    return len(doc.text[line_start:offset].encode("utf-8")) + 1


def quoted_words(doc: Document, f: Finding) -> str:
    """The words a finding is about, normalised: the quote's text (else the
    finding's own span), lower-cased, whitespace collapsed."""
    text = f.quote.text if f.quote is not None else doc.text[f.start:f.end]
    return " ".join(text.lower().split())


def fingerprint(doc: Document, f: Finding, *more: str) -> str:
    """SHA-256 hex of rule name, normalised words and speaker (and ``more``):
    nothing about where the finding is, so inserted lines do not change it."""
    material = "\0".join((f.rule, quoted_words(doc, f), f.speaker or "", *more))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def findings_in_order(report: "Report"):
    """``(document, place, finding)`` for every finding of the report, in order."""
    cwd = run_info(report).working_directory
    for doc, findings in report:
        place = locate(doc.path, cwd)
        for f in findings:
            yield doc, place, f


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


# -- shared: rule documentation ---------------------------------------------------------

def what_it_does(rule: "RuleInfo") -> str:
    body = section(rule.doc, "What it does")
    return as_paragraphs(body) if body else rule.summary


def short_description(rule: "RuleInfo") -> str:
    """The first sentence of "What it does" (the rule's name without one)."""
    return rule.summary


def help_markdown(rule: "RuleInfo") -> str:
    """The documentation as Markdown: as written when it already has Markdown
    headings; else each section under a ``##`` heading, the example fenced."""
    if is_markdown(rule.doc):
        return rule.doc
    out = []
    for part in doc_parts(rule.doc):
        if part.title is None:
            out.append(part.body)
        elif part.title.lower() == "example":
            fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", part.body)), default=0))
            out.append(f"## {part.title}\n\n{fence}text\n{part.body}\n{fence}")
        else:
            out.append(f"## {part.title}\n\n{part.body}")
    return "\n\n".join(out)


# -- sarif ------------------------------------------------------------------------------

def sarif(report: "Report") -> str:
    run = run_info(report)
    cwd = run.working_directory
    rules = [_sarif_rule(r) for r in run.rules]
    index = {r.code: i for i, r in enumerate(run.rules)}
    results = []
    for doc, place, f in findings_in_order(report):
        if f.code not in index:  # a plugin's finding of a rule the run does not list
            index[f.code] = len(rules)
            rules.append({"id": f.code, "name": f.rule})
        results.append(_sarif_result(doc, place, f, index[f.code], cwd))
    base = Path(cwd).as_uri()
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": TOOL_NAME, "version": run.version,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "originalUriBaseIds": {SRCROOT: {"uri": base if base.endswith("/") else base + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return _json(log)


def _sarif_rule(rule: "RuleInfo") -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": short_description(rule)},
        "fullDescription": {"text": what_it_does(rule)},
        "help": {"text": rule.doc, "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": level(SARIF_LEVEL, rule.severity)},
    }


def _artifact(place: Place) -> dict:
    if place.relative:
        return {"uri": place.uri, "uriBaseId": SRCROOT}
    return {"uri": place.uri}


def _sarif_region(r: Region, offsets: bool = False) -> dict:
    out = {"startLine": r.start_line, "startColumn": r.start_column,
           "endLine": r.end_line, "endColumn": r.end_column}
    if offsets:
        out.update(charOffset=r.char_offset, charLength=r.char_length)
    return out


def _sarif_result(doc: Document, place: Place, f: Finding, rule_index: int, cwd: str) -> dict:
    result = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(SARIF_LEVEL, f.severity),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(place),
                                            "region": _sarif_region(region(doc, f.start, f.end))}}],
        "partialFingerprints": {FINGERPRINT_NAME: fingerprint(doc, f)},
    }
    related = [_related(i, e, cwd) for i, e in enumerate(source_evidence(doc, f, cwd), start=1)]
    if related:
        result["relatedLocations"] = related
    if f.fixes:
        result["fixes"] = [{
            "description": {"text": "; ".join(x.description for x in f.fixes if x.description)
                            or "apply the safe fix"},
            "artifactChanges": [{
                "artifactLocation": _artifact(place),
                "replacements": [{"deletedRegion": _sarif_region(region(doc, x.start, x.end), offsets=True),
                                  "insertedContent": {"text": x.replacement}}
                                 for x in sorted(f.fixes, key=lambda x: (x.start, x.end))],
            }],
        }]
    return result


def source_evidence(doc: Document, f: Finding, cwd: str) -> list[Evidence]:
    """The finding's evidence from other files than the document: source passages."""
    return [e for e in f.evidence if not same_file(e.path, doc.path, cwd)]


def _related(i: int, e: Evidence, cwd: str) -> dict:
    location: dict = {"artifactLocation": _artifact(locate(e.path, cwd))}
    if e.line and e.line > 0:
        location["region"] = {"startLine": e.line, **({"startColumn": e.column} if e.column and e.column > 0 else {})}
    text = " — ".join(part for part in (e.note, e.text and f"“{e.text}”") if part) or "source passage"
    return {"id": i, "physicalLocation": location, "message": {"text": text}}


# -- github -----------------------------------------------------------------------------

def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(doc: Document, place: Place, f: Finding) -> str:
    r = region(doc, f.start, f.end)
    props = [("file", place.path), ("line", r.start_line)]
    if r.start_line == r.end_line:
        props.append(("col", r.start_column))
    props.append(("endLine", r.end_line))
    if r.start_line == r.end_line:
        props.append(("endColumn", r.end_column))
    props.append(("title", f"{f.code} {f.rule}"))
    rendered = ",".join(f"{k}={escape_property(str(v))}" for k, v in props)
    return f"::{level(GITHUB_COMMAND, f.severity)} {rendered}::{escape_data(f.message)}"


def github(report: "Report") -> str:
    rows = list(findings_in_order(report))
    counts = Counter(level(GITHUB_COMMAND, f.severity) for _, _, f in rows)
    overflow = any(n > ANNOTATION_LIMIT for n in counts.values())
    summary = os.environ.get("GITHUB_STEP_SUMMARY") or None
    written = False
    if summary:
        left_out = sum(max(0, n - ANNOTATION_LIMIT) for n in counts.values())
        written = _append_summary(summary, rows, left_out)
    notice_needed = overflow and not written
    limits = {cmd: ANNOTATION_LIMIT for cmd in GITHUB_COMMAND.values()}
    if notice_needed:  # the closing notice is one of the step's notices
        limits["notice"] = ANNOTATION_LIMIT - 1
    shown: Counter = Counter()
    lines = []
    for doc, place, f in rows:
        cmd = level(GITHUB_COMMAND, f.severity)
        if shown[cmd] < limits[cmd]:
            shown[cmd] += 1
            lines.append(github_command(doc, place, f))
    if notice_needed:
        left_out = len(rows) - sum(shown.values())
        lines.append("::notice::" + escape_data(
            f"quotecheck: {left_out} of {len(rows)} findings not annotated (GitHub shows at most "
            f"{ANNOTATION_LIMIT} errors, {ANNOTATION_LIMIT} warnings and {ANNOTATION_LIMIT} notices "
            "a step); run quotecheck check --format text for all of them"))
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: on one line, nothing read as markup."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text)


def summary_table(rows, left_out: int) -> str:
    """The Markdown step summary: every finding, one row each."""
    total = len(rows)
    head = f"### quotecheck: {total} finding{'s' if total != 1 else ''}"
    if left_out:
        head += f" ({left_out} not annotated: GitHub shows {ANNOTATION_LIMIT} of each level)"
    if not rows:
        return head + "\n"
    lines = [head, "", "| File | Code | Rule | Severity | Message |", "| --- | --- | --- | --- | --- |"]
    for doc, place, f in rows:
        line = doc.position(f.start)[0]
        lines.append(f"| {_cell(f'{place.path}:{line}')} | {_cell(f.code)} | {_cell(f.rule)} | "
                     f"{_cell(f.severity)} | {_cell(f.message)} |")
    return "\n".join(lines) + "\n"


def _append_summary(path: str, rows, left_out: int) -> bool:
    """Append the table to the step summary file; whether it was written."""
    try:
        separator = "\n" if os.path.exists(path) and os.path.getsize(path) > 0 else ""
        with open(path, "a", encoding="utf-8") as out:
            out.write(separator + summary_table(rows, left_out))
    except OSError:
        return False
    return True


# -- gitlab -----------------------------------------------------------------------------

def gitlab(report: "Report") -> str:
    seen: Counter = Counter()
    issues = []
    for doc, place, f in findings_in_order(report):
        key = fingerprint(doc, f, place.path)
        occurrence = seen[key]
        seen[key] += 1
        issues.append({
            "description": f.message,
            "check_name": f.rule,
            "fingerprint": key if occurrence == 0 else fingerprint(doc, f, place.path, str(occurrence)),
            "severity": level(GITLAB_SEVERITY, f.severity),
            "location": {"path": place.path, "lines": {"begin": doc.position(f.start)[0]}},
        })
    return _json(issues)


# -- rdjson -----------------------------------------------------------------------------

def _rdjson_range(doc: Document, start: int, end: int) -> dict:
    r = region(doc, start, end, utf8=True)
    return {"start": {"line": r.start_line, "column": r.start_column},
            "end": {"line": r.end_line, "column": r.end_column}}


def rdjson(report: "Report") -> str:
    diagnostics = []
    for doc, place, f in findings_in_order(report):
        d = {
            "message": f.message,
            "location": {"path": place.path, "range": _rdjson_range(doc, f.start, f.end)},
            "severity": level(RDJSON_SEVERITY, f.severity),
            "code": {"value": f.code},
        }
        if f.fixes:
            d["suggestions"] = [{"range": _rdjson_range(doc, x.start, x.end), "text": x.replacement}
                                for x in sorted(f.fixes, key=lambda x: (x.start, x.end))]
        diagnostics.append(d)
    return _json({"source": {"name": TOOL_NAME, "url": INFORMATION_URI}, "diagnostics": diagnostics})


@hookimpl
def quotecheck_output_formats():
    """The formats for CI and review tools, registered like any plugin's."""
    return {"sarif": sarif, "github": github, "gitlab": gitlab, "rdjson": rdjson}
