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
    for q in doc.quotes:
        att = q.attribution
        if att.pronoun not in ("he", "she") or att.cue_start is None or att.method in INHERITED:
            continue  # no pronoun cue, or the cue belongs to the quote before (judged there)
        start = _pronoun_offset(q)
        # The same words in a source, with their own pronoun cue, are the best
        # evidence there is: the same cue there decides, whatever the counts.
        # A cue speaks for every quote it attributes (“too little,” he added …
        # “Without changing policies …”), so all of their matches count.
        attributed = [o for o in doc.quotes if o is q or
                      (o.attribution.cue_start == att.cue_start and o.attribution.method in INHERITED)]
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
        if person is None:
            continue
        others = [(off, p) for off, p in person.pronouns if off != start]
        evidence = []
        for off, p in others:
            if p in ("he", "she") and p != att.pronoun:
                if off >= 0:
                    line, col = doc.position(off)
                    evidence.append(Evidence(doc.path, line, col, _cue_words(doc.text, off),
                                             speaker=person.name, note=f"“{p}” for {person.name}"))
                else:
                    evidence.append(Evidence(doc.path, 0, 0, person.title or "", speaker=person.name,
                                             note=f"title implies “{p}”"))
        agree = sum(1 for _, p in others if p == att.pronoun)
        against = len(evidence)
        other = "he" if att.pronoun == "she" else "she"
        # The sources' and the registry's word count too: a man who is "he" in
        # every wire story is not "she" because the draft names him once.
        sources = context.get("sources")
        # Pooled counts are only as good as attribution across all sources; a
        # fragment too short to be looked up ("You winning?") is not judged by them.
        if sources is not None and checkable(q):
            tally = sources.pronouns(person.name, exclude_paths=own_paths(doc))
            agree += tally.get(att.pronoun, 0)
            if tally.get(other):
                against += tally[other]
                evidence.append(Evidence("(sources)", 0, 0, "", speaker=person.name,
                                         note=f"“{other}” {tally[other]} time(s) in the sources"))
        registry = context.get("registry")
        known = registry.lookup(person.name) if registry is not None else None
        if known is not None and known.pronoun in ("he", "she"):
            if known.pronoun == other:
                against += 2
                evidence.append(Evidence(registry.path or "people.toml", 0, 0, "", speaker=known.name,
                                         note=f"people registry: “{other}”"))
            else:
                agree += 2
        if against > agree + 1:  # the other pronoun is the clear majority
            yield PRONOUN_MISMATCH.finding(
                f"“{att.pronoun}” for {person.name}, who is “{other}” elsewhere "
                f"({against} time{'s' if against != 1 else ''})",
                start, start + len(att.pronoun), quote=q, speaker=person.name, evidence=evidence)


def _cue_words(text, offset):
    """The cue as written: "he said", up to the next punctuation or mark."""
    return re.split(r"[.,;:!?“”\"\n]", text[offset:offset + 40])[0].strip()


def _pronoun_offset(q):
    return q.attribution.mention_start if q.attribution.mention_start is not None else q.start


@hookimpl
def quotecheck_rules():
    return [PRONOUN_MISMATCH]
