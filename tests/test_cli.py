"""The command line: JSON contracts, text output, exit codes, stdin, directories."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import fixture_path, fixture_text

from quotecheck.cli import main

QUOTE_FIELDS = {"text", "start", "end", "line", "column", "speaker", "speaker_mention", "cue", "via", "kind"}
FINDING_FIELDS = {"rule", "code", "severity", "message", "line", "column", "end_line", "end_column",
                  "quote", "speaker", "evidence"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def position(text, offset):
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# -- quotes --format json ---------------------------------------------------------

def test_quotes_json_contract(nlp, capsys):
    path = str(fixture_path("multi_paragraph_quote"))
    text = fixture_text("multi_paragraph_quote")
    code, out, err = run(capsys, "quotes", path, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"version", "files"}
    assert data["version"] == 1
    assert len(data["files"]) == 1
    f = data["files"][0]
    assert set(f) == {"path", "quotes"}
    assert f["path"] == path
    assert len(f["quotes"]) == 4
    for q in f["quotes"]:
        assert QUOTE_FIELDS <= set(q), QUOTE_FIELDS - set(q)
        assert text[q["start"]:q["end"]] == q["text"]
        assert (q["line"], q["column"]) == position(text, q["start"])
        assert q["speaker"] == "Anton Greaves"
        assert q["kind"] == "direct"
        assert q["via"] is None
    first = f["quotes"][0]
    assert (first["line"], first["column"]) == (3, 2)
    assert (first["speaker_mention"], first["cue"]) == ("Greaves", "said")
    assert [q["continues"] for q in f["quotes"]] == [None, None, 1, 1]


def test_quotes_json_via_and_alterations(nlp, capsys):
    code, out, _ = run(capsys, "quotes", str(fixture_path("via_second_hand")),
                       str(fixture_path("alterations")), "--format", "json")
    assert code == 0
    via_file, alt_file = json.loads(out)["files"]
    [q] = via_file["quotes"]
    assert q["speaker"] == "Smith" and "New York Times" in q["via"]
    text = fixture_text("alterations")
    alts = alt_file["quotes"][0]["alterations"]
    assert [(a["kind"], a["text"]) for a in alts] == [("insertion", "[Putin and Zelensky]"), ("ellipsis", "…")]
    for a in alts:
        assert text[a["start"]:a["end"]] == a["text"]


def test_quotes_text_output(nlp, capsys):
    path = str(fixture_path("inverted_said"))
    code, out, _ = run(capsys, "quotes", path)
    assert code == 0
    [line] = out.splitlines()
    assert line.startswith(f"{path}:1:2: direct  Oleg Nikolenko [Oleg Nikolenko, a spokesman")
    assert "“The embassy in Valtoria" in line


# -- check -------------------------------------------------------------------

def test_check_json_contract(nlp, capsys):
    paths = [str(fixture_path(n)) for n in ("misdirected_closing_mark", "pronoun_mismatch", "curly_double_quotes")]
    code, out, err = run(capsys, "check", *paths, "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert set(data) == {"version", "files"} and data["version"] == 1
    assert [f["path"] for f in data["files"]] == paths
    for f in data["files"]:
        assert set(f) == {"path", "findings"}
        for finding in f["findings"]:
            assert FINDING_FIELDS <= set(finding), FINDING_FIELDS - set(finding)
            assert finding["severity"] in ("error", "warning", "info")
            assert isinstance(finding["evidence"], list)
    misdirected, mismatch, clean = data["files"]
    assert clean["findings"] == []
    [m] = misdirected["findings"]
    assert (m["rule"], m["code"], m["severity"]) == ("unbalanced-quote-marks", "QC101", "warning")
    assert (m["line"], m["column"], m["end_line"], m["end_column"]) == (1, 115, 1, 116)
    assert m["quote"] is None and m["speaker"] is None
    [p] = mismatch["findings"]
    assert (p["rule"], p["code"], p["severity"]) == ("pronoun-mismatch", "QC103", "error")
    assert (p["line"], p["column"]) == (7, 24)
    assert p["speaker"] == "Oleg Nikolenko"
    assert p["quote"]["text"] == "Nothing has changed,"
    text = fixture_text("pronoun_mismatch")
    assert text[p["quote"]["start"]:p["quote"]["end"]] == "Nothing has changed,"
    assert len(p["evidence"]) == 3  # two "he said" cues and the first-name lexicon


def test_check_text_format(nlp, capsys):
    path = str(fixture_path("unclosed_quote_mark"))
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    lines = [ln for ln in out.splitlines() if not ln.startswith("    evidence:")]
    # The unclosed quote still gets its speaker from the sentence before it
    # ("Lindqvist said …. “We have fixed …"), so only the mark is reported.
    assert lines == [
        f"{path}:3:49: QC101 [unbalanced-quote-marks] error: opening mark “ is never closed",
    ]
    for line in lines:
        assert re.fullmatch(r".+:\d+:\d+: QC\d{3} \[[a-z-]+\] (error|warning|info): .+", line)


def test_check_stray_space_reported_with_line_and_column(nlp, capsys):
    path = str(fixture_path("stray_space_in_mark"))
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    assert out.splitlines() == [f"{path}:3:1: QC101 [unbalanced-quote-marks] warning: stray space after opening mark “"]


def test_check_clean_exits_zero(nlp, capsys):
    code, out, err = run(capsys, "check", str(fixture_path("said_after_quote")),
                         str(fixture_path("group_speakers")))
    assert (code, out, err) == (0, "", "")


def test_check_json_clean_exits_zero(nlp, capsys):
    path = str(fixture_path("said_after_quote"))
    code, out, _ = run(capsys, "check", path, "--format", "json")
    assert code == 0
    assert json.loads(out) == {"version": 1, "files": [{"path": path, "findings": []}]}


# -- bad input -------------------------------------------------------------------

def test_missing_file_exit_2_others_processed(nlp, capsys, tmp_path):
    missing = str(tmp_path / "no-such-article.txt")
    good = str(fixture_path("orphan_quote"))
    code, out, err = run(capsys, "check", missing, good)
    assert code == 2
    assert f"{missing}: no such file" in err
    assert out.startswith(f"{good}:3:2: QC102 [unattributed-quote] warning: ")


def test_invalid_utf8_exit_2_names_place(nlp, capsys, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("First line is fine.\n“Caf".encode("utf-8") + b"\xe9 au lait,\xe2\x80\x9d she said.\n")
    good = str(fixture_path("said_after_quote"))
    code, out, err = run(capsys, "quotes", str(bad), good, "--format", "json")
    assert code == 2
    assert f"{bad}:2:5: not valid UTF-8 (byte 0xe9)" in err
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == [good]
    assert files[0]["quotes"][0]["speaker"] == "Gareth Ellwood"


def test_invalid_utf8_with_check(nlp, capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfeabc")
    code, out, err = run(capsys, "check", str(bad), str(fixture_path("stray_space_in_mark")))
    assert code == 2
    assert f"{bad}:1:1:" in err
    assert "QC101" in out  # the good file was still checked


# -- stdin and directories ---------------------------------------------------------

def test_stdin_dash(nlp, capsys, monkeypatch):
    data = fixture_text("dash_attribution").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, _ = run(capsys, "quotes", "-", "--format", "json")
    assert code == 0
    [f] = json.loads(out)["files"]
    assert f["path"] == "<stdin>"
    [q] = f["quotes"]
    assert (q["speaker"], q["cue"]) == ("Florence Idowu", "—")
    assert data.decode("utf-8")[q["start"]:q["end"]] == q["text"]


def test_directory_is_expanded_to_text_files(nlp, capsys, tmp_path):
    (tmp_path / "b_article.txt").write_text(fixture_text("orphan_quote"), encoding="utf-8")
    (tmp_path / "a_article.md").write_text(fixture_text("said_after_quote"), encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xff")
    (tmp_path / ".hidden.txt").write_text("“Hidden,” said Nobody Atall.", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c_article.txt").write_text(fixture_text("stray_space_in_mark"), encoding="utf-8")
    code, out, err = run(capsys, "check", str(tmp_path), "--format", "json")
    assert err == ""
    assert code == 1
    files = json.loads(out)["files"]
    assert [os.path.relpath(f["path"], tmp_path) for f in files] == [
        "a_article.md", "b_article.txt", os.path.join("sub", "c_article.txt")]
    assert [[x["code"] for x in f["findings"]] for f in files] == [[], ["QC102"], ["QC101"]]


def test_module_entry_point_reads_stdin(nlp):
    # The real process: `python -m quotecheck check -`, text piped in.
    proc = subprocess.run([sys.executable, "-m", "quotecheck", "check", "-"],
                          input=fixture_text("misdirected_closing_mark").encode("utf-8"),
                          capture_output=True, timeout=120)
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stdout.decode().splitlines() == [
        "<stdin>:1:115: QC101 [unbalanced-quote-marks] warning: opening mark “ used as a closing mark"]


def test_usage_error_without_paths(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
