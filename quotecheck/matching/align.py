"""Aligning a draft quote to the best window of a source passage.

A quote is usually a stretch of what was said: the whole quote has to be
accounted for, but it may sit anywhere in a 2,000-word transcript turn, so this
is a semi-global word alignment (all of the quote against any contiguous window
of the source). Words are compared by their folded keys (see ``normalize``), so
typography never costs anything.

What counts, in edits: a word substituted, added or dropped 1; a near-identical
word (Levenshtein ratio >= 0.8 between keys of 5+ letters without digits, such as
"Zelensky"/"Zelenskyy") half an edit, still reported; a word equal to two
neighbours on the other side run together ("wellknown"/"well known") nothing.
A declared ``[insertion]`` stands for 0 to 8 source words, an ellipsis for a gap
of any length, both free; a bracket inside a word ("[T]he", "work[s]") makes that
word stand for any one source word.

    score = 1 - edits / max(quote words, window words)

where the quote's bracketed words and the source words an insertion or ellipsis
stands for count on neither side: an exact copy scores 1.0, and each whole-word
change costs one word's share. The window itself is chosen by the fewest edits
with a reward for each matching word (see MATCH), so an edit near the quote's
edge is shown where it happened rather than as a cut-short window.

Speed: the dynamic programme does a few numpy vector operations per quote word
over the whole passage, so a 40-word quote against a 2,000-word turn takes a few
milliseconds, and an exact copy is found by a substring search before any of
that. A passage's words are cached by its text, since one passage meets many quotes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..model import SourceMatch, SourcePassage
from .diff import Step, word_edits
from .normalize import Word, keys, words

NEAR_RATIO = 0.8
NEAR_MIN_LENGTH = 5  # below 5 letters one changed letter is already under the ratio
INSERTION_SPAN = 8  # source words a [bracketed insertion] may stand for
WILDCARD, GAP = -1, -2  # quote tokens for a bracketed insertion and an ellipsis
_DIGIT = re.compile(r"\d")

# Step costs in half edits, so that a near-identical word costs a whole number.
EDIT = 2  # a word substituted, added or dropped
NEAR = 1  # a near-identical word substituted
FREE = 0  # a word with a bracketed edit ("[T]he") against any source word
# A matching word earns a reward worth more than the word dropped next to it, so
# the window reaches the draft's edge word across up to two dropped words:
# "grow the economy" against "grow the very much economy" reads "-very much", not
# "much → economy" or "+economy". The score counts edits only.
MATCH = -3


def align_quote(quote_text: str, passage: SourcePassage,
                alterations: Sequence[tuple[str, int, int]] = (),
                min_score: float = 0.5) -> SourceMatch | None:
    """Align the quote to the best-matching window of passage.text; None if no window reaches min_score.

    A window reaches min_score when its score is >= min_score (see the module docstring).
    ``alterations`` are (kind, start, end) relative to ``quote_text``: "insertion" for
    ``[bracketed words]``, "ellipsis" for ``...``/``…``. None is also returned when
    the quote has no words to compare (it is all brackets) or no source word aligns.
    """
    quote = _read_quote(quote_text, alterations)
    if not any(t >= 0 for t in quote.tokens):
        return None
    source = _passage(passage.text)
    if not source.words:
        return None
    steps = _align(quote, source, semi_global=True)
    if steps is None:
        return None
    score = _score(steps, quote.words, source.words)
    if score < min_score:
        return None
    window = [j for step in steps for j in step.source]
    start, end = source.words[min(window)].start, source.words[max(window)].end
    line, column = _position(passage, start)
    return SourceMatch(passage, score, passage.text[start:end], line, column,
                       word_edits(steps, quote.words, source.words, quote_text, passage.text))


def similarity(a: str, b: str) -> float:
    """How alike two wordings are as wholes (no window), on the scale of ``align_quote``'s
    score: 1 - edits / max(words of a, words of b). Symmetric; 1.0 for two empty texts."""
    if b < a:  # one order for both calls, so that ties between alignments break the same way
        a, b = b, a
    quote = _read_quote(a, ())
    other = _passage(b)
    if not quote.words or not other.words:
        return 1.0 if not quote.words and not other.words else 0.0
    steps = _align(quote, other, semi_global=False)
    return _score(steps, quote.words, other.words) if steps else 0.0


# --- the two sides, encoded -------------------------------------------------------------

@dataclass(frozen=True)
class _Quote:
    words: list[Word]
    tokens: list[int]  # indices into words, WILDCARD and GAP, in order
    edited: frozenset[int]  # words with a bracketed edit ("[T]he"), any one source word will do


class _Passage:
    """A passage's words, encoded once: ids for the vector maths, their chars for substring search."""

    def __init__(self, text: str):
        self.words = words(text)
        self.vocabulary: dict[str, int] = {}
        ids = [self.vocabulary.setdefault(w.key, len(self.vocabulary)) for w in self.words]
        self.ids = np.array(ids, dtype=np.int32)  # word i's key as a small integer
        self.as_chars = "".join(map(chr, ids))  # an exact copy of the quote is a substring
        self._run_together: dict[str, np.ndarray | None] = {}

    @cached_property
    def near_pool(self) -> tuple[list[str], np.ndarray]:
        """The keys (and ids) long enough to have near-identical twins."""
        pool = [(k, i) for k, i in self.vocabulary.items() if _may_have_near_twin(k)]
        return [k for k, _ in pool], np.array([i for _, i in pool], dtype=np.int32)

    def run_together(self, key: str) -> np.ndarray | None:
        """Indices j where source words j-1 and j written together make ``key``
        ("well", "known" for "wellknown"), None if nowhere; remembered, as quotes share words."""
        if key not in self._run_together:
            vocabulary, firsts, seconds = self.vocabulary, self.ids[:-1], self.ids[1:]
            found = [np.flatnonzero((firsts == vocabulary[key[:k]]) & (seconds == vocabulary[key[k:]])) + 1
                     for k in range(1, len(key)) if key[:k] in vocabulary and key[k:] in vocabulary]
            self._run_together[key] = np.concatenate(found) if found else None
        return self._run_together[key]


