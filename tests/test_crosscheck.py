"""Cross-source checks end to end: sources of every kind, each finding, the index
commands, configuration, the people registry. Fixtures: tests/fixtures/crosscheck
(invented people; the drafts each change one thing against the sources)."""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest

from quotecheck.cli import main
from quotecheck.hookspecs import hookimpl
from quotecheck.model import SourceFile, SourcePassage

CROSS = Path(__file__).parent / "fixtures" / "crosscheck"
SOURCES = CROSS / "sources"
DRAFTS = CROSS / "drafts"


def check(capsys, *args) -> tuple[int, list[dict]]:
    """Run ``quotecheck check --format json``; the exit code and all findings."""
    code = main(["check", "--format", "json", *map(str, args)])
    out = capsys.readouterr().out
    files = json.loads(out)["files"] if out.strip() else []
    return code, [f for entry in files for f in entry["findings"]]


def by_rule(findings, rule):
    return [f for f in findings if f["rule"] == rule]


def test_substituted_word_is_reported_with_the_word_diff(capsys, nlp):
    code, findings = check(capsys, DRAFTS / "altered_word.txt", "--source", SOURCES)
    assert code == 1
    [f] = by_rule(findings, "quote-altered")
    assert f["code"] == "QC201" and f["severity"] == "warning"
    assert "significantly → substantially" in f["message"]
    assert f["quote"]["text"].startswith("The talks have substantially")
    # Both the transcript and the wire copy hold the original words.
    kinds = {Path(e["path"]).name: e for e in f["evidence"]}
    assert set(kinds) == {"briefing.txt", "wire_port.txt"}
    assert kinds["briefing.txt"]["speaker"] == "Marta Ilves" and kinds["briefing.txt"]["line"] == 5
    assert "significantly slowed down" in kinds["wire_port.txt"]["text"]
    assert by_rule(findings, "quote-misattributed") == []


@pytest.mark.parametrize("draft, diff, touched", [
    ("dropped_negation", "-not", "negation"),
    ("changed_number", "Fourteen → Fifteen", "number"),
])
def test_negation_and_number_changes_are_errors(capsys, nlp, draft, diff, touched):
    _, findings = check(capsys, DRAFTS / f"{draft}.txt", "--source", SOURCES)
    [f] = by_rule(findings, "quote-altered")
    assert f["severity"] == "error"
    assert diff in f["message"] and touched in f["message"]


def test_words_of_another_person_are_misattributed(capsys, nlp):
    _, findings = check(capsys, DRAFTS / "misattributed.txt", "--source", SOURCES)
    [f] = by_rule(findings, "quote-misattributed")
    assert f["severity"] == "error" and f["speaker"] == "Marta Ilves"
    assert "Jonas Paju" in f["message"]
    assert [e["speaker"] for e in f["evidence"]] == ["Jonas Paju"]
    assert by_rule(findings, "quote-altered") == []  # the words themselves are right


def test_statement_worded_two_ways_is_a_variant_not_an_alteration(capsys, nlp):
    _, findings = check(capsys, DRAFTS / "variant.txt", "--source", SOURCES)
    assert by_rule(findings, "quote-altered") == []
    [f] = by_rule(findings, "quote-variant")
    assert f["severity"] == "info"
    assert "expect any magical" in f["message"] and "hope for some miraculous" in f["message"]
    assert {Path(e["path"]).name for e in f["evidence"]} == {"statement_paju.txt", "other_outlet.txt"}


def test_quote_no_source_holds_is_unverified_only_with_sources(capsys, nlp):
    _, findings = check(capsys, DRAFTS / "unverified.txt", "--source", SOURCES)
    [f] = by_rule(findings, "quote-unverified")
    assert f["severity"] == "info"
    _, without = check(capsys, DRAFTS / "unverified.txt")
    assert by_rule(without, "quote-unverified") == []


