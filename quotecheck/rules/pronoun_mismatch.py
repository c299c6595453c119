"""pronoun-mismatch (QC103)

What it does:
    Reports a quote whose cue pronoun ("she added") contradicts the pronoun the
    document uses for the speaker everywhere else (other pronoun cues, and
    titles such as Mr. or Ms.), counting also how the sources refer to the
    speaker and the pronoun the people registry gives. When a source holds the
    same words with a pronoun cue of its own, that cue decides.

Why:
    Machine translation and hurried rewrites flip pronouns; a man quoted with
    "she added" is a visible error and can put words in the wrong mouth.

Example:
    “We will hold the line,” said Oleg Nikolenko. “The talks go on,” he said.
    “Nothing has changed,” she added.

Fix:
    Use the speaker's pronoun, or name the speaker if the quote is really
    someone else's.
"""
import itertools
import re

from ..hookspecs import hookimpl
from ..matching.verify import checkable, own_paths
from ..model import Evidence
from . import rule
from .crosscheck import SAME_STATEMENT, where
from .crosscheck import evidence as match_evidence

# Attributions copied from the quote before: their pronoun is that quote's cue.
INHERITED = ("continuation", "same-paragraph")


@rule("pronoun-mismatch", "QC103", "error")
def PRONOUN_MISMATCH(doc, context):
    # The quotes that inherit each cue (continuations of the quote it closes).
    inheriting: dict[int, list] = {}
    for o in doc.quotes:
        if o.attribution.method in INHERITED and o.attribution.cue_start is not None:
            inheriting.setdefault(o.attribution.cue_start, []).append(o)
    narratives: dict[int, _Narrative] = {}  # per person: how the document refers to them
    for q in doc.quotes:
        att = q.attribution
        if att.pronoun not in ("he", "she") or att.cue_start is None or att.method in INHERITED:
            continue  # no pronoun cue, or the cue belongs to the quote before (judged there)
        start = _pronoun_offset(q)
        # The same words in a source, with their own pronoun cue, are the best
        # evidence there is: the same cue there decides, whatever the counts.
        # A cue speaks for every quote it attributes (“too little,” he added …
        # “Without changing policies …”), so all of their matches count.
        attributed = sorted([q, *inheriting.get(att.cue_start, [])], key=lambda o: o.start)
        cued = [m for o in attributed for m in o.matches
                if m.score >= SAME_STATEMENT and m.passage.pronoun in ("he", "she")]
        if any(m.passage.pronoun == att.pronoun for m in cued):
            continue
        if cued:
            m = cued[0]
            who = att.speaker or m.passage.speaker or "the speaker"
            yield PRONOUN_MISMATCH.finding(
                f"“{att.pronoun}” for {who}, but {where(m)} closes the same words with "
                f"“{m.passage.pronoun}”", start, start + len(att.pronoun), quote=q, speaker=att.speaker,
                evidence=[match_evidence(m, f"“{m.passage.pronoun}” in the source") for m in cued])
            continue
        person = att.person
        if person is None or person.is_group:
            continue
        registry = context.registry
        if id(person) not in narratives:
            narratives[id(person)] = _Narrative(doc, person)
        agree, against, evidence = narratives[id(person)].evidence(
            att.pronoun, start, getattr(registry, "path", None) or "people.toml")
        other = "he" if att.pronoun == "she" else "she"
        # The sources' and the registry's word count too: a man who is "he" in
        # every wire story is not "she" because the draft names him once.
        sources = context.sources
        # Pooled counts are only as good as attribution across all sources; a
        # fragment too short to be looked up ("You winning?") is not judged by them.
        if sources is not None and checkable(q):
            tally = sources.pronouns(person.name, exclude_paths=own_paths(doc))
            agree += tally.get(att.pronoun, 0)
            if tally.get(other):
                against += tally[other]
                evidence.append(Evidence("(sources)", 0, 0, "", speaker=person.name,
                                         note=f"“{other}” {tally[other]} time(s) in the sources"))
        if against > agree + 1:  # the other pronoun is the clear majority
            yield PRONOUN_MISMATCH.finding(
                f"“{att.pronoun}” for {person.name}, who is “{other}” elsewhere "
                f"({against} time{'s' if against != 1 else ''})",
                start, start + len(att.pronoun), quote=q, speaker=person.name, evidence=evidence)


# What one piece of evidence counts: a pronoun the document uses for the person,
# a title or gendered noun, the first-name lexicon, the people registry.
EVIDENCE_WEIGHT = {"pronoun": 1, "title": 1, "noun": 1, "lexicon": 1, "registry": 2}
EVIDENCE_NOTE = {"title": "title implies", "noun": "gendered noun:", "lexicon": "first-name lexicon:",
                 "registry": "people registry:"}


# Of the document's pronouns that contradict the one judged, at most this many
# are listed as evidence (all are counted).
MAX_LISTED = 20


class _Narrative:
    """How the document refers to one person, gathered once for all the
    person's pronoun cues: every pronoun of the entity's chain outside quotes
    (offset and form), then titles, gendered nouns, the first-name lexicon and
    the registry."""

    def __init__(self, doc, person):
        self.doc, self.person = doc, person
        self.pronouns: dict[str, list[int]] = {"he": [], "she": []}  # offsets, in chain order
        for m in person.chain:
            if m.kind == "pronoun" and not m.in_quote and m.pronoun in ("he", "she"):
                self.pronouns[m.pronoun].append(m.start)
        self.at = {p: set(offsets) for p, offsets in self.pronouns.items()}

    def evidence(self, pronoun, start, registry_path):
        """How the document (and the registry) refer to the person, outside
        the pronoun judged (at ``start``): (agree, against, evidence)."""
        doc, person = self.doc, self.person
        other = "he" if pronoun == "she" else "she"
        agree = len(self.pronouns[pronoun]) - (start in self.at[pronoun])
        against = len(self.pronouns[other]) - (start in self.at[other])
        against_at = (o for o in self.pronouns[other] if o != start)
        evidence = []
        for o in itertools.islice(against_at, MAX_LISTED):
            line, col = doc.position(o)
            evidence.append(Evidence(doc.path, line, col, _cue_words(doc.text, o),
                                     speaker=person.name, note=f"“{other}” for {person.name}"))
        for off, g, why in person.gender_evidence:
            weight = EVIDENCE_WEIGHT.get(why, 1)
            if g == pronoun:
                agree += weight
                continue
            against += weight
            if off >= 0:
                line, col = doc.position(off)
                text = doc.text[off:off + 40].split("\n")[0]
                text = person.title if why == "title" and person.title else _cue_words(doc.text, off) or text
            else:
                line = col = 0
                text = ""
            path = registry_path if why == "registry" else doc.path
            evidence.append(Evidence(path, line, col, text, speaker=person.name,
                                     note=f"{EVIDENCE_NOTE.get(why, why)} “{g}”"))
        return agree, against, evidence


def _cue_words(text, offset):
    """The cue as written: "he said", up to the next punctuation or mark."""
    return re.split(r"[.,;:!?“”\"\n]", text[offset:offset + 40])[0].strip()


def _pronoun_offset(q):
    return q.attribution.mention_start if q.attribution.mention_start is not None else q.start


@hookimpl
def quotecheck_rules():
    return [PRONOUN_MISMATCH]
