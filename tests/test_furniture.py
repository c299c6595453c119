"""The layout stage: page furniture (kickers, headlines, captions, credits, bylines,
link lines, boilerplate, heading labels) is marked, names no one and gives no speaker."""
from __future__ import annotations

import re

import pytest

from conftest import FIXTURES

from quotecheck.engine import analyze
from quotecheck.furniture import find_furniture, is_heading_label, mark_furniture
from quotecheck.model import Document
from quotecheck.quotes import find_quotes

FURNITURE = FIXTURES / "furniture"


def doc_of(name: str) -> Document:
    path = FURNITURE / f"{name}.txt"
    return Document(str(path), path.read_text(encoding="utf-8"))


def marked(doc: Document) -> list[tuple[str, str]]:
    find_quotes(doc)
    stretches = find_furniture(doc)
    for a, b in zip(stretches, stretches[1:]):
        assert a.end <= b.start  # sorted, non-overlapping
    return [(f.kind, doc.text[f.start:f.end]) for f in stretches]


EXPECTED = {
    "kicker_line": [("kicker", "WORLD NEWS"), ("headline", "Ferry strike ends in Port Ellis")],
    "kicker_glued": [("kicker", "SPORTS"), ("headline", "Rivers win the cup at Ashby Marsh")],
    "headline": [("headline", "Harbour board hires two new pilots")],
    "headline_quote": [("headline", "Mayor Ruiz: “We will rebuild the Wendle bridge”")],
    "subheading": [("headline", "Flood walls to be rebuilt before winter"), ("subheading", "A long road back")],
    "caption": [("headline", "Library reopens after two years of repairs"),
                ("caption", "Image caption Priya Lindqvist, a volunteer, shelves returned books in the new "
                            "reading room")],
    "caption_credit_line": [("headline", "Quillport ferry returns to service"),
                            ("caption", "The repaired ferry leaves Quillport harbour on Sunday."),
                            ("credit", "Photograph: Ana Ruiz/Reuters")],
    "credit_parenthesised": [("headline", "Harbour cranes to be replaced"),
                             ("credit", "(Photo: Jane Doe/Getty Images)")],
    "credit_bracketed": [("headline", "Vineyards count the cost of the frost"), ("credit", "[Photo: Jane Doe / AFP]")],
    # Archive copies close section labels with a full stop.
    "kicker_archive_labels": [("headline", "Mayor Ruiz promises a new bridge"), ("kicker", "ABSTRACT."),
                              ("kicker", "FULL TEXT.")],
    # A video embed's caption runs long: it is still a credit, and its "Speech" is no one's name.
    "credit_video_embed": [("headline", "Harbour board answers the ferry petition"),
                           ("credit", "[Video: FULL MEETING: Harbour Board Chairman Alan Whitlow Speech at the "
                                      "Quillport Town Hall (9/17/26) Watch on YouTube.]")],
    "credit_archives": [("headline", "Old dam to be listed as a monument"), ("credit", "(National Archives)")],
    "byline": [("headline", "Council delays vote on the waterfront"),
               ("byline", "By Jane Doe and Tom Smith, Associated Press")],
    "byline_bar": [("headline", "School to open a second campus"), ("byline", "Jane Doe | Staff writer")],
    "links": [("headline", "Bakery wins the county bread prize"),
              ("link", "MORE: The ten best bakeries in the county"),
              ("link", "READ MORE: Kettleby's high street is coming back to life"),
              ("link", "Related: Why small bakeries are closing"),
              ("link", "Recommended for you"), ("link", "Share this article"),
              ("link", "Follow us on Facebook and Instagram")],
    "boilerplate": [("headline", "Review: a quiet triumph at the Cantle Hill theatre"),
                    ("boilerplate", "Story continues below advertisement"), ("boilerplate", "Advertisement"),
                    ("boilerplate", "Rated 4 out of 5"),
                    ("boilerplate", "Sign up for our newsletter to get the best of the week's culture."),
                    ("boilerplate", "© 2026 Cantle Hill Courier. All rights reserved.")],
    "heading_label": [("headline", "Ferry timetable changes from Monday"), ("label", "EDITOR'S NOTE:"),
                      ("label", "FAST FACTS:")],
    "heading_label_quote": [("headline", "Harbour board answers readers' questions"), ("label", "EDITOR'S NOTE:")],
    "only_furniture": [("kicker", "SPORTS"), ("byline", "By Jane Doe"), ("boilerplate", "Advertisement"),
                       ("link", "Share this article")],
    # Short story paragraphs, a one-word quote paragraph, "By Wednesday, …", a
    # dateline, an all-caps word opening a sentence, a hard-wrapped line: nothing.
    "clean_article": [],
    "clean_dateline": [],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_furniture_of_each_fixture(name):
    assert marked(doc_of(name)) == EXPECTED[name]


def test_every_fixture_is_checked():
    assert {p.stem for p in FURNITURE.glob("*.txt")} == set(EXPECTED)


def test_mark_furniture_sets_the_document():
    doc = doc_of("credit_parenthesised")
    find_quotes(doc)
    mark_furniture(doc)
    credit = doc.furniture[-1]
    assert doc.in_furniture(credit.start) is credit and doc.in_furniture(credit.start - 1) is None


def test_quotes_inside_a_headline_are_still_found():
    doc = doc_of("headline_quote")
    quotes = find_quotes(doc)
    assert [q.text for q in quotes][0] == "We will rebuild the Wendle bridge"
    assert find_furniture(doc)[0].kind == "headline"


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("   \n\n  ", []),
    ("Harbour board hires two new pilots", []),  # one paragraph: never a headline
    ("Harbour board hires two new pilots\n\nSPORTS\n\nBy Jane Doe\n\nAdvertisement",
     [("headline", "Harbour board hires two new pilots"), ("kicker", "SPORTS"), ("byline", "By Jane Doe"),
      ("boilerplate", "Advertisement")]),
    ("WASHINGTON (AP) — The vote is off\n\nIt was delayed.", []),  # a dateline: story
    ("NASA Launches New Probe\n\nThe probe left on Monday.", [("headline", "NASA Launches New Probe")]),
    ("By Tuesday, the water had receded.\n\nNobody was hurt.", []),
    ("The mayor spoke on Monday (AP) about the bridge.\n\nShe left.", []),  # a bare wire is no credit
])
def test_edge_cases(text, expected):
    assert marked(Document("edge", text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("EDITOR'S NOTE", True), ("Editor’s note:", True), ("FAST FACTS:", True), ("CORRECTION", True),
    ("Ana Ruiz", False), ("PENCE", False), ("", False),
])
def test_is_heading_label(text, expected):
    assert is_heading_label(text) is expected


