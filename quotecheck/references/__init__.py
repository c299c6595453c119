"""Stage 3b: the reference layer — every mention of every person and group in a
document, clustered into entities, for the whole document.

Two halves, as in sieve-based attribution and coreference:

- :mod:`.mentions` finds candidates in the parse (names, roles and
  descriptions, pronouns): *match*;
- :mod:`.sieves` then :mod:`.salience` decide, highest precision first: full
  names, short names, groups, descriptions, then pronouns by salience: *decide*.

:func:`resolve_references` runs before attribution (which then asks
:class:`References` who a mention is: quote → mention → entity);
:func:`finish_references` runs after it, resolving the pronouns inside quotes
(a quote's own speaker is an unlikely antecedent there) and numbering the
entities. The rules, the sources and ``quotecheck people`` read the result:
``doc.entities`` (an entity's index is its id) and ``doc.mentions``.

Reads: ``doc.parses``, ``doc.quotes``, ``doc.furniture``. Writes:
``doc.entities``, ``doc.mentions``, ``doc.people``.
"""
from __future__ import annotations

import bisect

from ..model import Document, Mention, Person
from ..people import fold, strip_titles
from . import salience
from .gender import add_registry_evidence
from .mentions import Candidate, find_candidates, quote_token_sets
from .sieves import Entities, run_description_sieve, run_name_sieves, settle_tentative

__all__ = ["References", "resolve_references", "finish_references"]


