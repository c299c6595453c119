"""unbalanced-quote-marks (QC101)

What it does:
    Reports a quote mark the finder had to repair or could not pair: an opening
    mark used as a closer (``started. “``), a stray space inside a mark
    (``“ We``), a mark that is never closed, and a closer with no opener.

Why:
    A broken mark changes where a quotation ends, and so which words a reader
    takes to be the speaker's. quotecheck still recovers the quotes around it.

Example:
    “We will rebuild the bridge,” the mayor said. “Work has started. “

Fix:
    Replace the misdirected mark with the closing mark (”), remove the stray
    space, or add the missing mark where the quotation really ends.
"""
from ..hookspecs import hookimpl
from . import rule

ERRORS = {"unclosed", "unopened"}


@rule("unbalanced-quote-marks", "QC101", "warning")
def UNBALANCED(doc, context):
    for problem in doc.mark_problems:
        yield UNBALANCED.finding(problem.message, problem.offset, problem.offset + 1,
                                 severity="error" if problem.kind in ERRORS else "warning")


@hookimpl
def quotecheck_rules():
    return [UNBALANCED]
