"""Cue forms seen in real news: openers before the subject, one cue closing two
partial quotes, multi-word titles, names with apostrophes and particles, and
scare quotes that no nearby noun phrase speaks."""
from __future__ import annotations

from conftest import quote_starting


def speakers(doc):
    return {q.text: q.speaker for q in doc.quotes}


# -- 3. multi-word titles are removed whole ---------------------------------------

def test_multi_word_titles_removed_whole(analyzed):
    doc = analyzed("cue_forms/multiword_titles")
    cases = [("We are closer", "Mara Lind", "Secretary of State Mara Lind"),
             ("The president wants", "Peter Okoye", "Chief of Staff Peter Okoye"),
             ("Our parliament", "Lea Sand", "Deputy Prime Minister Lea Sand"),
             ("There is no legal", "Ruth Amsel", "Attorney General Ruth Amsel")]
    for prefix, speaker, mention in cases:
        att = quote_starting(doc, prefix).attribution
        assert (att.speaker, att.mention) == (speaker, mention), prefix


def test_pronoun_after_multi_word_title_is_the_bare_name(analyzed):
    doc = analyzed("cue_forms/multiword_titles")
    att = quote_starting(doc, "Nobody signs").attribution
    assert (att.speaker, att.mention) == ("Jonas Berg", "he")
    assert not any(p.name.startswith(("State", "Staff", "Foreign")) for p in doc.people.values())


# -- 4. names with apostrophes and particles ---------------------------------------

def test_apostrophe_surnames_resolve_to_full_names(analyzed):
    doc = analyzed("cue_forms/particle_names")
    for prefix, speaker, mention in [("We are not going", "Siobhan O'Brien", "O'Brien"),
                                     ("The minister has not", "Rahul D'Souza", "D'Souza"),
                                     ("Passengers are", "Aminata N’Diaye", "N’Diaye")]:
        att = quote_starting(doc, prefix).attribution
        assert (att.speaker, att.mention) == (speaker, mention), prefix


def test_particle_surname_resolves_to_full_name(analyzed):
    doc = analyzed("cue_forms/particle_names")
    att = quote_starting(doc, "I came to learn").attribution
    assert (att.speaker, att.mention) == ("Bill de Blasio", "de Blasio")


def test_particle_surnames_in_world_names(analyzed):
    doc = analyzed("cue_forms/particle_names_world")
    for prefix, speaker, mention in [("The corridor", "Mohammed bin Salman", "bin Salman"),
                                     ("Egypt will", "Abdel Fattah al-Sisi", "al-Sisi"),
                                     ("Nobody insures", "Pieter van der Berg", "van der Berg"),
                                     ("Rates will double", "Pieter van der Berg", "Van der Berg")]:
        att = quote_starting(doc, prefix).attribution
        assert (att.speaker, att.mention) == (speaker, mention), prefix
