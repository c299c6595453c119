"""Name and description sieves: mention → entity, highest precision first.

1. ``full_names``: a person's full name (a recogniser PERSON, a name after a
   title or role, or the subject of a reporting cue) founds an entity; the same
   name again, a longer form of it ("Barack Hussein Obama") or a
   transliteration variant (Zelensky / Zelenskyy) joins it.
2. ``short_names``: a surname or a first name alone joins the entity it
   shortens (the latest one named before it when two share a surname).
3. ``groups``: organisations and plurals ("the Clintons") are groups, never
   persons.
4. ``descriptions``: "the professor", "the governor", "the 43-year-old" join the
   one entity an earlier title, apposition or predicate gave that noun or age.

Pronouns are left to :mod:`.salience`.
"""
from __future__ import annotations

import bisect

from ..cues import EVENT_WORDS, FEMALE_NOUNS, MALE_NOUNS, ORGANISATION_WORDS, ROLE_NOUNS, TITLE_KEYS
from ..people import fold, similar_spelling
from .gender import add_name_evidence, gender
from .mentions import Candidate
from .salience import ROLE_WEIGHT


class Entities:
    """The entities of one document being built, with their lookup tables."""

    def __init__(self, doc):
        self.doc = doc
        self.by_key: dict[str, object] = doc.people  # folded full name -> Person
        self.by_surname: dict[str, list] = {}
        self.by_first: dict[str, list] = {}
        self.roles: dict[object, set[str]] = {}  # Person -> role nouns the text gave
        self.ages: dict[object, str] = {}
        self.spellings = VariantIndex()  # the surnames of by_surname, for spelling variants

    # -- building ----------------------------------------------------------
    def new(self, name: str, is_group: bool = False, words: list[str] | None = None):
        """A new entity; ``words``: its name words when a surname has several
        ("Bill", "de Blasio")."""
        from ..model import Person

        key = fold(name) or name
        person = Person(name=name, is_group=is_group)
        self.by_key[key] = person
        words = words or name.split()
        if not is_group and words:
            self._surname(fold(words[-1]), person)
            if " " in words[-1]:  # "de Blasio": also its last word alone
                self._surname(fold(words[-1].split()[-1]), person)
            if len(words) > 1:
                self.by_first.setdefault(fold(words[0]), []).append(person)
        self.doc.entities.append(person)
        return person

    def _surname(self, key: str, person) -> None:
        self.by_surname.setdefault(key, []).append(person)
        self.spellings.add(key)

    def variants(self, key: str) -> list[str]:
        """The surnames known so far that are spelling variants of ``key``, in
        the order they were first seen."""
        return [s for s in self.spellings.near(key) if variant(s, key)]

    def group(self, name: str):
        """The group of this name, made on first use."""
        found = self.by_key.get(fold(name))
        return found if found is not None and found.is_group else self.new(name, is_group=True)

    def link(self, person, cand: Candidate) -> None:
        m = cand.mention
        if len(cand.words) > len(person.name.split()) and not person.is_group:
            self._lengthen(person, cand.words)
        if len(cand.words) >= 2:
            add_name_evidence(person, cand.words, m.start)
        person.attach(m)
        if cand.titles and person.title is None:
            person.title = cand.titles[-1]
        if cand.gender is not None and not person.is_group:
            why = "title" if any(t.lower() in MALE_NOUNS | FEMALE_NOUNS for t in cand.titles) else "noun"
            person.add_evidence(m.start, cand.gender, why)
        if cand.roles:
            self.roles.setdefault(person, set()).update(cand.roles)
        if cand.age:
            self.ages[person] = cand.age

    def _lengthen(self, person, words: list[str]) -> None:
        """A surname-only entity ("Warren", from a blanked headline's neighbour)
        meets its full name ("Elizabeth Warren"): the entity takes the full name."""
        person.name = " ".join(words)
        self.by_key.setdefault(fold(person.name), person)
        self.by_first.setdefault(fold(words[0]), []).append(person)

    # -- lookups -------------------------------------------------------------
    def full(self, words: list[str]):
        """The person a full name (two words or more) names, if known."""
        key = fold(" ".join(words))
        person = self.by_key.get(key)
        if person is not None:
            return person
        last, first = fold(words[-1]), fold(words[0])
        for p in self.by_surname.get(last, []):
            if fold(p.name.split()[0]) == first:
                return p  # a longer or shorter form: "Barack Hussein Obama"
        lone = [p for p in self.by_surname.get(last, []) if len(p.name.split()) == 1 and not p.is_group]
        if len(lone) == 1:
            return lone[0]  # "Warren" named first, "Elizabeth Warren" after
        for surname in self.variants(last):
            for p in self.by_surname[surname]:
                if fold(p.name.split()[0]) == first:
                    return p
        return None

    def short(self, word: str, offset: int, fuzzy: bool = True, pronoun: str | None = None,
              titled: bool = False):
        """The person a single name word refers to: a surname (the latest named
        before ``offset``), a transliteration variant of one (unless not
        ``fuzzy``), or a first name that only one person has (not when
        ``titled``: "Mr. Obama" is a surname). ``pronoun``: the gender a title
        before the word gives ("Mr. Clinton", "Mrs. Khan"); a person the
        evidence gives the other gender is not the one."""
        key = fold(word)
        found = self.by_surname.get(key) or []
        if not found and fuzzy and len(key) >= 5:
            found = [p for s in self.variants(key) for p in self.by_surname[s]]
        if pronoun is not None:
            found = [p for p in found if gender(p) in (None, pronoun)]
        if not found and not titled:
            found = self.by_first.get(key) or []
            if len(found) > 1:
                return None
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        # Several people share the surname (the Clintons): the most salient one
        # where it stands, by the role and nearness of each one's mentions.
        scored = [(_nearness(p, offset), p) for p in found]
        best = max(scored, key=lambda x: x[0])
        if best[0] > 0:
            return best[1]
        return max(found, key=lambda p: len(p.mentions))

    def ambiguous(self, word: str) -> bool:
        """Whether a single name word is the surname of more than one person."""
        return len(self.by_surname.get(fold(word), [])) > 1


