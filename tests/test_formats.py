"""The output formats for CI and review tools (quotecheck/formats/ci.py):
sarif, github, gitlab, rdjson. Fixtures: tests/fixtures/formats (an invented
article, the invented council transcript it quotes, and a one-rule house pack
whose rule offers a fix); snapshots of each format's exact output beside them.

To rewrite the snapshots after a deliberate change, run with
QUOTECHECK_UPDATE_SNAPSHOTS=1 (the tests then fail, to be rerun), and review
the diff by eye before committing it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from quotecheck import __version__
from quotecheck.cli import main
from quotecheck.formats import ci
from quotecheck.model import Document, Evidence, Finding, Fix
from quotecheck.session import FileResult, Report, RuleInfo, RunInfo

HERE = Path(__file__).parent
FORMATS = HERE / "fixtures" / "formats"
SARIF_SCHEMA = HERE / "schemas" / "sarif-schema-2.1.0.json"
INPUTS = ("article.txt", "council_meeting.txt", "house.toml")
SNAPSHOTS = {"sarif": "expected.sarif.json", "github": "expected.github.txt",
             "gitlab": "expected.gitlab.json", "rdjson": "expected.rdjson.json"}
UPDATE = os.environ.get("QUOTECHECK_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch):
    """A test run inside GitHub Actions must not write to the real step summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture
