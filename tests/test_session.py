"""The session layer: the one public API every front end calls. Values in,
values out: nothing prints, nothing exits, errors are values."""
from __future__ import annotations

import re
from pathlib import Path

from quotecheck.model import Document, Finding, RuleContext
from quotecheck.session import FileResult, Problem, Report, Session, Workspace

DOCS = Path(__file__).resolve().parents[1] / "docs"
DRAFT = "“We will rebuild the bridge by June, ” said Mayor Ana Ruiz.\n"


def with_plugin(tmp_path: Path, name: str, body: str) -> Session:
    """A session whose configuration registers a local plugin ``name`` with a
    document hook of this ``body`` (and a module list ``SEEN``)."""
    (tmp_path / f"{name}.py").write_text(
        "from quotecheck.hookspecs import hookimpl\nSEEN = []\n\n@hookimpl\n"
        "def quotecheck_check_document(doc, context):\n" + body, encoding="utf-8")
    (tmp_path / "quotecheck.toml").write_text(f'plugins = ["{name}.py"]\n', encoding="utf-8")
    return Session.from_config(tmp_path / "quotecheck.toml")


def test_check_a_string_with_no_file_on_disk(nlp, capsys):
    result = Session().check(DRAFT, path="draft.txt")
    assert isinstance(result, FileResult) and result.path == "draft.txt"
    assert [(f.code, f.severity) for f in result.findings] == [("QC101", "warning")]
    assert [q.attribution.speaker for q in result.quotes] == ["Ana Ruiz"]
    assert [p.name for p in result.people] == ["Ana Ruiz"]
    assert result.problems == []
    assert capsys.readouterr() == ("", "")  # nothing printed


def test_errors_are_values_naming_the_file_and_the_plugin(nlp, tmp_path, capsys):
    session = with_plugin(tmp_path, "broken", "    raise RuntimeError('desk plugin bug')\n")
    result = session.check(DRAFT, path="draft.txt")
    [problem] = result.problems
    assert isinstance(problem, Problem) and problem.path == "draft.txt" and problem.origin == "plugin"
    assert "desk plugin bug" in problem.message and "quotecheck_check_document" in problem.message
    assert [f.code for f in result.findings] == ["QC101"]  # the rest still ran
    report = session.check_paths([str(tmp_path / "missing.txt")])
    assert isinstance(report, Report) and report.files == []
    [missing] = report.problems
    assert missing.path.endswith("missing.txt") and "missing.txt" in str(missing)
    assert capsys.readouterr() == ("", "")


def test_rules_receive_a_typed_context(nlp, tmp_path):
    session = with_plugin(tmp_path, "seen", "    SEEN.append(context)\n    return []\n")
    session.check(DRAFT)
    plugin = next(p for name, p in session.pm.list_name_plugin() if "seen" in name)
    [context] = plugin.SEEN
    assert isinstance(context, RuleContext)
    assert context.sources is None and context.registry is None and context.config is session.config
    assert context.get("sources") is None  # the old dict spelling still reads


def test_selection_options_replace_and_extend_the_configuration(nlp):
    assert Session(select=["QC2"]).check(DRAFT).findings == []
    assert Session(ignore=["unbalanced-quote-marks"]).check(DRAFT).findings == []


def test_report_iterates_as_document_findings_pairs_and_knows_its_rules(nlp):
    report = Session().check_documents([Document("a.txt", DRAFT)])
    [(doc, findings)] = list(report)
    assert doc.path == "a.txt" and all(isinstance(f, Finding) for f in findings)
    assert report.worst() == 1  # a warning
    codes = {r.code for r in report.run.rules}
    assert {"QC101", "QC201"} <= codes and report.run.tool == "quotecheck"
    qc101 = next(r for r in report.run.rules if r.code == "QC101")
    assert qc101.name == "unbalanced-quote-marks"
    assert qc101.summary == "Reports a quote mark the finder had to repair or could not pair: an opening " \
                            "mark used as a closer (``started. “``), a stray space inside a mark (``“ We``), " \
                            "a mark that is never closed, and a closer with no opener."
    assert set(qc101.sections) == {"What it does", "Why", "Example", "Fix"}


def test_fix_writes_only_what_the_safe_fixes_change(nlp, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    session = Session(packs=["us-wire"], select=["UW002"])  # wire style: straight quote marks, a safe fix
    [result] = session.check_paths([str(draft)]).files
    assert result.fixes and result.fixed_text() == DRAFT.replace("“", '"').replace("”", '"')
    outcome = session.fix(result, write=False)
    assert outcome.diff and not outcome.written and draft.read_text(encoding="utf-8") == DRAFT
    outcome = session.fix(result)
    assert outcome.written and outcome.applied and outcome.remaining == result.findings == []
    assert draft.read_text(encoding="utf-8") == DRAFT.replace("“", '"').replace("”", '"')


def test_workspace_gives_each_file_its_own_configuration(nlp, tmp_path):
    strict, lax = tmp_path / "strict", tmp_path / "lax"
    for d in (strict, lax):
        d.mkdir()
        (d / "draft.txt").write_text(DRAFT, encoding="utf-8")
    (lax / "quotecheck.toml").write_text('ignore = ["QC101"]\n', encoding="utf-8")
    with Workspace() as ws:
        report = ws.check_paths([str(strict), str(lax)])
    by_dir = {Path(r.path).parent.name: [f.code for f in r.findings] for r in report.files}
    assert by_dir == {"strict": ["QC101"], "lax": []}


def test_the_api_docs_example_runs_and_prints_what_it_says(nlp, capsys):
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    exec(compile(code, "docs/api.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    promised = [c.split("# ", 1)[1].strip() for c in code.splitlines() if c.lstrip().startswith("# ")]
    assert out[0] == "draft.txt:1:38: QC101 unbalanced-quote-marks warning: stray space before closing mark ”"
    assert out[1:] == ["['Ana Ruiz']", "['Ana Ruiz']", "[]"]
    assert "draft.txt:1:38: QC101 unbalanced-quote-marks warning: stray space before closing mark ”" in promised


def test_every_public_name_of_the_api_is_documented():
    # datasette's rule: a field or method the API offers and docs/api.md does
    # not mention is a failing test, not a surprise for a newsroom's script.
    import dataclasses
    import inspect

    from quotecheck import session as api

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    missing = []
    for cls in (api.Session, api.Workspace, api.FileResult, api.Report, api.Problem, api.FixOutcome,
                api.RunInfo, api.RuleInfo):
        if f"`{cls.__name__}" not in text:
            missing.append(cls.__name__)
        names = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
        names |= {n for n, v in vars(cls).items() if not n.startswith("_")
                  and (inspect.isfunction(v) or isinstance(v, (property, classmethod)))}
        missing += [f"{cls.__name__}.{n}" for n in sorted(names) if not re.search(rf"\b{n}\b", text)]
    assert missing == []