_passage = lru_cache(maxsize=512)(_Passage)


def _may_have_near_twin(key: str) -> bool:
    return len(key) >= NEAR_MIN_LENGTH and not _DIGIT.search(key)


def _read_quote(text: str, alterations: Sequence[tuple[str, int, int]]) -> _Quote:
    """The quote as the aligner sees it. A bracket glued to a word without spaces
    inside ("[T]he") edits that word's letters: the word, brackets dropped, becomes
    one edited word. Any other bracket is a WILDCARD in place of its words, an
    ellipsis a GAP."""
    ws = words(text)
    edited_spans: set[tuple[int, int]] = set()
    marks = []
    for kind, start, end in alterations:
        if kind == "ellipsis":
            marks.append((start, end, GAP))
            continue
        if kind != "insertion":
            continue
        touching = [w for w in ws if w.start <= end and w.end >= start]
        glued = any(w.end == start or w.start == end for w in touching)
        inner = text[start + 1:end - 1]
        if glued and inner and not any(c.isspace() for c in inner):
            region = (min([start] + [w.start for w in touching]), max([end] + [w.end for w in touching]))
            key = "".join(keys(text[region[0]:region[1]].replace("[", "").replace("]", "")))
            ws = sorted([w for w in ws if w not in touching] + [Word(key, *region)], key=lambda w: w.start)
            edited_spans.add(region)
        else:
            marks.append((start, end, WILDCARD))
    swallowed = {i for i, w in enumerate(ws) for start, end, mark in marks
                 if mark == WILDCARD and w.start <= end and w.end >= start}
    tokens: list[int] = []
    pending = sorted(marks)
    for i, w in enumerate(ws):
        while pending and pending[0][0] <= w.start:
            _add_mark(tokens, pending.pop(0)[2])
        if i not in swallowed:
            tokens.append(i)
    for mark in pending:
        _add_mark(tokens, mark[2])
    edited = frozenset(i for i, w in enumerate(ws) if (w.start, w.end) in edited_spans)
    return _Quote(ws, tokens, edited)


