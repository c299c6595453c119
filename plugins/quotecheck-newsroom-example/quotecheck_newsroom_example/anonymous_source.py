"""unexplained-anonymous-source (NX101)

What it does:
    Reports a quote whose only speaker is an unnamed source ("officials", "a
    source familiar with the talks", "people close to the mayor", "an aide")
    when the story does not say why the source was not named: neither the
    quote's paragraph nor an earlier paragraph quoting the same kind of source
    gives a reason ("spoke on condition of anonymity", "was not authorized to
    speak publicly", "asked not to be named").

Why:
    Most newsroom standards (the AP's among them) allow an anonymous source only
    with a stated reason, so readers can weigh the words. A quote handed to
    "officials" with no explanation is usually a name lost in editing or a
    shortcut the desk should question.

Example:
    “The pillars are in worse shape than anyone admitted,” a source familiar
    with the inspection said.

Fix:
    Name the speaker, or say why they were not named: “…,” said a source
    familiar with the inspection, who spoke on condition of anonymity because
    the report is not yet public.
"""
from quotecheck.hookspecs import hookimpl
from quotecheck.rules import rule

# Head nouns of attributions that name nobody ("one official", "senior sources").
UNNAMED = {"official", "officials", "source", "sources", "person", "people",
           "insider", "insiders", "aide", "aides"}
# Phrases that tell the reader why a source is anonymous.
REASONS = ("condition of anonymity", "not authorized", "not authorised",
           "asked not to be named", "declined to be named", "requested anonymity")


@rule("unexplained-anonymous-source", "NX101", "warning")
def UNEXPLAINED_ANONYMOUS_SOURCE(doc, context):
    explained, reported = set(), set()
    for q in doc.quotes:
        att = q.attribution
        head = att.speaker.split()[-1].lower() if att.speaker else None
        if q.kind not in ("direct", "partial") or head not in UNNAMED:
            continue
        if any(reason in doc.paragraph_text(q.paragraph).lower() for reason in REASONS):
            explained.add(head)  # explained once covers later quotes of the same source
        if head in explained or (att.mention_start, att.mention) in reported:
            continue
        reported.add((att.mention_start, att.mention))  # one finding per attribution
        start, end = q.start, q.end
        if att.mention_start is not None and att.mention:
            start, end = att.mention_start, att.mention_start + len(att.mention)
        yield UNEXPLAINED_ANONYMOUS_SOURCE.finding(
            f"quote attributed to an unnamed source (“{att.mention or att.speaker}”) "
            "with no reason given for not naming it", start, end, quote=q, speaker=att.speaker)


@hookimpl
def quotecheck_rules():
    return [UNEXPLAINED_ANONYMOUS_SOURCE]
