"""Gender evidence for an entity, from the text and what a newsroom declares.

Evidence, strongest first: the people registry, titles (Mr., Ms., Mrs.),
gendered nouns the text attaches to the person ("chairwoman", "spokesman"),
pronouns already resolved to them, and a first-name lexicon. A name with no
evidence is unknown, never guessed.
"""
from __future__ import annotations

from ..model import EVIDENCE_WEIGHTS as WEIGHTS  # noqa: F401  (what each kind of evidence weighs)
from ..model import Person
from .lexicon import first_name_gender


def add_name_evidence(person: Person, words: list[str], offset: int) -> None:
    """The first-name lexicon's word on a full name ("Ana Keller" → she), or on
    a person the document only ever calls by a first name ("Melanie said")."""
    if person.is_group or person.index().lexicon:
        return
    if len(words) < 2 and (len(person.name.split()) > 1 or len(words[0]) < 3):
        return
    first = words[0]
    if len(first.rstrip(".")) <= 1 or first.endswith("."):
        return  # an initial says nothing
    g = first_name_gender(first)
    if g is not None:
        person.add_evidence(offset, g, "lexicon")


def tally(person: Person, exclude: int | None = None) -> dict[str, float]:
    """Weighted evidence for "he" and "she" (pronoun mentions counted once each;
    ``exclude``: the offset of a pronoun being judged, left out)."""
    ix = person.index()  # running sums: no walk over the evidence or the pronouns
    score = dict(ix.evidence_score)
    for g in score:
        score[g] += ix.pronoun_count[g] * WEIGHTS["pronoun"]
    if exclude is not None and ix.pronoun_of.get(exclude) in score:
        score[ix.pronoun_of[exclude]] -= WEIGHTS["pronoun"]
    return score


def gender(person: Person | None, exclude: int | None = None) -> str | None:
    """The entity's gender when the evidence clearly says one, else None."""
    if person is None or person.is_group:
        return None
    s = tally(person, exclude)
    if s["he"] > 0 and s["she"] == 0:
        return "he"
    if s["she"] > 0 and s["he"] == 0:
        return "she"
    if s["he"] >= 2 * s["she"] + 1:
        return "he"
    if s["she"] >= 2 * s["he"] + 1:
        return "she"
    return None


def add_registry_evidence(person: Person, registry) -> None:
    if registry is None or person.is_group:
        return
    known = registry.lookup(person.name)
    if known is not None and known.pronoun in ("he", "she"):
        person.add_evidence(-1, known.pronoun, "registry")