def _add_mark(tokens: list[int], mark: int) -> None:
    if tokens and tokens[-1] == GAP:
        return  # a gap already stands for anything, bracketed words included
    if tokens and tokens[-1] == WILDCARD and mark == GAP:
        tokens[-1] = GAP
        return
    tokens.append(mark)


# --- the alignment ----------------------------------------------------------------------

def _align(quote: _Quote, source: _Passage, semi_global: bool) -> list[Step] | None:
    """The best alignment of all tokens against a window of the source (or all of it,
    when not ``semi_global``), as steps in quote order."""
    word_tokens = [t for t in quote.tokens if t >= 0]
    quote_keys = [quote.words[t].key for t in word_tokens]
    vocabulary = source.vocabulary
    unseen = {k: len(vocabulary) + n
              for n, k in enumerate(dict.fromkeys(k for k in quote_keys if k not in vocabulary))}
    key_ids = [vocabulary.get(k, unseen.get(k)) for k in quote_keys]
    if semi_global and len(word_tokens) == len(quote.tokens):  # an exact copy needs no alignment
        at = source.as_chars.find("".join(map(chr, key_ids)))
        if at >= 0:
            return [Step("equal", (t,), (at + n,)) for n, t in enumerate(word_tokens)]
    rows = _substitution_costs(quote_keys, key_ids, [t in quote.edited for t in word_tokens], source)
    table = _fill(quote, rows, source, semi_global)
    return _Trace(table, quote, rows, source, semi_global).steps()


def _substitution_costs(quote_keys: list[str], key_ids: list[int], edited: list[bool],
                        source: _Passage) -> np.ndarray:
    """Cost of aligning each quote word (row) with each source word (column): worked
    out once per distinct source word, then spread over the passage."""
    width = max(len(source.vocabulary), max(key_ids) + 1)
    by_id = np.full((len(quote_keys), width), EDIT, dtype=np.int32)
    pool_keys, pool_ids = source.near_pool
    askers = [r for r, k in enumerate(quote_keys) if _may_have_near_twin(k)]
    if askers and pool_keys:
        ratios = process.cdist([quote_keys[r] for r in askers], pool_keys,
                               scorer=Levenshtein.normalized_similarity, score_cutoff=NEAR_RATIO)
        near_rows, near_cols = np.nonzero(ratios)
        by_id[np.array(askers)[near_rows], pool_ids[near_cols]] = NEAR
    for r, e in enumerate(edited):
        if e:
            by_id[r] = FREE
    by_id[np.arange(len(key_ids)), key_ids] = MATCH
    return by_id[:, source.ids]


def _fill(quote: _Quote, rows: np.ndarray, source: _Passage, semi_global: bool) -> np.ndarray:
    """The cost table D[i][j]: the cheapest alignment of the first i tokens with the
    source words before j (any window of them when ``semi_global``, else all).

    Rows are computed as D[i][j] - EDIT*(i + j), a form in which an added or a
    dropped word costs nothing extra: an added word is a plain copy from the row
    above, dropped words one running minimum along the row. So a quote word costs
    three vector operations, and numpy's per-call overhead is most of the time."""
    tokens, n = quote.tokens, len(source.words)
    ramp = np.arange(n + 1, dtype=np.int32) * EDIT
    table = np.empty((len(tokens) + 1, n + 1), dtype=np.int32)
    table[0] = -ramp if semi_global else 0
    # Column 0 (no source word yet) only ever copies down; each alteration shifts it by one EDIT.
    table[1:, 0] = table[0, 0] - EDIT * np.cumsum([t < 0 for t in tokens])
    full, heads, tails = list(table), list(table[:, :-1]), list(table[:, 1:])
    diagonal_costs = list(rows - 2 * EDIT)
    joins = _joins(quote, source)
    r = 0
    for i, t in enumerate(tokens, 1):
        row = full[i]
        if t >= 0:
            np.add(heads[i - 1], diagonal_costs[r], out=tails[i])  # match or substitute
            np.minimum(tails[i], tails[i - 1], out=tails[i])  # the draft adds the word
            for back, to, frm in joins.get(i, ()):
                row[to] = np.minimum(row[to], table[i - back, frm] + (MATCH - 3 * EDIT))
            r += 1
        elif t == WILDCARD:  # stands for the k source words before j, 0 <= k <= INSERTION_SPAN
            prev = full[i - 1]
            np.subtract(prev, EDIT, out=row)
            for k in range(1, min(INSERTION_SPAN, n) + 1):
                np.minimum(row[k:], prev[:-k] - EDIT * (k + 1), out=row[k:])
        else:  # GAP: any number of source words, free
            np.minimum.accumulate(full[i - 1] + ramp, out=row)
            row -= ramp + EDIT
            continue
        np.minimum.accumulate(row, out=row)  # the draft drops source words
    return table + ramp + (np.arange(len(tokens) + 1, dtype=np.int32) * EDIT)[:, None]


