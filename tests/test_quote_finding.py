"""Quote finding: mark styles, apostrophes, multi-paragraph quotes, broken marks,
nesting, alterations and quote kinds."""
from __future__ import annotations

import pytest

from conftest import findings_of, found, quote_starting

from quotecheck.model import Document
from quotecheck.quotes import find_quotes


# -- mark styles --------------------------------------------------------------

@pytest.mark.parametrize("name, words, open_mark, close_mark", [
    ("curly_double_quotes", "The river rose faster than anyone expected,", "“", "”"),
    ("curly_single_quotes", "We have never seen a harvest this poor,", "‘", "’"),
    ("straight_double_quotes", "Nobody in Harrowgate wants the quarry reopened,", '"', '"'),
    ("straight_single_quotes", "The ferry will run again by Friday,", "'", "'"),
    ("guillemets", "We will not leave our homes,", "«", "»"),
    ("low9_quotes", "The bridge is safe for cars again,", "„", "“"),
])
def test_mark_styles(name, words, open_mark, close_mark):
    doc = found(name)
    text = doc.text
    assert [q.text for q in doc.quotes] == [words]
    q = doc.quotes[0]
    assert (q.start, q.end) == (1, 1 + len(words))
    assert text[q.start:q.end] == words
    assert (q.open_mark, q.close_mark) == (open_mark, close_mark)
    assert text[q.mark_start] == open_mark and q.mark_start == 0
    assert text[q.mark_end - 1] == close_mark and q.mark_end == q.end + 1
    assert doc.mark_problems == []


def test_double_apostrophes_as_quote_marks():
    # Archive text writes a double quote mark as two apostrophes: ''…''.
    doc = found("double_apostrophe_quotes")
    assert [q.text for q in doc.quotes] == ["The harvest was the worst since the war,"]
    q = doc.quotes[0]
    assert (q.mark_start, q.start) == (0, 2)
    assert doc.text[q.end:q.mark_end] == "''"
    assert doc.mark_problems == []


def test_double_apostrophes_attributed(analyzed):
    doc = analyzed("double_apostrophe_quotes")
    assert doc.quotes[0].speaker == "Edmund Larkspur"
    assert doc.quotes[0].kind == "direct"


def test_apostrophes_are_not_quote_marks():
    doc = found("apostrophes")
    text = doc.text
    # don’t, Kyiv’s, soldiers’, city’s, hasn’t, son’s, ’90s and didn't open or close nothing.
    assert [q.text for q in doc.quotes] == [
        "We’re waiting, and we’ll keep waiting,",
        "The soldiers’ letters don’t arrive any more,",
    ]
    first, second = doc.quotes
    assert first.start == text.index("We’re")
    assert (second.open_mark, second.close_mark) == ("‘", "’")
    assert second.start == text.index("The soldiers’ letters")
    assert text[second.end] == "’" and text[second.end + 1:].startswith(" said Petro")
    assert doc.mark_problems == []


def test_plural_possessive_inside_single_quotes_does_not_close():
    doc = Document("x", "He said ‘the soldiers’ pay is late’ and left.")
    find_quotes(doc)
    assert [q.text for q in doc.quotes] == ["the soldiers’ pay is late"]


def test_single_quotes_after_plural_closes_when_nothing_follows():
    # Here the mark after -s is the only closer: it must still close the quote.
    doc = Document("x", "They called it ‘a disaster for the farmers’ and walked out.")
    find_quotes(doc)
    assert [q.text for q in doc.quotes] == ["a disaster for the farmers"]


# -- multi-paragraph quotes ------------------------------------------------------

def test_multi_paragraph_quote_links(analyzed):
    doc = analyzed("multi_paragraph_quote")
    texts = [q.text for q in doc.quotes]
    assert texts == [
        "We built the embankment in 1998 and nobody has maintained it since,",
        "The council knew that it was failing.",
        "When the water came over the top, the pumps were already broken. We had no warning at all.",
        "Now we are asking for the money that was promised to us twenty years ago.",
    ]
    # The quote opened after "Greaves said." is not closed in its paragraph: the
    # next two paragraphs continue it, and both point at its head.
    assert [q.continues for q in doc.quotes] == [None, None, 1, 1]
    head = doc.quotes[1]
    assert head.close_mark is None and head.mark_end is None
    assert doc.quotes[3].close_mark == "”"
    assert doc.mark_problems == []
    assert {q.speaker for q in doc.quotes} == {"Anton Greaves"}


