"""Pure mutation functions for ``mutation_eval.py``: each changes ONE quote of an
article the way a draft gets a quote wrong, and says exactly what it changed.

Nothing here runs quotecheck or reads files, so the tests can check every function
on a few sentences they write themselves (tests/test_mutation_bench.py).

Quote-level functions take the quoted words (marks excluded) and a ``random.Random``
and return ``(new_words, description)`` or ``None`` when the quote offers no place
for that mutation. Article-level functions (``misattribute``, ``flip_pronoun``)
take the whole text and the quote's offsets and return an ``Edit`` of the text.
The same seed gives the same choices.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

# A word: letters/digits, keeping inner apostrophes, hyphens, and the , . of numbers
# (don't, Kyiv's, so-called, 1,000, 3.5) as one token.
WORD = re.compile(r"[^\W_]+(?:[’'\-.,][^\W_]+)*")

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been
before being below between both but by can cannot could did do does doing done down
during each either else ever every few for from further get gets got had has have
having he her here hers herself him himself his how i if in into is it its itself
just let like may me might mine more most much must my myself neither no nor not now
of off on once one only or other our ours ourselves out over own per quite rather
really same shall she should so some such than that the their theirs them themselves
then there these they this those though through to too under until up upon us very
was we were what when where whether which while who whom whose why will with within
without would yes yet you your yours yourself yourselves
don't doesn't didn't isn't aren't wasn't weren't won't wouldn't can't couldn't
shouldn't haven't hasn't hadn't i'm i've i'll i'd it's that's there's we're we've
we'll they're they've you're you've he's she's let's
""".split())

# Plausible replacements for common words of political quotes. Only used when the
# word is in a quote; the fallback picks another content word of the same article.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "significantly": ("substantially", "considerably"), "important": ("significant", "crucial"),
    "big": ("large", "huge"), "large": ("big", "huge"), "huge": ("enormous", "big"),
    "great": ("wonderful", "terrific"), "good": ("fine", "decent"), "bad": ("poor", "terrible"),
    "terrible": ("awful", "horrible"), "wrong": ("mistaken", "incorrect"), "right": ("correct", "proper"),
    "people": ("folks", "citizens"), "country": ("nation", "state"), "nation": ("country", "republic"),
    "think": ("believe", "feel"), "believe": ("think", "feel"), "know": ("understand", "realize"),
    "want": ("wish", "hope"), "need": ("require", "want"), "help": ("assist", "support"),
    "support": ("back", "endorse"), "said": ("stated", "claimed"), "says": ("states", "claims"),
    "make": ("create", "build"), "build": ("construct", "create"), "stop": ("halt", "end"),
    "change": ("alter", "shift"), "fight": ("battle", "struggle"), "win": ("succeed", "prevail"),
    "lose": ("fail", "drop"), "problem": ("issue", "challenge"), "issue": ("problem", "matter"),
    "plan": ("proposal", "scheme"), "policy": ("approach", "program"), "job": ("work", "task"),
    "jobs": ("positions", "careers"), "money": ("funds", "cash"), "economy": ("markets", "business"),
    "government": ("administration", "state"), "world": ("globe", "planet"), "time": ("moment", "period"),
    "way": ("manner", "path"), "thing": ("matter", "issue"), "things": ("matters", "issues"),
    "strong": ("powerful", "tough"), "weak": ("feeble", "frail"), "new": ("fresh", "novel"),
    "old": ("former", "aging"), "clear": ("obvious", "plain"), "hard": ("difficult", "tough"),
    "easy": ("simple", "effortless"), "safe": ("secure", "protected"), "dangerous": ("risky", "hazardous"),
    "serious": ("grave", "severe"), "simple": ("basic", "plain"), "whole": ("entire", "complete"),
    "afraid": ("scared", "fearful"), "angry": ("furious", "upset"), "happy": ("glad", "pleased"),
    "proud": ("honored", "pleased"), "sure": ("certain", "confident"), "deal": ("agreement", "bargain"),
    "campaign": ("effort", "drive"), "vote": ("ballot", "choice"), "voters": ("citizens", "electors"),
    "attack": ("assault", "strike"), "attacks": ("assaults", "strikes"), "threat": ("danger", "risk"),
    "family": ("household", "relatives"), "children": ("kids", "youngsters"), "women": ("ladies", "females"),
    "community": ("neighborhood", "town"), "law": ("statute", "rule"), "laws": ("statutes", "rules"),
    "fact": ("truth", "reality"), "true": ("accurate", "genuine"), "real": ("genuine", "actual"),
    "decision": ("choice", "ruling"), "leader": ("chief", "head"), "president": ("leader", "chief"),
    "best": ("finest", "greatest"), "worst": ("poorest", "weakest"), "better": ("superior", "finer"),
    "many": ("numerous", "several"), "every": ("each", "any"), "always": ("constantly", "forever"),
    "today": ("now", "currently"), "going": ("planning", "trying"), "look": ("see", "watch"),
    "talk": ("speak", "chat"), "tell": ("inform", "show"), "give": ("offer", "provide"),
    "keep": ("retain", "hold"), "work": ("labor", "effort"), "working": ("laboring", "striving"),
    "running": ("campaigning", "competing"), "pay": ("fund", "cover"), "care": ("concern", "attention"),
    "health": ("wellness", "wellbeing"), "security": ("safety", "protection"), "free": ("open", "unrestricted"),
}

