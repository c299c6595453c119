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

from ..cues import FEMALE_NOUNS, MALE_NOUNS
from ..people import fold, similar_spelling
from .gender import add_name_evidence
from .mentions import NOT_PERSON_ENTS, Candidate


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
    def new(self, name: str, is_group: bool = False):
        from ..model import Person

        key = fold(name) or name
        person = Person(name=name, is_group=is_group)
        self.by_key[key] = person
        words = name.split()
        if not is_group and words:
            self.by_surname.setdefault(fold(words[-1]), []).append(person)
            if len(words) > 1:
                self.by_first.setdefault(fold(words[0]), []).append(person)
        self.doc.entities.append(person)
        return person

    def link(self, person, cand: Candidate) -> None:
        m = cand.mention
        m.entity = person
        person.chain.append(m)
        if m.kind == "pronoun":
            if m.pronoun in ("he", "she", "they"):
                person.pronouns.append((m.start, m.pronoun))
        else:
            person.mentions.append((m.start, m.text))
        if cand.titles and person.title is None:
            person.title = cand.titles[-1]
        if cand.gender is not None and not person.is_group:
            why = "title" if any(t.lower() in MALE_NOUNS | FEMALE_NOUNS for t in cand.titles) else "noun"
            person.gender_evidence.append((m.start, cand.gender, why))
        if cand.roles:
            self.roles.setdefault(person, set()).update(cand.roles)
        if cand.age:
            self.ages[person] = cand.age

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
        for surname, persons in self.by_surname.items():
            if similar_spelling(surname, last):
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
            found = [p for s, ps in self.by_surname.items() if similar_spelling(s, key) for p in ps]
        if not found:
            found = self.by_first.get(key) or []
            if len(found) > 1:
                return None
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        before = [(max(o for o, _ in p.mentions if o < offset), p) for p in found
                  if any(o < offset for o, _ in p.mentions)]
        if before:
            return max(before, key=lambda x: x[0])[1]
        return max(found, key=lambda p: len(p.mentions))


def is_person_run(cand: Candidate, lexicon_gender: bool) -> bool:
    """A name run that founds a person: the recogniser says PERSON, a title or
    role introduces it, it is the subject of a reporting cue, or (with no
    contrary label) its first word is a gendered first name."""
    if cand.plural:
        return False
    if cand.ent == "PERSON" or cand.titles:
        return True
    # The small model tags about a third of person names ORG or GPE; a full
    # name whose first word is a gendered first name is a person all the same.
    if lexicon_gender and len(cand.words) >= 2 and cand.ent not in ("NORP", "DATE", "TIME", "EVENT"):
        return True
    if cand.ent in NOT_PERSON_ENTS or cand.ent == "ORG":
        return False
    return cand.cue_subject


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
            person = ents.new(" ".join(c.words))
            add_name_evidence(person, c.words, c.mention.start)
            ents.link(person, c)
        else:
            weak.append(c)
    # Sieve 2: surnames and first names alone.
    for c in singles:
        person = ents.short(c.words[0], c.mention.start)
        if person is not None and c.ent not in ("NORP",) and not c.plural:
            c.mention.kind = "surname"
            ents.link(person, c)
        elif is_person_run(c, False) and c.ent != "ORG":
            person = ents.new(c.words[0])
            ents.link(person, c)
        else:
            weak.append(c)
    # Weak runs (an organisation, an unlabelled word) join a person they name
    # exactly; organisations found groups; the rest names no one.
    for c in weak:
        if c.ent in ("NORP",) and not c.plural:
            continue
        person = ents.full(c.words) if len(c.words) > 1 else ents.short(c.words[0], c.mention.start)
        if person is not None and c.ent not in ("GPE", "LOC", "FAC") and not c.plural:
            ents.link(person, c)
        elif (c.ent == "ORG" or c.plural) and c.token.dep_ != "compound":
            name = " ".join(c.words)
            group = ents.by_key.get(fold(name))
            if group is None or not group.is_group:
                group = ents.new(name, is_group=True)
            ents.link(group, c)


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
        if len(holders) == 1 or holders and c.age is None and _latest(holders, m.start) is not None:
            person = holders[0] if len(holders) == 1 else _latest(holders, m.start)
            ents.link(person, c)


def _latest(persons, offset):
    """Of several holders of one role, the one named last before ``offset``
    when it was named in the same or the previous paragraph; else None."""
    best = max(persons, key=lambda p: max(o for o, _ in p.mentions if o < offset))
    return best
