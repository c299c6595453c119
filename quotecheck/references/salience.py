"""Pronoun resolution by salience (the last sieve of the reference layer).

A pronoun goes to the entity that is most salient where it stands, not to the
name written last. Salience sums, over the entity's mentions before the
pronoun, a weight for the mention's grammatical role (subject over object over
oblique) that decays with every sentence and more across a paragraph break;
the paragraph's topic (its first subject) and the chain so far (pronouns
already resolved count as mentions) add to it. Candidates must agree in gender
and number, and binding rules out a clause-mate: in "Keller met Ruiz and
thanked her" *her* is not Keller. A pronoun in a fronted clause ("Although
she tours …, Marlow …") goes to the subject of the main clause after it; a
reflexive goes to its clause's subject. First person is never resolved here,
and a pronoun inside a quote is unlikely to be the quote's own speaker.
"""
from __future__ import annotations

from ..cues import REFLEXIVES
from .gender import gender
from .mentions import Candidate

# The weights were chosen on GAP development (a small grid over decay, topic
# bonus and the tentative factor) and checked on GAP validation.
ROLE_WEIGHT = {"subject": 1.0, "object": 0.55, "oblique": 0.4, "other": 0.35}
SENTENCE_DECAY = 0.35  # per sentence back
PARAGRAPH_DECAY = 0.6  # once more per paragraph break
TOPIC_BONUS = 0.15  # the first subject of the pronoun's paragraph
PARALLEL_BONUS = 1.2  # the entity's last mention has the pronoun's role
UNKNOWN_GENDER = 0.5  # an entity with no gender evidence, for "he"/"she"
TENTATIVE_PERSON = 1.0  # a name run nothing yet shows to be a person (ORG-tagged: ×0.3)
LEXICON_ONLY_AGAINST = 0.1  # an entity only the first-name lexicon gives the other gender
QUOTED_MENTION = 0.5  # a mention inside a quote, for a pronoun outside quotes
SPEAKER_PENALTY = 0.2  # the quote's own speaker, for a pronoun inside the quote
MAX_SENTENCES = 4
MAX_PARAGRAPHS = 2


def agrees(person, pronoun: str, offset: int) -> float:
    """0 when the entity cannot be the pronoun's referent, else a factor."""
    if person.tentative:
        if pronoun in ("he", "she"):
            g = gender(person, exclude=offset)
            if g is not None and g != pronoun:
                return 0.0
            # An organisation's label counts for little against a first name
            # of the pronoun's gender ("Justin", "Seles" tagged ORG).
            first_name = pronoun in person.index().lexicon
            return TENTATIVE_PERSON * (0.3 if person.label == "ORG" and not first_name else 1.0)
        return TENTATIVE_PERSON if person.label == "ORG" else 0.0
    if pronoun in ("he", "she"):
        if person.is_group:
            return 0.0
        g = gender(person, exclude=offset)
        if g is None:
            return UNKNOWN_GENDER
        if g == pronoun:
            return 1.0
        # A first name is only likely evidence: against it, the pronoun may still
        # be the person's when no one else fits.
        lexicon_only = not person.pronouns and not person.index().not_lexicon
        return LEXICON_ONLY_AGAINST if lexicon_only else 0.0
    if pronoun == "it":
        return 1.0 if person.is_group else 0.0
    if pronoun == "they":
        if person.is_group:
            return 1.0
        return 0.8 if person.index().pronoun_count["they"] else 0.0
    return 0.0


def _clause_mate_subject(cand: Candidate, other: Candidate) -> bool:
    """Binding: an object pronoun is not the subject of its own verb."""
    pt, ot = cand.token, other.token
    if pt.doc is not ot.doc or cand.mention.role not in ("object",):
        return False
    verb = pt.head
    # "Keller met Ibarra and thanked her": a conjoined verb shares its subject.
    verbs = {verb.i, verb.head.i} if verb.dep_ == "conj" else {verb.i}
    return other.mention.role == "subject" and ot.head.i in verbs


def _fronted_clause_subject(cand: Candidate, after: list[Candidate]):
    """ "Although he tours …, Zorn …": the main clause's subject, after the pronoun."""
    tok = cand.token
    verb = tok.head
    if cand.mention.role not in ("subject", "other") or verb.dep_ != "advcl" or verb.head.i < tok.i:
        return None
    main = verb.head
    for c in after:
        if c.token.doc is tok.doc and c.mention.entity is not None and c.token.dep_ in ("nsubj", "nsubjpass") \
                and c.token.head.i == main.i and c.mention.start > cand.mention.start:
            return c.mention.entity
    return None


def resolve(cands: list[Candidate], quoted: bool = False, speakers: dict | None = None) -> None:
    """Resolve the pronouns among ``cands`` (in offset order), outside quotes or
    (``quoted``) inside them, linking each to its entity."""
    topic: dict[int, object] = {}  # paragraph -> its first subject's entity
    for c in cands:
        m = c.mention
        if m.entity is not None and m.role == "subject" and m.paragraph not in topic and not m.in_quote:
            topic[m.paragraph] = m.entity
    for i, c in enumerate(cands):
        m = c.mention
        if m.kind != "pronoun" or m.entity is not None or m.in_quote != quoted or m.pronoun is None:
            continue
        person = _fronted_clause_subject(c, cands[i + 1:i + 12])
        if person is not None and agrees(person, m.pronoun, m.start):
            person.attach(m)
            continue
        scores: dict[int, float] = {}
        who: dict[int, object] = {}
        last_role: dict[int, str] = {}
        for o in reversed(cands[max(0, i - 60):i]):
            om = o.mention
            e = om.entity
            if e is None or om.sentence < 0:
                continue
            # Outside quotes, sentences wholly inside quote marks do not count:
            # “… three quoted sentences …,” he said — the antecedent is before them.
            d = m.sentence - om.sentence if quoted else m.story_sentence - om.story_sentence
            if d > MAX_SENTENCES or m.paragraph - om.paragraph > MAX_PARAGRAPHS:
                break
            if _clause_mate_subject(c, o):
                scores[id(e)] = -1e9
                who[id(e)] = e
                continue
            w = ROLE_WEIGHT[om.role] * SENTENCE_DECAY ** d * PARAGRAPH_DECAY ** (m.paragraph - om.paragraph)
            if om.in_quote and not m.in_quote:
                w *= QUOTED_MENTION
            if m.text.lower() in REFLEXIVES and d == 0 and om.role == "subject":
                w *= 3
            scores[id(e)] = scores.get(id(e), 0.0) + w
            who[id(e)] = e
            last_role.setdefault(id(e), om.role)
        best, best_score = None, 0.0
        for key, s in scores.items():
            e = who[key]
            factor = agrees(e, m.pronoun, m.start)
            if factor == 0 or s <= 0:
                continue
            if topic.get(m.paragraph) is e:
                s += TOPIC_BONUS
            s *= factor
            if last_role.get(key) == m.role:
                s *= PARALLEL_BONUS
            if quoted and speakers and speakers.get(m.start) is e:
                s *= SPEAKER_PENALTY
            if s > best_score:
                best, best_score = e, s
        if best is not None:
            best.attach(m)
