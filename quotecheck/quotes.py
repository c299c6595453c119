"""Stage 2: find every quotation in a document, repairing broken marks.

The finder works paragraph by paragraph on the raw text; it never gives up on a
document. Marks are first classified from their context (what stands left and
right of them), then paired with a stack. What cannot be paired cleanly is
recovered as best it can and recorded as a :class:`MarkProblem` with its place,
so that the ``unbalanced-quote-marks`` rule can report it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from .model import Alteration, Document, MarkProblem, Paragraph, Quote

DOUBLE = {"“", "”", '"', "«", "»", "„"}
SINGLE = {"‘", "’", "'", "‚", "‹", "›"}
OPENING_PUNCT = set("([{—–-/")
CLOSING_PUNCT = set(".,;:!?)]}—–-/…")
# Closers that pair with each opener; straight marks pair with themselves.
CLOSES = {
    "“": {"”", '"', "“"},  # “…“ is German-style, and a misdirected closer
    "„": {"“", "”", '"'},
    '"': {'"', "”", "“"},
    "«": {"»"},
    "»": {"«"},
    "‘": {"’", "'"},
    "‚": {"‘", "’"},
    "'": {"'", "’"},
    "‹": {"›"},
}
ALTERATION_RE = re.compile(r"\[[^\[\]]{1,200}\]|\.\s?\.\s?\.|…")


@dataclass
class _Open:
    mark: str
    offset: int
    family: str  # "double" | "single"
    width: int = 1  # 2 for '' and ``
    depth: int = 0  # its place in the stack
    written: str = ""  # the mark as written ('' for an archive's double mark; ``mark`` reads it as ")


class _Stack:
    """The marks open in a paragraph, innermost last. The innermost open mark
    of each family and whether a quote closed now is nested are kept as marks
    are pushed and popped, so no step scans the stack (deep nesting stays linear)."""

    def __init__(self) -> None:
        self.items: list[_Open] = []
        self.family: dict[str, list[_Open]] = {"double": [], "single": []}
        self.nesting = 0  # open doubles and ‘‚ singles: what makes a quote nested

    def __bool__(self) -> bool:
        return bool(self.items)

    def push(self, o: _Open) -> None:
        o.depth = len(self.items)
        self.items.append(o)
        self.family[o.family].append(o)
        self.nesting += _nests(o)

    def top(self, family: str) -> _Open | None:
        """The innermost open mark of ``family``."""
        same = self.family[family]
        return same[-1] if same else None

    def pop_through(self, o: _Open) -> None:
        """Close ``o`` and every mark opened inside it (singles left open
        inside were apostrophes)."""
        while self.items:
            top = self.items.pop()
            self.family[top.family].pop()
            self.nesting -= _nests(top)
            if top is o:
                return


def _nests(o: _Open) -> int:
    return 1 if o.family == "double" or o.mark in "‘‚" else 0


class _Marks:
    """Where the marks of one paragraph (``text[lo:hi]``) stand, each index
    built once, on first use, so that every question a mark asks about what
    follows it is a binary search rather than a scan to the paragraph end."""

    def __init__(self, text: str, lo: int, hi: int):
        self.text, self.lo, self.hi = text, lo, hi
        markup = [m.span() for m in MARKUP_RE.finditer(text, lo, hi)]
        self.markup_starts = [a for a, _ in markup]
        self.markup_ends = [b for _, b in markup]
        # Past this offset only whitespace remains in the paragraph.
        self.last = lo + len(text[lo:hi].rstrip())

    def in_markup(self, i: int) -> bool:
        """Attribute values inside HTML/XML tags are quoted, but they are not quotes."""
        k = bisect.bisect_right(self.markup_starts, i) - 1
        return k >= 0 and i < self.markup_ends[k]

    def at_end(self, i: int) -> bool:
        """Whether nothing but whitespace follows offset ``i`` in the paragraph."""
        return i >= self.last

    @cached_property
    def closers(self) -> dict[str, list[int]]:
        """Offsets of single marks shaped like closers, by mark."""
        out: dict[str, list[int]] = {}
        text, hi = self.text, self.hi
        for k in range(self.lo, self.hi):
            ch = text[k]
            if ch in SINGLE and k > self.lo and _closes_at(text, k, hi):
                out.setdefault(ch, []).append(k)
        return out

    @cached_property
    def single_openers(self) -> list[int]:
        return [k for k in range(self.lo, self.hi) if self.text[k] in "‘‚"]

    @cached_property
    def true_closers(self) -> dict[str, list[int]]:
        """Closer-shaped single marks that do not look like a plural possessive."""
        return {ch: [k for k in ks if not _looks_possessive(self.text, k, self.hi)]
                for ch, ks in self.closers.items()}

    def has_closer(self, j: int, closers) -> bool:
        """A mark of ``closers`` shaped like a closer at or after ``j``."""
        for ch in closers:
            ks = self.closers.get(ch)
            if ks and ks[-1] >= j:
                return True
        return False

    def plural_possessive(self, i: int, ch: str) -> bool:
        """‘The soldiers’ letters …,’: a mark after -s followed by a word, with a
        real closer still to come (before any new opener), is a plural possessive."""
        if not _looks_possessive(self.text, i, self.hi):
            return False
        closes = self.true_closers.get(ch, [])
        c = bisect.bisect_right(closes, i)
        if c == len(closes):
            return False
        o = bisect.bisect_right(self.single_openers, i)
        return o == len(self.single_openers) or closes[c] < self.single_openers[o]


def _family(ch: str) -> str:
    return "double" if ch in DOUBLE else "single"


def find_quotes(doc: Document) -> list[Quote]:
    """Find the quotes of ``doc``, store them on it (``doc.quotes``) and return them."""
    quotes: list[Quote] = []
    carried: tuple[Quote, int] | None = None  # head of a multi-paragraph quote still open, and its index
    for para in doc.paragraphs:
        carried = _scan_paragraph(doc, para.index, para.start, para.end, quotes, carried)
    # Nested quotes close before their outer quote; keep document order, and
    # re-point continuation links after sorting.
    heads = {id(q): quotes[q.continues] for q in quotes if q.continues is not None}
    quotes.sort(key=lambda q: q.start)
    position = {id(q): i for i, q in enumerate(quotes)}
    for q in quotes:
        if id(q) in heads:
            q.continues = position[id(heads[id(q)])]
    doc.quotes = quotes
    _split_line_paragraphs(doc)
    return quotes


LINE_BREAK_RE = re.compile(r"(?<=[.!?:”\"’')\]\w])[ \t\u00a0]*\n[ \t\u00a0]*(?=[A-Z“\"‘'«„—―–])")


def _split_line_paragraphs(doc: Document) -> None:
    """Within a blank-line-separated block, a line break after a finished line
    that no quote runs across is a paragraph break too (wire copy and web text
    often mix both layouts). Done after pairing, so no quote is cut in two."""
    spans = sorted((q.outer_start, q.outer_end) for q in doc.quotes)
    starts = [a for a, _ in spans]
    reach = []  # reach[k]: the furthest end of the first k + 1 spans
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)
    out = []
    for para in doc.paragraphs:
        start = para.start
        for m in LINE_BREAK_RE.finditer(doc.text, para.start, para.end):
            k = bisect.bisect_left(starts, m.start())  # the spans opening before the break
            if k and reach[k - 1] > m.end():
                continue  # inside a quote
            out.append((start, m.start()))
            start = m.end()
        out.append((start, para.end))
    if len(out) == len(doc.paragraphs):
        return
    doc.paragraphs = [Paragraph(i, a, b) for i, (a, b) in enumerate(out)]
    for q in doc.quotes:
        q.paragraph = doc.paragraph_at(q.start)


def _left(text: str, i: int, lo: int) -> str:
    return text[i - 1] if i > lo else " "


def _right(text: str, i: int, hi: int) -> str:
    return text[i + 1] if i + 1 < hi else " "


def _is_boundary_left(ch: str) -> bool:
    return ch.isspace() or ch in OPENING_PUNCT or ch in DOUBLE or ch in SINGLE


def _is_boundary_right(ch: str) -> bool:
    return ch.isspace() or ch in CLOSING_PUNCT or ch in DOUBLE or ch in SINGLE


MARKUP_RE = re.compile(r"<!--[\s\S]*?-->|<[A-Za-z/!][^<>\n]*>")  # comments may span lines
# "[[notes to the desk]]" in a plain-text draft: never published, never prose.
NOTE_RE = re.compile(r"\[\[[^\[\]\n]*\]\]")


def prose(text: str) -> str:
    """The text without markup and desk notes, for judging what stands around a quote."""
    if "<" in text:
        text = MARKUP_RE.sub("", text)
    return NOTE_RE.sub("", text) if "[[" in text else text


def _scan_paragraph(doc, pindex, lo, hi, quotes, carried):
    text = doc.text
    marks = _Marks(text, lo, hi)
    stack = _Stack()
    problems = doc.mark_problems
    continuing = carried
    i = lo
    while i < hi:
        ch = text[i]
        if ch not in DOUBLE and ch not in SINGLE and ch != "`":
            i += 1
            continue
        if marks.in_markup(i):
            i += 1
            continue
        width = 1
        if text[i:i + 2] in ("''", "``"):
            # Archive and typewriter text writes a double mark as two singles.
            ch, width = ('"', 2) if text[i] == "'" else ("“", 2)
        elif ch == "`":
            i += 1
            continue
        left, right = _left(text, i, lo), _right(text, i + width - 1, hi)
        fam = _family(ch)
        at_para_end = marks.at_end(i + width)
        open_same = stack.top(fam)

        if fam == "single":
            role = _single_role(marks, i, ch, left, right, open_same)
        else:
            role = _double_role(ch, left, right, open_same, at_para_end)

        if role == "open" and at_para_end and fam == "double":
            problems.append(MarkProblem("misdirected", i, ch,
                                        f"opening mark {ch} at the end of a paragraph opens nothing"))
        elif role == "open":
            inner_single = stack.top("single")
            if ch == "“" and open_same is not None and open_same.mark == "“" and \
                    (inner_single is None or inner_single.depth < open_same.depth):
                # English never nests “ inside “ directly (a third level sits
                # inside a single, “…‘…“…”…’…”): the earlier quote lost its closer.
                # Close it here so the quote that follows is recovered on its own.
                problems.append(MarkProblem("unclosed", open_same.offset, open_same.mark,
                                            f"opening mark {open_same.mark} is never closed"))
                stack.pop_through(open_same)
                _emit(doc, quotes, open_same.offset + open_same.width, i, open_same.written, None, pindex,
                      open_same.offset, None, stack.nesting > 0)
            if right.isspace() and not at_para_end and fam == "double" and ch not in "«»":
                problems.append(MarkProblem("stray-space", i, ch,
                                            f"stray space after opening mark {ch}"))
            stack.push(_Open(ch, i, fam, width, written=text[i:i + width]))
        elif role in ("close", "misdirected-close"):
            if open_same is None:
                # A closer with nothing open: the paragraph lost its opening mark.
                if fam == "double":
                    problems.append(MarkProblem("unopened", i, ch,
                                                f"closing mark {ch} has no opening mark"))
                    start = quotes[-1].outer_end if quotes and quotes[-1].paragraph == pindex else lo
                    _emit(doc, quotes, start, i, None, text[i:i + width], pindex, start, i + width,
                          stack.nesting > 0)
                i += width
                continue
            if role == "misdirected-close":
                problems.append(MarkProblem("misdirected", i, ch,
                                            f"opening mark {ch} used as a closing mark"))
            elif left.isspace() and fam == "double" and ch not in "«»":
                problems.append(MarkProblem("stray-space", i, ch,
                                            f"stray space before closing mark {ch}"))
            stack.pop_through(open_same)
            q = _emit(doc, quotes, open_same.offset + open_same.width, i, open_same.written, text[i:i + width],
                      pindex, open_same.offset, i + width, stack.nesting > 0)
            if q is not None and continuing is not None:
                if open_same.offset == _first_mark(text, lo, hi):
                    q.continues = _chain_head(quotes, continuing)
                continuing = None
        i += width

    # Whatever is still open at the paragraph end.
    next_carried = None
    open_doubles = stack.family["double"]
    items = stack.items
    if not open_doubles and items and items[0].family == "single" and _is_top_single_open(items[0], text, hi):
        open_doubles = [items[0]]
    if open_doubles:
        o = open_doubles[0]
        q = _emit(doc, quotes, o.offset + o.width, hi, o.written, None, pindex, o.offset, None, False)
        if q is not None:
            if continuing is not None and o.offset == _first_mark(text, lo, hi):
                q.continues = _chain_head(quotes, continuing)
            if _next_paragraph_reopens(doc, pindex, o.mark):
                next_carried = (q, len(quotes) - 1)  # news convention: the quote runs on
            else:
                problems.append(MarkProblem("unclosed", o.offset, o.mark,
                                            f"opening mark {o.mark} is never closed"))
    return next_carried


def _is_top_single_open(o: _Open, text: str, hi: int) -> bool:
    # A single mark left open at the end is a quote only if it began a word run
    # like a real quote (British style) and not a clipped word ('cause, ’90s).
    return o.mark in "‘‚" and len(text[o.offset:hi].split()) > 3


def _first_mark(text: str, lo: int, hi: int) -> int:
    j = lo
    while j < hi and text[j].isspace():
        j += 1
    return j


def _chain_head(quotes: list[Quote], carried: tuple[Quote, int]) -> int:
    q, idx = carried
    return q.continues if q.continues is not None else idx


def _next_paragraph_reopens(doc: Document, pindex: int, mark: str) -> bool:
    if pindex + 1 >= len(doc.paragraphs):
        return False
    nxt = doc.paragraphs[pindex + 1]
    first = doc.text[nxt.start:nxt.start + 1]
    return first in DOUBLE and first not in "”»" or (first in SINGLE and _family(mark) == "single")


def _double_role(ch, left, right, open_same, at_para_end):
    left_b, right_b = _is_boundary_left(left), _is_boundary_right(right)
    if ch in "“„«":
        if open_same is not None:
            if ch == "“" and open_same.mark in "„":
                return "close"  # German „…“
            if ch == "“" and (at_para_end or (right_b and not left.isspace()) or
                              (right.isspace() and left in ".,!?")):
                return "misdirected-close"
            if ch == "«" and open_same.mark == "»":
                return "close"
        return "open"
    if ch == "»":
        if open_same is not None and open_same.mark == "«":
            return "close"
        if open_same is None and not right.isspace():
            return "open"  # Danish/German »…«
        return "close"
    if ch == "”":
        if open_same is None and left_b and not right_b:
            return "open"  # a misdirected opener; paired as usual and reported below
        return "close"
    # straight ": an opener unless it hugs the end of a word with nothing open
    if open_same is None:
        return "close" if (not left_b and right_b) else "open"
    return "close"


def _single_role(marks: _Marks, i, ch, left, right, open_same):
    text, hi = marks.text, marks.hi
    if left.isalnum() and right.isalnum():
        return "apostrophe"  # don't, Kyiv’s, rock'n'roll
    if ch in "‘‚‹" or ch == "'":
        if open_same is None or ch != "'":
            if _is_boundary_left(left) and (right.isalnum() or right in DOUBLE) and not _clipped(text, i, hi):
                # Opening only if a closer of the same style follows in the paragraph.
                closers = CLOSES.get(ch, {"’"})
                if marks.has_closer(i + 1, closers):
                    return "open"
            if ch != "'":
                return "apostrophe"
    # ’ or ' possibly closing
    if open_same is not None and not left.isspace() and _is_boundary_right(right):
        if marks.plural_possessive(i, ch):
            return "apostrophe"
        if ch in CLOSES.get(open_same.mark, set()) or ch == "›":
            return "close"
    return "apostrophe"


_SPACE_WORD_RE = re.compile(r"[ \t]+\w")
_WORD_RE = re.compile(r"[\w]+")


def _looks_possessive(text: str, i: int, hi: int) -> bool:
    return text[i - 1] in "sS" and _SPACE_WORD_RE.match(text, i + 1, hi) is not None


def _clipped(text: str, i: int, hi: int) -> bool:
    """‘90s, ’em, 'cause: an apostrophe standing for clipped letters."""
    word = _WORD_RE.match(text, i + 1, hi)
    return bool(word) and (word.group().isdigit() or word.group().lower() in {"em", "cause", "til", "tis", "n"})


def _closes_at(text: str, j: int, hi: int) -> bool:
    """A mark at ``j`` shaped like a closer: against a word, before a boundary."""
    return not text[j - 1].isspace() and (j + 1 >= hi or _is_boundary_right(text[j + 1]))


def _emit(doc, quotes, start, end, open_mark, close_mark, pindex, mark_start, mark_end, nested):
    text = doc.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    q = Quote(start=start, end=end, text=text[start:end], open_mark=open_mark,
              close_mark=close_mark, paragraph=pindex, mark_start=mark_start, mark_end=mark_end)
    if nested:  # inside another quote's marks
        q.kind = "nested"
    q.alterations = [Alteration("insertion" if m.group().startswith("[") else "ellipsis",
                                start + m.start(), start + m.end(), m.group())
                     for m in ALTERATION_RE.finditer(q.text)]
    quotes.append(q)
    return q
