"""The data model's closed fields only ever hold the vocabularies of
quotecheck/vocab.py: every fixture analysed and checked, each value looked up."""
from __future__ import annotations

from conftest import FIXTURES

from quotecheck.model import Document
from quotecheck.session import Session
from quotecheck.vocab import ENTITY_KINDS, FURNITURE_KINDS, MENTION_KINDS, METHODS, QUOTE_KINDS, SEVERITIES


def test_every_value_is_in_its_vocabulary(nlp):
    paths = sorted(p for p in FIXTURES.rglob("*.txt") if "crosscheck" not in p.parts)
    docs = [Document(str(p), p.read_text(encoding="utf-8")) for p in paths]
    report = Session().check_documents(docs)
    seen = {"method": set(), "kind": set()}
    for result in report.files:
        doc = result.document
        for q in doc.quotes:
            assert q.kind in QUOTE_KINDS, (doc.path, q.kind)
            assert q.attribution.method is None or q.attribution.method in METHODS, (doc.path, q.attribution.method)
            seen["method"].add(q.attribution.method)
            seen["kind"].add(q.kind)
        for m in doc.mentions:
            assert m.kind in MENTION_KINDS, (doc.path, m.kind)
        for e in doc.entities:
            assert e.kind in ENTITY_KINDS
        for f in doc.furniture:
            assert f.kind in FURNITURE_KINDS
        for f in result.findings:
            assert f.severity in SEVERITIES, (doc.path, f.rule, f.severity)
    # The fixtures reach most of the vocabulary: a value no fixture shows is untested.
    assert len(seen["method"] - {None}) >= 8 and len(seen["kind"]) >= 4, seen