def desk(tmp_path, monkeypatch):
    """A working directory holding the fixture files (and an empty
    configuration, so none is found above it); paths in the output are
    relative to it."""
    for name in INPUTS:
        shutil.copy(FORMATS / name, tmp_path / name)
    (tmp_path / "quotecheck.toml").write_text("# the format tests' desk: defaults\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path(os.getcwd())


def check(capsys, fmt: str, article: str = "article.txt") -> str:
    code = main(["check", "--format", fmt, article, "--source", "council_meeting.txt", "--pack", "house.toml"])
    out, err = capsys.readouterr()
    assert err == ""
    assert code == 1  # an error and warnings
    return out


# -- snapshots: the exact output for the fixture ---------------------------------------

def placeholders(workdir: Path) -> dict[str, str]:
    """What must vary between machines: the working directory (as a file URI,
    and as a path inside JSON strings: a pack rule's documentation names its
    file) and quotecheck's version."""
    return {"<<WORKDIR_URI>>": workdir.as_uri() + "/", "<<WORKDIR>>": json.dumps(str(workdir))[1:-1],
            "<<VERSION>>": __version__}


def assert_snapshot(out: str, fmt: str, workdir: Path) -> None:
    snapshot = FORMATS / SNAPSHOTS[fmt]
    values = placeholders(workdir)
    if UPDATE:
        normalised = out.replace(values["<<WORKDIR_URI>>"], "<<WORKDIR_URI>>").replace(
            values["<<WORKDIR>>"], "<<WORKDIR>>")
        if fmt == "sarif":
            normalised = normalised.replace(f'"version": "{__version__}"', '"version": "<<VERSION>>"', 1)
        snapshot.write_text(normalised, encoding="utf-8")
        pytest.fail(f"{snapshot.name} rewritten: review it, then rerun without QUOTECHECK_UPDATE_SNAPSHOTS")
    expected = snapshot.read_text(encoding="utf-8")
    for placeholder, value in values.items():
        expected = expected.replace(placeholder, value)
    assert out == expected


@pytest.mark.parametrize("fmt", sorted(SNAPSHOTS))
def test_exact_output(nlp, capsys, desk, fmt):
    assert_snapshot(check(capsys, fmt), fmt, desk)


def test_the_fixture_covers_what_the_formats_must_show(nlp, capsys, desk):
    """The snapshots are only worth something if the fixture has every kind of
    finding: each severity, a safe fix, evidence from a source file."""
    findings = [f for entry in json.loads(check(capsys, "json"))["files"] for f in entry["findings"]]
    assert {f["severity"] for f in findings} == {"error", "warning", "info"}
    assert any(Path(e["path"]).name == "council_meeting.txt" for f in findings for e in f["evidence"])
    sarif = json.loads(check(capsys, "sarif"))
    assert any("fixes" in r for r in sarif["runs"][0]["results"])


# -- sarif ----------------------------------------------------------------------------

def sarif_validator():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_against_the_official_schema(nlp, capsys, desk):
    log = json.loads(check(capsys, "sarif"))
    validator = sarif_validator()
    assert [e.message for e in validator.iter_errors(log)] == []
    # The schema does reject a log that breaks it (so the check above checks something).
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(list(validator.iter_errors(log))) == 2


def test_sarif_describes_every_rule_and_points_results_at_them(nlp, capsys, desk):
    run = json.loads(check(capsys, "sarif"))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "quotecheck" and driver["version"] == __version__
    ids = [r["id"] for r in driver["rules"]]
    assert {"QC101", "QC201", "QC204", "HS001"} <= set(ids) and len(ids) == len(set(ids))
    altered = driver["rules"][ids.index("QC201")]
    assert altered["name"] == "quote-altered"
    assert altered["shortDescription"]["text"] == (
        "Compares each quote with the sources (``--source``, an index, or the configured sources) "
        "and reports words inserted, dropped or substituted against the closest source.")
    assert altered["fullDescription"]["text"].startswith(altered["shortDescription"]["text"] + " The message")
    assert "\n" not in altered["fullDescription"]["text"]
    assert altered["help"]["markdown"].splitlines()[:3] == ["quote-altered (QC201)", "", "## What it does"]
    assert "```text\nSource (transcript):" in altered["help"]["markdown"]
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert (levels["QC202"], levels["QC201"], levels["QC204"]) == ("error", "warning", "note")
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_source_passages_are_related_locations_relative_to_the_root(nlp, capsys, desk):
    run = json.loads(check(capsys, "sarif"))["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": desk.as_uri() + "/"}}
    [number] = [r for r in run["results"] if "May" in r["message"]["text"]]
    assert number["level"] == "error"
    [related] = number["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"] == {"uri": "council_meeting.txt", "uriBaseId": "%SRCROOT%"}
    assert related["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 9}
    assert "April" in related["message"]["text"]


def test_sarif_fix_replaces_exactly_the_span_the_rule_names(nlp, capsys, desk):
    """Applying the SARIF fix by its character offsets, and by its lines and
    columns, gives what ``check --fix`` writes."""
    run = json.loads(check(capsys, "sarif"))["runs"][0]
    [fixed] = [r for r in run["results"] if "fixes" in r]
    [change] = fixed["fixes"][0]["artifactChanges"]
    [replacement] = change["replacements"]
    text = (desk / "article.txt").read_text(encoding="utf-8")
    deleted = replacement["deletedRegion"]
    by_offset = (text[:deleted["charOffset"]] + replacement["insertedContent"]["text"]
                 + text[deleted["charOffset"] + deleted["charLength"]:])
    lines = text.split("\n")
    line = lines[deleted["startLine"] - 1]
    assert deleted["endLine"] == deleted["startLine"]
    lines[deleted["startLine"] - 1] = (line[:deleted["startColumn"] - 1] + replacement["insertedContent"]["text"]
                                       + line[deleted["endColumn"] - 1:])
    assert "\n".join(lines) == by_offset
    assert "“a fair start,” and said" in by_offset
    assert main(["check", "--fix", "article.txt", "--pack", "house.toml", "--select", "HS001"]) == 0
    capsys.readouterr()
    assert (desk / "article.txt").read_text(encoding="utf-8") == by_offset


# -- fingerprints -------------------------------------------------------------------------

def test_fingerprints_survive_lines_inserted_above_the_quotes(nlp, capsys, desk):
    before_sarif, before_gitlab = json.loads(check(capsys, "sarif")), json.loads(check(capsys, "gitlab"))
    text = (desk / "article.txt").read_text(encoding="utf-8")
    headline, rest = text.split("\n", 1)
    (desk / "article.txt").write_text(
        f"{headline}\n\nThis story was updated on Wednesday with the transcript.\n{rest}", encoding="utf-8")
    after_sarif, after_gitlab = json.loads(check(capsys, "sarif")), json.loads(check(capsys, "gitlab"))

    def sarif_rows(log):
        return [(r["ruleId"], r["partialFingerprints"]["quotecheck/v1"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in log["runs"][0]["results"]]

    old, new = sarif_rows(before_sarif), sarif_rows(after_sarif)
    assert len(old) == len(new) == 7
    assert [(rule, fp) for rule, fp, _ in old] == [(rule, fp) for rule, fp, _ in new]
    assert [line + 2 for _, _, line in old] == [line for _, _, line in new]
    assert len({fp for _, fp, _ in old}) == len(old)

    assert [f["fingerprint"] for f in before_gitlab] == [f["fingerprint"] for f in after_gitlab]
    assert [f["location"]["lines"]["begin"] + 2 for f in before_gitlab] == [
        f["location"]["lines"]["begin"] for f in after_gitlab]


def test_fingerprint_changes_with_the_words_rule_or_speaker_not_the_place():
    doc = Document("a.txt", "“Bridges  Close”\n")
    quote_like = Finding("quote-altered", "QC201", "warning", "m", 1, 15, speaker="Ana Brel")
    moved = Finding("quote-altered", "QC201", "warning", "other message", 0, 3, speaker="Ana Brel")
    assert ci.fingerprint(doc, quote_like) != ci.fingerprint(doc, moved)  # other words
    elsewhere = Document("a.txt", "\n\n\n“bridges close”\n")
    shifted = Finding("quote-altered", "QC201", "warning", "m", 4, 17, speaker="Ana Brel")
    assert ci.fingerprint(doc, quote_like) == ci.fingerprint(elsewhere, shifted)  # case, spaces, place
    for changed in (Finding("quote-variant", "QC203", "warning", "m", 1, 15, speaker="Ana Brel"),
                    Finding("quote-altered", "QC201", "warning", "m", 1, 15, speaker="Ivo Brel")):
        assert ci.fingerprint(doc, changed) != ci.fingerprint(doc, quote_like)


def test_gitlab_fingerprints_are_unique_when_the_same_quote_repeats():
    text = "“We will wait,” Ana Brel said.\n\n“We will wait,” Ana Brel said again.\n"
    doc = Document("story.txt", text)
    second = text.index("“We", 5) + 1
    findings = [Finding("quote-unverified", "QC204", "info", "no source holds this quote", start, start + 13,
                        speaker="Ana Brel") for start in (1, second)]
    issues = json.loads(ci.gitlab(Report([FileResult(doc, findings)])))
    assert issues[0]["fingerprint"] == ci.fingerprint(doc, findings[0], "story.txt")
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["fingerprint"]) for i in issues)
    # The same text in another file is another issue.
    other = Report([FileResult(Document("other.txt", text), findings[:1])])
    assert json.loads(ci.gitlab(other))[0]["fingerprint"] != issues[0]["fingerprint"]


# -- github --------------------------------------------------------------------------------

def many(n_warnings: int, n_errors: int = 0, n_infos: int = 0) -> Report:
    """A report of one document with a finding on each line."""
    kinds = ["warning"] * n_warnings + ["error"] * n_errors + ["info"] * n_infos
    text = "".join(f"“Line {i} was quoted,” Ana Brel said.\n" for i in range(len(kinds)))
    doc = Document("story.txt", text)
    findings, offset = [], 0
    for i, severity in enumerate(kinds):
        line = text[offset:text.index("\n", offset)]
        findings.append(Finding("quote-unverified", "QC204", severity, f"no source holds quote {i}",
                                offset + 1, offset + line.index("”")))
        offset += len(line) + 1
    return Report([FileResult(doc, findings)])


def commands(out: str, level: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith(f"::{level} ")]


def test_github_annotates_at_most_ten_of_a_level_and_says_how_many_it_left_out():
    out = ci.github(many(13, n_errors=2, n_infos=3))
    assert len(commands(out, "warning")) == ci.ANNOTATION_LIMIT == 10
    assert len(commands(out, "error")) == 2 and len(commands(out, "notice")) == 3
    assert [ln.split("::")[-1] for ln in commands(out, "warning")] == [
        f"no source holds quote {i}" for i in range(10)]  # the first ten, in order
    assert out.splitlines()[-1] == (
        "::notice::quotecheck: 3 of 18 findings not annotated (GitHub shows at most 10 errors, 10 warnings "
        "and 10 notices a step); run quotecheck check --format text for all of them")


def test_github_closing_notice_counts_as_one_of_the_ten_notices():
    out = ci.github(many(0, n_infos=12))
    notices = [ln for ln in out.splitlines() if ln.startswith("::notice")]
    assert len(notices) == 10 and len(commands(out, "notice")) == 9
    assert notices[-1].startswith("::notice::quotecheck: 3 of 12 findings not annotated")


def test_github_nothing_left_out_means_no_closing_notice():
    out = ci.github(many(10, n_errors=10, n_infos=10))
    assert len(out.splitlines()) == 30 and "not annotated" not in out


def test_github_step_summary_gets_every_finding_appended(tmp_path, monkeypatch):
    summary = tmp_path / "step_summary.md"
    summary.write_text("## Tests\n\nAll passed.\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = ci.github(many(12, n_errors=1))
    assert len(commands(out, "warning")) == 10 and len(commands(out, "error")) == 1
    assert "not annotated" not in out  # the summary has them all
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## Tests\n\nAll passed.\n\n### quotecheck: 13 findings (2 not annotated")
    rows = [ln for ln in written.splitlines() if ln.startswith("| story.txt:")]
    assert len(rows) == 13
    assert rows[0] == "| story.txt:1 | QC204 | quote-unverified | warning | no source holds quote 0 |"
    assert rows[12].startswith("| story.txt:13 | QC204 |") and "| error |" in rows[12]
    # A second step appends again: nothing is overwritten.
    ci.github(many(1))
    again = summary.read_text(encoding="utf-8")
    assert again.startswith(written) and again.count("### quotecheck:") == 2


def test_github_step_summary_is_written_even_when_nothing_was_left_out(nlp, capsys, desk, monkeypatch):
    summary = desk / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = check(capsys, "github")
    assert len(out.splitlines()) == 7
    table = summary.read_text(encoding="utf-8")
    assert table.startswith("### quotecheck: 7 findings\n\n| File | Code | Rule | Severity | Message |\n")
    assert "| article.txt:5 | QC201 | quote-altered | error | quote differs from council\\_meeting.txt:5" in table


def test_github_escapes_messages_and_properties():
    doc = Document("desk/a,b:c%.txt", "“One,” Ana said.\n“Two\nlines,” Ana said.\n")
    findings = [Finding("r", "X1", "warning", "50% of it\r\nis here: yes, no", 1, 5),
                Finding("r", "X2", "error", "spans lines", 18, 27)]
    out = ci.github(Report([FileResult(doc, findings)])).splitlines()
    assert out[0] == ("::warning file=desk/a%2Cb%3Ac%25.txt,line=1,col=2,endLine=1,endColumn=6,title=X1 r::"
                      "50%25 of it%0D%0Ais here: yes, no")
    assert out[1] == "::error file=desk/a%2Cb%3Ac%25.txt,line=2,endLine=3,title=X2 r::spans lines"  # no columns


# -- paths, URIs and the other formats' details -----------------------------------------------

def test_paths_relative_inside_the_working_directory_absolute_outside(tmp_path, monkeypatch):
    work, outside = tmp_path / "work", tmp_path / "elsewhere"
    (work / "desk").mkdir(parents=True)
    outside.mkdir()
    monkeypatch.chdir(work)
    inside_doc = Document("desk/ferry story #2.txt", "“Hello,” Ana said.\n")
    outside_doc = Document(str(outside / "draft.txt"), "“Hello,” Ana said.\n")
    source = str(outside / "notes.txt")
    f1 = Finding("quote-altered", "QC201", "warning", "m", 1, 7,
                 evidence=[Evidence(str(work / "desk" / "ferry story #2.txt"), 1, 2, "Hello"),  # itself
                           Evidence(str(work / "transcript.txt"), 3, 4, "Hello", note="transcript"),
                           Evidence(source, 7, 1, "Hello", note="notes")])
    f2 = Finding("quote-altered", "QC201", "warning", "m", 1, 7)
    report = Report([FileResult(inside_doc, [f1]), FileResult(outside_doc, [f2])],
                    run=RunInfo("quotecheck", __version__, os.getcwd(), None, []))
    results = json.loads(ci.sarif(report))["runs"][0]["results"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "desk/ferry%20story%20%232.txt", "uriBaseId": "%SRCROOT%"}
    assert [r["physicalLocation"]["artifactLocation"] for r in results[0]["relatedLocations"]] == [
        {"uri": "transcript.txt", "uriBaseId": "%SRCROOT%"}, {"uri": Path(source).as_uri()}]
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": (outside / "draft.txt").as_uri()}
    assert results[1]["ruleIndex"] == 0  # a rule the run does not list gets a descriptor
    assert json.loads(ci.sarif(report))["runs"][0]["tool"]["driver"]["rules"] == [
        {"id": "QC201", "name": "quote-altered"}]
    assert [i["location"]["path"] for i in json.loads(ci.gitlab(report))] == [
        "desk/ferry story #2.txt", str(outside / "draft.txt").replace(os.sep, "/")]
    assert ci.github(report).splitlines()[0].startswith("::warning file=desk/ferry story #2.txt,line=1,")
    assert [d["location"]["path"] for d in json.loads(ci.rdjson(report))["diagnostics"]] == [
        "desk/ferry story #2.txt", str(outside / "draft.txt").replace(os.sep, "/")]


def test_rdjson_columns_count_utf8_bytes_and_fixes_become_suggestions():
    doc = Document("a.txt", "Intro.\n“Déjà vu,” she said .\n")
    start = doc.text.index("Déjà")
    stop = doc.text.index(" .")
    findings = [Finding("r", "X1", "info", "words", start, start + 7),
                Finding("r", "X2", "warning", "space", stop, stop + 2,
                        fixes=[Fix(stop, stop + 1, "", "remove the space")])]
    [words, space] = json.loads(ci.rdjson(Report([FileResult(doc, findings)])))["diagnostics"]
    # “ and ” are 3 bytes, é and à 2 each: "Déjà vu" starts at byte column 4 and ends before 4 + 9;
    # the space before the full stop is at character column 20, byte column 26.
    assert words["location"]["range"] == {"start": {"line": 2, "column": 4}, "end": {"line": 2, "column": 13}}
    assert words["severity"] == "INFO" and "suggestions" not in words
    assert space["severity"] == "WARNING" and space["code"] == {"value": "X2"}
    assert space["suggestions"] == [{"range": {"start": {"line": 2, "column": 26}, "end": {"line": 2, "column": 27}},
                                     "text": ""}]


def test_severities_map_to_each_tools_levels():
    report = many(1, n_errors=1, n_infos=1)
    assert [i["severity"] for i in json.loads(ci.gitlab(report))] == ["minor", "major", "info"]
    assert [d["severity"] for d in json.loads(ci.rdjson(report))["diagnostics"]] == ["WARNING", "ERROR", "INFO"]
    assert [r["level"] for r in json.loads(ci.sarif(report))["runs"][0]["results"]] == ["warning", "error", "note"]
    assert [ln.split()[0] for ln in ci.github(report).splitlines()] == ["::warning", "::error", "::notice"]


def test_rule_documentation_in_either_style_gives_the_descriptions():
    plain = RuleInfo("X1", "x-rule", "warning", "p",
                     "x-rule (X1)\n\nWhat it does:\n    Reports Mr. Brel's quotes. Then more.\n\n"
                     "Example:\n    “Hi,” Mr. Brel said.\n\nRule pack p (/p.toml), type t.")
    assert ci.short_description(plain) == "Reports Mr. Brel's quotes."
    assert ci.what_it_does(plain) == "Reports Mr. Brel's quotes. Then more."
    assert ci.help_markdown(plain) == ("x-rule (X1)\n\n## What it does\n\nReports Mr. Brel's quotes. Then more.\n\n"
                                       "## Example\n\n```text\n“Hi,” Mr. Brel said.\n```\n\nRule pack p (/p.toml), type t.")
    markdown = RuleInfo("X2", "y-rule", "info", "p",
                        "## What it does\n\nFlags quotes\nthat wander. Truly.\n\n## Why\n\nBecause.")
    assert ci.short_description(markdown) == "Flags quotes that wander."
    assert ci.what_it_does(markdown) == "Flags quotes that wander. Truly."
    assert ci.help_markdown(markdown) == markdown.doc


def test_formats_are_registered_as_a_builtin_plugin(nlp, capsys, desk):
    code = main(["check", "--format", "nonesuch", "article.txt"])
    err = capsys.readouterr().err
    assert code == 2
    for name in ("github", "gitlab", "rdjson", "sarif"):
        assert name in err.split("have: ")[1]


def test_step_summary_cells_cannot_break_the_table():
    doc = Document("a.txt", "x\n")
    f = Finding("r", "X1", "warning", "a | b <!-- c -->\nd *e*", 0, 1)
    table = ci.summary_table([(doc, ci.locate("a.txt", os.getcwd()), f)], 0)
    assert table.splitlines()[-1] == "| a.txt:1 | X1 | r | warning | a \\| b &lt;!-- c --&gt; d \\*e\\* |"
