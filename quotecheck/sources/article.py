"""Another outlet's article or wire copy as a source: its quotes and speakers come
from the engine, exactly as a draft's do, so the two are compared like for like."""
from __future__ import annotations

from ..model import Document, SourceFile, SourcePassage

# Scare quotes and titles are not statements anyone made; nested quotes are
# covered by the quote around them.
QUOTABLE_KINDS = ("direct", "partial")


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
                                      speaker_mention=att.mention, pronoun=att.pronoun))
    pronouns: dict[str, dict[str, int]] = {}
    for person in doc.people.values():
        if person.is_group:
            continue
        for _, pronoun in person.pronouns:
            tally = pronouns.setdefault(person.name, {})
            tally[pronoun] = tally.get(pronoun, 0) + 1
    return SourceFile(path=doc.path, kind="article", passages=passages, pronouns=pronouns)
