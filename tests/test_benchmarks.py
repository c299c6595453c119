"""The pure parts of benchmarks/gap_eval.py and benchmarks/polnear_check.py, and their
argument errors, on data written here: no corpus, scorer or spaCy model is needed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import gap_eval  # noqa: E402
import polnear_check  # noqa: E402


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *args],
                          capture_output=True, text=True, timeout=60)


FINDINGS = {"version": 1, "files": [
    {"path": "/corpus/dev/text/b.txt", "findings": [
        {"rule": "pronoun-mismatch", "code": "QC301", "line": 9, "message": "“she” for Ann Lee"},
        {"rule": "unattributed-quote", "code": "QC101", "line": 2, "message": "no speaker"},
        {"rule": "pronoun-mismatch", "code": "QC301", "line": 4, "message": "“he” for Bo Day"}]},
    {"path": "/corpus/dev/text/a.txt", "findings": [
        {"rule": "speaker-name-inconsistent", "code": "QC302", "line": 7, "message": "“Smit” is spelled “Smith”"},
        {"rule": "unattributed-quote", "code": "QC101", "line": 1, "message": "no speaker"}]},
    {"path": "/corpus/dev/text/c.txt", "findings": []}]}


def test_count_by_rule_most_frequent_first_ties_by_name():
    assert list(polnear_check.count_by_rule(FINDINGS).items()) == [
        ("pronoun-mismatch", 2), ("unattributed-quote", 2), ("speaker-name-inconsistent", 1)]


def test_count_by_rule_of_a_clean_run_is_empty():
    assert polnear_check.count_by_rule({"version": 1, "files": [{"path": "x.txt", "findings": []}]}) == {}


def test_findings_of_by_name_or_code_in_file_then_line_order():
    by_name = polnear_check.findings_of(FINDINGS, "pronoun-mismatch")
    assert by_name == [{"file": "b.txt", "line": 4, "message": "“he” for Bo Day"},
                       {"file": "b.txt", "line": 9, "message": "“she” for Ann Lee"}]
    assert polnear_check.findings_of(FINDINGS, "QC301") == by_name
    assert [r["file"] for r in polnear_check.findings_of(FINDINGS, "unattributed-quote")] == ["a.txt", "b.txt"]
    assert polnear_check.findings_of(FINDINGS, "no-such-rule") == []


def test_finding_lines_are_basename_line_message():
    lines = polnear_check.finding_lines("speaker-name-inconsistent",
                                        polnear_check.findings_of(FINDINGS, "speaker-name-inconsistent"))
    assert lines == ["  speaker-name-inconsistent: 1", "    a.txt:7: “Smit” is spelled “Smith”"]


@pytest.mark.parametrize("bad", [[], {"files": None}, {"files": [{"path": "x.txt"}]},
                                 {"files": [{"findings": []}]}])
def test_a_check_output_of_the_wrong_shape_is_refused(bad):
    with pytest.raises(ValueError):
        polnear_check.count_by_rule(bad)


def test_polnear_check_names_a_missing_split(tmp_path):
    missing = tmp_path / "no-such-split"
    proc = run("polnear_check.py", str(missing))
    assert proc.returncode != 0
    assert str(missing) in proc.stderr and "polnear_check: error" in proc.stderr


def test_polnear_check_names_a_split_without_texts(tmp_path):
    proc = run("polnear_check.py", str(tmp_path))
    assert proc.returncode != 0
    assert str(tmp_path / "text") in proc.stderr


def test_polnear_check_names_a_missing_out_directory(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text("Nothing here.\n", encoding="utf-8")
    proc = run("polnear_check.py", str(tmp_path), "--out", str(tmp_path / "nowhere" / "f.json"))
    assert proc.returncode != 0
    assert str(tmp_path / "nowhere") in proc.stderr


def test_gap_eval_names_a_missing_tsv(tmp_path):
    missing = tmp_path / "gap-missing.tsv"
    proc = run("gap_eval.py", str(missing), "--scorer", str(tmp_path / "gap_score.py"))
    assert proc.returncode != 0
    assert str(missing) in proc.stderr and "gap_eval: error" in proc.stderr


def test_gap_eval_names_a_missing_scorer(tmp_path):
    tsv = tmp_path / "gap.tsv"
    tsv.write_text("ID\tText\n", encoding="utf-8")
    scorer = tmp_path / "eval" / "gap_score.py"
    proc = run("gap_eval.py", str(tsv), "--scorer", str(scorer))
    assert proc.returncode != 0
    assert str(scorer) in proc.stderr


def test_gap_eval_needs_gap_prepare_beside_the_scorer(tmp_path):
    tsv = tmp_path / "gap.tsv"
    tsv.write_text("ID\tText\n", encoding="utf-8")
    scorer = tmp_path / "gap_score.py"
    scorer.write_text("", encoding="utf-8")
    proc = run("gap_eval.py", str(tsv), "--scorer", str(scorer))
    assert proc.returncode != 0
    assert str(tmp_path / "gap_prepare.py") in proc.stderr


def test_gap_eval_refuses_a_zero_repeat(tmp_path):
    tsv, scorer = tmp_path / "gap.tsv", tmp_path / "gap_score.py"
    for p in (tsv, scorer, tmp_path / "gap_prepare.py"):
        p.write_text("", encoding="utf-8")
    proc = run("gap_eval.py", str(tsv), "--scorer", str(scorer), "--repeat", "0")
    assert proc.returncode != 0 and "--repeat" in proc.stderr


def test_people_inputs_are_the_files_when_they_fit_else_the_directory():
    files = [f"/tmp/gap/development-{i}.txt" for i in range(1, 2001)]
    assert gap_eval.people_inputs(files, "/tmp/gap", 10**6) == files
    assert gap_eval.people_inputs(files, "/tmp/gap", 1000) == ["/tmp/gap"]
    assert gap_eval.people_inputs([], "/tmp/gap", 10**6) == ["/tmp/gap"]


PEOPLE = {"version": 1, "files": [
    {"path": "d/development-1.txt", "people": [
        {"name": "Ann Lee", "kind": "person", "pronoun": "she", "mentions": [
            {"start": 0, "end": 7, "text": "Ann Lee", "kind": "name"},
            {"start": 20, "end": 23, "text": "she", "kind": "pronoun"}]},
        {"name": "the council", "kind": "group", "pronoun": "they", "mentions": [
            {"start": 30, "end": 41, "text": "the council", "kind": "description"}]}]},
    {"path": "d/development-2.txt", "people": []}]}


def test_summarize_people_counts():
    assert gap_eval.summarize_people(PEOPLE) == {"files": 2, "people": 2, "groups": 1, "mentions": 3,
                                                 "pronoun_mentions": 1}


@pytest.mark.parametrize("bad", [{"files": []}, {"version": 1}, {"version": 1, "files": [{"path": "x"}]},
                                 {"version": 1, "files": [{"path": "x", "people": [{"name": "A"}]}]}])
def test_summarize_people_refuses_another_shape(bad):
    with pytest.raises(ValueError):
        gap_eval.summarize_people(bad)


def test_error_lines_show_id_pronoun_candidates_gold_and_prediction():
    lines = gap_eval.error_lines([{"id": "development-7", "pronoun": "her", "A": "Ann Lee", "B": "Bea",
                                   "gold": [True, False], "pred": [False, True]}])
    assert lines == ["  development-7: pronoun 'her'  A 'Ann Lee'  B 'Bea'  gold A=T B=F  pred A=F B=T"]
