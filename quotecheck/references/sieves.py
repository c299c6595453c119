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

from ..cues import FEMALE_NOUNS, MALE_NOUNS, ORGANISATION_WORDS, ROLE_NOUNS, TITLE_KEYS
from ..people import fold, similar_spelling
from .gender import add_name_evidence
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
            self.by_surname.setdefault(fold(words[-1]), []).append(person)
            if " " in words[-1]:  # "de Blasio": also its last word alone
                self.by_surname.setdefault(fold(words[-1].split()[-1]), []).append(person)
            if len(words) > 1:
                self.by_first.setdefault(fold(words[0]), []).append(person)
        self.doc.entities.append(person)
        return person

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
            person.gender_evidence.append((m.start, cand.gender, why))
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
        for surname, persons in self.by_surname.items():
            if variant(surname, last):
                for p in persons:
                    if fold(p.name.split()[0]) == first:
                        return p
        return None

    def short(self, word: str, offset: int):
        """The person a single name word refers to: a surname (the latest named
        before ``offset``), a transliteration variant of one, or a first name
        that only one person has."""
        key = fold(word)
        found = self.by_surname.get(key) or []
        if not found and len(key) >= 5:
            found = [p for s, ps in self.by_surname.items() if variant(s, key) for p in ps]
        if not found:
            found = self.by_first.get(key) or []
            if len(found) > 1:
                return None
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        # Several people share the surname (the Clintons): the most salient one
        # where it stands, by the role and nearness of each one's mentions.
        scored = [(sum(ROLE_WEIGHT[m.role] * 0.5 ** ((offset - m.start) / 300) for m in p.chain
                       if m.start < offset), p) for p in found]
        best = max(scored, key=lambda x: x[0])
        if best[0] > 0:
            return best[1]
        return max(found, key=lambda p: len(p.mentions))

    def ambiguous(self, word: str) -> bool:
        """Whether a single name word is the surname of more than one person."""
        return len(self.by_surname.get(fold(word), [])) > 1


