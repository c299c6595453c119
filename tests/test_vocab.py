"""The data model's closed fields only ever hold the vocabularies of
quotecheck/vocab.py: every fixture analysed and checked, each value looked up."""
from __future__ import annotations

from conftest import FIXTURES

from quotecheck.model import Document
from quotecheck.session import Session
from quotecheck.vocab import (ALTERATION_KINDS, ENTITY_KINDS, FURNITURE_KINDS, MARK_PROBLEM_KINDS, MENTION_KINDS, METHODS,
                              QUOTE_KINDS, SEVERITIES)


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
            for a in q.alterations:
                assert a.kind in ALTERATION_KINDS, (doc.path, a.kind)
        for problem in doc.mark_problems:
            assert problem.kind in MARK_PROBLEM_KINDS, (doc.path, problem.kind)
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


def test_word_edits_and_source_kinds_are_in_their_vocabularies(nlp, tmp_path):
    """A quote checked against a source: every edit's op and what it touches,
    and the built-in source formats' kinds."""
    from quotecheck.sources.formats import BUILTIN_FORMATS
    from quotecheck.vocab import EDIT_OPS, EDIT_TOUCHES, SOURCE_KINDS

    assert [f.name for f in BUILTIN_FORMATS] and {f.name for f in BUILTIN_FORMATS} == set(SOURCE_KINDS)
    source = tmp_path / "interview.txt"
    source.write_text("Interview with Mayor Ana Ruiz, 3 May\n\nQ: Will the bridge close?\n\n"
                      "RUIZ: We will not close the old harbour bridge before the spring festival. "
                      "The repairs will take two full years and cost the town a great deal.\n", encoding="utf-8")
    draft = Document("draft.txt", "“We will close the old harbour bridge before the spring festival,” Mayor Ana Ruiz "
                     "said.\n\n“The repairs will take three full years and cost the town a great deal,” she added.\n")
    report = Session(sources=[str(source)]).check_documents([draft])
    edits = [e for q in report.files[0].quotes for m in q.matches for e in m.edits]
    assert edits, "the altered quote was not aligned to the source"
    for e in edits:
        assert e.op in EDIT_OPS and set(e.touches) <= set(EDIT_TOUCHES), e
    assert {t for e in edits for t in e.touches} >= {"negation", "number"}
