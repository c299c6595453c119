"""House style end to end through the command line: rule packs from the
configuration, select/ignore/severity and per-path overrides, ``extends``,
suppression comments, ``--fix``/``--diff``, ``rules``/``explain``, a local plugin
and a raising one, a plugin's output format."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from quotecheck.cli import main

DRAFT = "“We are ready for the winter,” Jonas Paju claimed on Monday.\n"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def codes(out: str) -> list[str]:
    return [f["code"] for entry in json.loads(out)["files"] for f in entry["findings"]]


@pytest.fixture
def newsroom(tmp_path):
    """A newsroom repository: a configuration loading the US wire pack, a draft."""
    (tmp_path / "quotecheck.toml").write_text('packs = ["us-wire"]\n', encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    return tmp_path


def test_pack_from_configuration_fires(capsys, nlp, newsroom):
    code, out, _ = run(capsys, "check", "--format", "json", newsroom / "draft.txt")
    found = codes(out)
    assert code == 1 and "UW001" in found and "UW002" in found  # "claimed", curly marks


def test_select_ignore_and_severity(capsys, nlp, newsroom):
    (newsroom / "quotecheck.toml").write_text(
        'packs = ["us-wire"]\nignore = ["UW002"]\n[severity]\nloaded-attribution-verb = "error"\n',
        encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", newsroom / "draft.txt")
    findings = [f for e in json.loads(out)["files"] for f in e["findings"]]
    assert "UW002" not in [f["code"] for f in findings]
    assert [f["severity"] for f in findings if f["code"] == "UW001"] == ["error"]
    _, out, _ = run(capsys, "check", "--format", "json", "--select", "UW0", "--ignore", "UW001",
                    newsroom / "draft.txt")
    assert set(codes(out)) <= {f"UW0{n:02d}" for n in range(100)} and "UW001" not in codes(out)


def test_per_path_override(capsys, nlp, newsroom):
    (newsroom / "opinion").mkdir()
    (newsroom / "opinion" / "column.txt").write_text(DRAFT, encoding="utf-8")
    (newsroom / "quotecheck.toml").write_text(textwrap.dedent('''\
        packs = ["us-wire"]
        [[overrides]]
        path = "opinion/*"
        ignore = ["loaded-attribution-verb"]
        '''), encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", newsroom / "draft.txt", newsroom / "opinion")
    by_file = {Path(e["path"]).name: [f["code"] for f in e["findings"]] for e in json.loads(out)["files"]}
    assert "UW001" in by_file["draft.txt"] and "UW001" not in by_file["column.txt"]


def test_extends_a_shared_configuration(capsys, nlp, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "house.toml").write_text('packs = ["us-wire"]\nignore = ["UW002"]\n', encoding="utf-8")
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "quotecheck.toml").write_text('extends = "../shared/house.toml"\nignore = ["UW002", "QC1"]\n',
                                          encoding="utf-8")
    (desk / "draft.txt").write_text(DRAFT, encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", desk / "draft.txt")
    assert sorted(codes(out)) == ["UW001", "UW004"]  # the shared pack, less what both files ignore


def test_configuration_error_names_file_line_and_key(capsys, tmp_path):
    (tmp_path / "quotecheck.toml").write_text('packs = ["us-wire"]\n\n[severity]\nQC201 = "loud"\n',
                                              encoding="utf-8")
    (tmp_path / "d.txt").write_text("Nothing.\n", encoding="utf-8")
    code, _, err = run(capsys, "check", tmp_path / "d.txt")
    assert code == 2 and f"{tmp_path / 'quotecheck.toml'}:3: severity must be" in err


def test_suppression_comment_in_the_draft(capsys, nlp, newsroom):
    draft = newsroom / "draft.txt"
    draft.write_text("[[quotecheck: ignore UW001]]\n" + DRAFT, encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", draft)
    assert "UW001" not in codes(out) and "UW002" in codes(out)
    (newsroom / "quotecheck.toml").write_text('packs = ["us-wire"]\nreport_unused_suppressions = true\n',
                                              encoding="utf-8")
    draft.write_text("[[quotecheck: ignore QC202]]\n" + DRAFT, encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", draft)
    assert "QC001" in codes(out)


def test_fix_changes_only_the_marks_and_is_idempotent(capsys, nlp, newsroom):
    draft = newsroom / "draft.txt"
    code, out, _ = run(capsys, "check", "--diff", "--select", "UW002", draft)
    assert "-“We are ready" in out and '+"We are ready' in out
    assert draft.read_text(encoding="utf-8") == DRAFT  # --diff writes nothing
    run(capsys, "check", "--fix", "--select", "UW002", draft)
    fixed = draft.read_text(encoding="utf-8")
    assert fixed == DRAFT.replace("“", '"').replace("”", '"')
    code, out, _ = run(capsys, "check", "--fix", "--select", "UW002", draft)
    assert draft.read_text(encoding="utf-8") == fixed and code == 0 and out == ""


def test_rules_and_explain_cover_packs(capsys, newsroom, monkeypatch):
    monkeypatch.chdir(newsroom)
    _, out, _ = run(capsys, "rules", "--format", "json")
    rows = {r["code"]: r for r in json.loads(out)["rules"]}
    assert rows["UW001"]["plugin"] == "pack:us-wire" and rows["QC201"]["severity"] == "warning"
    code, out, _ = run(capsys, "explain", "UW001")
    assert code == 0 and all(s in out for s in ("What it does", "Why", "Example", "Fix"))
    code, _, err = run(capsys, "explain", "ZZ999")
    assert code == 2 and "no rule 'ZZ999'" in err


LOCAL_PLUGIN = '''
from quotecheck.hookspecs import hookimpl
from quotecheck.model import Finding


@hookimpl
def quotecheck_check_quote(quote, doc, context):
    if "winter" in quote.text:
        yield Finding("winter-quote", "LX001", "info", "a quote about winter", quote.start, quote.end)


@hookimpl
def quotecheck_check_document(doc, context):
    raise RuntimeError("this plugin is broken")


@hookimpl
def quotecheck_output_formats():
    return {"count": lambda results: str(sum(len(f) for _, f in results))}
'''


def test_local_plugin_hooks_isolation_and_output_format(capsys, nlp, newsroom):
    (newsroom / "desk_rules.py").write_text(LOCAL_PLUGIN, encoding="utf-8")
    (newsroom / "quotecheck.toml").write_text('plugins = ["desk_rules.py"]\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "--format", "json", newsroom / "draft.txt")
    assert "LX001" in codes(out)  # the quote hook ran
    assert code == 2 and "raised RuntimeError: this plugin is broken in hook quotecheck_check_document" in err
    code, out, _ = run(capsys, "check", "--format", "count", "--select", "LX", newsroom / "draft.txt")
    assert out.strip() == "1"
    code, _, err = run(capsys, "check", "--format", "nonesuch", newsroom / "draft.txt")
    assert code == 2 and "no such output format" in err and "count" in err
