"""Plugin results are checked where quotecheck receives them (quotecheck.validate).

Each bad result a newsroom's plugin can hand back is run through the real
command line, from a local plugin named in ``quotecheck.toml``: the run says
which plugin, which hook and what was wrong, exits 2 (not 1, the "findings"
status, and not with a traceback), and keeps every other finding: the built-in
rules' and the plugin's own sound ones.
"""
from __future__ import annotations

import textwrap

import pytest

from quotecheck.cli import main
from quotecheck.model import Document, Evidence, Finding, SourceFile, SourcePassage
from quotecheck.validate import (PluginResultError, check_cues, check_findings, check_output_formats,
                                 check_source_file)

# A stray space inside the opening mark: the built-in QC101 (a warning) fires.
DRAFT = "“ We will rebuild the bridge by June,” said Mayor Ana Ruiz.\n"
SOURCE = "COUNCIL GAZETTE 4 MAY\nRUIZ: We will rebuild the bridge by June.\n"

# A sound rule every plugin below also has: its finding must survive the bad result.
GOOD_RULE = '''
from quotecheck.hookspecs import hookimpl
from quotecheck.model import Finding, SourceFile, SourcePassage
from quotecheck.rules import rule


@rule("desk-every-quote", "DK001", "info")
def EVERY_QUOTE(doc, context):
    """desk-every-quote (DK001)

    What it does:
        Marks every quote, so the test sees this plugin's sound findings kept.
    Why:
        A bad result must not cost a plugin's good ones.
    Example:
        “Yes,” she said.
    Fix:
        Nothing to fix.
    """
    for q in doc.quotes:
        yield EVERY_QUOTE.finding("a quote", q.start, q.end, quote=q)
'''

BAD = {
    "rule_yields_a_string": '''
@rule("desk-says-words", "DK002", "warning")
def SAYS_WORDS(doc, context):
    """desk-says-words (DK002)

    What it does:
        Yields a message instead of a finding.
    Why:
        The mistake under test.
    Example:
        “Yes,” she said.
    Fix:
        Yield SAYS_WORDS.finding(...).
    """
    yield "a quote without a source"


@hookimpl
def quotecheck_rules():
    return [EVERY_QUOTE, SAYS_WORDS]
''',
    "finding_past_the_end": '''
@rule("desk-far-away", "DK003", "warning")
def FAR_AWAY(doc, context):
    """desk-far-away (DK003)

    What it does:
        Reports a place far past the end of the draft.
    Why:
        The mistake under test.
    Example:
        “Yes,” she said.
    Fix:
        Use offsets into doc.text.
    """
    yield FAR_AWAY.finding("somewhere", 1_000_000, 1_000_010)


@hookimpl
def quotecheck_rules():
    return [EVERY_QUOTE, FAR_AWAY]
''',
    "check_quote_returns_strings": '''
@hookimpl
def quotecheck_rules():
    return [EVERY_QUOTE]


@hookimpl
def quotecheck_check_quote(quote, doc, context):
    return ["quote not checked against the wire", "call the mayor's office"]
''',
    "cues_as_a_string": '''
@hookimpl
def quotecheck_rules():
    return [EVERY_QUOTE]


@hookimpl
def quotecheck_reporting_cues():
    return "averred"
''',
    "loader_returns_a_dict": '''
@hookimpl
def quotecheck_rules():
    return [EVERY_QUOTE]


@hookimpl
def quotecheck_load_source(path, text):
    if path.endswith(".gzt"):
        return {"path": path, "passages": [text]}
''',
    "passage_text_none": '''
@hookimpl
def quotecheck_rules():
    return [EVERY_QUOTE]


@hookimpl
def quotecheck_load_source(path, text):
    if path.endswith(".gzt"):
        start = text.index("We will")
        return SourceFile(path, "council-gazette", [
            SourcePassage(path, "council-gazette", None, start, len(text) - 1, 2, 7, speaker="Ana Ruiz")])
''',
    "passage_at_line_0": '''
@hookimpl
def quotecheck_rules():
    return [EVERY_QUOTE]


@hookimpl
def quotecheck_load_source(path, text):
    if path.endswith(".gzt"):
        start = text.index("We will")
        return SourceFile(path, "council-gazette", [
            SourcePassage(path, "council-gazette", text[start:-1], start, len(text) - 1, 0, -3,
                          speaker="Ana Ruiz")])
''',
}