def _joins(quote: _Quote, source: _Passage) -> dict[int, list[tuple[int, np.ndarray, np.ndarray]]]:
    """Free steps for a word written as two on the other side ("wellknown"/"well
    known"), counted as a match: for token i, (rows back, columns reached, columns
    come from)."""
    joins: dict[int, list[tuple[int, np.ndarray, np.ndarray]]] = {}
    tokens = quote.tokens
    for i, t in enumerate(tokens, 1):
        if t < 0:
            continue
        key = quote.words[t].key
        second = source.run_together(key)
        if second is not None:  # this quote word = source words j-2 and j-1: from (i-1, j-2)
            joins.setdefault(i, []).append((1, second + 1, second - 1))
        if i >= 2 and tokens[i - 2] == t - 1 >= 0:
            pair_id = source.vocabulary.get(quote.words[t - 1].key + key)
            if pair_id is not None:  # the previous and this quote word = source word j-1: from (i-2, j-1)
                word = np.flatnonzero(source.ids == pair_id)
                joins.setdefault(i, []).append((2, word + 1, word))
    return joins


class _Trace:
    """Walks the cost table back from the best end to the steps that produced it.

    Among equally cheap steps: a substitution, then an added word, then a match, a
    join, a dropped word. So an edge word is shown replacing its neighbour rather
    than added past the window, and a run of added words between repeated words
    goes last ("this year +and next year", not "this +year and next year").
    Insertions and ellipses take as few source words as they can."""

    def __init__(self, table: np.ndarray, quote: _Quote, rows: np.ndarray, source: _Passage,
                 semi_global: bool):
        self.table, self.quote, self.rows, self.source = table, quote, rows, source
        self.semi_global = semi_global
        self.row_of = [0] * (len(quote.tokens) + 1)  # token i (1-based) -> its row in rows
        for r, i in enumerate(i for i, t in enumerate(quote.tokens, 1) if t >= 0):
            self.row_of[i] = r

    def steps(self) -> list[Step] | None:
        # The one Python loop of the aligner: plain ints (item) and the common steps inline.
        cell, cost, tokens, row_of = self.table.item, self.rows.item, self.quote.tokens, self.row_of
        i, j = len(tokens), self._best_end()
        steps = []
        while i > 0:
            t, here = tokens[i - 1], cell(i, j)
            if t >= 0 and j >= 1:
                c = cost(row_of[i], j - 1)
                diagonal = cell(i - 1, j - 1) + c == here
                if diagonal and c != MATCH:
                    steps.append(Step("skip" if c == FREE else "change", (t,), (j - 1,)))
                    i, j = i - 1, j - 1
                    continue
                if cell(i - 1, j) + EDIT == here:
                    steps.append(Step("change", (t,), ()))
                    i -= 1
                    continue
                if diagonal:
                    steps.append(Step("equal", (t,), (j - 1,)))
                    i, j = i - 1, j - 1
                    continue
            step, i, j = self._other_step(i, j, here, t)
            steps.append(step)
        if not self.semi_global:  # source words before the first token
            steps += [Step("change", (), (k,)) for k in reversed(range(j))]
        steps.reverse()
        return steps if any(s.source for s in steps) else None

    def _best_end(self) -> int:
        """The leftmost cheapest end, preferring one where the quote's last word is
        aligned with a source word rather than added after the window."""
        table, m, last_token = self.table, len(self.quote.tokens), self.quote.tokens[-1]
        if not self.semi_global:
            return table.shape[1] - 1
        last = table[m, 1:]
        ends = np.flatnonzero(last == last.min()) + 1
        if last_token >= 0:
            aligned = ends[table[m - 1, ends - 1] + self.rows[self.row_of[m], ends - 1] == table[m, ends]]
            if len(aligned):
                return int(aligned[0])
        return int(ends[0])

    def _other_step(self, i: int, j: int, here: int, t: int) -> tuple[Step, int, int]:
        """The step into cell (i, j) when it is not a plain substitution, match or added
        word: a declared alteration, a join or a dropped word; and the cell it came from."""
        cell = self.table.item
        if t == GAP:
            k = int(np.flatnonzero(self.table[i - 1, :j + 1] == here)[-1])
            return Step("skip", (), tuple(range(k, j))), i - 1, k
        if t == WILDCARD:
            for k in range(min(INSERTION_SPAN, j) + 1):
                if cell(i - 1, j - k) == here:
                    return Step("skip", (), tuple(range(j - k, j))), i - 1, j - k
            return Step("change", (), (j - 1,)), i, j - 1
        quote_words, source_words, key = self.quote.words, self.source.words, self.quote.words[t].key
        if (j >= 2 and cell(i - 1, j - 2) + MATCH == here
                and source_words[j - 2].key + source_words[j - 1].key == key):
            return Step("equal", (t,), (j - 2, j - 1)), i - 1, j - 2
        if (i >= 2 and j >= 1 and t >= 1 and self.quote.tokens[i - 2] == t - 1
                and cell(i - 2, j - 1) + MATCH == here
                and quote_words[t - 1].key + key == source_words[j - 1].key):
            return Step("equal", (t - 1, t), (j - 1,)), i - 2, j - 1
        if j >= 1 and cell(i, j - 1) + EDIT == here:
            return Step("change", (), (j - 1,)), i, j - 1
        assert j == 0 and cell(i - 1, j) + EDIT == here, "the cost table and its trace disagree"
        return Step("change", (t,), ()), i - 1, j