# A mention's weight halves every NEARNESS_HALF_LIFE characters back; past
# NEARNESS_REACH (64 half-lives, a weight under 10^-19) it adds nothing.
NEARNESS_HALF_LIFE = 300
NEARNESS_REACH = 64 * NEARNESS_HALF_LIFE


def _nearness(person, offset: int) -> float:
    """How present ``person`` is where ``offset`` stands: the role weights of
    their mentions before it, each halving every 300 characters back. Only the
    mentions within reach are visited (the chain's offsets are kept sorted);
    if none is, the nearest earlier one alone still counts."""
    by_start = person.index().by_start
    i = bisect.bisect_left(by_start, (offset,))
    total, j = 0.0, i - 1
    while j >= 0 and offset - by_start[j][0] <= NEARNESS_REACH:
        start, role = by_start[j]
        total += ROLE_WEIGHT[role] * 0.5 ** ((offset - start) / NEARNESS_HALF_LIFE)
        j -= 1
    if j == i - 1 and j >= 0:  # all out of reach: the nearest one's (vanishing) weight
        start, role = by_start[j]
        total = ROLE_WEIGHT[role] * 0.5 ** ((offset - start) / NEARNESS_HALF_LIFE)
    return total


class VariantIndex:
    """Folded surnames by every form with up to two letters deleted: two words
    within two edits of each other share such a form, so the spelling variants
    of a name are found by looking its forms up, never by comparing it with
    every surname seen (which grows with the cast)."""

    def __init__(self) -> None:
        self.order: dict[str, int] = {}  # surname -> when first seen
        self.forms: dict[str, list[str]] = {}

    def add(self, word: str) -> None:
        if word in self.order or len(word) < MIN_VARIANT_LENGTH:
            return
        self.order[word] = len(self.order)
        for form in _deletions(word):
            self.forms.setdefault(form, []).append(word)

    def near(self, word: str) -> list[str]:
        """Surnames within two edits of ``word`` (and maybe a few more), in the order first seen."""
        if len(word) < MIN_VARIANT_LENGTH:
            return []
        found = {w for form in _deletions(word) for w in self.forms.get(form, ())}
        return sorted(found, key=self.order.__getitem__)


