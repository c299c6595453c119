"""Another outlet's article or wire copy as a source: its quotes and speakers come
from the engine, exactly as a draft's do, so the two are compared like for like."""
from __future__ import annotations

from ..model import Document, SourceFile, SourcePassage

# Scare quotes and titles are not statements anyone made; nested quotes are
# covered by the quote around them.
QUOTABLE_KINDS = ("direct", "partial")


def weak_attribution(doc: Document, q) -> str | None:
    """Why the engine's attribution of a source quote is only as good as a guess:
    a pronoun whose person was last named in an earlier paragraph, a
    description ("the spokesman") standing for a name, a speaker carried over
    from a paragraph without a cue. None when the source names the speaker."""
    att = q.attribution
    person = att.person
    if person is None or att.mention is None:
        return None
    at = att.mention_start if att.mention_start is not None else q.start
    if att.pronoun is not None:
        named = [m.start for m in person.chain if m.kind in ("name", "surname") and m.start < at]
        if not named or doc.paragraph_at(max(named)) != doc.paragraph_at(at):
            return f"“{att.mention}” resolved across paragraphs"
        return None
    if att.method == "narrative-before":
        return "speaker taken from the paragraph before"
    surname = person.surname.lower()
    if surname and surname not in att.mention.lower():
        return f"a description (“{att.mention}”)"
    return None


def article_source(doc: Document) -> SourceFile:
    """The attributed statements of an analysed document, and how it refers to
    each person (the pronoun tallies feed the draft's pronoun check)."""
    passages = []
    for q in doc.quotes:
        if q.kind not in QUOTABLE_KINDS:
            continue
        line, column = doc.position(q.start)
        att = q.attribution
        passages.append(SourcePassage(path=doc.path, kind="article", text=q.text, start=q.start, end=q.end,
                                      line=line, column=column, speaker=att.speaker,
                                      speaker_mention=att.mention, pronoun=att.pronoun,
                                      weak=weak_attribution(doc, q)))
    pronouns: dict[str, dict[str, int]] = {}
    for person in doc.people.values():
        if person.is_group:
            continue
        for _, pronoun in person.pronouns:
            tally = pronouns.setdefault(person.name, {})
            tally[pronoun] = tally.get(pronoun, 0) + 1
    return SourceFile(path=doc.path, kind="article", passages=passages, pronouns=pronouns)
