"""What kind of quotation a quote is: a work's title, a full quote standing as its
own sentence, a partial quote inside reported speech, or a short scare quote."""
from __future__ import annotations

import re

from ..model import Document, Quote
from ..quotes import prose


def _before(doc: Document, q: Quote) -> str:
    """The paragraph's prose before the quote's opening mark (markup and desk
    notes such as suppression directives are not part of the sentence)."""
    return prose(doc.text[doc.paragraphs[q.paragraph].start:q.outer_start]).rstrip()


def is_full_quote(doc: Document, q: Quote) -> bool:
    """A quote that stands as its own sentence(s), not a phrase inside one."""
    # `… on ABC's "Good Morning America." "She's not …"`: a full stop inside a
    # closing mark ends the sentence too.
    before = _before(doc, q).rstrip("\"”’'")
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
    para = doc.paragraphs[p]
    quoted = sum(q.end - q.start for q in doc.quotes if q.paragraph == p)
    return quoted >= 0.6 * len(prose(doc.text[para.start:para.end]).strip())


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