MIN_VARIANT_LENGTH = 5  # similar_spelling: shorter names are never variants


def _deletions(word: str) -> set[str]:
    ones = {word[:i] + word[i + 1:] for i in range(len(word))}
    return {word} | ones | {w[:i] + w[i + 1:] for w in ones for i in range(len(w))}


# Honorifics that make the name after them a person's ("Ms. Ruiz", "Gov. Keller").
HONORIFICS = TITLE_KEYS
# Labels under which the small model often files a person's name; a run with one
# of them (or none) is tentative until a pronoun or a quote shows who it is.
UNSURE_ENTS = frozenset({"", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"})


def honorific(c: Candidate) -> bool:
    """Whether an honorific or a title stands before the name ("Mr.", "Gov.")."""
    return any(t.lower().rstrip(".") in HONORIFICS for t in c.titles)


def variant(a: str, b: str) -> bool:
    """Two folded surnames that are one name spelt two ways (Zelensky /
    Zelenskyy, Abedin / Adebin), not a name and its plural or another word
    made from it (Williams / William, Clinton / Clintons)."""
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in ("s", "es", "n", "an", "i", "ed", "er", "ers", "ian"):
        return False
    # A misspelt name keeps its ending (Scheiderman, Bornsten, Adebin), or
    # doubles its last letter (Zelenskyy); words that end otherwise are other
    # words (Politico / Politics, David / Davis, Franco / Francis).
    if short[-1:] != long_[-1:] and not (long_ == short + short[-1:]):
        return False
    return similar_spelling(a, b)


def is_person_run(cand: Candidate, lexicon_gender: bool) -> bool:
    """A name run that founds a person: the recogniser says PERSON, an
    honorific introduces it, or, with no label at all, it is the subject of a
    reporting cue or a full name whose first word is a gendered first name
    (a place named like a person, "Orlando", has a label)."""
    if cand.plural:
        return False
    # "the Tax Policy Center", "the French Open": a name ending in an
    # organisation's or an event's noun is no person's ("Margaret Court" and
    # "Doris Day" still are: a gendered first name).
    if named_thing(cand.words) and not lexicon_gender:
        return False
    if cand.definite and cand.ent != "PERSON":
        return False  # "the French Open", "the Kremlin" ("the Dalai Lama" is tagged PERSON)
    if cand.ent == "PERSON" or honorific(cand):
        return True
    # "Ines Barros, who runs the cafe": only a person is a "who", whatever the
    # label; "the ministry's spokesman, Oleg Nikolenko": only a person holds a role.
    if (cand.who or cand.roles & ROLE_NOUNS) and cand.ent not in ("NORP", "DATE", "TIME"):
        return True
    if cand.ent in ("GPE", "LOC", "NORP") and lexicon_gender and len(cand.words) >= 2 and not _place_use(cand):
        return True  # "Ada Okafor" tagged as a place: the small model's error on unfamiliar surnames
    if cand.ent:
        return False
    return cand.cue_subject or (lexicon_gender and len(cand.words) >= 2)


# Prepositions after which a place-tagged word is used as a place ("in Paris").
PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "to", "into", "near", "across", "outside", "inside",
                                "throughout", "around", "toward", "towards"})


def _place_use(c: Candidate) -> bool:
    """Whether a word the recogniser calls a place or a nationality is used as
    one: after a place preposition, in a compound ("Washington officials"), as
    an adjective or in a hyphenated one ("Richmond-based"). The small model tags many surnames GPE ("Rivera said"); once
    the document has named the person ("Ana Rivera"), the surname alone is hers
    unless the sentence uses it as a place."""
    tok = c.token
    if tok.dep_ in ("compound", "amod"):
        return True
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.text == "-" and not tok.whitespace_:
        return True  # "the Richmond-based utility"
    return tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPOSITIONS


def named_thing(words: list[str]) -> str | None:
    """ "organisation" or "event" when a name's last word is an organisation's
    or an event's noun ("Harbour Authority", "Lighting Services Inc.", "the
    French Open"), else None."""
    last = words[-1].lower().rstrip(".") if words else ""
    if last in ORGANISATION_WORDS:
        return "organisation"
    if last in EVENT_WORDS:
        return "event"
    return None


