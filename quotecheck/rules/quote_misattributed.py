"""quote-misattributed (QC202)

What it does:
    Reports a quote whose words a source gives to another person. Names compare
    through titles, surname-only mentions, accents and transliteration variants
    (Zelensky / Zelenskyy / Zelenskiy, Erdoğan / Erdogan), and through the people
    registry when one is configured. A quote no source attributes, or whose
    draft speaker is unknown, is not judged here. When the source's own
    attribution is weak (its speaker is a pronoun resolved across paragraphs,
    or a description such as "the spokesman"), the finding says so and is a
    warning: the source may be the one that is wrong.

Why:
    A statement moved to the wrong speaker is among the most damaging errors a
    newsroom can publish, and copy editors rarely see it: the words are right.

Example:
    Source (wire): “We see no reason to hope for a breakthrough,” Dmitry Peskov said.
    Draft: “We see no reason to hope for a breakthrough,” Sergei Lavrov said.

Fix:
    Attribute the quote to the person the source records, or check the source
    if it is the source that is wrong.
"""
from ..hookspecs import hookimpl
from . import rule
from .crosscheck import SAME_STATEMENT, evidence, same_speaker, where


@rule("quote-misattributed", "QC202", "error")
def QUOTE_MISATTRIBUTED(doc, context):
    for q in doc.quotes:
        speaker = q.attribution.speaker
        if not speaker:
            continue
        same = [m for m in q.matches if m.score >= SAME_STATEMENT and m.passage.speaker]
        if not same or any(same_speaker(speaker, m.passage.speaker, context) for m in same):
            continue
        best = same[0]
        # A group ("the Kremlin") for a person of it is looser wording, not a
        # different speaker for certain.
        person = q.attribution.person
        group = (person is not None and person.is_group) or not best.passage.speaker[:1].isupper()
        # The source's own attribution may be a guess (a pronoun resolved across
        # paragraphs, a description): then it is a doubt to check, not an error.
        weak = best.passage.weak
        message = f"quoted as {speaker}, but {where(best)} gives these words to {best.passage.speaker}"
        if weak:
            message += f" (the source's attribution is weak: {weak})"
        yield QUOTE_MISATTRIBUTED.finding(
            message, q.start, q.end, quote=q, speaker=speaker, severity="warning" if group or weak else "error",
            evidence=[evidence(m) for m in same])


@hookimpl
def quotecheck_rules():
    return [QUOTE_MISATTRIBUTED]
