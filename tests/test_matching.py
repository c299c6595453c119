"""Cross-source matching: a draft quote aligned to the best window of a source
passage, and the word-by-word differences an editor is shown."""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quotecheck.matching.align import align_quote, similarity
from quotecheck.matching.normalize import keys, words
from quotecheck.model import SourceMatch, SourcePassage
from quotecheck.quotes import ALTERATION_RE


def passage(text: str, line: int = 1, column: int = 1) -> SourcePassage:
    return SourcePassage("wire.txt", "article", text, 100, 100 + len(text), line, column)


def alterations(quote: str) -> list[tuple[str, int, int]]:
    """The quote's [insertions] and ellipses, found the way the quote finder finds them."""
    return [("insertion" if m.group().startswith("[") else "ellipsis", m.start(), m.end())
            for m in ALTERATION_RE.finditer(quote)]


def align(quote: str, source: str, **kwargs) -> SourceMatch | None:
    return align_quote(quote, passage(source), alterations(quote), **kwargs)


def shown(match: SourceMatch) -> list[str]:
    return [str(e) for e in match.edits]


# --- words ------------------------------------------------------------------------------

def test_keys_ignore_typography():
    assert keys("Erdoğan’s “re-election” — DON'T") == keys("erdogan's \"re election\" - don’t")
    assert keys("Kılıçdaroğlu, Łódź") == ["kilicdaroglu", "lodz"]
    assert keys("the U.S. and 1,000 people, 3.5%") == ["the", "us", "and", "1000", "people", "3.5", "percent"]
    assert keys("inter\u00adnational") == ["international"]
    assert keys("a re-\nelection") == ["a", "reelection"]


def test_word_offsets_point_at_the_words_as_written():
    text = "He said: “It’s fine.”"
    assert [text[w.start:w.end] for w in words(text)] == ["He", "said", "It’s", "fine"]
    soft = "inter\u00adnational law"
    assert [soft[w.start:w.end] for w in words(soft)] == ["inter\u00adnational", "law"]


# --- exact matches ----------------------------------------------------------------------

def test_typography_never_counts_as_an_edit():
    quote = "We don't want Erdogan's re-election, not now -- never."
    source = "we DON’T   want\nErdoğan’s re-\nelection — not now, NEVER"
    m = align(quote, source)
    assert m is not None
    assert m.score == 1.0 and m.edits == [] and m.exact
    assert m.text == source


def test_words_run_together_on_one_side_are_the_same_words():
    assert align("a well-known fact", "it was a wellknown fact").edits == []
    assert align("a wellknown fact", "it was a well-\nknown fact").edits == []


def test_quote_found_inside_a_long_multiline_passage():
    source = ("Thank you all for coming this morning.\n"
              "We have a lot to get through, so let me be brief.\n"
              "  The economy will grow substantially this year,\n"
              "and we expect wages to follow.")
    m = align_quote("the economy will grow substantially this year", passage(source, line=10, column=5))
    assert m.score == 1.0 and m.edits == []
    assert m.text == "The economy will grow substantially this year"
    assert (m.line, m.column) == (12, 3)


def test_window_on_the_passage_first_line_counts_from_the_passage_column():
    m = align_quote("lot to get through", passage("We have a lot to get through.\nThanks.", line=4, column=7))
    assert (m.line, m.column) == (4, 7 + len("We have a "))


def test_short_partial_quote():
    source = "He called it a bitter blow for the region and left the stage."
    m = align("bitter blow", source)
    assert m.score == 1.0 and m.text == "bitter blow"
    assert m.column == 1 + source.index("bitter")
    m = align("a bitter disappointment", source)
    assert shown(m) == ["blow → disappointment"] and round(m.score, 3) == 0.667


def test_quote_that_appears_twice_aligns_to_the_first_every_time():
    source = "We will fight on. They asked again, and I said: we will fight on."
    first = [align("we will fight on", source) for _ in range(3)]
    assert {(m.column, m.text) for m in first} == {(1, "We will fight on")}
    edited = align("we shall fight on", source)
    assert edited.column == 1 and shown(edited) == ["will → shall"]


# --- edits ------------------------------------------------------------------------------

def test_substituted_word():
    m = align("The economy will grow substantially this year",
              "Officials said the economy will grow significantly this year.")
    assert shown(m) == ["significantly → substantially"]
    assert m.edits[0].op == "replace" and m.edits[0].touches == frozenset()
    assert m.text == "the economy will grow significantly this year"
    assert round(m.score, 3) == round(1 - 1 / 7, 3)


