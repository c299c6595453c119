"""quote-variant (QC203)

What it does:
    Lists the wordings of one statement across the sources when they differ, as
    happens when outlets translate or transcribe the same remark each their own
    way ("no reason to hope for some miraculous breakthroughs" / "no reason to
    expect any magical breakthroughs"). Each wording is given with its source.

Why:
    A quote that exists in several wordings cannot be checked against one of
    them alone; the editor should know which rendering the draft follows and
    whether an original (a transcript, the speaker's own statement) exists.

Example:
    Source A: “There is no reason to hope for some miraculous breakthroughs.”
    Source B: “There is no reason to expect any magical breakthroughs.”
    Draft: “There is no reason to expect any magical breakthroughs,” he said.

Fix:
    Prefer the original-language transcript or the speaker's own statement, and
    say when a quote is translated.
"""
from ..hookspecs import hookimpl
from ..matching.normalize import keys
from . import rule
from .crosscheck import SAME_STATEMENT, VARIANT_MIN, evidence, where


@rule("quote-variant", "QC203", "info")
def QUOTE_VARIANT(doc, context):
    for q in doc.quotes:
        near = [m for m in q.matches if m.score >= VARIANT_MIN]
        wordings: dict[tuple[str, ...], list] = {}
        for m in near:
            wordings.setdefault(tuple(keys(m.text)), []).append(m)
        draft_is_own = near and near[0].score < SAME_STATEMENT  # no source is this wording
        if len(wordings) < 2 and not (wordings and draft_is_own):
            continue
        listed = "; ".join(f"“{ms[0].text}” ({', '.join(where(m) for m in ms)})" for ms in wordings.values())
        yield QUOTE_VARIANT.finding(
            f"worded {len(wordings) + bool(draft_is_own)} ways across "
            f"{'the draft and its sources' if draft_is_own else 'the sources'}: {listed}",
            q.start, q.end, quote=q, speaker=q.speaker, evidence=[evidence(m) for m in near])


@hookimpl
def quotecheck_rules():
    return [QUOTE_VARIANT]