class References:
    """One document's entities, and the lookups attribution needs."""

    def __init__(self, doc: Document, registry=None):
        self.doc = doc
        self.registry = registry
        self.entities = Entities(doc)
        self.inside = quote_token_sets(doc)
        self.candidates: list[Candidate] = find_candidates(doc, self.inside)
        run_name_sieves(self.entities, self.candidates)
        run_description_sieve(self.entities, self.candidates)
        for person in doc.entities:
            add_registry_evidence(person, registry)
        salience.resolve(self.candidates)
        self._starts = [c.mention.start for c in self.candidates]

    # -- quote → mention → entity -------------------------------------------
    def mention_at(self, offset: int) -> Mention | None:
        """The mention that starts at, or holds, ``offset``."""
        i = bisect.bisect_right(self._starts, offset) - 1
        for j in (i, i + 1):
            if 0 <= j < len(self.candidates):
                m = self.candidates[j].mention
                if m.start <= offset < max(m.end, m.start + 1):
                    return m
        return None

    def entity_at(self, offset: int) -> Person | None:
        m = self.mention_at(offset)
        return m.entity if m is not None else None

    def known(self, name: str, offset: int) -> Person | None:
        """The entity a name as written at ``offset`` refers to, if the
        document has one: the entity the sieves gave the name mention written
        there ("Mr. Okafor" is not his wife), else one found by the name."""
        words = strip_titles(name.split())
        if not words:
            return None
        for m in (self.mention_at(offset), *self._between(offset, offset + len(name))):
            if m is None or m.entity is None or m.entity.tentative:
                continue
            # The same last word: "Mr. Okafor" at his mention, or "the Governor"
            # at the description the description sieve linked.
            if m.kind != "pronoun" and fold(m.text).split()[-1:] == fold(words[-1]).split()[-1:]:
                return m.entity
        if len(words) == 1:
            return self.entities.short(words[0], offset) or self.entities.by_key.get(fold(words[0]))
        return self.entities.full(words)

    def resolve_name(self, name: str, offset: int) -> Person:
        """The entity for a name attribution found on the surface; a new one if
        the document has none (a name the parser did not see as one)."""
        person = self.known(name, offset)
        if person is not None:
            return person
        words = strip_titles(name.split())
        return self.add(" ".join(words) or name, offset, name)

    def add(self, name: str, offset: int, written: str, is_group: bool = False) -> Person:
        """An entity attribution found that the sieves did not (a group such as
        "Local officials", a name in an odd place); joined to one of the same
        name if there is one."""
        words = strip_titles(name.split()) or [name.strip() or "(unnamed)"]
        name = " ".join(words)
        person = self.doc.people.get(fold(name) or name)
        if person is None or person.is_group != is_group:
            person = self.entities.new(name, is_group=is_group)
            add_registry_evidence(person, self.registry)
        person.add_mention(offset, written)
        return person

    def assign(self, offset: int, person: Person) -> None:
        """Attribution decided who the pronoun at ``offset`` is (a cue pronoun):
        the mention moves to that entity's chain."""
        m = self.mention_at(offset)
        if m is None or m.kind != "pronoun" or m.entity is person:
            return
        if m.entity is not None:
            m.entity.detach(m)
        person.attach(m)

    def _between(self, start: int, end: int):
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return (c.mention for c in self.candidates[lo:hi])

    def named_between(self, start: int, end: int, exclude: Person | None = None) -> list[Person]:
        """Persons other than ``exclude`` named (not by pronoun, not inside a
        quote) between two offsets."""
        out = []
        for m in self._between(start, end):
            p = m.entity
            if p is not None and p is not exclude and not p.is_group and m.kind != "pronoun" \
                    and not m.in_quote and p not in out:
                out.append(p)
        return out

    def unnamed_before(self, pronoun: str, offset: int, paragraphs: int = 3) -> bool:
        """Whether a narrative pronoun of this form, resolved to no one, stands in
        the few paragraphs before ``offset`` (and within LOOK_BACK characters):
        someone the story never names."""
        para = self.doc.paragraph_at(offset)
        start = max(self.doc.paragraphs[max(0, para - paragraphs)].start, offset - LOOK_BACK)
        return any(m.kind == "pronoun" and m.pronoun == pronoun and m.entity is None and not m.in_quote
                   and m.start != offset for m in self._between(start, offset))

    def named_in(self, person: Person, start: int, end: int) -> bool:
        """Whether ``person`` is named (not by pronoun) between two offsets,
        inside quotes too."""
        return any(m.entity is person and m.kind != "pronoun" for m in self._between(start, end))

    def named_later_in_sentence(self, offset: int) -> list[Person]:
        """Persons named (outside quotes) as an object or oblique after the
        mention at ``offset`` in its own sentence: "She asked Sanders …". A
        later subject may be the pronoun's own referent ("Though she called
        it “outrageous,” Clinton …")."""
        m = self.mention_at(offset)
        if m is None:
            return []
        i = bisect.bisect_right(self._starts, offset)
        out = []
        while i < len(self.candidates) and self.candidates[i].mention.sentence == m.sentence \
                and self.candidates[i].mention.start - offset <= LOOK_BACK:
            o = self.candidates[i].mention
            if o.kind != "pronoun" and not o.in_quote and o.entity is not None and o.entity not in out \
                    and o.role in ("object", "oblique"):
                out.append(o.entity)
            i += 1
        return out

    def mentioned_between(self, person: Person, start: int, end: int) -> bool:
        return any(m.entity is person for m in self._between(start, end))

    def recent(self, offset: int, limit: int = 8) -> list[Person]:
        """Persons mentioned by name before ``offset`` (within RECENT_REACH
        characters), most recent first."""
        i = bisect.bisect_left(self._starts, offset)
        seen, out = set(), []
        while i > 0 and len(out) < limit and offset - self._starts[i - 1] <= RECENT_REACH:
            i -= 1
            m = self.candidates[i].mention
            p = m.entity
            if p is not None and m.kind != "pronoun" and id(p) not in seen and not p.is_group and not p.tentative:
                seen.add(id(p))
                out.append(p)
        return out


# How far back (or on) the lookups attribution asks for go, in characters, so
# that none grows with the length of a paragraph: the few paragraphs before a
# pronoun, the rest of its sentence; the persons recently named.
LOOK_BACK = 5_000
RECENT_REACH = 20_000


def resolve_references(doc: Document, registry=None) -> References:
    """Build the document's entities before attribution (stored as ``doc.references``)."""
    doc.entities = []
    doc.people.clear()
    refs = References(doc, registry)
    doc.references = refs
    return refs


def finish_references(doc: Document) -> None:
    """After attribution: pronouns inside quotes, then the final mention list."""
    refs: References | None = getattr(doc, "references", None)
    if refs is None:
        return
    speakers = {}
    for q in doc.quotes:
        if q.attribution.person is not None:
            for m in refs._between(q.outer_start, q.outer_end):
                if m.in_quote:
                    speakers[m.start] = q.attribution.person
    salience.resolve(refs.candidates, quoted=True, speakers=speakers)
    settle_tentative(doc)
    doc.mentions = [c.mention for c in refs.candidates if c.mention.entity is not None]
    for person in doc.entities:
        person.chain.sort(key=lambda m: m.start)
        person.mentions.sort()
        person.pronouns.sort()
        person.__dict__.pop("_index", None)  # its places are the unsorted ones
