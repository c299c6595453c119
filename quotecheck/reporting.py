"""Stage 6: turn quotes and findings into text or the public JSON contract.

The JSON shapes are a public contract (``"version": 1``); add fields, never
rename or remove them.
"""
from __future__ import annotations

import json
import os
from typing import Iterable

from .hookspecs import hookimpl
from .model import Document, Finding, Quote

JSON_VERSION = 1


def quote_record(doc: Document, q: Quote) -> dict:
    att = q.attribution
    line, col = doc.position(q.start)
    end_line, end_col = doc.position(q.end)
    return {
        "text": q.text, "start": q.start, "end": q.end, "line": line, "column": col,
        "end_line": end_line, "end_column": end_col,
        "speaker": att.speaker, "speaker_id": _entity_id(doc, att.person),
        "speaker_mention": att.mention, "cue": att.cue, "via": att.via,
        "kind": q.kind, "pronoun": att.pronoun, "method": att.method,
        "open_mark": q.open_mark, "close_mark": q.close_mark,
        "continues": q.continues,
        "alterations": [{"kind": a.kind, "start": a.start, "end": a.end, "text": a.text}
                        for a in q.alterations],
    }


def _entity_id(doc: Document, person) -> int | None:
    """The speaker's index in the file's ``people`` list (see :func:`people_record`)."""
    if person is None:
        return None
    key = (id(doc.entities), len(doc.entities))
    ids = doc.__dict__.get("_entity_ids")
    if ids is None or ids[0] != key:
        ids = doc.__dict__["_entity_ids"] = (key, {id(e): i for i, e in enumerate(doc.entities)})
    return ids[1].get(id(person))


def people_record(doc: Document) -> list[dict]:
    """The document's cast: every entity, in the order of ``doc.entities`` (an
    entity's index is the ``speaker_id`` of its quotes), with every mention."""
    from .references.gender import gender

    out = []
    for person in doc.entities:
        mentions = [{"start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
                    for m in sorted(person.chain, key=lambda m: m.start)]
        pronoun = "they" if person.is_group else gender(person)
        out.append({"name": person.name, "kind": person.kind, "pronoun": pronoun, "mentions": mentions})
    return out


def people_json(docs: Iterable[Document]) -> str:
    return json.dumps({"version": JSON_VERSION, "files": [
        {"path": d.path, "people": people_record(d)} for d in docs]}, ensure_ascii=False, indent=1)


def people_text(docs: Iterable[Document]) -> str:
    lines = []
    for d in docs:
        for i, person in enumerate(people_record(d)):
            forms: list[str] = []
            for m in person["mentions"]:
                if m["text"] not in forms:
                    forms.append(m["text"])
            first = person["mentions"][0]["start"] if person["mentions"] else 0
            line, col = d.position(first)
            pronoun = f" ({person['pronoun']})" if person["pronoun"] else ""
            lines.append(f"{d.path}:{line}:{col}: {person['kind']:<6} {person['name']}{pronoun}: "
                         f"{len(person['mentions'])} mention(s): " + "; ".join(forms[:12]))
    return "\n".join(lines)


def finding_record(doc: Document, f: Finding) -> dict:
    line, col = doc.position(f.start)
    end_line, end_col = doc.position(f.end)
    return {
        "rule": f.rule, "code": f.code, "severity": f.severity, "message": f.message,
        "line": line, "column": col, "end_line": end_line, "end_column": end_col,
        "start": f.start, "end": f.end,
        "quote": None if f.quote is None else {"text": f.quote.text, "start": f.quote.start,
                                                "end": f.quote.end},
        "speaker": f.speaker,
        "evidence": [e.to_json() for e in f.evidence],
    }


def quotes_json(docs: Iterable[Document]) -> str:
    return json.dumps({"version": JSON_VERSION, "files": [
        {"path": d.path, "quotes": [quote_record(d, q) for q in d.quotes]} for d in docs]},
        ensure_ascii=False, indent=1)


def findings_json(results: Iterable[tuple[Document, list[Finding]]]) -> str:
    return json.dumps({"version": JSON_VERSION, "files": [
        {"path": d.path, "findings": [finding_record(d, f) for f in fs]} for d, fs in results]},
        ensure_ascii=False, indent=1)


def quotes_text(docs: Iterable[Document]) -> str:
    lines = []
    for d in docs:
        for q in d.quotes:
            line, col = d.position(q.start)
            att = q.attribution
            who = att.speaker or "(no speaker)"
            if att.mention and att.mention != att.speaker:
                who += f" [{att.mention}]"
            if att.via:
                who += f" via {att.via}"
            text = q.text if len(q.text) <= 90 else q.text[:87] + "…"
            lines.append(f"{d.path}:{line}:{col}: {q.kind:<7} {who}: “{text}”")
    return "\n".join(lines)


def findings_text(results: Iterable[tuple[Document, list[Finding]]]) -> str:
    lines = []
    for d, fs in results:
        for f in fs:
            line, col = d.position(f.start)
            lines.append(f"{d.path}:{line}:{col}: {f.code} [{f.rule}] {f.message}")
            for e in f.evidence:
                path = _shown(e.path)
                where = f"{path}:{e.line}:{e.column}" if e.line else path
                words = f" {e.text!r}" if e.text else ""
                lines.append(f"    evidence: {where}: {e.note or ''}{words}".rstrip())
    return "\n".join(lines)


def _shown(path: str) -> str:
    """A source path as a person reads it: relative to the working directory
    when it lies below it (the JSON keeps the absolute path)."""
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            return rel
    return path


@hookimpl
def quotecheck_output_formats():
    """The built-in formats of ``check``, registered like any plugin's."""
    return {"text": findings_text, "json": findings_json}