# --- what the alignment is worth, and where ---------------------------------------------

def _score(steps: list[Step], quote_words: list[Word], source_words: list[Word]) -> float:
    """1 - edits / max(quote words, window words); see the module docstring."""
    edits = 0.0
    for s in steps:
        if s.kind != "change":
            continue
        if len(s.draft) == 1 and len(s.source) == 1:
            edits += 0.5 if _near(quote_words[s.draft[0]].key, source_words[s.source[0]].key) else 1.0
        else:
            edits += len(s.draft) + len(s.source)
    quote_count = sum(len(s.draft) for s in steps if s.kind != "skip")
    window_count = sum(len(s.source) for s in steps if s.kind != "skip")
    return max(0.0, 1.0 - edits / max(quote_count, window_count, 1))


def _near(a: str, b: str) -> bool:
    return (_may_have_near_twin(a) and _may_have_near_twin(b)
            and Levenshtein.normalized_similarity(a, b) >= NEAR_RATIO)


_LINE_BREAK = re.compile(r"\r\n|\r(?!\n)|\n")  # LF, CRLF or a lone CR, as drafts and sources count lines


def _position(passage: SourcePassage, offset: int) -> tuple[int, int]:
    """1-based line and column in the source file of an offset into passage.text."""
    newlines, line_start = 0, None
    for m in _LINE_BREAK.finditer(passage.text):
        if m.end() > offset:
            break
        newlines, line_start = newlines + 1, m.end()
    if line_start is None:
        return passage.line, passage.column + offset
    return passage.line + newlines, offset - line_start + 1