def _outside_furniture(doc: Document) -> str:
    text = doc.text
    for f in doc.furniture:
        text = text[:f.start] + " " * (f.end - f.start) + text[f.end:]
    return text


SPEAKERS = {
    "kicker_line": "Marta Kovalenko", "kicker_glued": "Tomas Reyna", "headline": "Ansel Brightwater",
    "subheading": "Anton Greaves", "caption": "Helena Marchetti", "caption_credit_line": "Ansel Brightwater",
    "credit_parenthesised": "Tomas Reyna", "credit_bracketed": "Joaquim Bettany",
    "credit_archives": "Lidia Sorensen", "byline": "Grace Okafor", "byline_bar": "Priya Lindqvist",
    "links": "Lidia Sorensen", "boilerplate": "Beatrix Holloway", "heading_label": "Ansel Brightwater",
}


@pytest.mark.parametrize("name", sorted(SPEAKERS))
def test_speaker_is_the_story_person_not_the_furniture_name(nlp, name):
    doc = doc_of(name)
    analyze([doc])
    story = _outside_furniture(doc)
    speakers = [q.attribution.speaker for q in doc.quotes if q.kind != "nested"]
    assert SPEAKERS[name] in speakers
    for speaker in filter(None, speakers):
        assert re.search(r"\b" + re.escape(speaker.split()[-1]) + r"\b", story), (speaker, name)


def test_editors_note_label_gives_no_speaker(nlp):
    doc = doc_of("heading_label_quote")
    analyze([doc])
    q = next(q for q in doc.quotes if q.text.startswith("The ferry will keep running"))
    assert q.attribution.speaker is None
    assert q.attribution.method != "label"


def test_inline_editors_note_before_a_quote_is_no_label(nlp):
    doc = Document("inline", "Harbour board answers readers\n\nEDITOR'S NOTE: “The ferry will keep running,” "
                             "the harbour master, Ansel Brightwater, wrote to readers on Friday.\n\nIt ran.")
    analyze([doc])
    q = doc.quotes[0]
    assert q.attribution.method != "label"
    assert q.attribution.speaker == "Ansel Brightwater"


def test_furniture_is_blanked_for_the_parser_but_a_headline_quote_is_not(nlp):
    credit = doc_of("credit_parenthesised")
    headline = doc_of("headline_quote")
    analyze([credit, headline])
    for doc in (credit, headline):
        for p, parsed in doc.parses.items():
            assert len(parsed.text) == len(doc.paragraph_text(p))  # offsets stay aligned
    credit_para = credit.paragraph_at(credit.furniture[-1].start)
    if credit_para in credit.parses:
        assert "Jane Doe" not in credit.parses[credit_para].text
    if 0 in headline.parses:
        assert "We will rebuild the Wendle bridge" in headline.parses[0].text
