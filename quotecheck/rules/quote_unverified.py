"""quote-unverified (QC204)

What it does:
    When sources are given, reports a quote (of three words or more) that no
    source holds, not even in altered form. Without sources it reports nothing.
    When some source files could not be read or loaded (each is also reported
    as an error), the finding says so and names them: the quote may be in one
    of those.

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
from ..matching.verify import checkable, own_paths
from . import rule

NAMED_UNREAD = 3  # unread sources named in the message; the rest are counted


@rule("quote-unverified", "QC204", "info")
def QUOTE_UNVERIFIED(doc, context):
    if context.sources is None:
        return
    message = "no source holds this quote"
    unread = [p for p in getattr(context.sources, "unread", []) if p not in own_paths(doc)]
    if unread:
        named = ", ".join(unread[:NAMED_UNREAD]) + (f" and {len(unread) - NAMED_UNREAD} more"
                                                     if len(unread) > NAMED_UNREAD else "")
        message = (f"no source holds this quote, but {len(unread)} source{'s' if len(unread) > 1 else ''} "
                   f"could not be read: {named}")
    for q in doc.quotes:
        if checkable(q) and not q.matches:
            yield QUOTE_UNVERIFIED.finding(message, q.start, q.end, quote=q, speaker=q.speaker)


@hookimpl
def quotecheck_rules():
    return [QUOTE_UNVERIFIED]
