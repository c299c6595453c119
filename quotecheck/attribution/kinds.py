"""What kind of quotation a quote is: a work's title, a full quote standing as its
own sentence, a partial quote inside reported speech, or a short scare quote."""
from __future__ import annotations

import bisect
import re

from ..model import Document, Quote
from ..quotes import MARKUP_RE, NOTE_RE, prose


def _before(doc: Document, q: Quote, marks: str = "") -> str:
    """The end of the paragraph's prose before the quote's opening mark
    (markup and desk notes such as suppression directives are not part of the
    sentence), trailing whitespace and then ``marks`` stripped: "" when there
    is none. Only a window before the mark is read, widened until what is left
    after stripping is not empty, so a long paragraph is not re-read for every
    quote in it; the window never starts inside a tag or a note."""
    para_start = doc.paragraphs[q.paragraph].start
    width = 256
    while True:
        start = max(para_start, q.outer_start - width)
        if start > para_start:
            start = _outside_markup(doc, q.paragraph, start)
        tail = prose(doc.text[start:q.outer_start]).rstrip().rstrip(marks)
        if tail or start <= para_start:
            return tail
        width *= 4


def _outside_markup(doc: Document, p: int, offset: int) -> int:
    """``offset``, moved back to the start of any tag or desk note of paragraph
    ``p`` that holds it."""
    cache = doc.__dict__.setdefault("_markup_spans", {})
    if p not in cache:
        para = doc.paragraphs[p]
        spans = sorted([m.span() for m in MARKUP_RE.finditer(doc.text, para.start, para.end)] +
                       [m.span() for m in NOTE_RE.finditer(doc.text, para.start, para.end)])
        furthest, reach = [], -1  # furthest[k]: the span reaching furthest among the first k + 1
        for k, (_, b) in enumerate(spans):
            if b > reach:
                best, reach = k, b
            furthest.append(best)
        cache[p] = ([a for a, _ in spans], spans, furthest)
    starts, spans, furthest = cache[p]
    while True:
        k = bisect.bisect_left(starts, offset)  # the spans starting before offset
        if k == 0 or spans[furthest[k - 1]][1] <= offset:
            return offset
        offset = spans[furthest[k - 1]][0]


def is_full_quote(doc: Document, q: Quote) -> bool:
    """A quote that stands as its own sentence(s), not a phrase inside one."""
    # `… on ABC's "Good Morning America." "She's not …"`: a full stop inside a
    # closing mark ends the sentence too.
    before = _before(doc, q, "\"”’'")
    return (not before or before[-1] in ".!?:") and q.text.lstrip(". …-—[(")[:1].isupper()


TITLE_SMALL = {"a", "an", "the", "and", "of", "in", "on", "for", "to", "at", "with", "or", "is"}
TITLE_CONTEXT = re.compile(r"(?:['’]s|\b(?:on|in|book|show|film|movie|song|album|article|column|op-ed|"
                           r"titled|entitled|program|programme|series|episode|documentary|headline))[\s,]*$",
                           re.I)


def is_title(doc: Document, q: Quote) -> bool:
    """“Face the Nation”, MSNBC’s “Morning Joe”: a work's title, not a quotation."""
    words = q.text.rstrip(".,!?").split()
    if not words or len(words) > 7:
        return False
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in TITLE_SMALL for w in words):
        return False
    before = doc.text[max(0, (q.outer_start) - 30):q.outer_start]
    return bool(TITLE_CONTEXT.search(before))


def is_quote_paragraph(doc: Document, p: int) -> bool:
    """A paragraph that is mostly quotation. One that holds only markup or desk
    notes (a suppression directive) tells no story either, so it counts too:
    a quote continued across it keeps its speaker."""
    known = doc.__dict__.setdefault("_quote_paragraphs", {})
    if p not in known:
        para = doc.paragraphs[p]
        quoted = sum(q.end - q.start for q in doc.quotes_in(p))
        known[p] = quoted >= 0.6 * len(prose(doc.text[para.start:para.end]).strip())
    return known[p]


SO_CALLED_RE = re.compile(r"\bso[-\s]called[\s,]*$", re.I)


def is_so_called(doc: Document, q: Quote) -> bool:
    """The writer's own scare quote: "the so-called “Iron Belt”" has no speaker,
    whoever the sentence is about."""
    return bool(SO_CALLED_RE.search(doc.text[max(0, q.outer_start - 20):q.outer_start]))


def kind_of(doc: Document, q: Quote) -> str:
    if q.kind == "nested":
        return "nested"
    words = q.text.split()
    attributed = q.attribution.speaker is not None or q.attribution.mention is not None
    if not attributed:
        return "scare" if len(words) <= 4 or is_so_called(doc, q) else "direct"
    first = q.text.lstrip("[(…. ")[:1]
    before = _before(doc, q)
    sentence_start = not before or before[-1] in ".:!?\"”,—"
    return "direct" if first.isupper() and sentence_start or len(words) > 12 and sentence_start else "partial"