def test_three_paragraph_quote(analyzed):
    doc = analyzed("three_paragraph_quote")
    assert len(doc.quotes) == 4
    head, middle, last = doc.quotes[1:]
    assert head.text.startswith("People come because")
    assert middle.text == "Some of them have not seen their neighbours for weeks."
    assert last.text == "If I closed, I think half the street would simply stay indoors."
    assert [head.paragraph, middle.paragraph, last.paragraph] == [2, 3, 4]
    assert head.continues is None
    assert middle.continues == 1 and last.continues == 1
    assert [q.speaker for q in doc.quotes] == ["Lidia Sorensen"] * 4
    assert doc.mark_problems == []


# -- broken marks ---------------------------------------------------------------

def test_misdirected_closing_mark():
    doc = found("misdirected_closing_mark")
    text = doc.text
    assert [q.text for q in doc.quotes] == [
        "We will rebuild the bridge at Wendle Cross,",
        "Work has already started.",
        "The budget is fixed,",
    ]
    assert len(doc.mark_problems) == 1
    problem = doc.mark_problems[0]
    assert problem.kind == "misdirected"
    assert problem.offset == text.index("started. “") + len("started. ") == 114
    assert text[problem.offset] == problem.mark == "“"
    assert doc.position(problem.offset) == (1, 115)


def test_stray_space_inside_opening_mark():
    doc = found("stray_space_in_mark")
    text = doc.text
    assert [q.text for q in doc.quotes] == ["We have enough water for three weeks,", "Nobody should panic,"]
    assert doc.quotes[0].start == text.index("We have")
    assert len(doc.mark_problems) == 1
    problem = doc.mark_problems[0]
    assert problem.kind == "stray-space"
    assert problem.offset == text.index("“ We") == 74
    assert doc.position(problem.offset) == (3, 1)


def test_unclosed_mark_is_recorded_and_neighbours_recovered(analyzed):
    doc = analyzed("unclosed_quote_mark")
    text = doc.text
    assert [q.text for q in doc.quotes] == [
        "The school will reopen on Monday,",
        "We have fixed the roof and the heating, she said.",
        "Classes will start at nine,",
    ]
    first, broken, last = doc.quotes
    assert broken.close_mark is None and broken.continues is None
    assert last.continues is None  # a narrative paragraph stands between them
    assert first.speaker == last.speaker == "Priya Lindqvist"
    assert len(doc.mark_problems) == 1
    problem = doc.mark_problems[0]
    assert problem.kind == "unclosed"
    assert problem.offset == text.index("“We have fixed") == 140
    assert doc.position(problem.offset) == (3, 49)
    unbalanced = findings_of(doc, "unbalanced-quote-marks")
    assert [(f.start, f.severity) for f in unbalanced] == [(140, "error")]


def test_unclosed_mark_before_another_quote_in_same_paragraph():
    text = "“We fixed the roof, Lindqvist said. “Classes start at nine,” she added."
    doc = Document("x", text)
    find_quotes(doc)
    assert [(q.text, q.kind) for q in doc.quotes] == [
        ("We fixed the roof, Lindqvist said.", "direct"),
        ("Classes start at nine,", "direct"),  # recovered on its own, not "nested"
    ]
    assert [(p.kind, p.offset) for p in doc.mark_problems] == [("unclosed", 0)]


# -- nesting and alterations -----------------------------------------------------

def test_nested_quote(analyzed):
    doc = analyzed("nested_quotes")
    text = doc.text
    outer = quote_starting(doc, "My grandfather")
    inner = quote_starting(doc, "Never sell")
    assert inner.text == "Never sell the land,"
    assert inner.kind == "nested"
    assert (inner.open_mark, inner.close_mark) == ("‘", "’")
    assert outer.start < inner.start < inner.end < outer.end
    assert outer.text == text[outer.start:outer.end]
    assert outer.text.endswith("and I never will,")
    assert outer.kind == "direct" and outer.speaker == "Joaquim Bettany"
    assert inner.speaker is None