def test_sources_feed_the_pronoun_check(capsys, nlp):
    # In the draft alone Paju is named once; the wire copy calls him "he" twice.
    _, alone = check(capsys, DRAFTS / "pronoun_flip.txt")
    assert by_rule(alone, "pronoun-mismatch") == []
    _, findings = check(capsys, DRAFTS / "pronoun_flip.txt", "--source", SOURCES)
    [f] = by_rule(findings, "pronoun-mismatch")
    assert f["speaker"] == "Jonas Paju"
    # The wire copy holds these very words, closed with "he said".
    [e] = f["evidence"]
    assert Path(e["path"]).name == "wire_port.txt" and e["note"] == "“he” in the source"
    assert "closes the same words with “he”" in f["message"]


def test_source_pronoun_counts_judge_a_quote_no_source_holds(capsys, nlp, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("Harbour master Jonas Paju spoke on the quay.\n\n"
                     "“The channel stays closed until the ice breaks in March,” she said.\n", encoding="utf-8")
    _, findings = check(capsys, draft, "--source", SOURCES)
    [f] = by_rule(findings, "pronoun-mismatch")
    assert any(e["note"] == "“he” 2 time(s) in the sources" for e in f["evidence"])


def test_a_source_with_the_same_pronoun_cue_clears_the_quote(capsys, nlp, tmp_path):
    # The draft calls Paju "she" three times (against the first-name lexicon's
    # "he"), so on its own the lone "he said" would look wrong; the wire copy
    # closes these very words with "he said".
    draft = tmp_path / "draft.txt"
    draft.write_text("Harbour master Jonas Paju spoke on the quay. “We are ready,” she said. “Truly,” she added. "
                     "She waved at the boats.\n\n"
                     "“We have never seen ice like this in November,” he said.\n", encoding="utf-8")
    def on_ice_quote(findings):
        return [f for f in by_rule(findings, "pronoun-mismatch") if f["quote"]["text"].startswith("We have never")]

    _, alone = check(capsys, draft)
    assert len(on_ice_quote(alone)) == 1
    _, findings = check(capsys, draft, "--source", SOURCES)
    assert on_ice_quote(findings) == []


def test_faithful_draft_has_no_cross_source_findings(capsys, nlp):
    # Straight marks and a different cue order against curly marks in the sources.
    code, findings = check(capsys, DRAFTS / "faithful.txt", "--source", SOURCES)
    assert findings == [] and code == 0


def test_declared_insertion_and_ellipsis_are_honoured(capsys, nlp):
    _, findings = check(capsys, DRAFTS / "bracketed.txt", "--source", SOURCES)
    assert by_rule(findings, "quote-altered") == [] and by_rule(findings, "quote-unverified") == []


def test_draft_inside_a_source_directory_is_not_its_own_evidence(capsys, nlp, tmp_path):
    shutil.copytree(SOURCES, tmp_path / "sources")
    draft = tmp_path / "sources" / "draft.txt"
    shutil.copy(DRAFTS / "unverified.txt", draft)
    _, findings = check(capsys, draft, "--source", tmp_path / "sources")
    assert len(by_rule(findings, "quote-unverified")) == 1


# -- the index ------------------------------------------------------------------

def index(capsys, *args) -> tuple[int, str]:
    code = main(["index", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_index_add_is_incremental_and_checks_like_sources(capsys, nlp, tmp_path):
    db = tmp_path / "qc.sqlite"
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    code, out = index(capsys, "add", sources, "--index", db)
    assert code == 0 and "4 added" in out
    code, out = index(capsys, "add", sources, "--index", db)
    assert "0 added, 0 replaced, 4 unchanged" in out
    (sources / "other_outlet.txt").write_text("“An entirely different remark about the weather,” "
                                              "Jonas Paju said.\n", encoding="utf-8")
    code, out = index(capsys, "add", sources, "--index", db)
    assert "1 replaced, 3 unchanged" in out
    code, out = index(capsys, "stats", "--index", db, "--format", "json")
    stats = json.loads(out)
    assert stats["files"] == 4 and stats["by_kind"] == {"article": 2, "statement": 1, "transcript": 1}
    # The index answers a check exactly as the files would.
    _, findings = check(capsys, DRAFTS / "altered_word.txt", "--source", db)
    assert len(by_rule(findings, "quote-altered")) == 1
    # The changed file no longer holds the old wording: no variant any more.
    _, findings = check(capsys, DRAFTS / "variant.txt", "--index", db)
    assert by_rule(findings, "quote-variant") == []


def test_index_remove_and_deleted_files(capsys, nlp, tmp_path):
    db = tmp_path / "qc.sqlite"
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    index(capsys, "add", sources, "--index", db)
    code, _ = index(capsys, "remove", sources / "briefing.txt", "--index", db)
    assert code == 0
    (sources / "other_outlet.txt").unlink()
    code, out = index(capsys, "add", sources, "--index", db)
    assert "1 added" in out and "1 removed (no longer on disk)" in out
    code, out = index(capsys, "remove", sources / "nowhere.txt", "--index", db)
    assert code == 2 and "not in the index" in out


def test_a_file_that_is_not_an_index_is_refused_untouched(capsys, nlp, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    code, out = index(capsys, "add", SOURCES, "--index", other)
    assert code == 2 and str(other) in out and "not a quotecheck index" in out
    assert other.read_bytes() == before


def test_index_stats_says_the_backend_the_size_and_the_last_update(capsys, nlp, tmp_path):
    db = tmp_path / "qc.sqlite"
    index(capsys, "add", SOURCES, "--index", db)
    code, out = index(capsys, "stats", "--index", db)
    first, *kinds = out.splitlines()
    assert code == 0
    assert re.fullmatch(rf"{re.escape(str(db))} \(sqlite\): 4 files, 12 passages, 2 speakers, "
                        r"\d+\.\d MB, last updated 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", first), first
    assert kinds == ["  article: 2 files, 6 passages", "  statement: 1 files, 2 passages",
                     "  transcript: 1 files, 4 passages"]


def test_stats_on_a_missing_index_is_an_error(capsys, tmp_path):
    code, out = index(capsys, "stats", "--index", tmp_path / "none.sqlite")
    assert code == 2 and "none.sqlite" in out


# -- configuration and the people registry ---------------------------------------

def test_sources_from_configuration_found_upward(capsys, nlp, tmp_path):
    shutil.copytree(SOURCES, tmp_path / "wire")
    (tmp_path / "desk").mkdir()
    shutil.copy(DRAFTS / "altered_word.txt", tmp_path / "desk" / "draft.txt")
    (tmp_path / "quotecheck.toml").write_text('sources = ["wire"]\n', encoding="utf-8")
    _, findings = check(capsys, tmp_path / "desk" / "draft.txt")
    assert len(by_rule(findings, "quote-altered")) == 1


def test_configured_statement_speaker(capsys, nlp, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "release.txt").write_text(
        "The harbour will stay open to every vessel with valid papers this winter.\n", encoding="utf-8")
    (tmp_path / "quotecheck.toml").write_text(
        'sources = ["src"]\n[speakers]\n"src/release.txt" = "Jonas Paju"\n', encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("“The harbour will stay open to every vessel with valid papers this winter,” "
                     "Marta Ilves said.\n", encoding="utf-8")
    _, findings = check(capsys, draft)
    [f] = by_rule(findings, "quote-misattributed")
    assert "Jonas Paju" in f["message"]


@pytest.mark.parametrize("body, expected", [
    ('sources = "wire"\n', ":1: sources must be a list of paths"),
    ('\n\nsorces = ["wire"]\n', ":3: unknown key 'sorces'"),
    ('sources = [\n', "quotecheck.toml: "),
])
def test_configuration_errors_name_file_line_and_key(capsys, tmp_path, body, expected):
    (tmp_path / "quotecheck.toml").write_text(body, encoding="utf-8")
    draft = tmp_path / "d.txt"
    draft.write_text("No quotes here.\n", encoding="utf-8")
    code = main(["check", str(draft)])
    err = capsys.readouterr().err
    assert code == 2 and expected in err and str(tmp_path / "quotecheck.toml") in err


def test_people_registry_spellings_and_pronoun(capsys, nlp, tmp_path):
    people = tmp_path / "people.toml"
    people.write_text(textwrap.dedent("""\
        [[person]]
        name = "Jonas Paju"
        spellings = ["Jonas Pajou"]
        pronoun = "he"
        role = "harbour master"
        """), encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("Harbour master Jonas Pajou said the ice came early.\n\n"
                     "“We have never seen ice like this in November,” she said.\n", encoding="utf-8")
    main(["quotes", "--format", "json", "--people", str(people), str(draft)])
    quotes = json.loads(capsys.readouterr().out)["files"][0]["quotes"]
    assert quotes[0]["speaker"] == "Jonas Paju"  # the registry's spelling
    _, findings = check(capsys, draft, "--people", people)
    [f] = by_rule(findings, "pronoun-mismatch")
    assert any("people registry" in e["note"] for e in f["evidence"])
    # The spelling in the draft and in the wire copy are one person to QC202.
    _, findings = check(capsys, draft, "--people", people, "--source", SOURCES)
    assert by_rule(findings, "quote-misattributed") == []


def test_people_registry_errors_name_the_place(capsys, tmp_path):
    people = tmp_path / "people.toml"
    people.write_text('[[person]]\nname = "A B"\n\n[[person]]\npronoun = "it"\nname = "C D"\n',
                      encoding="utf-8")
    draft = tmp_path / "d.txt"
    draft.write_text("Nothing.\n", encoding="utf-8")
    code = main(["check", str(draft), "--people", str(people)])
    assert code == 2 and f"{people}:4: pronoun must be one of" in capsys.readouterr().err


# -- a newsroom's own source format through the plugin hook -----------------------

class PipeTranscripts:
    """A newsroom transcript format: ``speaker | words`` on every line."""

    @hookimpl
    def quotecheck_load_source(self, path, text):
        if not path.endswith(".pipe"):
            return None
        passages, offset = [], 0
        for number, line in enumerate(text.splitlines(keepends=True), 1):
            who, _, words = line.partition(" | ")
            start = offset + len(who) + 3
            passages.append(SourcePassage(path, "pipe", words.strip(), start, start + len(words.strip()),
                                          number, len(who) + 4, speaker=who.strip()))
            offset += len(line)
        return SourceFile(path, "pipe", passages)


def test_source_loader_plugin_claims_its_format(capsys, nlp, tmp_path, monkeypatch):
    import quotecheck.session as session

    real = session.build_manager

    def with_plugin(*a, **kw):
        pm = real(*a, **kw)
        pm.register(PipeTranscripts(), name="pipe-transcripts")
        return pm

    monkeypatch.setattr(session, "build_manager", with_plugin)
    src = tmp_path / "call.pipe"
    src.write_text("Jonas Paju | The ice came three weeks early and the channel is closed.\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("“The ice came three weeks early and the channel is closed,” Marta Ilves said.\n",
                     encoding="utf-8")
    _, findings = check(capsys, draft, "--source", src)
    [f] = by_rule(findings, "quote-misattributed")
    assert f["evidence"][0]["path"].endswith("call.pipe") and "Jonas Paju" in f["message"]


def test_name_spelling_variant_inside_a_quote_is_not_an_alteration(capsys, nlp, tmp_path):
    src = tmp_path / "wire.txt"
    src.write_text("“We will meet President Zelensky in Vilnius next week,” Marta Ilves said.\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("“We will meet President Zelenskyy in Vilnius next week,” Marta Ilves said.\n",
                     encoding="utf-8")
    _, findings = check(capsys, draft, "--source", src)
    assert by_rule(findings, "quote-altered") == []
    draft.write_text("“We will meet President Zelenskyy in Riga next week,” Marta Ilves said.\n",
                     encoding="utf-8")
    _, findings = check(capsys, draft, "--source", src)
    [f] = by_rule(findings, "quote-altered")
    assert "Vilnius → Riga" in f["message"] and "Zelensky" not in f["message"] and f["severity"] == "error"


@pytest.mark.parametrize("said, written, shown", [
    ("one thousand and seven trips", "one thousand and nine trips", "seven → nine"),
    ("the 1,000 trips", "the 1,007 trips", "1,000 → 1,007"),
    ("a quarter of a million dollars", "a quarter of a billion dollars", "million → billion"),
])
def test_number_changes_are_never_taken_for_spellings(capsys, nlp, tmp_path, said, written, shown):
    src = tmp_path / "wire.txt"
    src.write_text(f"“I call it the visit that launched {said} for us,” Marta Ilves said.\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(f"“I call it the visit that launched {written} for us,” Marta Ilves said.\n",
                     encoding="utf-8")
    _, findings = check(capsys, draft, "--source", src)
    [f] = by_rule(findings, "quote-altered")
    assert shown in f["message"] and f["severity"] == "error"


def test_unreadable_source_is_named_and_the_run_fails(capsys, nlp, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Fine line.\n\xff\xfe broken")
    code = main(["check", str(DRAFTS / "altered_word.txt"), "--source", str(bad), "--source", str(SOURCES)])
    captured = capsys.readouterr()
    assert code == 2
    assert f"{bad}:2:1: not valid UTF-8" in captured.err
    assert "QC201" in captured.out  # the readable sources were still used


def test_flipped_pronoun_that_resolves_to_nobody_is_still_caught(capsys, nlp, tmp_path):
    # No woman is in the draft, so "she" can only be Paju: on its own the
    # draft's "Mr." and the first-name lexicon say he is "he"; the source's
    # "he said" on the same words then decides.
    draft = tmp_path / "draft.txt"
    draft.write_text("Mr. Jonas Paju, the harbour master, spoke on the quay.\n\n"
                     "“The icebreaker is working day and night,” she said.\n", encoding="utf-8")
    _, alone = check(capsys, draft)
    [f] = by_rule(alone, "pronoun-mismatch")
    assert {e["note"] for e in f["evidence"]} == {"title implies “he”", "first-name lexicon: “he”"}
    _, findings = check(capsys, draft, "--source", SOURCES)
    [f] = by_rule(findings, "pronoun-mismatch")
    assert "closes the same words with “he”" in f["message"]


def test_pronoun_cue_is_judged_by_every_quote_it_attributes(capsys, nlp, tmp_path):
    # The flipped cue closes a two-word fragment too short to look up; the full
    # quote after it inherits the cue, and the wire copy holds that one.
    src = tmp_path / "wire.txt"
    src.write_text("Jonas Paju called the season “too cold,” he added on the radio. "
                   "“The channel will stay closed until the ice breaks in March.”\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("Jonas Paju called the season “too cold,” she added on the radio. "
                     "“The channel will stay closed until the ice breaks in March.”\n", encoding="utf-8")
    _, findings = check(capsys, draft, "--source", src)
    [f] = by_rule(findings, "pronoun-mismatch")
    assert "closes the same words with “he”" in f["message"]
    assert f["start"] == draft.read_text(encoding="utf-8").index("she added")


def test_an_index_that_cannot_be_opened_is_said_before_any_output(capsys, nlp, tmp_path):
    """The first document is checked before the JSON document begins: a CI job
    gets an error and no half-written JSON."""
    code = main(["check", "--format", "json", "--no-cache", "--index", str(tmp_path / "none.sqlite"),
                 str(DRAFTS / "faithful.txt")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == f"quotecheck: error: {tmp_path / 'none.sqlite'}: no such index file (build one with: " \
                  "quotecheck index add PATH...)\n"
