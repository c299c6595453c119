"""The pure mutation functions of benchmarks/mutation_eval.py (benchmarks/mutations.py),
on sentences written here: each changes exactly what it says, never nothing."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import mutations as M  # noqa: E402

QUOTE = "We believe the harbour plan is going to cost 1,250 jobs, and we don't accept that."
ARTICLE_WORDS = ["harbour", "ferries", "council", "warned", "quickly", "plan", "believe"]


def test_substitute_always_changes_one_content_word():
    for seed in range(50):
        new, what = M.substitute(QUOTE, random.Random(seed), ARTICLE_WORDS)
        assert new != QUOTE
        old_word, new_word = what.split(" → ")
        assert old_word.lower() != new_word.lower()
        assert M.is_content_word(old_word)
        assert len(new.split()) == len(QUOTE.split())
        assert QUOTE.replace(old_word, new_word, 1) == new


def test_substitute_uses_the_article_when_no_synonym_is_known():
    new, what = M.substitute("the ferries warned", random.Random(0), ["ferries", "turbines", "warned"])
    assert new != "the ferries warned"
    assert what in ("ferries → turbines", "warned → turbines", "ferries → warned", "warned → ferries")


def test_substitute_needs_a_content_word():
    assert M.substitute("it is what it is", random.Random(0), ["it", "is"]) is None


def test_drop_and_insert_change_the_word_count_by_one():
    for seed in range(30):
        rng = random.Random(seed)
        dropped, what = M.drop_word(QUOTE, rng)
        assert len(dropped.split()) == len(QUOTE.split()) - 1
        assert what.startswith("-") and dropped.split()[0] == "We" and dropped.endswith("that.")
        inserted, what = M.insert_word(QUOTE, rng)
        assert len(inserted.split()) == len(QUOTE.split()) + 1
        assert what[1:] in M.ADVERBS and f" {what[1:]} " in inserted


def test_number_change():
    for seed in range(30):
        new, what = M.change_number("They hired 1,250 workers in two years.", random.Random(seed))
        old, changed = what.split(" → ")
        assert old != changed
        assert old == "1,250" and "," in changed  # digits first, written like the original
    new, what = M.change_number("Two of them left", random.Random(0))
    assert what.startswith("Two → ") and new != "Two of them left" and new[:1].isupper()
    assert M.change_number("no numbers here at all", random.Random(0)) is None


def test_negation_added():
    new, what = M.flip_negation("The mayor said the bridge will open next year", random.Random(0))
    assert new == "The mayor said the bridge will not open next year" and what == "will → will not"
    new, _ = M.flip_negation("We can fix it.", random.Random(0))
    assert new == "We cannot fix it."


def test_negation_removed():
    results = {M.flip_negation("We don’t accept that.", random.Random(s))[0] for s in range(10)}
    assert results == {"We do accept that."}
    results = {M.flip_negation("They cannot win.", random.Random(s))[0] for s in range(10)}
    assert results == {"They can win."}
    results = {M.flip_negation("It was not fair.", random.Random(s))[0] for s in range(10)}
    assert results == {"It was fair."}


def test_misattribution_replaces_the_mention_next_to_the_quote():
    text = ("Ferries stopped on Monday.\n\n"
            "“We will reopen the harbour by June,” said Harbour Commissioner Ines Barros, "
            "who took office in May. Dale Whitlock disagreed.\n")
    start = text.index("We will")
    end = text.index(",”")
    edit = M.misattribute(text, start, end, "Harbour Commissioner Ines Barros", "Ines Barros",
                          "Dale Whitlock")
    assert edit is not None
    assert "said Harbour Commissioner Dale Whitlock, who took office" in edit.text
    assert edit.text[edit.quote_start:edit.quote_end] == text[start:end]  # the words stay
    assert edit.text[edit.changed_start:edit.changed_end] == "Dale Whitlock"
    assert edit.description == "Ines Barros → Dale Whitlock"
    # a mention that names no part of the speaker gives no misattribution
    assert M.misattribute(text, start, end, "Ferries", "Ines Barros", "Dale Whitlock") is None


def test_misattribution_before_the_quote_shifts_the_quote_span():
    text = "Okafor said: “The levy is fair and it stays.”\n"
    start = text.index("The levy")
    end = text.index(".”") + 1
    edit = M.misattribute(text, start, end, "Okafor", "Chidi Okafor", "Dale Whitlock")
    assert edit.text.startswith("Dale Whitlock said:")
    assert edit.text[edit.quote_start:edit.quote_end] == text[start:end]


def test_pronoun_flip_in_the_cue_only():
    text = "“He will not sign it,” she said. She added that he had called her.\n"
    start = 1
    end = text.index(",”")
    edit = M.flip_pronoun(text, start, end, "she", "said")
    assert edit.text == "“He will not sign it,” he said. She added that he had called her.\n"
    assert edit.text[edit.changed_start:edit.changed_end] == "he"
    assert M.flip_pronoun(text, start, end, "they", "said") is None


def test_replace_quote_span():
    text = "Intro.\n“We act now,” she said.\n"
    start = text.index("We")
    end = start + len("We act now,")
    edit = M.replace_quote(text, start, end, "We act right now,", "+right")
    assert edit.text[edit.quote_start:edit.quote_end] == "We act right now,"
    assert edit.text[edit.changed_start:edit.changed_end] == "right "


def test_same_seed_same_mutation():
    a = M.substitute(QUOTE, random.Random(7), ARTICLE_WORDS)
    b = M.substitute(QUOTE, random.Random(7), ARTICLE_WORDS)
    assert a == b


def test_misattribution_keeps_initials_in_the_replaced_name():
    text = "Filler.\n“We will win,” said Rep. G.K. Harlow (D-Ore.), angrily.\n"
    edit = M.misattribute(text, text.index("We"), text.index(",”"), "Rep. G.K. Harlow",
                          "G.K. Harlow", "Dale Whitlock")
    assert edit.text == "Filler.\n“We will win,” said Rep. Dale Whitlock (D-Ore.), angrily.\n"


def test_one_is_not_taken_for_a_number():
    assert M.change_number("no one else would do it here", random.Random(0)) is None


def test_bracketed_insertions_are_not_mutated():
    quote = "It is different in a way [from 2012 and the old rules], but I do think so"
    for seed in range(40):
        rng = random.Random(seed)
        for fn in (M.change_number, M.flip_negation, M.drop_word, M.insert_word):
            done = fn(quote, rng)
            if done is not None:
                assert "[from 2012 and the old rules]" in done[0], (fn.__name__, done)
        new, _ = M.substitute(quote, rng, ["rules", "bridge"])
        assert "[from 2012 and the old rules]" in new
    assert M.change_number(quote, random.Random(0)) is None  # its only number is the editor's
