"""Rule types about the quotation itself: ``quote-punctuation`` (mark style,
single or double marks outermost, comma and full stop inside or outside the
closing mark) and ``partial-quote-length``.

They read the marks the quote finder recorded (``open_mark``, ``close_mark``,
``mark_start``, ``mark_end``), so an apostrophe is never taken for a mark and a
fix touches only the mark characters.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator

from ..model import Document, Fix, Quote
from .base import Hit, Key, PackError, RuleType
from .regions import quote_starts, regions

MARKS = {
    ("curly", "double"): ("“", "”"),
    ("curly", "single"): ("‘", "’"),
    ("straight", "double"): ('"', '"'),
    ("straight", "single"): ("'", "'"),
}
STYLE_OF = {"“": "curly", "”": "curly", "‘": "curly", "’": "curly", '"': "straight", "'": "straight"}
LEVEL_OF = {"“": "double", "”": "double", '"': "double", "‘": "single", "’": "single", "'": "single"}
OTHER_LEVEL = {"double": "single", "single": "double"}

# A final full stop that belongs to the words ("the U.S.", "Smith Ltd.") stays where it is.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|etc|Inc|Ltd|Co|Corp)\.$")


def is_nested(doc: Document, q: Quote) -> bool:
    """A quote inside another quote's words (the finder's ``nested``, checked by position)."""
    i = bisect.bisect_left(quote_starts(doc), q.start)
    if i < len(doc.quotes) and doc.quotes[i] is q:
        return i in regions(doc).nested
    return any(p is not q and p.start <= q.outer_start and q.outer_end <= p.end for p in doc.quotes)


def _sound(doc: Document, q: Quote) -> bool:
    """Whether a fix may touch this quote's marks: not when the finder had to
    repair a mark in its paragraph (an unclosed, unopened or misdirected mark:
    which mark pairs with which is a guess there, and rewriting marks on a
    guess would move the guess at the next run; the finding stays, the fix
    is left to the editor)."""
    return q.paragraph not in regions(doc).broken_paragraphs


def _ends_with(text: str, end: int, mark: str) -> bool:
    """Whether ``text[:end]``, trailing whitespace aside, ends with ``mark``."""
    j = end - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j >= 0 and text[j] == mark


class QuotePunctuation(RuleType):
    name = "quote-punctuation"
    summary = "quote-mark style and where a comma or full stop goes around the closing mark"
    keys = (
        Key("marks", "string", choices=("curly", "straight"), help="the mark style: curly “…” or straight \"…\""),
        Key("outer", "string", choices=("double", "single"),
            help="the marks of a quotation; a quote within it takes the other kind"),
        Key("punctuation", "string", choices=("inside", "outside"),
            help="inside: a comma or full stop goes before the closing mark (US); outside: "
                 "after the closing mark of a partial quote (logical, British)"),
    )
    placeholders = ("problem", "found", "expected")
    default_message = "{problem}: {found} should be {expected}"
    fix_advice = "Apply the offered fix: it changes the marks or moves one comma or full stop, never a word."

    def __init__(self, settings):
        super().__init__(settings)
        if not any(k in settings for k in ("marks", "outer", "punctuation")):
            raise PackError("marks", "quote-punctuation needs marks, outer or punctuation")

    def describe(self):
        parts = []
        style, outer = self.settings.get("marks"), self.settings.get("outer")
        if style or outer:
            wanted = " ".join(w for w in (style, outer) if w)
            within = f" ({OTHER_LEVEL[outer]} marks for a quote within a quote)" if outer else ""
            parts.append(f"Reports quotes not in {wanted} marks{within}; the fix replaces the marks only.")
        if self.settings.get("punctuation") == "inside":
            parts.append("Reports a comma or full stop placed after a closing quote mark instead of before it.")
        if self.settings.get("punctuation") == "outside":
            parts.append("Reports a comma or full stop inside the closing mark of a partial quote, "
                         "where it belongs to the sentence, not to the quoted words.")
        return " ".join(parts)

    def hits(self, doc) -> Iterator[Hit]:
        for q in doc.quotes:
            if "marks" in self.settings or "outer" in self.settings:
                yield from self._mark_style(doc, q)
            if self.settings.get("punctuation") == "inside":
                yield from self._punctuation_inside(doc, q)
            if self.settings.get("punctuation") == "outside":
                yield from self._punctuation_outside(doc, q)

    def expected_marks(self, doc: Document, q: Quote) -> tuple[str, str] | None:
        """The marks this quote should have, or None for marks this rule does not
        judge (guillemets, low-9 marks, archive-style doubled apostrophes)."""
        written = [m for m in (q.open_mark, q.close_mark) if m]
        if not written or any(m not in STYLE_OF for m in written):
            return None
        style = self.settings.get("marks", STYLE_OF[written[0]])
        outer = self.settings.get("outer")
        level = LEVEL_OF[written[0]] if outer is None else OTHER_LEVEL[outer] if is_nested(doc, q) else outer
        return MARKS[(style, level)]

    def _mark_style(self, doc, q) -> Iterator[Hit]:
        expected = self.expected_marks(doc, q)
        if expected is None:
            return
        fixes = []
        for offset, mark, want in ((q.mark_start, q.open_mark, expected[0]),
                                   (None if q.mark_end is None else q.mark_end - 1, q.close_mark, expected[1])):
            if offset is not None and mark and mark != want and doc.text[offset] == mark:
                fixes.append(Fix(offset, offset + 1, want, f"{mark} → {want}"))
        if fixes:
            found = f"{q.open_mark or ''}…{q.close_mark or ''}"
            want = f"{expected[0] if q.open_mark else ''}…{expected[1] if q.close_mark else ''}"
            yield Hit(q.outer_start, q.outer_end, {"problem": "quote marks", "found": found, "expected": want},
                      quote=q, speaker=q.speaker, fixes=fixes if _sound(doc, q) else [])

    def _punctuation_inside(self, doc, q) -> Iterator[Hit]:
        if not q.close_mark or q.mark_end is None or q.mark_end >= len(doc.text):
            return
        after = doc.text[q.mark_end]
        if after not in ",." or doc.text[q.mark_end:q.mark_end + 2] == ".." or re.search(r"[.,!?…]$", q.text):
            return  # nothing to move, an ellipsis, or the quote already ends in its own mark
        close = doc.text[q.mark_end - 1]
        fixes = [Fix(q.mark_end - 1, q.mark_end + 1, after + close, f"move “{after}” inside the closing mark")]
        yield Hit(q.mark_end - 1, q.mark_end + 1,
                  {"problem": "punctuation", "found": close + after, "expected": after + close},
                  quote=q, speaker=q.speaker, fixes=fixes if _sound(doc, q) else [])

    def _punctuation_outside(self, doc, q) -> Iterator[Hit]:
        if q.kind != "partial" or not q.close_mark or q.mark_end is None or q.end != q.mark_end - 1:
            return
        last = doc.text[q.end - 1] if q.end > q.start else ""
        if last not in ",." or re.search(r"\.\.$", q.text) or _ABBREVIATION_END.search(q.text):
            return
        if _ends_with(doc.text, q.outer_start, ","):
            return  # the second half of a quotation split by its cue: “…,” said Okonjo, “and we got one.”
        close = doc.text[q.mark_end - 1]
        following = doc.text[q.mark_end:q.mark_end + 1]
        # Moving the stop is safe only when nothing but a space or the end follows.
        fixes = [Fix(q.end - 1, q.mark_end, close + last, f"move “{last}” outside the closing mark")] \
            if (following == "" or following.isspace() or following == ")") and _sound(doc, q) else []
        yield Hit(q.end - 1, q.mark_end, {"problem": "punctuation", "found": last + close, "expected": close + last},
                  quote=q, speaker=q.speaker, fixes=fixes)


class PartialQuoteLength(RuleType):
    name = "partial-quote-length"
    summary = "reports a partial quote (quoted words inside reported speech) longer than a limit"
    keys = (Key("max_words", "int", required=True, help="the most words a partial quote may have"),)
    placeholders = ("words", "max", "speaker")
    default_message = "partial quote of {words} words (at most {max})"
    fix_advice = "Quote the speaker's full sentence, or paraphrase and keep only the telling words in marks."

    def describe(self):
        return f"Reports a partial quote of more than {self.settings['max_words']} words."

    def hits(self, doc) -> Iterator[Hit]:
        limit = self.settings["max_words"]
        for q in doc.quotes:
            if q.kind != "partial":
                continue
            words = len(q.words)
            if words > limit:
                yield Hit(q.start, q.end, {"words": words, "max": limit, "speaker": q.speaker or ""},
                          quote=q, speaker=q.speaker)


TYPES = (QuotePunctuation, PartialQuoteLength)
