"""quotecheck.status: a quote's status from what the rules said about it."""
from __future__ import annotations

import pytest

from quotecheck.model import Attribution, Document, Finding, Quote, SourceMatch, SourcePassage
from quotecheck.session import FileResult
from quotecheck.status import LABELS, RULE_STATUS, quote_statuses, status_counts, summary_line
from quotecheck.vocab import QUOTE_STATUSES


def _quote(start: int, speaker: str | None = "Ana Ruiz", kind: str = "direct", matched: bool = False) -> Quote:
    q = Quote(start, start + 5, "words", "“", "”", 0, kind=kind, attribution=Attribution(speaker=speaker))
    if matched:
        passage = SourcePassage("source.txt", "transcript", "words", 0, 5, 1, 1, speaker=speaker)
        q.matches = [SourceMatch(passage, 1.0, "words", 1, 1)]
    return q


def _result(quotes: list[Quote], findings: list[Finding]) -> FileResult:
    doc = Document("draft.txt", "x" * 200)
    doc.quotes = quotes
    return FileResult(doc, findings=findings)


def _finding(rule: str, q: Quote) -> Finding:
    return Finding(rule, "QC000", "warning", "m", q.start, q.end, quote=q)


def test_every_status_has_a_label_and_every_rule_status_is_in_the_vocabulary():
    assert set(LABELS) == set(QUOTE_STATUSES)
    assert set(RULE_STATUS.values()) <= set(QUOTE_STATUSES)


@pytest.mark.parametrize("rule, status", sorted(RULE_STATUS.items()))
def test_a_rule_finding_gives_its_status(rule, status):
    q = _quote(0)
    states = quote_statuses(_result([q], [_finding(rule, q)]))
    assert [s.status for s in states] == [status]


def test_the_most_serious_status_wins_and_every_finding_is_kept():
    q = _quote(0, matched=True)
    findings = [_finding("quote-variant", q), _finding("quote-altered", q), _finding("unbalanced-quote-marks", q)]
    (state,) = quote_statuses(_result([q], findings))
    assert state.status == "altered"
    assert state.findings == findings


def test_no_finding_verified_with_a_match_unchecked_without():
    quotes = [_quote(0, matched=True), _quote(20), _quote(40, speaker=None, kind="scare")]
    assert [s.status for s in quote_statuses(_result(quotes, []))] == ["verified", "unchecked", "unchecked"]


def test_a_full_quote_with_no_speaker_is_unattributed_even_with_the_rule_off():
    q = _quote(0, speaker=None)
    assert quote_statuses(_result([q], []))[0].status == "unattributed"


def test_a_finding_about_a_copy_of_the_quote_still_counts():
    q = _quote(10)
    copy = _quote(10)
    assert quote_statuses(_result([q], [_finding("quote-altered", copy)]))[0].status == "altered"


def test_counts_and_summary_line():
    quotes = [_quote(0, matched=True), _quote(10, matched=True), _quote(20), _quote(30)]
    result = _result(quotes, [_finding("quote-altered", quotes[1]), _finding("quote-unverified", quotes[2]),
                              _finding("quote-unverified", quotes[3])])
    assert status_counts(result) == {"altered": 1, "unverified": 2, "verified": 1}
    assert summary_line(result) == "4 quotes · 1 altered · 2 unverified · 1 verified"
    assert summary_line(_result([], [])) == "no quotes"
    assert summary_line(_result([quotes[0]], [])) == "1 quote · 1 verified"
