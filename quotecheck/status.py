"""Where each quote of a checked document stands — the one place the front
ends (the language server's hover and code lens, the review page, the
service) read a quote's status from, instead of each re-deriving it from rule
names.

A quote's status is the most serious of what the rules said about it
(``QUOTE_STATUSES`` is ordered, most serious first):

- ``misattributed`` (quote-misattributed), ``altered`` (quote-altered),
  ``pronoun-issue`` (pronoun-mismatch), ``unattributed`` (a full quotation
  with no speaker found, as unattributed-quote reports it), ``variant`` (quote-variant), ``unverified``
  (quote-unverified: sources were given and none holds it);
- otherwise ``verified`` when a source holds its words (it has a match), and
  ``unchecked`` when there was nothing to check it against (no sources, or a
  kind of quote the cross-source rules leave alone, such as scare quotes).

Findings of rules that say nothing about a quote's standing (quote-mark style,
name spelling, a plugin's house style) are kept with the quote but do not
change its status.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import Finding, Quote
from .vocab import QUOTE_STATUSES, QuoteStatus

# Rule name -> the status its finding gives a quote.
RULE_STATUS: dict[str, QuoteStatus] = {
    "quote-misattributed": "misattributed",
    "quote-altered": "altered",
    "pronoun-mismatch": "pronoun-issue",
    "unattributed-quote": "unattributed",
    "quote-variant": "variant",
    "quote-unverified": "unverified",
}
LABELS: dict[QuoteStatus, str] = {  # as an editor reads them
    "misattributed": "misattributed", "altered": "altered", "pronoun-issue": "pronoun issue",
    "unattributed": "unattributed", "variant": "variant", "unverified": "unverified",
    "verified": "verified", "unchecked": "not checked",
}


@dataclass
class QuoteState:
    """One quote, its status, and every finding about it (in the order found)."""

    quote: Quote
    status: QuoteStatus
    findings: list[Finding] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.status]


def quote_statuses(result) -> list[QuoteState]:
    """The status of every quote of ``result`` (a :class:`~quotecheck.session.FileResult`),
    in document order."""
    quotes = result.document.quotes
    about: dict[int, list[Finding]] = {i: [] for i in range(len(quotes))}
    by_identity = {id(q): i for i, q in enumerate(quotes)}
    by_span = {(q.start, q.end): i for i, q in enumerate(quotes)}
    for f in result.findings:
        if f.quote is None:
            continue
        i = by_identity.get(id(f.quote))
        if i is None:  # a result rebuilt from a copy: the same quote by its place
            i = by_span.get((f.quote.start, f.quote.end))
        if i is not None:
            about[i].append(f)
    return [QuoteState(q, _status(q, about[i]), about[i]) for i, q in enumerate(quotes)]


def _status(q: Quote, findings: list[Finding]) -> QuoteStatus:
    said = {RULE_STATUS[f.rule] for f in findings if f.rule in RULE_STATUS}
    if q.kind == "direct" and q.attribution.speaker is None and q.attribution.mention is None:
        said.add("unattributed")  # as unattributed-quote sees it, even where that rule is switched off
    if said:
        return min(said, key=QUOTE_STATUSES.index)
    return "verified" if q.matches else "unchecked"


def status_counts(result) -> dict[QuoteStatus, int]:
    """How many quotes have each status (only the statuses that occur), most serious first."""
    counts = Counter(s.status for s in quote_statuses(result))
    return {status: counts[status] for status in QUOTE_STATUSES if counts[status]}


def summary_line(result) -> str:
    """"14 quotes · 11 verified · 1 altered · 2 unverified" (most serious first
    after the total; "no quotes" when there are none)."""
    states = quote_statuses(result)
    if not states:
        return "no quotes"
    counts = Counter(s.status for s in states)
    parts = [f"{len(states)} quote{'s' if len(states) != 1 else ''}"]
    parts += [f"{counts[s]} {LABELS[s]}" for s in QUOTE_STATUSES if counts[s]]
    return " · ".join(parts)
