"""The reference layer: one invented article per phenomenon of news prose.

Each test names the phenomenon; the fixtures are in tests/fixtures/references/.
"""
import json

from quotecheck.cli import main
from quotecheck.furniture import mark_furniture
from quotecheck.language import parse_documents
from quotecheck.model import Document
from quotecheck.quotes import find_quotes
from quotecheck.references import resolve_references
from quotecheck.references import salience
from quotecheck.references.gender import gender

from conftest import findings_of, fixture_path, fixture_text, quote_starting


def entity(doc: Document, name: str):
    [e] = [e for e in doc.entities if e.name == name]
    return e


def chain_texts(e, kind=None):
    return [m.text for m in sorted(e.chain, key=lambda m: m.start) if kind is None or m.kind == kind]


def test_narrative_pronouns_are_evidence_for_a_flipped_cue(analyzed):
    # A man the article calls "he" three times in narrative sentences, whose
    # quote is closed with "she added": the case quotecheck exists for.
    doc = analyzed("references/narrative_she_added")
    reyes = entity(doc, "Tomas Reyes")
    assert chain_texts(reyes, "pronoun") == ["he", "he", "she"]
    [f] = findings_of(doc, "pronoun-mismatch")
    assert f.speaker == "Tomas Reyes" and doc.text[f.start:f.end] == "she"
    notes = [e.note for e in f.evidence]
    assert notes.count("“he” for Tomas Reyes") == 2 and "first-name lexicon: “he”" in notes
    # The pronoun evidence is the narrative paragraph's two "he".
    assert {e.line for e in f.evidence if e.note.startswith("“he”")} == {3}


def test_pronoun_stays_with_the_paragraph_topic_not_the_woman_named_last(analyzed):
    # Keller is the salient subject; Lind, another woman, is named once in a
    # later clause as an object. Every "she" is Keller's.
    doc = analyzed("references/salient_subject")
    assert {q.speaker for q in doc.quotes} == {"Ana Keller"}
    lind = entity(doc, "Greta Lind")
    assert chain_texts(lind, "pronoun") == []
    assert chain_texts(entity(doc, "Ana Keller"), "pronoun") == ["her", "she", "she", "she", "she", "She"]


def test_description_links_to_the_person_an_earlier_title_introduced(analyzed):
    doc = analyzed("references/description_link")
    [q] = doc.quotes
    assert (q.speaker, q.attribution.mention) == ("Ines Marlow", "the professor")
    assert "the professor" in chain_texts(entity(doc, "Ines Marlow"), "description")


def test_age_description_links_to_the_person_of_that_age(analyzed):
    doc = analyzed("references/age_description")
    [q] = doc.quotes
    assert (q.speaker, q.attribution.mention) == ("Tomas Reyes", "the 43-year-old")


def test_role_noun_links_to_its_only_holder(analyzed):
    doc = analyzed("references/spokesman")
    [q] = doc.quotes
    assert (q.speaker, q.attribution.mention) == ("Oleg Nikolenko", "the spokesman")


def test_it_and_its_resolve_to_the_organisation(analyzed):
    doc = analyzed("references/organisation_it")
    authority = entity(doc, "Harbour Authority")
    assert authority.kind == "group"
    assert chain_texts(authority, "pronoun") == ["it", "Its"]
    assert quote_starting(doc, "Safety comes first").speaker == "Harbour Authority"
    # A name ending in an organisation's noun is a group, and "she" is its director's.
    assert entity(doc, "Coastal Policy Center").kind == "group"
    assert quote_starting(doc, "Closing the pier").speaker == "Maria Lopes"


def test_binding_an_object_pronoun_is_not_its_clause_mates_subject(analyzed):
    # "Keller met Ibarra … and thanked her": her is Ibarra.
    doc = analyzed("references/binding")
    assert chain_texts(entity(doc, "Rosa Ibarra"), "pronoun") == ["her"]
    assert chain_texts(entity(doc, "Ana Keller"), "pronoun") == []


def test_pronoun_in_a_fronted_clause_is_the_main_clauses_subject(analyzed):
    doc = analyzed("references/fronted_clause")
    she = doc.text.index("she had toured")
    m = doc.references.mention_at(she)
    assert m.entity is entity(doc, "Olena Marchuk")


def test_plural_names_are_a_group_and_demonyms_and_places_are_no_one(analyzed):
    doc = analyzed("references/groups_and_places")
    kinds = {e.name: e.kind for e in doc.entities}
    assert kinds == {"Bill Clinton": "person", "Clintons": "group"}
    assert findings_of(doc, "speaker-name-inconsistent") == []
    assert [q.speaker for q in doc.quotes] == ["Bill Clinton", "Bill Clinton"]


def test_a_name_with_no_evidence_has_no_gender(analyzed):
    doc = analyzed("references/unknown_gender")
    kim = entity(doc, "Kim Sorensen")
    assert gender(kim) is None and kim.gender_evidence == []