def _may_be_misspelt(c: Candidate) -> bool:
    """Whether a single word may join a person as a misspelling of the
    surname (Adebin for Abedin): a capitalised word that is no place,
    nationality or language ("Texan" is not "Texas", "Latina" not "Latinos"),
    and no organisation's or event's noun ("Board" is not "Bovard")."""
    return c.words[0][:1].isupper() and c.ent not in ("NORP", "GPE", "LOC", "LANGUAGE") \
        and named_thing(c.words) is None


def _name_part(c: Candidate) -> bool:
    """The end of a longer name joined by "of": "the House of Commons", "the
    Bank of England", "the University of Lagos" (not "the son of Tom Reyes":
    a common noun before "of")."""
    tok = c.token
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "PROPN"


def _place_tagged_first_name(c: Candidate) -> bool:
    """A first name the recogniser took for a place or a nationality ("Octavia
    said", "Gavin's brother"): one word the first-name lexicon knows, not used
    as a place. It stays tentative: only a "he"/"she" or a quote makes it a
    person, and only a pronoun of the lexicon's gender can."""
    from .lexicon import first_name_gender

    return c.ent in ("GPE", "LOC", "NORP") and len(c.words) == 1 and not _place_use(c) \
        and first_name_gender(c.words[0]) is not None


def used_as_surname(names: list[Candidate]) -> frozenset[str]:
    """Single name words the text uses as surnames: after an honorific ("Mr.
    Clinton") or as the modifier of a common noun ("the Clinton campaign",
    "the Trump administration"). A first-name lexicon says nothing about them
    (Clinton, Taylor and Jordan are first names too)."""
    out = set()
    for c in names:
        if len(c.words) != 1:
            continue
        tok = c.token
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" or \
                honorific(c):
            out.add(fold(c.words[0]))
    return frozenset(out)


def run_name_sieves(ents: Entities, cands: list[Candidate]) -> None:
    from .lexicon import first_name_gender

    names = [c for c in cands if c.mention.kind in ("name", "surname")]
    surnames = used_as_surname(names)
    weak: list[Candidate] = []
    # Sieve 1: full names found entities.
    singles = []
    for c in names:
        if len(c.words) < 2:
            singles.append(c)
            continue
        gendered = len(c.words[0]) > 1 and first_name_gender(c.words[0]) is not None
        person = ents.full(c.words)
        if person is not None and not person.is_group:
            ents.link(person, c)
        elif is_person_run(c, gendered):
            person = ents.new(" ".join(c.words), words=c.words)
            add_name_evidence(person, c.words, c.mention.start)
            ents.link(person, c)
        else:
            weak.append(c)
    # Full names nothing yet shows to be a person's are tentative entities now,
    # so that a surname alone can find them.
    weak = [c for c in weak if not _tentative(ents, c, surnames)]
    # Sieve 2: surnames and first names alone.
    for c in singles:
        person = ents.short(c.words[0], c.mention.start, fuzzy=_may_be_misspelt(c), pronoun=c.gender,
                            titled=honorific(c))
        # "Sanders said": the tagger's plural is a surname ending in -s; "the
        # Clintons" (an article) is the family.
        if c.plural and (c.definite or person is None or fold(c.words[0]) not in ents.by_surname):
            person = None
        if person is not None and not (c.ent in ("NORP", "GPE", "LOC") and _place_use(c)):
            if fold(c.words[0]) != fold(person.name.split()[0]) or len(person.name.split()) == 1:
                c.mention.kind = "surname"
            else:
                c.mention.kind = "name"  # a first name used alone ("Hillary")
            ents.link(person, c)
        elif is_person_run(c, False):
            person = ents.new(c.words[0])
            if fold(c.words[0]) not in surnames:
                add_name_evidence(person, c.words, c.mention.start)
            ents.link(person, c)
        else:
            weak.append(c)
    for c in weak:
        _tentative(ents, c, surnames)


