"""Where pack rules look: scopes, sentences and paragraphs of an analysed document.

Every region is computed from what the pipeline already stored on the
:class:`~quotecheck.model.Document` (paragraphs, quote offsets, attribution
offsets); nothing is parsed again. Unlike prose linters, which skip quoted text,
pack rules choose where to look: inside the quoted words, in the attribution, in
the narration around quotes, or anywhere.
"""
from __future__ import annotations

import bisect
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
    paragraphs: list[Range]
    # What pack rules ask of every quote, answered once per document.
    parents: list[int]  # each quote's innermost enclosing quote (its index), -1 for none
    nested: frozenset[int]  # indices of quotes inside another quote's words
    by_person: dict[int, list[Quote]]  # id(speaker) -> the quotes attributed to them, in order
    via_marks: list[int]  # opening marks of the quotes that name a second-hand source, sorted
    broken_paragraphs: frozenset[int]  # paragraphs where the finder had to guess how marks pair

    @property
    def sentence_ends(self) -> list[int]:
        return self._ends("sentences")

    @property
    def paragraph_ends(self) -> list[int]:
        return self._ends("paragraphs")

    def _ends(self, name: str) -> list[int]:
        key = "_" + name + "_ends"
        if key not in self.__dict__:
            self.__dict__[key] = [e for _, e in getattr(self, name)]
        return self.__dict__[key]

    def scope(self, scope: str) -> list[Range]:
        return {"quote": self.quoted, "attribution": self.attribution,
                "text": self.narration, "any": self.everything}[scope]


_CACHE: "weakref.WeakKeyDictionary[Document, tuple[tuple, Regions]]" = weakref.WeakKeyDictionary()


def regions(doc: Document) -> Regions:
    """The document's regions (cached while its text and quotes are unchanged)."""
    key = (len(doc.text), id(doc.quotes), len(doc.quotes), id(doc.paragraphs))
    cached = _CACHE.get(doc)
    if cached is not None and cached[0] == key:
        return cached[1]
    outer = merge((q.outer_start, q.outer_end) for q in doc.quotes)
    parents = _parents(doc.quotes)
    by_person: dict[int, list[Quote]] = {}
    for q in doc.quotes:
        if q.attribution.person is not None:
            by_person.setdefault(id(q.attribution.person), []).append(q)
    result = Regions(
        quoted=merge((q.start, q.end) for q in doc.quotes),
        outer=outer,
        narration=complement(outer, 0, len(doc.text)),
        attribution=merge(r for q in doc.quotes for r in attribution_ranges(doc, q)),
        sentences=split_sentences(doc, outer),
        everything=[(0, len(doc.text))],
        paragraphs=[(p.start, p.end) for p in doc.paragraphs],
        parents=parents,
        nested=frozenset(_nested(doc.quotes, parents)),
        by_person=by_person,
        via_marks=sorted(q.outer_start for q in doc.quotes if q.attribution.via),
        broken_paragraphs=frozenset(doc.paragraph_at(p.offset) for p in doc.mark_problems
                                    if p.kind != "stray-space"),  # a stray space leaves the pairing sure
    )
    _CACHE[doc] = (key, result)
    return result


def _parents(quotes: list[Quote]) -> list[int]:
    """For each quote (in start order), the index of the innermost quote whose
    words hold it, or -1. Quote spans nest or are apart, so a stack finds them."""
    parents, stack = [], []
    for i, q in enumerate(quotes):
        while stack and quotes[stack[-1]].end < q.end:
            stack.pop()
        parents.append(stack[-1] if stack else -1)
        stack.append(i)
    return parents


def _nested(quotes: list[Quote], parents: list[int]):
    """Indices of the quotes inside another quote's words, marks included
    (``p.start <= q.outer_start and q.outer_end <= p.end``)."""
    for i, q in enumerate(quotes):
        j = parents[i]
        while j >= 0 and not (quotes[j].start <= q.outer_start and q.outer_end <= quotes[j].end):
            j = parents[j]
        if j >= 0:
            yield i


def innermost_quote(doc: Document, start: int, end: int) -> Quote | None:
    """The innermost quote whose words hold ``[start, end)``, if any."""
    quotes, parents = doc.quotes, regions(doc).parents
    i = bisect.bisect_right(quote_starts(doc), start) - 1  # the last quote starting at or before it
    while i >= 0 and quotes[i].end < end:
        i = parents[i]
    return quotes[i] if i >= 0 else None


def quote_starts(doc: Document) -> list[int]:
    """The quotes' start offsets (in order), for binary searches."""
    reg = regions(doc)
    if "_starts" not in reg.__dict__:
        reg.__dict__["_starts"] = [q.start for q in doc.quotes]
    return reg.__dict__["_starts"]


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
    """The parts of ``ranges`` (sorted and apart) that lie within ``[start, end)``."""
    out = []
    for k in range(max(0, bisect.bisect_right(ranges, (start, start)) - 1), len(ranges)):
        s, e = ranges[k]
        if s >= end:
            break
        if e > start:
            out.append((max(s, start), min(e, end)))
    return out


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
    starts = [s for s, _ in opaque]  # sorted and apart (merged)
    for p in doc.paragraphs:
        pos = p.start
        for m in _SENTENCE_END.finditer(doc.text, p.start, p.end):
            boundary = m.end()
            # A full stop inside a quote ends the sentence only at the quote's end.
            k = bisect.bisect_left(starts, m.start()) - 1  # the one range starting before it
            if _is_abbreviation(doc.text, m.start()) or k >= 0 and boundary <= opaque[k][1]:
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


def unit_of(units: list[Range], start: int, end: int, ends: list[int] | None = None) -> Range:
    """The smallest stretch of whole units (sentences or paragraphs, sorted and
    apart) covering ``[start, end)``; ``ends``: the units' ends, if known."""
    if not units:
        return start, end
    ends = ends if ends is not None else [u[1] for u in units]
    i = bisect.bisect_right(ends, start)  # the first unit ending after start
    first = units[i] if i < len(units) else units[-1]
    j = bisect.bisect_left(units, (end,)) - 1  # the last unit starting before end
    last = units[j] if j >= 0 else first
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
    reg = regions(doc)
    first, last = unit_of(reg.sentences, start, end, reg.sentence_ends)
    # A "sentence" of thousands of characters is no sentence of prose (a run of
    # marks, a list pasted in): only SENTENCE_REACH characters around the quote count.
    return max(first, start - SENTENCE_REACH), min(last, end + SENTENCE_REACH)


SENTENCE_REACH = 2_000


def paragraph_ranges(doc: Document) -> list[Range]:
    return regions(doc).paragraphs


def quote_unit(doc: Document, q: Quote, within: str) -> Range:
    if within == "paragraph":
        reg = regions(doc)
        return unit_of(reg.paragraphs, q.outer_start, q.outer_end, reg.paragraph_ends)
    return quote_sentence(doc, q)


def whole_words(phrase: str) -> str:
    """A regex for a word or phrase as whole words, any run of spaces between them."""
    body = r"\s+".join(re.escape(w) for w in phrase.split())
    before = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return before + body + after
