"""Cue forms seen in real news: openers before the subject, one cue closing two
partial quotes, multi-word titles, names with apostrophes and particles, and
scare quotes that no nearby noun phrase speaks."""
from __future__ import annotations

from conftest import quote_starting


def assert_speakers(doc, cases):
    """Each (quote prefix, speaker, speaker_mention) holds in ``doc``."""
    for prefix, speaker, mention in cases:
        att = quote_starting(doc, prefix).attribution
        assert (att.speaker, att.mention) == (speaker, mention), prefix


def speakers(doc):
    return {q.text: q.speaker for q in doc.quotes}


# -- 3. multi-word titles are removed whole ---------------------------------------

def test_multi_word_titles_removed_whole(analyzed):
    doc = analyzed("cue_forms/multiword_titles")
    cases = [("We are closer", "Mara Lind", "Secretary of State Mara Lind"),
             ("The president wants", "Peter Okoye", "Chief of Staff Peter Okoye"),
             ("Our parliament", "Lea Sand", "Deputy Prime Minister Lea Sand"),
             ("There is no legal", "Ruth Amsel", "Attorney General Ruth Amsel")]
    assert_speakers(doc, cases)


def test_pronoun_after_multi_word_title_is_the_bare_name(analyzed):
    doc = analyzed("cue_forms/multiword_titles")
    att = quote_starting(doc, "Nobody signs").attribution
    assert (att.speaker, att.mention) == ("Jonas Berg", "he")
    assert not any(p.name.startswith(("State", "Staff", "Foreign")) for p in doc.people.values())


# -- 4. names with apostrophes and particles ---------------------------------------

def test_apostrophe_surnames_resolve_to_full_names(analyzed):
    doc = analyzed("cue_forms/particle_names")
    assert_speakers(doc, [("We are not going", "Siobhan O'Brien", "O'Brien"),
                    ("The minister has not", "Rahul D'Souza", "D'Souza"),
                    ("Passengers are", "Aminata N’Diaye", "N’Diaye")])


def test_particle_surname_resolves_to_full_name(analyzed):
    doc = analyzed("cue_forms/particle_names")
    att = quote_starting(doc, "I came to learn").attribution
    assert (att.speaker, att.mention) == ("Bill de Blasio", "de Blasio")


def test_particle_surnames_in_world_names(analyzed):
    doc = analyzed("cue_forms/particle_names_world")
    assert_speakers(doc, [("The corridor", "Mohammed bin Salman", "bin Salman"),
                    ("Egypt will", "Abdel Fattah al-Sisi", "al-Sisi"),
                    ("Nobody insures", "Pieter van der Berg", "van der Berg"),
                    ("Rates will double", "Pieter van der Berg", "Van der Berg")])


# -- 1. participial and prepositional openers ---------------------------------------

def test_participial_opener_is_not_part_of_the_speaker(analyzed):
    doc = analyzed("cue_forms/participial_openers")
    att = quote_starting(doc, "The families").attribution
    assert (att.speaker, att.mention) == ("Tomi Adeyemi", "the network's Tomi Adeyemi")


def test_prepositional_opener_description_resolves_to_named_holder(analyzed):
    doc = analyzed("cue_forms/participial_openers")
    q = quote_starting(doc, "stay open")
    assert (q.speaker, q.attribution.mention, q.kind) == ("Olena Marchuk", "the governor", "partial")


def test_asked_opener_the_asked_one_speaks(analyzed):
    doc = analyzed("cue_forms/participial_openers")
    att = quote_starting(doc, "Come to the shelters").attribution
    assert (att.speaker, att.mention) == ("Olena Marchuk", "she")


# -- 2. one cue closing two sentences of partial quotes ------------------------------

def test_cue_after_second_partial_quote_covers_the_first(analyzed):
    doc = analyzed("cue_forms/two_sentence_partials")
    first, second = quote_starting(doc, "cut waiting"), quote_starting(doc, "end the winter")
    assert first.speaker == second.speaker == "Ana Ruiz"
    assert first.attribution.mention == "Health Minister Ana Ruiz"
    assert (first.kind, second.kind) == ("partial", "partial")
    assert first.attribution.method == "sentence-after"
    assert quote_starting(doc, "a system on its knees").speaker == "Carlos Mendez"
    assert quote_starting(doc, "We have heard").speaker == "Carlos Mendez"


# -- 5. scare quotes and titles get no speaker from a nearby noun phrase ---------------

def test_so_called_scare_quote_has_no_speaker(analyzed):
    doc = analyzed("cue_forms/scare_and_appositive")
    q = quote_starting(doc, "Iron Belt")
    assert (q.speaker, q.attribution.mention, q.kind) == (None, None, "scare")


def test_partial_quote_governed_by_a_group_verb_keeps_the_group(analyzed):
    doc = analyzed("cue_forms/scare_and_appositive")
    assert quote_starting(doc, "tax on the poor").speaker == "Critics"
    assert quote_starting(doc, "war on the mills").speaker == "opponents"  # not Hollis


def test_relative_clause_quote_keeps_the_senator(analyzed):
    doc = analyzed("cue_forms/scare_and_appositive")
    q = quote_starting(doc, "reckless")
    assert q.speaker == "Dana Whitfield"
    assert q.attribution.mention.startswith("The senator")
    assert quote_starting(doc, "These towns").speaker == "Dana Whitfield"