ADVERBS = ("really", "very", "also", "clearly", "just", "actually", "certainly", "simply", "truly", "quite")

NUMBER_WORDS = (
    ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
    ("hundred", "thousand", "million", "billion", "trillion"),
)
_NUMBER_GROUP = {w: group for group in NUMBER_WORDS for w in group}
DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w])")
NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_GROUP) + r")\b", re.I)

# Auxiliaries that take "not" after them ("is" -> "is not", "can" -> "cannot").
NEGATABLE = re.compile(r"\b(is|are|was|were|will|would|should|could|can|must)\s+(?!not\b|n[’']t\b|never\b)"
                       r"(?=[a-z])", re.I)
CONTRACTIONS = {
    "don't": "do", "doesn't": "does", "didn't": "did", "isn't": "is", "aren't": "are",
    "wasn't": "was", "weren't": "were", "won't": "will", "wouldn't": "would", "can't": "can",
    "couldn't": "could", "shouldn't": "should", "haven't": "have", "hasn't": "has",
    "hadn't": "had", "mustn't": "must",
}
NEGATED = re.compile(r"\b(" + "|".join(c.replace("'", "['’]") for c in CONTRACTIONS) + r"|cannot)\b"
                     r"|\s+not\b", re.I)

PRONOUN_FLIP = {"he": "she", "she": "he", "He": "She", "She": "He", "HE": "SHE", "SHE": "HE",
                "his": "her", "His": "Her", "her": "his", "Her": "His"}

# Words that make a "speaker" an organisation or a role rather than a person's name.
NOT_A_PERSON = frozenset("""
times post news journal press campaign committee party department house senate congress
association council democrats republicans democratic republican inc network cnn fox msnbc
nbc abc cbs ap reuters politifact university institute center foundation fund office
administration court police county city state states america american government agency
group report poll website magazine
""".split())


@dataclass
class Edit:
    """One change of an article's text: the new text, the mutated quote's span and
    the changed words' span (both in the new text's offsets), and what was done."""

    text: str
    quote_start: int
    quote_end: int
    changed_start: int
    changed_end: int
    description: str


def words(text: str) -> list[re.Match]:
    """The words of ``text`` outside square brackets: "[from 2012]" is the editor's
    insertion, not the speaker's words, so no mutation touches it."""
    return [m for m in WORD.finditer(text) if _spoken(text, m)]


def _spoken(text: str, m: re.Match) -> bool:
    return not any(a <= m.start() < b for a, b in
                   ((b.start(), b.end()) for b in re.finditer(r"\[[^\]]*\]?", text)))


def same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def is_content_word(word: str) -> bool:
    """A lower-case word of at least three letters that is not a stopword: not a
    name (names are capitalised), not a number."""
    return (len(word) >= 3 and word.isalpha() and word.islower()
            and word not in STOPWORDS and word not in _NUMBER_GROUP)


def _related(a: str, b: str) -> bool:
    """The same word or an inflection of it (vote / votes / voted)."""
    a, b = a.lower(), b.lower()
    return a == b or a.startswith(b) or b.startswith(a) or (len(a) > 4 and a[:-2] == b[:-2])


def _suffix_class(word: str) -> str:
    for suffix in ("ly", "ing", "ed", "s"):
        if word.endswith(suffix):
            return suffix
    return ""


def substitute(quote: str, rng: random.Random, pool: list[str] = ()) -> tuple[str, str] | None:
    """Replace one content word by a different plausible word: a synonym from the
    table, else another content word of ``pool`` (the article's words), preferring
    one with the same ending (-ly, -ing, -ed, -s). Never the same word."""
    candidates = [m for m in words(quote) if is_content_word(m.group())]
    rng.shuffle(candidates)
    fallback = sorted({w for w in pool if is_content_word(w)})
    for m in candidates:
        word = m.group()
        choices = [w for w in SYNONYMS.get(word, ()) if not _related(w, word)]
        if not choices:
            others = [w for w in fallback if not _related(w, word)]
            alike = [w for w in others if _suffix_class(w) == _suffix_class(word)]
            choices = alike or others
        if not choices:
            continue
        new = rng.choice(choices)
        return quote[:m.start()] + new + quote[m.end():], f"{word} → {new}"
    return None


