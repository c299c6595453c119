"""Stage 6: turn quotes and findings into text or the public JSON contract.

The JSON shapes are a public contract (``"version": 1``); add fields, never
rename or remove them.
"""
from __future__ import annotations

import io
import json
import os
from typing import IO, Iterable

from .hookspecs import hookimpl
from .model import Document, Finding, Quote

JSON_VERSION = 1


def quote_record(doc: Document, q: Quote, quote_base: int = 0, entity_base: int = 0) -> dict:
    """One quote as the JSON contract gives it. Offsets are the file's (a
    section's ``origin`` added); ``quote_base`` / ``entity_base``: the quotes
    and people of the file's earlier sections, so that ``continues`` and
    ``speaker_id`` index the file's lists."""
    att = q.attribution
    line, col = doc.position(q.start)
    end_line, end_col = doc.position(q.end)
    speaker_id = _entity_id(doc, att.person)
    o = doc.origin
    return {
        "text": q.text, "start": o + q.start, "end": o + q.end, "line": line, "column": col,
        "end_line": end_line, "end_column": end_col,
        "speaker": att.speaker, "speaker_id": None if speaker_id is None else entity_base + speaker_id,
        "speaker_mention": att.mention, "cue": att.cue, "via": att.via,
        "kind": q.kind, "pronoun": att.pronoun, "method": att.method,
        "open_mark": q.open_mark, "close_mark": q.close_mark,
        "continues": None if q.continues is None else quote_base + q.continues,
        "alterations": [{"kind": a.kind, "start": o + a.start, "end": o + a.end, "text": a.text}
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
    o = doc.origin
    for person in doc.entities:
        mentions = [{"start": o + m.start, "end": o + m.end, "text": m.text, "kind": m.kind}
                    for m in sorted(person.chain, key=lambda m: m.start)]
        pronoun = "they" if person.is_group else gender(person)
        out.append({"name": person.name, "kind": person.kind, "pronoun": pronoun, "mentions": mentions})
    return out


def finding_record(doc: Document, f: Finding) -> dict:
    line, col = doc.position(f.start)
    end_line, end_col = doc.position(f.end)
    o = doc.origin
    return {
        "rule": f.rule, "code": f.code, "severity": f.severity, "message": f.message,
        "line": line, "column": col, "end_line": end_line, "end_column": end_col,
        "start": o + f.start, "end": o + f.end,
        "quote": None if f.quote is None else {"text": f.quote.text, "start": o + f.quote.start,
                                                "end": o + f.quote.end},
        "speaker": f.speaker,
        "evidence": [e.to_json() for e in f.evidence],
    }


# -- writers: the output of a stream of documents, written as it comes ------------------
#
# A long file checked in sections arrives as several documents in a row with the
# same path: the writers join them into the file's one entry. Each writer's
# ``add`` takes one document (with its findings, for the findings writers) and
# ``close`` ends the output; the string functions below run them over a list.

class JsonWriter:
    """``{"version": 1, "files": [{"path": …, FIELD: [records]}]}``, written as
    the documents come, exactly as ``json.dumps(…, ensure_ascii=False,
    indent=1)`` would write the whole (plus a final line break)."""

    field = "quotes"

    def __init__(self, out: IO[str]):
        self.out = out
        self.path: str | None = None
        self.files = self.items = 0
        self.quotes = self.entities = 0  # of the current file's earlier sections
        out.write('{\n "version": %d,\n "files": [' % JSON_VERSION)

    def add(self, doc: Document, findings: list[Finding] | None = None) -> None:
        if self.files == 0 or doc.path != self.path or doc.section in (None, 0):
            self._end_file()
            self.out.write(("," if self.files else "") + "\n  {\n   \"path\": " + _dumps(doc.path) +
                           ",\n   \"" + self.field + "\": [")
            self.path, self.files, self.items, self.quotes, self.entities = doc.path, self.files + 1, 0, 0, 0
        for record in self.records(doc, findings):
            self.out.write(("," if self.items else "") + "\n" +
                           "\n".join("    " + line for line in _dumps(record, 1).split("\n")))
            self.items += 1
        self.quotes += len(doc.quotes)
        self.entities += len(doc.entities)

    def records(self, doc: Document, findings) -> Iterable[dict]:
        return (quote_record(doc, q, self.quotes, self.entities) for q in doc.quotes)

    def _end_file(self) -> None:
        if self.files:
            self.out.write(("\n   ]" if self.items else "]") + "\n  }")

    def close(self) -> None:
        self._end_file()
        self.out.write(("\n ]" if self.files else "]") + "\n}\n")


class PeopleJson(JsonWriter):
    field = "people"

    def records(self, doc, findings):
        return people_record(doc)


class FindingsJson(JsonWriter):
    field = "findings"

    def records(self, doc, findings):
        return (finding_record(doc, f) for f in findings or [])


class TextWriter:
    """One line per record (``path:line:col: …``), written as the documents come."""

    def __init__(self, out: IO[str]):
        self.out = out

    def add(self, doc: Document, findings: list[Finding] | None = None) -> None:
        for line in self.lines(doc, findings):
            self.out.write(line + "\n")

    def close(self) -> None:
        pass


class QuotesText(TextWriter):
    def lines(self, doc, findings):
        for q in doc.quotes:
            line, col = doc.position(q.start)
            att = q.attribution
            who = att.speaker or "(no speaker)"
            if att.mention and att.mention != att.speaker:
                who += f" [{one_line(att.mention)}]"
            if att.via:
                who += f" via {one_line(att.via)}"
            text = one_line(q.text)
            text = text if len(text) <= 90 else text[:87] + "…"
            yield f"{doc.path}:{line}:{col}: {q.kind:<7} {one_line(who)}: “{text}”"


class PeopleText(TextWriter):
    def lines(self, doc, findings):
        for person in people_record(doc):
            forms: list[str] = []
            for m in person["mentions"]:
                if one_line(m["text"]) not in forms:
                    forms.append(one_line(m["text"]))
            first = person["mentions"][0]["start"] - doc.origin if person["mentions"] else 0
            line, col = doc.position(first)
            pronoun = f" ({person['pronoun']})" if person["pronoun"] else ""
            yield (f"{doc.path}:{line}:{col}: {person['kind']:<6} {one_line(person['name'])}{pronoun}: "
                   f"{len(person['mentions'])} mention(s): " + "; ".join(forms[:12]))


class FindingsText(TextWriter):
    """``check``'s text output, one line per finding, then its evidence:
    ``path:line:col: CODE [rule] severity: message``. The place comes first and
    the code, rule and severity are single words at fixed places, so editors
    jump to the line and ``grep 'QC201'`` or ``grep '] error:'`` pick findings
    out; the severity is the one in force after the configuration's overrides."""

    def lines(self, doc, findings):
        for f in findings or []:
            line, col = doc.position(f.start)
            yield f"{doc.path}:{line}:{col}: {f.code} [{f.rule}] {f.severity}: {one_line(f.message)}"
            for e in f.evidence:
                path = _shown(e.path)
                where = f"{path}:{e.line}:{e.column}" if e.line else path
                words = f" {e.text!r}" if e.text else ""
                yield f"    evidence: {where}: {one_line(e.note or '')}{words}".rstrip()


def one_line(text: str) -> str:
    """Text for a one-record-a-line output: line breaks (and runs of spaces) as one space."""
    return " ".join(text.split()) if ("\n" in text or "\r" in text or "  " in text) else text


def _dumps(value, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def _written(writer, items) -> str:
    """What a writer writes for ``items`` (documents, or (document, findings) pairs)."""
    out = io.StringIO()
    w = writer(out)
    for item in items:
        w.add(*item) if isinstance(item, tuple) else w.add(item)
    w.close()
    return out.getvalue()


def quotes_json(docs: Iterable[Document]) -> str:
    return _written(JsonWriter, docs).rstrip("\n")


def people_json(docs: Iterable[Document]) -> str:
    return _written(PeopleJson, docs).rstrip("\n")


def findings_json(results: Iterable[tuple[Document, list[Finding]]]) -> str:
    return _written(FindingsJson, results).rstrip("\n")


def quotes_text(docs: Iterable[Document]) -> str:
    return _written(QuotesText, docs).rstrip("\n")


def people_text(docs: Iterable[Document]) -> str:
    return _written(PeopleText, docs).rstrip("\n")


def findings_text(results: Iterable[tuple[Document, list[Finding]]]) -> str:
    return _written(FindingsText, results).rstrip("\n")


# ``check`` writes these two as the documents come (a plugin's format gets the
# whole report): the writer each one streams with.
findings_text.stream = FindingsText
findings_json.stream = FindingsJson


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