def test_alterations_recorded_with_offsets():
    doc = found("alterations")
    text = doc.text
    q1 = quote_starting(doc, "The meeting between")
    assert [(a.kind, a.text) for a in q1.alterations] == [
        ("insertion", "[Putin and Zelensky]"), ("ellipsis", "…")]
    ins, ell = q1.alterations
    assert (ins.start, ins.end) == (text.index("[Putin"), text.index("[Putin") + 20) == (118, 138)
    assert text[ell.start:ell.end] == "…" and ell.start == text.index("…")
    q2 = quote_starting(doc, "Both sides")
    assert [(a.kind, a.start, a.end, a.text) for a in q2.alterations] == [
        ("ellipsis", text.index("..."), text.index("...") + 3, "...")]


# -- kinds ---------------------------------------------------------------------

def test_partial_quote_inside_reported_speech(analyzed):
    doc = analyzed("partial_quote")
    assert len(doc.quotes) == 1
    q = doc.quotes[0]
    assert q.text == "a terrible state of neglect"
    assert q.kind == "partial"
    assert q.speaker == "Beatrix Holloway"


def test_scare_quotes_are_scare_and_not_reported(analyzed):
    doc = analyzed("scare_quotes")
    assert [(q.text, q.kind) for q in doc.quotes] == [("experts", "scare"), ("consultation", "scare")]
    assert [q.start for q in doc.quotes] == [doc.text.index("experts"), doc.text.index("consultation")]
    assert [q.speaker for q in doc.quotes] == [None, None]
    assert findings_of(doc) == []


def test_scare_quotes_not_attributed_to_unrelated_relative_clause(analyzed):
    doc = analyzed("scare_quotes_near_relative_clause")
    assert [(q.text, q.kind, q.attribution.mention) for q in doc.quotes] == [
        ("experts", "scare", None), ("plan", "scare", None)]


def test_title_is_not_a_quote(analyzed):
    doc = analyzed("title_quotes")
    title = quote_starting(doc, "Morning Joe")
    assert title.text == "Morning Joe"
    assert title.kind == "title"
    assert title.speaker is None
    spoken = quote_starting(doc, "We balanced")
    assert spoken.kind == "direct" and spoken.speaker == "Nadia Fenwick"
    assert findings_of(doc) == []


def test_full_orphan_quote_is_direct_not_scare(analyzed):
    doc = analyzed("orphan_quote")
    assert [(q.kind, q.speaker) for q in doc.quotes] == [("direct", None)]


def test_closer_after_recovered_unclosed_quote():
    # Regression: a closer with no opener right after an unclosed quote that was
    # recovered mid-paragraph (that quote has no closing mark) crashed the finder.
    doc = Document("x", "“We left “” again”")
    find_quotes(doc)
    assert doc.quotes[0].text == "We left"
    assert doc.quotes[0].mark_end is None
    assert [(p.kind, p.offset) for p in doc.mark_problems] == [("unclosed", 0), ("unopened", 17)]


def test_three_levels_of_nesting_are_valid(analyzed):
    # News nests “…‘…“…”…’…” when a quote quotes someone quoting a document:
    # the third level's “ sits inside a single, so it is not a lost closer.
    doc = analyzed("nested_three_levels")
    outer = quote_starting(doc, "At the hearing")
    middle = quote_starting(doc, "The inspector wrote")
    inner = quote_starting(doc, "unsafe for traffic")
    assert outer.start < middle.start < inner.start < inner.end < middle.end < outer.end
    assert (middle.open_mark, middle.close_mark) == ("‘", "’")
    assert (inner.open_mark, inner.close_mark) == ("“", "”")
    assert middle.kind == inner.kind == "nested"
    assert outer.kind == "direct" and outer.speaker == "Marta Kovalenko"
    assert doc.mark_problems == []
    assert findings_of(doc, "unbalanced-quote-marks") == []
