"""The in-document built-in rules: each fires where it should and stays quiet elsewhere."""
from __future__ import annotations

from conftest import findings_of

from quotecheck.plugins import build_manager, collect_rules


def test_builtin_rules_registered():
    rules = collect_rules(build_manager(entry_points=False))
    assert [(r.code, r.name) for r in rules] == [
        ("QC001", "unused-suppression"),
        ("QC101", "unbalanced-quote-marks"),
        ("QC102", "unattributed-quote"),
        ("QC103", "pronoun-mismatch"),
        ("QC104", "speaker-name-inconsistent"),
        ("QC201", "quote-altered"),
        ("QC202", "quote-misattributed"),
        ("QC203", "quote-variant"),
        ("QC204", "quote-unverified"),
    ]
    for r in rules:
        assert r.severity in ("error", "warning", "info")
        for section in ("What it does", "Why", "Example", "Fix"):
            assert section in r.doc, (r.name, section)


def test_pronoun_mismatch_fires(analyzed):
    doc = analyzed("pronoun_mismatch")
    [f] = findings_of(doc, "pronoun-mismatch")
    she = doc.text.index("she added")
    assert (f.code, f.severity, f.speaker) == ("QC103", "error", "Oleg Nikolenko")
    assert (f.start, f.end) == (she, she + 3)
    assert doc.position(f.start) == (7, 24)
    assert f.quote is not None and f.quote.text == "Nothing has changed,"
    assert "“she”" in f.message and "“he”" in f.message
    # The evidence points at the two "he said" cues, and the first-name
    # lexicon's word on "Oleg".
    pronouns = [e for e in f.evidence if e.note == "“he” for Oleg Nikolenko"]
    he_lines = [doc.position(i)[0] for i in range(len(doc.text)) if doc.text.startswith("he said", i)]
    assert sorted(e.line for e in pronouns) == he_lines == [3, 5]
    assert [e.note for e in f.evidence if e not in pronouns] == ["first-name lexicon: “he”"]
    # Nothing else is wrong with this article.
    assert [x.rule for x in findings_of(doc)] == ["pronoun-mismatch"]


def test_pronoun_mismatch_quiet_when_consistent(analyzed):
    doc = analyzed("pronoun_consistent")
    assert [q.speaker for q in doc.quotes] == ["Oleg Nikolenko"] * 4
    assert findings_of(doc) == []


def test_unattributed_quote_fires_on_orphan(analyzed):
    doc = analyzed("orphan_quote")
    [f] = findings_of(doc)
    q = doc.quotes[0]
    assert (f.rule, f.code, f.severity) == ("unattributed-quote", "QC102", "warning")
    assert (f.start, f.end) == (q.start, q.end) == (doc.text.index("We will not"), doc.text.index("”"))
    assert f.quote is q
    assert doc.position(f.start) == (3, 2)


def test_unattributed_quote_quiet_for_scare_and_title(analyzed):
    assert findings_of(analyzed("scare_quotes"), "unattributed-quote") == []
    assert findings_of(analyzed("title_quotes"), "unattributed-quote") == []


def test_unattributed_quote_quiet_for_continuation(analyzed):
    assert findings_of(analyzed("continuation_paragraph")) == []
    assert findings_of(analyzed("three_paragraph_quote")) == []


def test_speaker_name_inconsistent_fires(analyzed):
    doc = analyzed("name_spelling_variants")
    assert [q.speaker for q in doc.quotes] == ["Volodymyr Zelensky"] * 2
    [f] = findings_of(doc)
    variant = doc.text.index("Zelenskyy")
    assert (f.rule, f.code, f.severity) == ("speaker-name-inconsistent", "QC104", "warning")
    assert (f.start, f.end) == (variant, variant + len("Zelenskyy"))
    assert f.speaker == "Volodymyr Zelensky"
    assert "“Zelenskyy”" in f.message and "“Zelensky”" in f.message
    [ev] = f.evidence
    assert (ev.line, ev.column, ev.text) == (1, doc.text.index("Zelensky") + 1, "Zelensky")


def test_speaker_name_inconsistent_quiet_for_two_people(analyzed):
    doc = analyzed("two_different_people")
    assert [q.speaker for q in doc.quotes] == ["Maria Lindgren", "Johan Petersen"]
    assert findings_of(doc) == []


def test_speaker_name_inconsistent_quiet_for_similar_surnames_of_two_people(analyzed):
    doc = analyzed("similar_surnames_two_people")
    assert [q.speaker for q in doc.quotes] == ["Olena Marchuk", "Taras Martchuk"]
    assert findings_of(doc) == []


def test_unbalanced_quote_marks_misdirected(analyzed):
    doc = analyzed("misdirected_closing_mark")
    [f] = findings_of(doc)
    assert (f.rule, f.code, f.severity) == ("unbalanced-quote-marks", "QC101", "warning")
    assert (f.start, f.end) == (114, 115)
    assert doc.position(f.start) == (1, 115)
    assert "used as a closing mark" in f.message


def test_unbalanced_quote_marks_stray_space(analyzed):
    doc = analyzed("stray_space_in_mark")
    [f] = findings_of(doc)
    assert (f.code, f.severity, f.start) == ("QC101", "warning", 74)
    assert "stray space" in f.message


def test_unbalanced_quote_marks_unclosed_is_error(analyzed):
    doc = analyzed("unclosed_quote_mark")
    unbalanced = findings_of(doc, "unbalanced-quote-marks")
    assert [(f.code, f.severity, f.start, doc.position(f.start)) for f in unbalanced] == [
        ("QC101", "error", 140, (3, 49))]
    assert "never closed" in unbalanced[0].message


def test_clean_articles_have_no_findings(analyzed):
    for name in ("curly_double_quotes", "guillemets", "low9_quotes", "apostrophes", "nested_quotes",
                 "alterations", "partial_quote", "inverted_said", "dash_attribution", "group_speakers",
                 "via_second_hand", "multi_paragraph_quote", "colon_introduction"):
        assert findings_of(analyzed(name)) == [], name


def test_speaker_name_inconsistent_points_at_surname_of_full_name(analyzed):
    # The variant is written with the first name: the finding and its evidence
    # must still point at the surnames, not at "Volodymyr".
    doc = analyzed("name_variant_in_full_name")
    [f] = findings_of(doc)
    variant = doc.text.index("Zelenskyy")
    assert f.code == "QC104"
    assert (f.start, f.end) == (variant, variant + len("Zelenskyy"))
    assert doc.position(f.start) == (3, 22)
    [ev] = f.evidence
    assert (ev.line, ev.column) == doc.position(doc.text.index("Zelensky")) == (1, 21)