def test_substitution_at_the_quote_edge_replaces_the_neighbour():
    m = align("We will grow the economy substantially", "we will grow the economy significantly this year")
    assert shown(m) == ["significantly → substantially"]


def test_dropped_words_merge_into_one_edit():
    m = align("We are grateful for your support", "We are very much grateful for your support")
    assert shown(m) == ["-very much"] and m.edits[0].op == "delete"
    m = align("We will win this war", "we will win this terrible, terrible war, he said")
    assert shown(m) == ["-terrible, terrible"]


def test_inserted_word():
    m = align("The plan will pay for itself over time", "the plan will pay for over time, he said")
    assert shown(m) == ["+itself"] and m.edits[0].op == "insert"
    assert m.text == "the plan will pay for over time"


def test_edits_come_in_quote_order_and_show_words_as_written():
    m = align("Ministers simply won't accept the 12 percent rise",
              "Ministers won't accept the “Twelve” percent rise")
    assert shown(m) == ["+simply", "Twelve → 12"]
    assert m.edits[1].touches == frozenset({"number"})


def test_number_change_touches_number():
    m = align("the cost was 5 million dollars", "He said the cost was 6 million dollars.")
    assert shown(m) == ["6 → 5"] and m.edits[0].touches == frozenset({"number"})
    m = align("costs rose 40% last year", "costs rose sharply last year")
    assert shown(m) == ["sharply → 40%"] and "number" in m.edits[0].touches
    m = align("the cost, he said, was high", "the cost, she said, was high")
    assert "number" not in m.edits[0].touches


def test_negation_added_or_removed_touches_negation():
    added = align("We will not raise taxes", "We will raise taxes next year.")
    assert shown(added) == ["+not"] and added.edits[0].touches == frozenset({"negation"})
    removed = align("We will raise taxes", "We will never raise taxes.")
    assert shown(removed) == ["-never"] and removed.edits[0].touches == frozenset({"negation"})
    flipped = align("the talks did succeed", "the talks didn't succeed")
    assert flipped.edits[0].touches == frozenset({"negation"})


def test_contraction_is_an_edit_but_keeps_its_negation():
    m = align("We do not raise taxes", "We don't raise taxes.")
    assert shown(m) == ["don't → do not"]
    assert m.edits[0].touches == frozenset()


def test_name_change_touches_name():
    m = align("the plan Johnson announced is dead", "the plan Smith announced is dead, she said")
    assert shown(m) == ["Smith → Johnson"] and m.edits[0].touches == frozenset({"name"})
    m = align("they want to join the EU", "they want to join NATO")
    assert m.edits[0].touches == frozenset({"name"})


def test_sentence_initial_capital_is_not_a_name():
    m = align("Taxes will rise. Wages will fall.", "Taxes will rise. Prices will fall.")
    assert shown(m) == ["Prices → Wages"] and m.edits[0].touches == frozenset()
    m = align("Wages will fall", "Prices will fall")
    assert m.edits[0].touches == frozenset()
    m = align("I think so", "We think so")  # "I" is capitalised everywhere
    assert m.edits[0].touches == frozenset()


def test_near_identical_spelling_is_a_cheap_edit():
    m = align("President Zelensky spoke", "then President Zelenskyy spoke at length")
    assert shown(m) == ["Zelenskyy → Zelensky"]
    assert m.edits[0].touches == frozenset({"name"})
    assert round(m.score, 3) == round(1 - 0.5 / 3, 3)


# --- declared alterations ---------------------------------------------------------------

def test_bracketed_insertion_stands_for_the_words_it_replaces():
    quote = "The meeting between [Putin and Zelensky] will not happen this year"
    m = align(quote, "I think the meeting between them will not happen this year, he said.")
    assert m.edits == [] and m.score == 1.0
    assert m.text == "the meeting between them will not happen this year"
    # Without the alteration declared, the bracketed words are differences.
    bare = align_quote(quote, passage("the meeting between them will not happen this year"))
    assert shown(bare) == ["them → Putin and Zelensky"]


def test_bracket_inside_a_word_stands_for_that_word():
    m = align("[T]he meeting will not happen", "I think the meeting will not happen.")
    assert m.edits == [] and m.text == "the meeting will not happen"
    m = align("[W]e work[ed] hard", "we work hard")
    assert m.edits == [] and m.score == 1.0