def drop_word(quote: str, rng: random.Random) -> tuple[str, str] | None:
    """Delete one word that is neither the first nor the last and stands between two
    spaces (so no punctuation is left dangling)."""
    ws = words(quote)
    inner = [m for m in ws[1:-1]
             if quote[m.start() - 1:m.start()] == " " and quote[m.end():m.end() + 1] == " "]
    if not inner:
        return None
    m = rng.choice(inner)
    return quote[:m.start()] + quote[m.end() + 1:], f"-{m.group()}"


def insert_word(quote: str, rng: random.Random) -> tuple[str, str] | None:
    """Insert a neutral adverb (never a negation) before a word inside the quote,
    where the word before ends without punctuation."""
    ws = words(quote)
    places = [ws[i] for i in range(1, len(ws))
              if quote[ws[i].start() - 1:ws[i].start()] == " "
              and ws[i - 1].end() == ws[i].start() - 1]
    if not places:
        return None
    m = rng.choice(places)
    neighbours = {m.group().lower(), quote[:m.start()].split()[-1].lower()}
    adverb = rng.choice([a for a in ADVERBS if a not in neighbours])
    return quote[:m.start()] + adverb + " " + quote[m.start():], f"+{adverb}"


def _format_like(original: str, value: int) -> str:
    return f"{value:,}" if "," in original else str(value)


def change_number(quote: str, rng: random.Random) -> tuple[str, str] | None:
    """Change one number: digits by ±1..9 or ×10 (commas kept), or, in a quote without
    digits, a number word to another of its kind (two → five, million → billion)."""
    # Digits first. "one" is left alone: it is mostly no number ("no one", "one of
    # them", "hole-in-one").
    spots = [("digits", m) for m in DIGITS.finditer(quote) if _spoken(quote, m)]
    spots = spots or [("word", m) for m in NUMBER_WORD.finditer(quote)
                      if m.group().lower() != "one" and _spoken(quote, m)]
    if not spots:
        return None
    kind, m = rng.choice(spots)
    if kind == "word":
        word = m.group()
        group = _NUMBER_GROUP[word.lower()]
        new = same_case(word, rng.choice([w for w in group if w != word.lower()]))
        return quote[:m.start()] + new + quote[m.end():], f"{word} → {new}"
    integer, fraction = m.group(1), m.group(2) or ""
    value = int(integer.replace(",", ""))
    options = [value + k for k in range(1, 10)] + [value - k for k in range(1, 10) if value - k >= 0]
    if value:
        options.append(value * 10)
    new_value = rng.choice(options)
    new = _format_like(integer, new_value) + fraction
    return quote[:m.start()] + new + quote[m.end():], f"{m.group()} → {new}"


def flip_negation(quote: str, rng: random.Random) -> tuple[str, str] | None:
    """Add a negation ("is" → "is not", "can" → "cannot") or remove one ("not",
    "don't" → "do", "cannot" → "can"), chosen at random among the places the quote
    offers."""
    spots = [("add", m) for m in NEGATABLE.finditer(quote) if _spoken(quote, m)]
    spots += [("remove", m) for m in NEGATED.finditer(quote) if _spoken(quote, m)]
    if not spots:
        return None
    kind, m = rng.choice(spots)
    if kind == "add":
        aux = m.group(1)
        new = aux + ("not" if aux.lower() == "can" else " not")
        return (quote[:m.start(1)] + new + quote[m.end(1):], f"{aux} → {new}")
    old = m.group()
    if old.strip().lower() == "not":
        return quote[:m.start()] + quote[m.end():], "-not"
    key = old.lower().replace("’", "'")
    new = same_case(old, "can" if key == "cannot" else CONTRACTIONS[key])
    return quote[:m.start()] + new + quote[m.end():], f"{old} → {new}"


QUOTE_MUTATIONS = {
    "substitute": substitute,
    "drop": drop_word,
    "insert": insert_word,
    "number": change_number,
    "negation": flip_negation,
}


def replace_quote(text: str, start: int, end: int, new_quote: str, description: str) -> Edit:
    """The article with the quote's words text[start:end] replaced by ``new_quote``."""
    new_text = text[:start] + new_quote + text[end:]
    # The changed words: the stretch where the old and new quote differ.
    old = text[start:end]
    a = 0
    while a < min(len(old), len(new_quote)) and old[a] == new_quote[a]:
        a += 1
    b = 0
    while b < min(len(old), len(new_quote)) - a and old[-1 - b] == new_quote[-1 - b]:
        b += 1
    return Edit(new_text, start, start + len(new_quote), start + a,
                start + max(a, len(new_quote) - b), description)


