"""Stage 3b: who a document talks about — names, their short forms, their pronouns.

Names are scanned from the whole text with a cheap pattern (no parse needed), so
a surname-only mention ("Denisenko said") resolves to the full name introduced
paragraphs earlier, even where that paragraph was never parsed.
"""
from __future__ import annotations

import bisect
import re
import unicodedata

from .cues import FEMALE_TITLES, MALE_TITLES, TITLES
from .model import Document, Person

_CAP = r"(?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.(?:[A-Z]\.)?|[A-Z]{2,}(?=\s+[A-Z][a-z]))"
_PARTICLE = r"(?:de|del|der|van|von|bin|ibn|al|la|le|da|dos|di|du|ter|ten)"
# A multi-word title ("Secretary of State", "Minister of Foreign Affairs"), from cues.TITLES.
_MULTI_TITLE = "|".join(sorted((r"\s+".join(w if w in ("of", "for", "the", "and") else w.capitalize()
                                             for w in t.split()) for t in TITLES if " " in t),
                               key=len, reverse=True))
NAME_RE = re.compile(
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


def name_matches(text: str):
    """Each capitalised run that may be a name, as (match, words): possessives
    dropped, and sentence-openers and other capitalised non-names trimmed."""
    for m in NAME_RE.finditer(text):
        words = [POSSESSIVE_RE.sub("", w) for w in m.group("name").split()]
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        while words and words[-1] in NOT_NAMES:
            words = words[:-1]
        yield m, words


_TITLE_KEYS = frozenset(t.rstrip(".") for t in TITLES)


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
    titles = _TITLE_KEYS
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


class PeopleIndex:
    """Persons of one document, with every place each is named."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.persons: dict[str, Person] = doc.people
        self.by_surname: dict[str, list[Person]] = {}
        self.mentions: list[tuple[int, Person]] = []  # sorted by offset
        self._offsets: list[int] = []  # the offsets of ``mentions``, for bisect
        self._scan()

    # -- building -------------------------------------------------------
    def _scan(self) -> None:
        text = self.doc.text
        singles = []
        for m, words in name_matches(text):
            title = (m.group("title") or "").split()[-1] if m.group("title") else None
            if len(words) >= 2:
                written = (title + " " if title else "") + " ".join(words)
                person = self.add(" ".join(words), m.start("name"), written, title=title)
            elif len(words) == 1:
                singles.append((m.start("name"), words[0], title))
        for offset, word, title in singles:
            person = self.resolve_surname(word, offset)
            if person is not None:
                self._mention(person, offset, word)
                self._note_title(person, title)

    def add(self, name: str, offset: int, written: str, title: str | None = None,
            is_group: bool = False) -> Person:
        # Whatever the caller found (even only punctuation) still becomes one person.
        words = strip_titles(name.split()) or [name.strip() or "(unnamed)"]
        name = " ".join(words)
        key = fold(name) or name
        person = self.persons.get(key) or self._variant_of(words)
        if person is None:
            person = Person(name=name, is_group=is_group)
            self.persons[key] = person
            self.by_surname.setdefault(fold(words[-1]), []).append(person)
        self._mention(person, offset, written)
        self._note_title(person, title)
        return person

    def _mention(self, person: Person, offset: int, written: str) -> None:
        """Record a mention, keeping the document-wide index in offset order."""
        person.mentions.append((offset, written))
        i = bisect.bisect_right(self._offsets, offset)
        self._offsets.insert(i, offset)
        self.mentions.insert(i, (offset, person))

    def _variant_of(self, words: list[str]) -> Person | None:
        """A known person this name is a spelling variant of (same first name, or
        a lone surname, and a surname within a transliteration's distance)."""
        last = fold(words[-1])
        for surname, persons in self.by_surname.items():
            if similar_spelling(surname, last):
                for p in persons:
                    if len(words) == 1 or fold(p.name.split()[0]) == fold(words[0]):
                        return p
        return None

    def _note_title(self, person: Person, title: str | None) -> None:
        if not title:
            return
        t = title.lower()
        person.title = person.title or title
        if t in MALE_TITLES:
            person.pronouns.append((-1, "he"))
        elif t in FEMALE_TITLES:
            person.pronouns.append((-1, "she"))

    # -- lookups ----------------------------------------------------------
    def resolve_surname(self, word: str, offset: int | None = None) -> Person | None:
        """The full-name person this surname refers to: the latest one introduced
        before ``offset`` (or any, if none was introduced before)."""
        candidates = self.by_surname.get(fold(word), [])
        if not candidates:
            variant = self._variant_of([word])
            return variant
        if len(candidates) == 1:
            return candidates[0]
        # Several people share the surname (the Obamas): the one named most
        # recently before this place, else the one the document names most.
        if offset is not None:
            before = [(max(o for o, _ in p.mentions if o < offset), p) for p in candidates
                      if any(o < offset for o, _ in p.mentions)]
            if before:
                return max(before, key=lambda x: x[0])[1]
        return max(candidates, key=lambda p: len(p.mentions))

    def known(self, name: str, offset: int) -> Person | None:
        """The person a name as written refers to, if the document introduced one."""
        words = strip_titles(name.split())
        if not words:
            return None
        person = self.persons.get(fold(" ".join(words)))
        if person is None and len(words) == 1:
            person = self.resolve_surname(words[0], offset)
        return person

    def resolve_name(self, name: str, offset: int) -> Person:
        """A person for a name as written: a known full name, a surname, or new."""
        person = self.known(name, offset)
        if person is not None:
            return person
        words = strip_titles(name.split())
        # A longer form of a known name ("Barack Hussein Obama") is that person.
        if words:
            for p in self.by_surname.get(fold(words[-1]), []):
                if fold(p.name.split()[0]) == fold(words[0]):
                    return p
        return self.add(" ".join(words) or name, offset, name)

    def recent(self, offset: int, limit: int = 8) -> list[Person]:
        """Persons named before ``offset``, most recent first, each once."""
        i = bisect.bisect_left(self._offsets, offset)
        seen, out = set(), []
        while i > 0 and len(out) < limit:
            i -= 1
            p = self.mentions[i][1]
            if id(p) not in seen and not p.is_group:
                seen.add(id(p))
                out.append(p)
        return out


def gender_of(person: Person | None) -> str | None:
    """The pronoun a document uses for a person most often, if any."""
    if person is None or not person.pronouns:
        return None
    counts: dict[str, int] = {}
    for _, p in person.pronouns:
        counts[p] = counts.get(p, 0) + 1
    best = max(counts, key=counts.get)
    return best if counts[best] * 2 > len(person.pronouns) else None


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
