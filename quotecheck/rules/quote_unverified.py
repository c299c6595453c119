"""quote-unverified (QC204)

What it does:
    When sources are given, reports a quote (of three words or more) that no
    source holds, not even in altered form. Without sources it reports nothing.

Why:
    A quote that appears in none of the interview notes, transcripts and wire
    copy the story was built from needs a source before publication.

Example:
    Draft: “We will reopen the plant next spring,” the mayor said.
    Sources: the mayor's press conference transcript, which never says so.

Fix:
    Add the source the quote comes from (``--source``, or the index), or check
    the quote with the reporter.
"""
from ..hookspecs import hookimpl
from ..matching.verify import checkable
from . import rule


@rule("quote-unverified", "QC204", "info")
def QUOTE_UNVERIFIED(doc, context):
    if context.sources is None:
        return
    for q in doc.quotes:
        if checkable(q) and not q.matches:
            yield QUOTE_UNVERIFIED.finding("no source holds this quote", q.start, q.end,
                                           quote=q, speaker=q.speaker)


@hookimpl
def quotecheck_rules():
    return [QUOTE_UNVERIFIED]