def paragraph_span(text: str, pos: int) -> tuple[int, int]:
    """The line around ``pos`` (an article's paragraph is one line)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _nearest(matches: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The span closest to [start, end) that does not overlap it."""
    outside = [(a, b) for a, b in matches if b <= start or a >= end]
    if not outside:
        return None
    return min(outside, key=lambda s: start - s[1] if s[1] <= start else s[0] - end)


def name_tokens(name: str) -> set[str]:
    return {t.strip(".,").lower() for t in name.split() if t.strip(".,")}


def is_person_name(name: str | None) -> bool:
    """A full personal name: two to four capitalised words, none an organisation's."""
    if not name:
        return False
    tokens = name.split()
    return (2 <= len(tokens) <= 4 and all(t[:1].isupper() for t in tokens)
            and not any(t.strip(".,").lower() in NOT_A_PERSON for t in tokens))


def misattribute(text: str, quote_start: int, quote_end: int, mention: str, speaker: str,
                 new_name: str) -> Edit | None:
    """Give the quote to ``new_name``: in the quote's paragraph, take the occurrence of
    ``mention`` nearest the quote, and replace the run of its words that belong to
    ``speaker``'s name ("Mr. Rosenthal", "Malkia Cyril, the executive director") by
    ``new_name``. The quote's words stay as they are. None if the mention is not in
    the paragraph or names no part of the speaker (a pronoun, "the spokesman")."""
    p_start, p_end = paragraph_span(text, quote_start)
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(mention), text[p_start:p_end])]
    spot = _nearest([(a + p_start, b + p_start) for a, b in found], quote_start, quote_end)
    if spot is None:
        return None
    own = name_tokens(speaker)
    runs: list[list[tuple[int, int]]] = [[]]
    for m in re.finditer(r"\S+", text[spot[0]:spot[1]]):
        token = m.group()
        initial = re.fullmatch(r"(?:[A-Z]\.)+", token) is not None  # "M." / "G.K." in a name
        word = token if initial else re.sub(r"(?:[’']s)?[.,;:)]*$", "", token)
        if word[:1].isupper() and word.strip(".").lower() in own:
            a = spot[0] + m.start()
            runs[-1].append((a, a + len(word)))
            if word != token:  # punctuation or a possessive ends the run
                runs.append([])
        elif runs[-1]:
            runs.append([])
    best = max(runs, key=len)
    if not best:
        return None
    best = (best[0][0], best[-1][1])
    a, b = best
    old = text[a:b]
    if name_tokens(old) & name_tokens(new_name):
        return None
    new_text = text[:a] + new_name + text[b:]
    shift = len(new_name) - (b - a)
    qs, qe = (quote_start + shift, quote_end + shift) if a < quote_start else (quote_start, quote_end)
    return Edit(new_text, qs, qe, a, a + len(new_name), f"{old} → {new_name}")


def flip_pronoun(text: str, quote_start: int, quote_end: int, pronoun: str, cue: str) -> Edit | None:
    """Flip he ↔ she in the quote's cue ("he said" → "she said", "added she" →
    "added he"): the occurrence nearest the quote within its paragraph, with up to two
    words between the pronoun and the cue word. None if no such cue is there."""
    if pronoun not in ("he", "she") or not cue or not re.fullmatch(r"[\w’' -]+", cue):
        return None
    p_start, p_end = paragraph_span(text, quote_start)
    para = text[p_start:p_end]
    cue_re = re.escape(cue)
    spans = []
    for pattern in (rf"\b({pronoun})\s+(?:[a-z]+\s+){{0,2}}?{cue_re}\b",
                    rf"\b{cue_re}\s+({pronoun})\b"):
        for m in re.finditer(pattern, para, re.I):
            spans.append((p_start + m.start(1), p_start + m.end(1)))
    spot = _nearest(spans, quote_start, quote_end)
    if spot is None:
        return None
    a, b = spot
    old = text[a:b]
    new = PRONOUN_FLIP.get(old, same_case(old, PRONOUN_FLIP[old.lower()]))
    new_text = text[:a] + new + text[b:]
    shift = len(new) - len(old)
    qs, qe = (quote_start + shift, quote_end + shift) if a < quote_start else (quote_start, quote_end)
    return Edit(new_text, qs, qe, a, a + len(new), f"{old} → {new} in the cue")
