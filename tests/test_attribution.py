"""Speaker attribution: cues, inversions, introductions, resolution of mentions."""
from __future__ import annotations


from conftest import quote_starting


def only_quote(doc):
    assert len(doc.quotes) == 1, [q.text for q in doc.quotes]
    return doc.quotes[0]


def test_said_after_quote(analyzed):
    doc = analyzed("said_after_quote")
    q = only_quote(doc)
    assert q.text == "The wind changed direction twice before midnight,"
    att = q.attribution
    assert (att.speaker, att.mention, att.cue) == ("Gareth Ellwood", "Gareth Ellwood", "said")
    assert att.mention_start == doc.text.index("Gareth Ellwood said")
    assert att.cue_start == doc.text.index("said.")
    assert q.kind == "direct"


def test_inverted_said(analyzed):
    doc = analyzed("inverted_said")
    att = only_quote(doc).attribution
    assert att.speaker == "Oleg Nikolenko"
    assert att.cue == "said"
    assert att.mention.startswith("Oleg Nikolenko")
    assert att.mention_start == doc.text.index("Oleg Nikolenko")


def test_according_to(analyzed):
    doc = analyzed("according_to")
    q = only_quote(doc)
    assert q.text == "We are hiring two hundred nurses before then,"
    att = q.attribution
    assert (att.speaker, att.cue, att.via) == ("Sabine Okafor", "according to", None)


def test_colon_introduction(analyzed):
    doc = analyzed("colon_introduction")
    q = only_quote(doc)
    assert q.text == "This court has heard enough evidence to proceed to trial."
    assert q.paragraph == 2
    att = q.attribution
    assert att.speaker == "Miriam Achterberg"
    assert att.cue == "said"
    assert att.method == "colon"
    assert att.mention == "The presiding judge in Grantsford, Miriam Achterberg"
    assert q.kind == "direct"


def test_colon_introduction_after_long_prepositional_phrase(analyzed):
    doc = analyzed("colon_introduction_after_long_phrase")
    assert only_quote(doc).speaker == "Miriam Achterberg"


def test_trailing_dash_attribution(analyzed):
    doc = analyzed("dash_attribution")
    q = only_quote(doc)
    assert q.text == "Every picture here was painted by a child under twelve."
    att = q.attribution
    assert (att.speaker, att.mention, att.cue, att.method) == ("Florence Idowu", "Florence Idowu", "—", "dash")
    assert att.mention_start == doc.text.index("Florence")


def test_apposition_gives_way_to_the_name(analyzed):
    doc = analyzed("apposition_simple_title")
    att = only_quote(doc).attribution
    assert att.speaker == "Vadim Denisenko"
    assert att.mention == "the regional governor, Vadim Denisenko"


def test_apposition_after_prepositional_title(analyzed):
    doc = analyzed("apposition_attribution")
    att = only_quote(doc).attribution
    assert "the adviser to the Interior Ministry, Vadim Denisenko" in att.mention
    assert att.speaker == "Vadim Denisenko"


def test_surname_resolves_to_full_name(analyzed):
    doc = analyzed("surname_resolution")
    att = only_quote(doc).attribution
    assert att.mention == "Denisenko"
    assert att.speaker == "Vadim Denisenko"
    assert att.person is not None and att.person.name == "Vadim Denisenko"


def test_pronoun_cue_resolves_to_person(analyzed):
    doc = analyzed("pronoun_cue")
    att = only_quote(doc).attribution
    assert (att.mention, att.pronoun, att.cue) == ("she", "she", "said")
    assert att.speaker == "Helena Marchetti"


def test_pronoun_cue_after_apposition(analyzed):
    doc = analyzed("pronoun_after_apposition")
    att = only_quote(doc).attribution
    assert (att.mention, att.pronoun) == ("he", "he")
    assert att.speaker == "Kofi Mensah"


def test_continuation_paragraph_inherits_speaker(analyzed):
    doc = analyzed("continuation_paragraph")
    first, second = doc.quotes
    assert first.speaker == "Agnes Thornbury"
    assert second.text == "We have booked the brass band and the stalls are all sold."
    assert second.speaker == "Agnes Thornbury"
    assert second.attribution.method == "continuation"
    assert second.kind == "direct"


def test_second_hand_source_is_via(analyzed):
    doc = analyzed("via_second_hand")
    att = only_quote(doc).attribution
    assert att.speaker == "Smith"
    assert att.cue == "said"
    assert att.via is not None and "New York Times" in att.via


def test_groups_stay_groups(analyzed):
    doc = analyzed("group_speakers")
    officials = quote_starting(doc, "The convoy")
    kremlin = quote_starting(doc, "There are no plans")
    assert officials.speaker == "Russian officials"
    assert officials.attribution.person is not None and officials.attribution.person.is_group
    assert kremlin.speaker == "Kremlin"
    assert kremlin.attribution.mention == "the Kremlin"


def test_all_paragraphs_of_multi_paragraph_quote_share_speaker(analyzed):
    doc = analyzed("multi_paragraph_quote")
    assert [q.speaker for q in doc.quotes] == ["Anton Greaves"] * 4
    assert [q.attribution.method for q in doc.quotes[2:]] == ["continuation", "continuation"]


def test_mark_styles_are_attributed(analyzed):
    for name, speaker in [("curly_double_quotes", "Marta Kovalenko"), ("curly_single_quotes", "Tomas Reinholt"),
                          ("straight_double_quotes", "Elena Pardoe"),
                          ("straight_single_quotes", "Ansel Brightwater"),
                          ("guillemets", "Irena Volkova"), ("low9_quotes", "Dieter Hallensleben")]:
        assert only_quote(analyzed(name)).speaker == speaker, name