def _tentative(ents: Entities, c: Candidate, surnames: frozenset[str] = frozenset()) -> bool:
    """A weak run (an organisation's label, or none): a person it names
    exactly; else a tentative entity (the small model files a third of person
    names under ORG or nothing), a group for a plural, or no one (a place, a
    nationality, a date). True when the run found its entity."""
    name = " ".join(c.words)
    if c.plural and c.token.dep_ != "compound":
        ents.link(ents.group(name), c)
        return True
    if c.token.dep_ == "compound" or c.mention.in_quote or _name_part(c):
        return True  # no one: done with it
    if c.ent not in UNSURE_ENTS and not _place_tagged_first_name(c):
        return True
    thing = named_thing(c.words)
    if thing == "event" or c.definite and c.ent != "ORG" and thing is None:
        return True  # "the Worcester Festival", "the Kremlin" untagged: a place or an event
    if thing == "organisation":
        # "Tax Policy Center", "Harbour Authority": an organisation, whatever
        # the label; never a "he" or a "she".
        ents.link(ents.group(name), c)
        return True
    person = ents.by_key.get(fold(name))
    if person is None and len(c.words) == 1:
        person = ents.short(c.words[0], c.mention.start, fuzzy=_may_be_misspelt(c))
    if person is None:
        person = ents.new(name, words=c.words)
        person.tentative, person.label = True, c.ent
        if len(c.words) >= 2 and not c.ent or len(c.words) == 1 and fold(c.words[0]) not in surnames:
            add_name_evidence(person, c.words, c.mention.start)
    ents.link(person, c)
    return True


def settle_tentative(doc) -> None:
    """After pronouns and attribution: a tentative entity a "he"/"she" or a
    quote made a person stays (a person); one tagged as an organisation is a
    group; the rest were no one and leave the document's entities."""
    speakers = {id(q.attribution.person) for q in doc.quotes if q.attribution.person is not None}
    kept = []
    for person in doc.entities:
        if person.tentative:
            named_like_person = bool(person.index().lexicon)
            if any(p in ("he", "she") for _, p in person.pronouns) or \
                    id(person) in speakers and (person.label != "ORG" or named_like_person):
                person.tentative = False
            elif person.label == "ORG":
                person.tentative, person.is_group = False, True
                person.keep_pronouns("they")
            else:
                for m in person.chain:
                    m.entity = None
                doc.people.pop(fold(person.name) or person.name, None)
                continue
        kept.append(person)
    doc.entities = kept


def run_description_sieve(ents: Entities, cands: list[Candidate]) -> None:
    """"the professor" → the one entity introduced as a professor before it."""
    # Who holds each role noun and each age, and which groups end in each noun,
    # in entity order, looked up per description (linking a description adds
    # no role, age or entity, so the tables hold for the whole sieve).
    order = {id(p): i for i, p in enumerate(ents.doc.entities)}
    by_role: dict[str, list] = {}
    for person, nouns in ents.roles.items():
        for noun in nouns:
            by_role.setdefault(noun, []).append(person)
    by_age: dict[str, list] = {}
    for person, age in ents.ages.items():
        by_age.setdefault(age, []).append(person)
    by_head: dict[str, list] = {}
    for g in ents.doc.entities:
        if g.is_group or g.tentative and g.label == "ORG":
            by_head.setdefault(g.name.split()[-1].lower(), []).append(g)
    for c in cands:
        m = c.mention
        if m.kind not in ("title", "description") or c.plural:
            continue
        named = by_age.get(c.age, []) if c.age is not None else by_role.get(c.head, [])
        holders = sorted((p for p in named if id(p) in order and not p.is_group
                          and p.index().mentioned_before(m.start)), key=lambda p: order[id(p)])
        if not holders and c.age is None:
            # "the Harbour Authority … the authority": a group named by its head noun.
            holders = [g for g in by_head.get(c.head, []) if g.index().mentioned_before(m.start)]
        # One holder; or, of several holders of a role (not of an age), the one
        # named last before the description.
        if len(holders) == 1 or holders and c.age is None:
            ents.link(_latest(holders, m.start), c)


def _latest(persons, offset):
    """Of the holders of one role, the one named last before ``offset``."""
    return max(persons, key=lambda p: p.index().last_before(offset))