# What each run must say: who, then what was wrong. The loaders' messages are
# made by quotecheck.sources.formats.check_loaded ("path: plugin P (hook): …").
EXPECTED = {
    "rule_yields_a_string": ("quotecheck_rules", "→ rule DK002 yielded a str, not a quotecheck.model.Finding"),
    "finding_past_the_end": ("quotecheck_rules", "→ rule DK003 yielded finding DK003 at offset 1000000, "
                                                 "past the end of draft.txt (60 characters)"),
    "check_quote_returns_strings": ("quotecheck_check_quote", "returned a str, not a quotecheck.model.Finding"),
    "cues_as_a_string": ("quotecheck_reporting_cues", "returned the string 'averred', not a list of verbs"),
    "loader_returns_a_dict": ("quotecheck_load_source", "returned a dict, not a quotecheck.model.SourceFile"),
    "passage_text_none": ("quotecheck_load_source", "passage 1 has text=None: it must be a string"),
    "passage_at_line_0": ("quotecheck_load_source", "passage 1 is at line 0, column -3: lines and columns "
                                                    "count from 1"),
}


def make_project(tmp_path, plugin_body: str, monkeypatch):
    (tmp_path / "desk.py").write_text(textwrap.dedent(GOOD_RULE) + textwrap.dedent(plugin_body), encoding="utf-8")
    (tmp_path / "quotecheck.toml").write_text('plugins = ["desk.py"]\n', encoding="utf-8")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "council.gzt").write_text(SOURCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_plugin_result_is_named_exit_2_other_findings_kept(case, nlp, tmp_path, monkeypatch, capsys):
    make_project(tmp_path, BAD[case], monkeypatch)
    hook, what = EXPECTED[case]
    whose = f"plugin local:desk.py ({hook}): " if hook == "quotecheck_load_source" else \
        f"plugin local:desk.py, hook {hook} "
    argv = ["check", "draft.txt", "--source", "council.gzt"] if "loader" in case or "passage" in case \
        else ["check", "draft.txt"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in err
    assert whose in err and what in err, err
    lines = out.splitlines()
    # the built-in rule's finding and the plugin's own sound one are both kept
    assert "draft.txt:1:1: QC101 [unbalanced-quote-marks] warning: stray space after opening mark “" in lines, out
    assert any(line.startswith("draft.txt:1:3: DK001 [desk-every-quote] info: a quote") for line in lines), out
    assert not any("DK002" in line or "DK003" in line for line in lines), out


def test_a_plugin_wrong_about_every_quote_is_said_once(nlp, tmp_path, monkeypatch, capsys):
    make_project(tmp_path, BAD["check_quote_returns_strings"], monkeypatch)
    (tmp_path / "draft.txt").write_text(DRAFT + "\n“It is late,” said Ana Ruiz.\n", encoding="utf-8")
    assert main(["check", "draft.txt"]) == 2
    err = capsys.readouterr().err
    assert err.count("hook quotecheck_check_quote returned a str") == 1, err


def test_a_sound_plugin_result_passes_unchanged(nlp, tmp_path, monkeypatch, capsys):
    """The checks refuse nothing sound: the same plugin without its mistake
    exits 1 (findings), says nothing on stderr, and its passages are matched."""
    body = BAD["passage_at_line_0"].replace("len(text) - 1, 0, -3", "len(text) - 1, 2, 7")
    make_project(tmp_path, body, monkeypatch)
    code = main(["check", "draft.txt", "--source", "council.gzt", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1 and err == "", err
    assert '"quote-unverified"' not in out  # the quote was found in the gazette


# -- the checks themselves, on values a plugin might hand back -----------------------------

DOC = Document("draft.txt", "x" * 5120)


def finding(**changes) -> Finding:
    values = dict(rule="desk-rule", code="DK1", severity="warning", message="m", start=0, end=1)
    values.update(changes)
    return Finding(**values)


@pytest.mark.parametrize("bad, said", [
    (finding(start=1_000_000, end=1_000_000), "at offset 1000000, past the end of draft.txt (5,120 characters)"),
    (finding(start=-1), "at offset -1, before the start of draft.txt"),
    (finding(start=9, end=3), "ends (offset 3) before it starts (offset 9)"),
    (finding(start="7"), "offsets must be integers"),
    (finding(severity="fatal"), "severity='fatal': it must be one of error, warning, info"),
    (finding(code=None), "code=None: it must be a non-empty string"),
    (finding(evidence=[Evidence("council.gzt", 0 + 3, -3, "words")]), "evidence 1: at line 3, column -3"),
    (finding(evidence="council.gzt"), "evidence=str"),
    (finding(fixes=[object()]), "fix 1: an object, not a quotecheck.model.Fix"),
    ({"code": "DK1"}, "a dict, not a quotecheck.model.Finding"),
])
def test_check_findings_leaves_out_each_bad_value_and_keeps_the_rest(bad, said):
    good = finding()
    kept, errors = check_findings([good, bad], DOC, "plugin desk, hook quotecheck_check_document")
    assert kept == [good]
    [message] = errors
    assert message.startswith("plugin desk, hook quotecheck_check_document returned ") and said in message, message


@pytest.mark.parametrize("result, said", [("DK1 is wrong", "a str"), ({"DK1": 1}, "a dict"), (42, "an int"),
                                          (finding(), "a Finding")])
def test_check_findings_refuses_a_result_that_is_not_a_list(result, said):
    kept, [message] = check_findings(result, DOC, "plugin desk, hook quotecheck_check_quote")
    assert kept == [] and f"returned {said}, not a list of findings" in message


def test_evidence_at_line_0_means_the_whole_file():
    ok = finding(evidence=[Evidence("council.gzt", 0, 0, "")])
    assert check_findings([ok], DOC, "p") == ([ok], [])


def test_check_cues():
    assert check_cues(("aver", "opine"), "p") == (["aver", "opine"], [])
    assert check_cues(["aver", 7, "went on"], "p")[0] == ["aver"]
    assert len(check_cues(["aver", 7, "went on"], "p")[1]) == 2
    assert check_cues(None, "p")[0] == []


def test_check_output_formats():
    good, errors = check_output_formats({"desk": str, "broken": "not a function"}, "p")
    assert list(good) == ["desk"] and "format 'broken' is a str, not a function" in errors[0]
    assert check_output_formats([str], "p")[1] == ["p returned a list, not a dict {name: format}; ignored"]


def passage(text="We will", start=28, end=35, line=2, column=7, path="council.gzt") -> SourcePassage:
    return SourcePassage(path, "council-gazette", text, start, end, line, column)


@pytest.mark.parametrize("result, said", [
    (SourceFile("other.gzt", "council-gazette", []), "returned a SourceFile for 'other.gzt'"),
    (SourceFile("council.gzt", None, []), "kind=None"),
    (SourceFile("council.gzt", "council-gazette", "We will"), "passages=str"),
    (SourceFile("council.gzt", "council-gazette", [passage(start=0, end=10**6)]),
     "passage 1 at offset 1000000, past the end of council.gzt (64 characters)"),
    (SourceFile("council.gzt", "council-gazette", [passage(), passage(path="x.gzt")]),
     "passage 2 has path 'x.gzt'"),
    (SourceFile("council.gzt", "council-gazette", [passage(column=0)]), "passage 1 is at line 2, column 0"),
    (SourceFile("council.gzt", "council-gazette", [{"text": "We will"}]), "passage 1 is a dict"),
])
def test_check_source_file_names_the_file_the_plugin_and_the_fault(result, said):
    with pytest.raises(PluginResultError) as caught:
        check_source_file(result, "council.gzt", SOURCE, "plugin gazette, hook quotecheck_load_source")
    assert str(caught.value).startswith("council.gzt: plugin gazette, hook quotecheck_load_source")
    assert said in str(caught.value), str(caught.value)


def test_check_source_file_accepts_a_sound_file():
    sound = SourceFile("council.gzt", "council-gazette", (passage(),))
    assert check_source_file(sound, "council.gzt", SOURCE, "p") is sound
    assert sound.passages == [passage()]  # an iterable of passages becomes a list


def test_an_output_format_returning_something_else_than_text_is_named(nlp, tmp_path, monkeypatch, capsys):
    make_project(tmp_path, '''
@hookimpl
def quotecheck_output_formats():
    return {"desk-digest": lambda report: {"findings": len(report.findings)}, "broken": "not a function"}
''', monkeypatch)
    code = main(["check", "draft.txt", "--format", "desk-digest"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "Traceback" not in err
    assert "output format 'desk-digest' returned a dict, not a str" in err
    assert ("plugin local:desk.py, hook quotecheck_output_formats: format 'broken' is a str, not a function "
            "format(report) -> str; left out") in err
