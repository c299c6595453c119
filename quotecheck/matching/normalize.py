"""Words for matching: the same normalisation for the index and the aligner.

Typography must never make a real quote look altered, so a word is compared by a
folded key: case, accents (including letters Unicode does not decompose, such as
Turkish "ı" or Polish "ł"), quote-mark and apostrophe style, dashes, soft and
zero-width hyphens, and hyphenation ("well-known" = "well known",
"re-\\nelect" = "reelect") do not count; "1,000" = "1000", "U.S." = "US",
"%" = "percent". Each word keeps its offsets, so a difference is shown as written.

Hyphenated compounds split into their parts while a line-break hyphenation joins
into one word; the aligner, not this module, treats "wellknown" and "well known"
as the same words (a word equal to two neighbours run together).
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# A line-break hyphenation ("exam-\nple", next part in lower case; the break LF,
# CRLF or a lone CR) is one word; any other hyphen or dash separates words.
_BREAK_GAP = re.compile(r"-[ \t]*(?:\r\n|\r|\n)[ \t]*")
_APOSTROPHES = "'’‘ʼ"
# Leftmost alternative wins: initialisms before plain words, so "U.S." stays one
# word; numbers before words, so "3.5" and "1,000" stay whole and "10am" splits.
_TOKEN = re.compile(
    r"(?P<initialism>(?:[^\W\d_]\.){2,})"
    r"|(?P<number>\d(?:[\d.,]*\d)?)"
    rf"|(?P<word>[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*)"
    r"|(?P<percent>%)"
)
# Invisible characters inside words: soft hyphen, zero-width space/joiners, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Letters that NFKD leaves alone but that people routinely type without the mark.
_UNDECOMPOSED = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h",
                               "þ": "th", "æ": "ae", "œ": "oe"})
_TO_APOSTROPHE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})

# Bump whenever keys() folds any text differently: an index stores the keys it
# was built with, and refuses to be read by a normaliser of another version.
# 2: a hyphenation across a CRLF or lone-CR line break is one word, as across LF.
VERSION = 2


class Word(NamedTuple):  # a tuple: a long passage has thousands, made often
    key: str  # the folded form compared
    start: int  # offsets of the word as written in the text given
    end: int


def fold(word: str) -> str:
    """Case-, accent- and apostrophe-insensitive key of one word."""
    if word.isascii():
        plain = word.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", _INVISIBLE.sub("", word))
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        plain = plain.translate(_UNDECOMPOSED).translate(_TO_APOSTROPHE)
    if plain == "%":
        return "percent"
    if any(c.isdigit() for c in plain):
        return plain.replace(",", "").rstrip(".")  # 1,000 = 1000; "in 2016." ends a sentence
    if "." in plain.strip("."):  # an initialism: "u.s." = "us"
        return plain.replace(".", "")
    return plain.strip("'.,")


def words(text: str) -> list[Word]:
    """The words of ``text`` with their offsets, in order."""
    if _INVISIBLE.search(text):
        return _words_without_invisibles(text)
    out = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        kind = m.lastgroup
        if kind == "word" and raw.isascii():  # the common case, kept cheap
            key = raw.lower()
        else:
            key = fold(raw)
        out.append(Word(key, m.start(), m.end()))
    if "-" in text:  # rejoin "exam- ple" split at a line break into one word
        out = _rejoin_soft_breaks(text, out)
    return out


def _words_without_invisibles(text: str) -> list[Word]:
    """Words of a text with soft hyphens or zero-width characters inside words:
    find them in the text without those characters, then map offsets back."""
    kept = [i for i, c in enumerate(text) if not _INVISIBLE.match(c)]
    cleaned = "".join(text[i] for i in kept)
    return [Word(w.key, kept[w.start], kept[w.end - 1] + 1) for w in words(cleaned)]


def _rejoin_soft_breaks(text: str, ws: list[Word]) -> list[Word]:
    joined: list[Word] = []
    for w in ws:
        prev = joined[-1] if joined else None
        if prev is not None and _BREAK_GAP.fullmatch(text[prev.end:w.start]) and text[w.start].islower():
            joined[-1] = Word(prev.key + w.key, prev.start, w.end)
        else:
            joined.append(w)
    return joined


def keys(text: str) -> list[str]:
    return [w.key for w in words(text)]
