"""quote-altered (QC201)

What it does:
    Compares each quote with the sources (``--source``, an index, or the
    configured sources) and reports words inserted, dropped or substituted
    against the closest source. The message shows the difference word by word
    (``+itself``, ``-very``, ``significantly → substantially``). It is an error
    when a change touches a negation, a number or a name, and a warning otherwise.
    Typography (quote-mark style, case, accents, hyphenation, whitespace) and a
    name spelled another way (Zelensky / Zelenskyy) never count, and declared alterations (``[bracketed words]``, ellipses) are honoured.

Why:
    A word added or dropped between the interview and the page changes what a
    person is on record as saying; a lost "not" or a changed number reverses it.

Example:
    Source (transcript): PESKOV: The talks have significantly slowed down.
    Draft: “The talks have substantially slowed down,” Peskov said.

Fix:
    Quote the source's words exactly, mark editorial changes with brackets or an
    ellipsis, or paraphrase without quote marks.
"""
from ..hookspecs import hookimpl
from ..people import fold, similar_spelling
from . import rule
from .crosscheck import SAME_STATEMENT, evidence, where


@rule("quote-altered", "QC201", "warning")
def QUOTE_ALTERED(doc, context):
    for q in doc.quotes:
        same = [m for m in q.matches if m.score >= SAME_STATEMENT]
        if not same or any(not substantive(m.edits) for m in same):
            continue  # unchecked, another statement, or some source has these words
        best = same[0]
        edits = substantive(best.edits)
        touched = sorted({t for e in edits for t in e.touches})
        severity = "error" if touched else "warning"
        changes = ", ".join(str(e) for e in edits)
        note = f" (changes a {' and a '.join(touched)})" if touched else ""
        yield QUOTE_ALTERED.finding(
            f"quote differs from {where(best)}"
            f"{' (' + best.passage.speaker + ')' if best.passage.speaker else ''}: {changes}{note}",
            q.start, q.end, quote=q, speaker=q.speaker, severity=severity,
            evidence=[evidence(m, f"{m.passage.kind}: " + (", ".join(str(e) for e in substantive(m.edits))))
                      for m in same])


def substantive(edits):
    """The edits that change what was said: a name spelled another way
    (Zelensky / Zelenskyy, Erdoğan / Erdogan) is house style, not a misquote.
    Only one capitalised word for another counts as a spelling, never a
    change of number or negation ("1,000 → 1,007", "wouldn't → would")."""
    return [e for e in edits if not _spelling_of_a_name(e)]


def _spelling_of_a_name(e) -> bool:
    if e.op != "replace" or e.touches & {"number", "negation"}:
        return False
    draft, source = e.draft.split(), e.source.split()
    if len(draft) != 1 or len(source) != 1 or not (draft[0][:1].isupper() and source[0][:1].isupper()):
        return False
    a, b = fold(draft[0]), fold(source[0])
    return bool(a) and bool(b) and (a == b or similar_spelling(a, b))


@hookimpl
def quotecheck_rules():
    return [QUOTE_ALTERED]
