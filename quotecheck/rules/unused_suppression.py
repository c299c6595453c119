"""unused-suppression (QC001)

What it does:
    Reports a suppression directive (``<!-- quotecheck: ignore RULE -->`` or
    ``[[quotecheck: ignore RULE]]``) that cannot be read, that names a rule no
    plugin defines (warning), or that suppressed nothing (info; shown when the
    configuration sets ``report_unused_suppressions = true``). These findings
    come from the suppression stage, which runs after every other rule; this
    module gives the rule its code, its documentation and its place in
    ``select``/``ignore``.

Why:
    A misspelt directive silently does nothing, and a stale one hides the next
    real finding on that quote: both are worth seeing.

Example:
    <!-- quotecheck: ignroe quote-altered -->
    “We will not close the port,” Ilves said.

Fix:
    Correct the directive, or delete it when the finding it was for is gone.
"""
from ..hookspecs import hookimpl
from . import rule


@rule("unused-suppression", "QC001", "warning")
def UNUSED_SUPPRESSION(doc, context):
    return ()  # found by quotecheck.suppression.apply_suppressions, after all rules


@hookimpl
def quotecheck_rules():
    return [UNUSED_SUPPRESSION]