# Honorifics that make the name after them a person's ("Ms. Ruiz", "Gov. Keller").
HONORIFICS = TITLE_KEYS
# Labels under which the small model often files a person's name; a run with one
# of them (or none) is tentative until a pronoun or a quote shows who it is.
UNSURE_ENTS = frozenset({"", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC"})


def variant(a: str, b: str) -> bool:
    """Two folded surnames that are one name spelt two ways (Zelensky /
    Zelenskyy, Abedin / Adebin), not a name and its plural or another word
    made from it (Williams / William, Clinton / Clintons)."""
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in ("s", "es", "n", "an", "ed", "er", "ers", "ian"):
        return False
    return similar_spelling(a, b)


def is_person_run(cand: Candidate, lexicon_gender: bool) -> bool:
    """A name run that founds a person: the recogniser says PERSON, an
    honorific introduces it, or, with no label at all, it is the subject of a
    reporting cue or a full name whose first word is a gendered first name
    (a place named like a person, "Orlando", has a label)."""
    if cand.plural:
        return False
    # "the Tax Policy Center": a name ending in an organisation's noun is no
    # person's ("Margaret Court" still is: a gendered first name).
    if cand.words[-1].lower() in ORGANISATION_WORDS and not lexicon_gender:
        return False
    if cand.ent == "PERSON" or any(t.lower().rstrip(".") in HONORIFICS for t in cand.titles):
        return True
    # "Ines Barros, who runs the cafe": only a person is a "who", whatever the
    # label; "the ministry's spokesman, Oleg Nikolenko": only a person holds a role.
    if (cand.who or cand.roles & ROLE_NOUNS) and cand.ent not in ("NORP", "DATE", "TIME"):
        return True
    if cand.ent:
        return False
    return cand.cue_subject or (lexicon_gender and len(cand.words) >= 2)


def run_name_sieves(ents: Entities, cands: list[Candidate]) -> None:
    from .lexicon import first_name_gender

    names = [c for c in cands if c.mention.kind in ("name", "surname")]
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
    weak = [c for c in weak if not _tentative(ents, c)]
    # Sieve 2: surnames and first names alone.
    for c in singles:
        person = ents.short(c.words[0], c.mention.start)
        if person is not None and c.ent not in ("NORP", "GPE", "LOC") and not c.plural:
            if fold(c.words[0]) != fold(person.name.split()[0]) or len(person.name.split()) == 1:
                c.mention.kind = "surname"
            else:
                c.mention.kind = "name"  # a first name used alone ("Hillary")
            ents.link(person, c)
        elif is_person_run(c, False):
            person = ents.new(c.words[0])
            add_name_evidence(person, c.words, c.mention.start)
            ents.link(person, c)
        else:
            weak.append(c)
    for c in weak:
        _tentative(ents, c)


def _tentative(ents: Entities, c: Candidate) -> bool:
    """A weak run (an organisation's label, or none): a person it names
    exactly; else a tentative entity (the small model files a third of person
    names under ORG or nothing), a group for a plural, or no one (a place, a
    nationality, a date). True when the run found its entity."""
    if c.plural and c.token.dep_ != "compound":
        name = " ".join(c.words)
        group = ents.by_key.get(fold(name))
        if group is None or not group.is_group:
            group = ents.new(name, is_group=True)
        ents.link(group, c)
        return True
    if c.ent not in UNSURE_ENTS or c.token.dep_ == "compound" or c.mention.in_quote:
        return True  # no one: done with it
    person = ents.by_key.get(fold(" ".join(c.words)))
    if person is None and len(c.words) == 1:
        person = ents.short(c.words[0], c.mention.start)
    if person is None:
        person = ents.new(" ".join(c.words), words=c.words)
        # "Tax Policy Center", "Harbour Authority": a name ending in an
        # organisation's noun is an organisation, whatever the label.
        org_named = c.words[-1].lower() in ORGANISATION_WORDS
        person.tentative, person.label = True, "ORG" if org_named else c.ent
        if len(c.words) >= 2 and not c.ent:
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
        if person.tentative and person.name.split()[-1].lower() in ORGANISATION_WORDS:
            # An organisation's name: a group, and no "he"/"she" is its.
            for m in [m for m in person.chain if m.kind == "pronoun" and m.pronoun in ("he", "she")]:
                person.detach(m)
            person.tentative, person.is_group = False, True
        if person.tentative:
            named_like_person = any(why == "lexicon" for _, _, why in person.gender_evidence)
            if any(p in ("he", "she") for _, p in person.pronouns) or \
                    id(person) in speakers and (person.label != "ORG" or named_like_person):
                person.tentative = False
            elif person.label == "ORG":
                person.tentative, person.is_group = False, True
                person.pronouns = [(o, p) for o, p in person.pronouns if p == "they"]
            else:
                for m in person.chain:
                    m.entity = None
                doc.people.pop(fold(person.name) or person.name, None)
                continue
        kept.append(person)
    doc.entities = kept


def run_description_sieve(ents: Entities, cands: list[Candidate]) -> None:
    """"the professor" → the one entity introduced as a professor before it."""
    for c in cands:
        m = c.mention
        if m.kind not in ("title", "description") or c.plural:
            continue
        holders = []
        for person in ents.doc.entities:
            if person.is_group or not any(o < m.start for o, _ in person.mentions):
                continue
            if c.age is not None:
                if ents.ages.get(person) == c.age:
                    holders.append(person)
            elif c.head in ents.roles.get(person, ()):
                holders.append(person)
        if not holders and c.age is None:
            # "the Harbour Authority … the authority": a group named by its head noun.
            holders = [g for g in ents.doc.entities if (g.is_group or g.tentative and g.label == "ORG")
                       and g.name.split()[-1].lower() == c.head
                       and any(o < m.start for o, _ in g.mentions)]
        # One holder; or, of several holders of a role (not of an age), the one
        # named last before the description.
        if len(holders) == 1 or holders and c.age is None:
            ents.link(_latest(holders, m.start), c)


def _latest(persons, offset):
    """Of the holders of one role, the one named last before ``offset``."""
    return max(persons, key=lambda p: max(o for o, _ in p.mentions if o < offset))