def test_spelling_variant_of_a_surname_is_one_person_and_reported(analyzed):
    doc = analyzed("references/spelling_variant")
    assert chain_texts(entity(doc, "Huma Abedin"), "surname") == ["Abedin", "Adebin"]
    [f] = findings_of(doc, "speaker-name-inconsistent")
    assert doc.text[f.start:f.end] == "Adebin"


def test_first_person_inside_quotes_is_never_a_mention(analyzed):
    doc = analyzed("references/salient_subject")
    assert not any(m.text.lower() in ("i", "we", "our") for e in doc.entities for m in e.chain)


def test_salience_weights_subject_over_object_over_oblique():
    w = salience.ROLE_WEIGHT
    assert w["subject"] > w["object"] > w["oblique"]


def test_people_command_json_contract(nlp, capsys):
    path = str(fixture_path("references/description_link"))
    assert main(["people", "--format", "json", path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["version"] == 1
    [f] = out["files"]
    text = open(path, encoding="utf-8").read()
    names = [p["name"] for p in f["people"]]
    assert names == ["Ines Marlow", "Paul Okafor"]
    marlow = f["people"][0]
    assert (marlow["kind"], marlow["pronoun"]) == ("person", "she")
    for m in marlow["mentions"]:
        assert set(m) == {"start", "end", "text", "kind"}
        assert text[m["start"]:m["end"]] == m["text"]
        assert m["kind"] in ("name", "surname", "title", "description", "pronoun")
    assert [m["kind"] for m in marlow["mentions"]] == ["name", "pronoun", "description"]


def test_quotes_json_gains_speaker_id(nlp, capsys):
    path = str(fixture_path("references/description_link"))
    main(["quotes", "--format", "json", path])
    [q] = json.loads(capsys.readouterr().out)["files"][0]["quotes"]
    assert q["speaker"] == "Ines Marlow" and q["speaker_id"] == 0
    main(["people", "--format", "json", path])
    people = json.loads(capsys.readouterr().out)["files"][0]["people"]
    assert people[q["speaker_id"]]["name"] == q["speaker"]


def test_people_command_text(nlp, capsys):
    path = str(fixture_path("references/spokesman"))
    assert main(["people", path]) == 0
    out = capsys.readouterr().out
    assert "person Oleg Nikolenko (he): 2 mention(s): Oleg Nikolenko; the spokesman" in out


def test_quote_speaker_is_penalised_as_antecedent_inside_its_quote(analyzed):
    doc = analyzed("references/salient_subject")
    q = quote_starting(doc, "We will not sign")
    assert q.attribution.person is entity(doc, "Ana Keller")
    assert salience.SPEAKER_PENALTY < 1


def test_events_and_places_after_an_article_are_no_one(analyzed):
    # "the 2024 Harbour Open", "the Lakeside Festival of Tennis", "a Grand Slam":
    # a personal name takes no article, and a name ending in an event's noun is
    # no one's; every "she" is the player's.
    doc = analyzed("references/named_things")
    assert [e.name for e in doc.entities] == ["Marta Quintero"]
    assert chain_texts(entity(doc, "Marta Quintero"), "pronoun") == ["she", "she", "her", "she"]
    assert [q.speaker for q in doc.quotes] == ["Marta Quintero"]


def test_mr_and_mrs_with_one_surname_are_two_people(analyzed):
    # Newspaper style: "Mr. Okafor" and "Mrs. Okafor" are husband and wife; the
    # gendered honorific keeps the surname from joining the other spouse.
    doc = analyzed("references/honorific_gender")
    ada = entity(doc, "Ada Okafor")
    [mr] = [e for e in doc.entities if e is not ada and e.name.endswith("Okafor")]
    assert gender(ada) == "she" and gender(mr) == "he"
    assert [q.attribution.person for q in doc.quotes] == [ada, mr]
    assert chain_texts(mr, "pronoun") == ["He"] and "she" in chain_texts(ada, "pronoun")
    assert findings_of(doc, "pronoun-mismatch") == []


def test_a_surname_used_as_a_modifier_gets_no_first_name_gender(analyzed):
    # "the Howard campaign": Howard is a surname here, and the first-name
    # lexicon's "he" for Howard says nothing about the candidate.
    doc = analyzed("references/surname_as_modifier")
    howard = entity(doc, "Howard")
    assert not any(why == "lexicon" for _, _, why in howard.gender_evidence)
    assert [q.speaker for q in doc.quotes] == ["Howard"]
    assert findings_of(doc, "pronoun-mismatch") == []


def test_the_end_of_an_of_name_is_no_one(analyzed):
    # "the Bank of Lisbon", "the House of Assembly": Lisbon and Assembly are
    # parts of an organisation's name, not entities of their own.
    doc = analyzed("references/organisation_of_name")
    names = {e.name for e in doc.entities}
    assert "Lisbon" not in names and "Assembly" not in names
    assert [q.speaker for q in doc.quotes] == ["Priya Raman"]


def test_a_title_alone_is_a_description_of_its_holder(analyzed):
    # "the Governor said": a title used alone is no name of its own; it is the
    # Governor the story introduced, and no entity "Governor" is made.
    doc = analyzed("references/title_alone")
    assert "Governor" not in {e.name for e in doc.entities}
    assert chain_texts(entity(doc, "Hal Brandt"), "title") == ["the Governor", "the Governor"]
    assert [q.speaker for q in doc.quotes] == ["Hal Brandt"]


def test_a_first_name_tagged_as_a_place_is_a_person(analyzed):
    # The small model tags many first names GPE ("Octavia thanked …"): used as
    # no place, a first name the lexicon knows is a tentative person that a
    # "she" of its gender makes a person; "the Richmond-based nursery" stays a place.
    doc = analyzed("references/place_tagged_first_name")
    assert [e.name for e in doc.entities] == ["Octavia"]
    assert chain_texts(entity(doc, "Octavia"), "pronoun") == ["she", "she"]
    assert [q.speaker for q in doc.quotes] == ["Octavia"]


def referenced(nlp, text: str) -> Document:
    """The reference layer's first half alone (before attribution and the
    tentative entities' settling): quotes found, furniture marked, parsed."""
    doc = Document("layer", text)
    find_quotes(doc)
    mark_furniture(doc)
    parse_documents([doc], nlp)
    resolve_references(doc)
    return doc


def test_a_place_in_a_hyphenated_modifier_is_not_even_tentative(nlp):
    # "Richmond-based" founds no entity at all, though Richmond is also a first name.
    doc = referenced(nlp, "The Richmond-based nursery gave the trees to the school.")
    assert doc.entities == []


def test_names_that_end_otherwise_are_other_names(analyzed):
    # A misspelt surname keeps its ending (Adebin, Zelenskyy); "David" beside
    # "Davis" is another name: another person, and no misspelling to report.
    doc = analyzed("references/different_ending")
    assert [q.speaker for q in doc.quotes] == ["David", "Priya Davis"]
    assert findings_of(doc, "speaker-name-inconsistent") == []


def test_a_quote_that_names_someone_is_not_theirs(analyzed):
    # “Ana Keller has never once asked …,” he wrote: nobody calls themself by
    # name in the third person, so the "he" is not Keller (whose quote came
    # just before) — an unnamed letter writer.
    doc = analyzed("references/third_person_self")
    assert [q.speaker for q in doc.quotes] == ["Ana Keller", None]
    assert findings_of(doc, "pronoun-mismatch") == []


def test_a_cue_pronoun_after_a_long_quote_reaches_back_past_it(nlp, analyzed):
    # Five quoted sentences stand between the story's last sentence and "he
    # said": they are not the story's sentences, so Okoro, its subject, is one
    # sentence back, not six — and more salient than the mayor named after him.
    doc = referenced(nlp, fixture_text("references/cue_after_long_quote"))
    he = doc.text.rindex("he said")
    assert doc.references.entity_at(he).name == "Henry Okoro"  # salience alone, before attribution
    doc = analyzed("references/cue_after_long_quote")
    assert [q.speaker for q in doc.quotes] == ["Henry Okoro"]


def test_a_cue_pronoun_is_not_the_person_its_sentence_names_after_it(analyzed):
    # "She asked Reyes about the “broken promise”": the unnamed voter asks, not
    # Reyes, though he is the only person named; no "she for a man" error.
    doc = analyzed("references/asked_object")
    assert [q.speaker for q in doc.quotes] == [None]
    assert findings_of(doc, "pronoun-mismatch") == []


def test_a_cue_pronoun_in_a_fronted_clause_is_the_subject_named_after_it(analyzed):
    # "Though she called it “outrageous,” Governor Ana Keller …": a subject
    # named later in the sentence may be the pronoun's own referent (only an
    # object or oblique named after it is ruled out, as in asked_object).
    doc = analyzed("references/fronted_cue_pronoun")
    assert [q.speaker for q in doc.quotes] == ["Ana Keller"]
    assert findings_of(doc, "pronoun-mismatch") == []


def test_no_flipped_pronoun_when_a_person_it_agrees_with_was_ruled_out(analyzed):
    # “Nobody … trusts Ana Keller,” she said: Keller is named in the quote, so
    # she is not the speaker — but a woman is in the story, so the "she" is no
    # flipped pronoun for the only man named (Tom Reyes): the speaker is unknown.
    doc = analyzed("references/agreeing_person_ruled_out")
    assert [q.speaker for q in doc.quotes] == [None]
    assert findings_of(doc, "pronoun-mismatch") == []
