"""Names as news writes them: folding for comparison, titles stripped, spelling
variants, one person under two spellings, and a cheap name pattern for text that
is never parsed (source headers and labels). Who a document's mentions refer to
is the reference layer's work (:mod:`quotecheck.references`).
"""
from __future__ import annotations

import functools
import re
import unicodedata

from .cues import TITLE_KEYS, TITLES

_CAP = r"(?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.(?:[A-Z]\.)?|[A-Z]{2,}(?=\s+[A-Z][a-z]))"
_PARTICLE = r"(?:de|del|der|van|von|bin|ibn|al|la|le|da|dos|di|du|ter|ten)"
# A multi-word title ("Secretary of State", "Minister of Foreign Affairs"), from cues.TITLES.
_MULTI_TITLE = "|".join(sorted((r"\s+".join(w if w in ("of", "for", "the", "and") else w.capitalize()
                                             for w in t.split()) for t in TITLES if " " in t),
                               key=len, reverse=True))
_NAME_PATTERN = (
    rf"\b(?P<title>(?:(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Prof|Rev|Gen|Maj|Cmdr|Del)\.|"
    rf"{_MULTI_TITLE}|"
    rf"President|Senator|Governor|Mayor|Secretary|Minister|Judge|Justice|Speaker|Retired|Former)\s+)*)"
    # Particles inside a name: "Pieter van der Berg", "Abdel Fattah al-Sisi".
    # A surname opening a sentence with its particles ("Van der Berg said") is no full name.
    rf"(?!(?i:{_PARTICLE})\s+{_PARTICLE}\s)"
    rf"(?P<name>{_CAP}(?:\s+(?:(?:{_PARTICLE}\s+)+|(?:al|el|ad|ash|as|at|an|ar|az)-)?{_CAP}){{0,4}})"
)
POSSESSIVE_RE = re.compile(r"['’]s?$")
# Capitalised words that open sentences or name things, never people.
NOT_NAMES = frozenset("""
The A An This That These Those It He She They We I You His Her Their Our My Its But And Or
If When While After Before As In On At For From By With Without To Of Since Until Because
Although Though However Meanwhile Still Yet So Then There Here What Who Why How Where Which
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Democrats Republicans Democratic Republican
Americans American Congress Senate House White Mr Mrs Ms Dr Sen Rep Gov Some Many Most All
One Two Three Four Five Six Seven Eight Nine Ten No Not Yes Asked According Also Just Even
United States New York Washington Street Journal Times Post News Fox CNN Press Associated
Said Stated Added Wrote Asked Told Says Adds
""".split())


def fold(name: str) -> str:
    """Compare names without accents, case or punctuation (Erdoğan = Erdogan)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z ]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


@functools.lru_cache(maxsize=1)
def _name_re() -> re.Pattern:
    """The name pattern, compiled on first use (its title alternation takes a
    tenth of a second to compile: not paid by a run whose results are cached)."""
    return re.compile(_NAME_PATTERN)


def name_matches(text: str):
    """Each capitalised run that may be a name, as (match, words): possessives
    dropped, and sentence-openers and other capitalised non-names trimmed."""
    for m in _name_re().finditer(text):
        words = [POSSESSIVE_RE.sub("", w) for w in m.group("name").split()]
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        while words and words[-1] in NOT_NAMES:
            words = words[:-1]
        yield m, words




def similar_spelling(a: str, b: str) -> bool:
    """Two folded surnames that transliteration or a typo could make of one name
    (zelensky/zelenskyy, matukhin/matyukhin), but not two short different names."""
    from rapidfuzz.distance import JaroWinkler, Levenshtein

    if a == b or min(len(a), len(b)) < 5:
        return False
    return Levenshtein.distance(a, b) <= 2 and JaroWinkler.similarity(a, b) >= 0.9


def strip_titles(words: list[str]) -> list[str]:
    """The name without the titles before it: "Navy Capt. Jeff Moravec" → "Jeff Moravec",
    "Former President Bill Clinton" → "Bill Clinton", "Secretary of State Mara Lind" →
    "Mara Lind" (the last word always stays). A surname with particles is one word,
    as the surname is the last word everywhere: "Bill de Blasio" → ["Bill", "de Blasio"],
    "van der Berg" → ["van der Berg"]."""
    titles = TITLE_KEYS
    low = [w.lower().rstrip(".") for w in words]
    last_title = -1
    for i in range(len(words) - 1):
        for j in range(min(len(words) - 1, i + 8), i, -1):  # the longest title ending before the last word
            if " ".join(low[i:j]) in titles:
                last_title = max(last_title, j - 1)
                break
    words = words[last_title + 1:]
    # Particles: lower-case ones ("de", "bin", "van der"), or a capitalised one that
    # opens the name before a lower-case one ("Van der Berg said").
    for i in range(len(words) - 2, -1, -1):
        w = words[i]
        if re.fullmatch(_PARTICLE, w, re.I) and (w.islower() or i == 0 and words[i + 1][:1].islower()):
            words[i:i + 2] = [w + " " + words[i + 1]]
    return words


def same_person(a: str, b: str) -> bool:
    """Whether two speaker names can be one person as news writes names:
    "Volodymyr Zelensky" / "Zelenskyy" / "President Zelenskiy", "Erdoğan" /
    "Recep Tayyip Erdogan", "V. Zelensky". Surnames compare through accents and
    transliteration-sized spelling differences; given first names must agree
    (an initial agrees with any name it starts)."""
    wa = [fold(w) for w in strip_titles(a.split())]
    wb = [fold(w) for w in strip_titles(b.split())]
    wa, wb = [w for w in wa if w], [w for w in wb if w]
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if not (wa[-1] == wb[-1] or similar_spelling(wa[-1], wb[-1])):
        return False
    if len(wa) == 1 or len(wb) == 1:
        return True
    first_a, first_b = wa[0], wb[0]
    return first_a == first_b or (min(len(first_a), len(first_b)) == 1 and first_a[0] == first_b[0]) \
        or first_a in wb[:-1] or first_b in wa[:-1]  # "Recep Tayyip Erdogan" / "Tayyip Erdogan"
