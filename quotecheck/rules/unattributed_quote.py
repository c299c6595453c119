"""unattributed-quote (QC102)

What it does:
    Reports a full quotation whose speaker cannot be found: no reporting cue in
    its sentence, no colon or dash introduction, and no quote before it that it
    could continue. Short spans (scare quotes, titles) are not reported.

Why:
    Readers must know who said what; an orphaned quote is often a cue lost in
    editing, or a quote pasted from notes.

Example:
    The council met on Monday.
    “We will not raise taxes this year, whatever happens.”

Fix:
    Add the attribution (“…,” Mayor Ana Ruiz said.), or make the paragraph a
    continuation of the speaker's previous quote.
"""
from ..hookspecs import hookimpl
from . import rule


@rule("unattributed-quote", "QC102", "warning")
def UNATTRIBUTED(doc, context):
    for q in doc.quotes:
        att = q.attribution
        if q.kind == "direct" and att.speaker is None and att.mention is None:
            yield UNATTRIBUTED.finding("quotation has no speaker: no reporting cue, colon or dash "
                                       "introduction, and it continues no earlier quote",
                                       q.start, q.end, quote=q)


@hookimpl
def quotecheck_rules():
    return [UNATTRIBUTED]
