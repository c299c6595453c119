"""Where pack rules look: scopes, sentences and paragraphs of an analysed document.

Every region is computed from what the pipeline already stored on the
:class:`~quotecheck.model.Document` (paragraphs, quote offsets, attribution
offsets); nothing is parsed again. Unlike prose linters, which skip quoted text,
pack rules choose where to look: inside the quoted words, in the attribution, in
the narration around quotes, or anywhere.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..model import Document, Quote

SCOPES = ("quote", "attribution", "text", "any")

Range = tuple[int, int]

# Words ending in a full stop that do not end a sentence ("Sen. Ted Cruz", "U.S. officials").
ABBREVIATIONS = frozenset("""
mr mrs ms dr sen rep gov gen lt col sgt capt adm prof rev maj cmdr del st jr sr mt ft
inc co corp ltd bros no vs etc jan feb mar apr jun jul aug sep sept oct nov dec
ave blvd rd approx dept est fig gov't calif conn fla ill mass mich minn penn tenn tex wash
""".split())

_SENTENCE_END = re.compile(r"[.!?]+[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")


@dataclass
class Regions:
    """The ranges of one document, computed once and shared by all pack rules."""

    quoted: list[Range]  # the quoted words (marks excluded), nested quotes merged in
    outer: list[Range]  # quotes with their marks
    narration: list[Range]  # everything outside ``outer``
    attribution: list[Range]  # speaker mentions and cue words
    sentences: list[Range]  # sentences; a quote is never cut in two
    everything: list[Range]

    def scope(self, scope: str) -> list[Range]:
        return {"quote": self.quoted, "attribution": self.attribution,
                "text": self.narration, "any": self.everything}[scope]


_CACHE: "weakref.WeakKeyDictionary[Document, tuple[tuple, Regions]]" = weakref.WeakKeyDictionary()


def regions(doc: Document) -> Regions:
    """The document's regions (cached while its text and quotes are unchanged)."""
    key = (len(doc.text), len(doc.quotes), tuple(q.start for q in doc.quotes))
    cached = _CACHE.get(doc)
    if cached is not None and cached[0] == key:
        return cached[1]
    outer = merge((q.outer_start, q.outer_end) for q in doc.quotes)
    result = Regions(
        quoted=merge((q.start, q.end) for q in doc.quotes),
        outer=outer,
        narration=complement(outer, 0, len(doc.text)),
        attribution=merge(r for q in doc.quotes for r in attribution_ranges(doc, q)),
        sentences=split_sentences(doc, outer),
        everything=[(0, len(doc.text))],
    )
    _CACHE[doc] = (key, result)
    return result


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted, non-overlapping ranges covering the same characters."""
    merged: list[list[int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def complement(ranges: list[Range], start: int, end: int) -> list[Range]:
    gaps, pos = [], start
    for s, e in ranges:
        if s > pos:
            gaps.append((pos, min(s, end)))
        pos = max(pos, e)
    if pos < end:
        gaps.append((pos, end))
    return [g for g in gaps if g[1] > g[0]]


def clip(ranges: list[Range], start: int, end: int) -> list[Range]:
    """The parts of ``ranges`` that lie within ``[start, end)``."""
    return [(max(s, start), min(e, end)) for s, e in ranges if s < end and e > start]


def find_in(pattern: re.Pattern, text: str, ranges: list[Range]) -> Iterator[re.Match]:
    """Matches of ``pattern`` lying wholly inside one of ``ranges``. Lookbehinds
    see the text before a range; the range's end is the end of the string."""
    for start, end in ranges:
        for m in pattern.finditer(text, start, end):
            if m.end() > m.start():
                yield m


def attribution_ranges(doc: Document, q: Quote) -> list[Range]:
    """The speaker mention and the cue of a quote, where the text really holds them."""
    att, found = q.attribution, []
    for start, words in ((att.mention_start, att.mention), (att.cue_start, att.cue)):
        if start is not None and words and doc.text.startswith(words, start):
            found.append((start, start + len(words)))
    return found


def split_sentences(doc: Document, opaque: list[Range]) -> list[Range]:
    """Sentences of every paragraph. A full stop inside a quote does not end the
    sentence around it, so a quote and its cue share a sentence; abbreviations
    (Sen., U.S., initials) do not end one either."""
    sentences = []
    for p in doc.paragraphs:
        pos = p.start
        for m in _SENTENCE_END.finditer(doc.text, p.start, p.end):
            boundary = m.end()
            # A full stop inside a quote ends the sentence only at the quote's end.
            if _is_abbreviation(doc.text, m.start()) or any(s < m.start() and boundary <= e for s, e in opaque):
                continue
            sentences.append((pos, _rstrip(doc.text, pos, boundary)))
            pos = boundary
        if pos < p.end:
            sentences.append((pos, p.end))
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"[\w.’']*$", text[max(0, dot - 20):dot]).group(0)
    bare = word.rstrip(".").lower()
    return len(bare) == 1 or bare in ABBREVIATIONS or "." in bare  # "J.", "Sen.", "U.S."


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def unit_of(units: list[Range], start: int, end: int) -> Range:
    """The smallest stretch of whole units (sentences or paragraphs) covering
    ``[start, end)``."""
    first = next((u for u in units if u[1] > start), units[-1] if units else (start, end))
    last = next((u for u in reversed(units) if u[0] < end), first)
    return min(first[0], start), max(last[1], end)


def quote_sentence(doc: Document, q: Quote) -> Range:
    """The sentence(s) holding a quote together with its attribution, so a cue in
    the sentence before ("…, Schiff said. “The other factor…”") counts as the
    quote's own."""
    spans = [(q.outer_start, q.outer_end)] + attribution_ranges(doc, q)
    # A mention far away (an earlier paragraph's speaker carried over) is not
    # part of this quote's sentence.
    para = doc.paragraphs[q.paragraph] if q.paragraph < len(doc.paragraphs) else None
    if para is not None:
        spans = [s for s in spans if para.start <= s[0] and s[1] <= para.end] or spans[:1]
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    return unit_of(regions(doc).sentences, start, end)


def paragraph_ranges(doc: Document) -> list[Range]:
    return [(p.start, p.end) for p in doc.paragraphs]


def quote_unit(doc: Document, q: Quote, within: str) -> Range:
    if within == "paragraph":
        return unit_of(paragraph_ranges(doc), q.outer_start, q.outer_end)
    return quote_sentence(doc, q)


def whole_words(phrase: str) -> str:
    """A regex for a word or phrase as whole words, any run of spaces between them."""
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    before = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return before + body + after