def test_bracketed_insertion_does_not_hide_other_edits():
    m = align("[Putin] will never sign it", "He will not sign it.")
    assert shown(m) == ["not → never"]


def test_ellipsis_skips_source_words():
    quote = "Both sides want peace … they just do not trust each other."
    source = "Both sides want peace, of course, and we know that. But they just do not trust each other."
    m = align(quote, source)
    assert m.edits == [] and m.score == 1.0
    assert m.text == source.rstrip(".")
    m = align("Both sides want peace... they just trust each other", source)
    assert shown(m) == ["-do not"] and m.edits[0].touches == frozenset({"negation"})


# --- windows that do not fit --------------------------------------------------------------

def test_quote_longer_than_its_source_fragment():
    m = align("We will grow the economy this year and next year", "grow the economy this year",
              min_score=0.3)
    assert shown(m) == ["+We will", "+and next year"]
    assert m.text == "grow the economy this year" and m.score == 0.5
    assert align("We will grow the economy this year and next year", "grow the economy this year",
                 min_score=0.6) is None


def test_unrelated_text_does_not_match():
    source = "The minister said the economy will grow substantially this year."
    assert align("our cats prefer warm windowsills in winter", source) is None
    assert align_quote("[inserted]", passage(source), [("insertion", 0, 10)]) is None
    assert align_quote("...", passage(source)) is None
    assert align_quote("the economy", passage("")) is None


# --- similarity -------------------------------------------------------------------------

def test_similarity_of_two_wordings():
    assert similarity("We won’t back down.", "we WON'T back\ndown") == 1.0
    assert similarity("we will grow the economy", "we will grow our economy") == 0.8
    assert similarity("a b c", "c b a") == similarity("c b a", "a b c") == 1 - 2 / 3
    assert similarity("", "") == 1.0 and similarity("words", "") == 0.0
    assert similarity("the plan is dead", "our cats prefer warm windowsills") < 0.3


# --- properties -------------------------------------------------------------------------

VOCABULARY = ["the", "economy", "will", "grow", "not", "we", "Zelensky", "Zelenskyy", "well", "known",
              "wellknown", "5", "five", "very", "much", "Putin", "said", "don't", "do"]
word_lists = st.lists(st.sampled_from(VOCABULARY), min_size=0, max_size=30)
ALTERATION_PIECES = ["[they]", "[T]he", "...", "…", "[Putin and Zelensky]"]


def check_match(m: SourceMatch | None, source: str) -> None:
    if m is None:
        return
    assert 0.0 <= m.score <= 1.0
    assert m.text in source
    assert (m.score == 1.0) == (not m.edits)
    for e in m.edits:
        assert e.op in {"insert", "delete", "replace"}
        assert bool(e.draft) == (e.op != "delete") and bool(e.source) == (e.op != "insert")
        assert e.touches <= {"negation", "number", "name"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120), st.text(max_size=300))
@example("“Don’t”", "don't")
@example("re-\nelection", "re-election")
def test_any_strings_give_none_or_an_honest_match(quote, source):
    check_match(align_quote(quote, passage(source), min_score=0.0), source)
    m = align_quote(source, passage(source))
    if words(source):
        assert m is not None and m.score == 1.0 and m.edits == [] and m.text in source
        assert similarity(source, source) == 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_lists, word_lists, st.lists(st.tuples(st.integers(0, 30), st.sampled_from(ALTERATION_PIECES)),
                                        max_size=3))
def test_altered_word_sequences_align_consistently(quote_words, source_words, inserted):
    for at, piece in sorted(inserted, reverse=True):
        quote_words = quote_words[:at] + [piece] + quote_words[at:]
    quote, source = " ".join(quote_words), " ".join(source_words)
    check_match(align(quote, source, min_score=0.0), source)
    a, b = similarity(quote, source), similarity(source, quote)
    assert 0.0 <= a <= 1.0 and abs(a - b) < 1e-9


@settings(max_examples=100, deadline=None)
@given(word_lists, st.integers(0, 29), st.integers(1, 12))
def test_a_copied_stretch_is_found_exactly(source_words, start, length):
    window = source_words[start:start + length]
    if not window:
        return
    m = align(" ".join(window), "intro words " + " ".join(source_words) + " outro")
    assert m.score == 1.0 and m.edits == [] and keys(m.text) == keys(" ".join(window))
