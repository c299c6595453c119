"""From a word alignment to the edits an editor reads.

The aligner decides which draft word corresponds to which source word; this
module turns its steps into :class:`WordEdit` objects: adjacent changes merged
into one edit (two dropped words read as one "-very much", not two), each side
shown as written, and each edit marked with what makes it more than a rewording:
a negation added or removed, a number changed, a name changed. Those marks are
what the verification stage ranks by, so each is set only when the two sides
really differ in that respect ("don't → do not" keeps one negation on each side).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from ..model import WordEdit
from .normalize import Word

_NEGATORS = frozenset({
    "not", "no", "never", "cannot", "nothing", "nobody", "none", "neither", "nor",
    "without", "nowhere", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
    "hasnt", "havent", "hadnt", "wouldnt", "shouldnt", "couldnt", "mustnt",
})
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion dozen dozens hundreds thousands "
    "millions billions half twice percent first third fourth fifth sixth seventh eighth "
    "ninth tenth".split()
)  # "second" is left out: far more often the unit of time than the ordinal
# Words ending in "." that do not end a sentence, so the next capital may be a name.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen sen rep gov lt col capt sgt maj adm cmdr jr sr vs mt ft "
    "inc corp co ltd dept rev hon pres amb".split()
)
_SENTENCE_END = ".!?…"
_OPENERS = "\"'“”‘’«»„‚([{—–-"  # marks that may stand between a sentence end and its first word
_SPACE = re.compile(r"\s+")
_LINE_BREAK_HYPHEN = re.compile(r"-[ \t]*(?:\r\n|\r|\n)[ \t]*|[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


class Step(NamedTuple):  # a tuple: the aligner makes one per word
    """One step of an alignment, with indices into the draft's and the source's words."""

    kind: str  # "equal" (same words, maybe run together) | "change" | "skip" (declared alteration)
    draft: tuple[int, ...] = ()
    source: tuple[int, ...] = ()


def is_negator(key: str) -> bool:
    return key in _NEGATORS or key.endswith("n't")


def is_number(key: str) -> bool:
    return key in _NUMBER_WORDS or any(c.isdigit() for c in key)


def word_edits(steps: Iterable[Step], quote_words: Sequence[Word], source_words: Sequence[Word],
               quote_text: str, source_text: str) -> list[WordEdit]:
    """The alignment's changes as edits in quote order, adjacent changes merged."""
    edits = []
    group_draft: list[Word] = []
    group_source: list[Word] = []
    for step in list(steps) + [Step("equal")]:
        if step.kind == "change":
            group_draft += [quote_words[i] for i in step.draft]
            group_source += [source_words[j] for j in step.source]
            continue
        if group_draft or group_source:
            edits.append(_edit(group_draft, group_source, quote_text, source_text))
            group_draft, group_source = [], []
    return edits


def _edit(draft: list[Word], source: list[Word], quote_text: str, source_text: str) -> WordEdit:
    op = "replace" if draft and source else ("insert" if draft else "delete")
    return WordEdit(op, as_written(quote_text, draft), as_written(source_text, source),
                    touches(draft, source, quote_text, source_text))


def as_written(text: str, ws: Sequence[Word]) -> str:
    """Consecutive words as the text gives them, punctuation between them kept, on one line."""
    if not ws:
        return ""
    out = []
    for k, w in enumerate(ws):
        if k:
            between = text[ws[k - 1].end:w.start]
            out.append(_SPACE.sub(" ", between))  # "40%" stays whole, "well-\n known" one line
        out.append(_LINE_BREAK_HYPHEN.sub("", text[w.start:w.end]))
    return "".join(out)


def touches(draft: Sequence[Word], source: Sequence[Word], quote_text: str, source_text: str
            ) -> frozenset[str]:
    """What the edit changes beyond wording: each mark only if the two sides differ in it."""
    marks = set()
    if sum(map(is_negator, (w.key for w in draft))) != sum(map(is_negator, (w.key for w in source))):
        marks.add("negation")
    if sorted(w.key for w in draft if is_number(w.key)) != sorted(w.key for w in source if is_number(w.key)):
        marks.add("number")
    texts = (quote_text, source_text)
    draft_names = sorted(w.key for w in draft if is_name(quote_text, w, texts))
    source_names = sorted(w.key for w in source if is_name(source_text, w, texts))
    if draft_names != source_names:
        marks.add("name")
    return frozenset(marks)


def is_name(text: str, word: Word, context: Sequence[str] = ()) -> bool:
    """Whether a word reads as a name: an acronym, or capitalised where a common word
    would not be. A capital at a sentence start proves nothing by itself, so such a
    word counts only if it is capitalised mid-sentence somewhere in ``context``."""
    written = text[word.start:word.end]
    letters = [c for c in written if c.isalpha()]
    if not letters or not letters[0].isupper() or word.key == "i" or word.key.startswith("i'"):
        return False
    if is_number(word.key):  # "Twelve", "One" in a headline-style capital: a number, not a name
        return False
    if _shouting(text):  # all-caps subtitles or transcripts: case tells nothing
        return False
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return True
    if not at_sentence_start(text, word.start):
        return True
    return any(_capitalised_mid_sentence(other, written) for other in context)


def at_sentence_start(text: str, offset: int) -> bool:
    """Whether the word at ``offset`` opens the text or a sentence (after . ! ? or …)."""
    lookback = max(0, offset - 80)  # enough for any run of marks and spaces; keeps long texts cheap
    before = text[lookback:offset].rstrip().rstrip(_OPENERS).rstrip()
    if not before:
        return lookback == 0 or at_sentence_start(text[:lookback], lookback)
    if before[-1] not in _SENTENCE_END:
        return False
    if before[-1] == ".":  # "Mr. Putin", "the U.S. Senate": the dot closes an abbreviation
        token = re.search(r"(\w+)\.$", before)
        if token and (token.group(1).casefold() in _ABBREVIATIONS
                      or (len(token.group(1)) == 1 and token.group(1).isupper())):
            return False
    return True


def _capitalised_mid_sentence(text: str, written: str) -> bool:
    for m in re.finditer(rf"(?<!\w){re.escape(written)}(?!\w)", text):
        if not at_sentence_start(text, m.start()) and not _shouting(text):
            return True
    return False


@lru_cache(maxsize=256)
def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.7 * len(letters)
