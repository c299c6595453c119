"""Interview and press-conference transcripts: speaker-labelled turns.

The format is informal, so the parser looks for what transcripts have in common:
a label at the start of a line, made of at most five capitalised words (or Q/A),
ended by a colon and a space or the line's end, optionally after a timestamp::

    Press briefing by Kremlin spokesman Dmitry Peskov

    [00:01:23] Q: Will the talks resume?
    00:01:30 - PESKOV: We have nothing to add.

A turn runs from its label to the next label, across lines and paragraphs; each
turn becomes one passage whose ``text`` is a contiguous slice of the file, so
offsets, lines and columns stay exact (a timestamp opening a later line inside a
turn therefore stays in the text; one right after the label or on the turn's last
lines is left out). Lines before the first label are a header: never passages,
but they name the people the labels shorten ("PESKOV" → "Dmitry Peskov") and the
interviewee "A:" stands for.
"""
from __future__ import annotations

import re

from ..model import SourceFile, SourcePassage
from ._lines import END_MARK_RE, Line, LineIndex, strip_span
from ._names import (SpeakerResolver, is_speaker_label, names_in_text, speaker_for_label,
                     speaker_from_phrase)

_TS = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?"
TIMESTAMP = rf"(?:\[{_TS}\]|\({_TS}\)|{_TS}(?=[ \t]))"
# A bare "12:30" needs a label after it, so clock times in prose never become labels.
LABEL_RE = re.compile(
    rf"[ \t]*(?:(?P<ts>{TIMESTAMP})[ \t]*(?:[-–—|][ \t]*)?)?"
    r"(?P<label>[^\s:][^:\n]{0,60}?)[ \t]*:(?=[ \t]|\r?$)")
TIMESTAMP_LINE_RE = re.compile(rf"[ \t]*(?:\[{_TS}\]|\({_TS}\)|{_TS})[ \t]*$")
LEADING_TIMESTAMP_RE = re.compile(rf"{TIMESTAMP}[ \t]*(?:[-–—|][ \t]*)?")
# Header phrases naming the person the transcript is about.
INTERVIEWEE_RE = re.compile(
    r"\b(?:interview|q\s*&\s*a|q\s+and\s+a|conversation|chat|sit-down|talk)s?\s+with\s+(?P<who>[^\r\n]+)",
    re.IGNORECASE)
# (The phrase ends with its line, whatever ends the line: "." would run on past a lone CR.)
HEADER_PERSON_RE = re.compile(r"\b(?:by|with|from)\s+(?P<who>[^\r\n]+)", re.IGNORECASE)


def label_match(line_text: str) -> re.Match | None:
    """The speaker label opening a line, if it has one."""
    m = LABEL_RE.match(line_text)
    return m if m and is_speaker_label(m.group("label")) else None


def parse_transcript(path: str, text: str) -> SourceFile:
    index = LineIndex(text)
    lines = list(index.lines())
    turns = [(i, m) for i, line in enumerate(lines) if (m := label_match(line.text))]
    if not turns:
        return SourceFile(path, "transcript", [])
    header = text[: lines[turns[0][0]].start]
    # Labels and header are equally trusted: two people of one surname there leave
    # that surname unresolved; names in the turns' text count only failing those.
    resolver = SpeakerResolver([
        [m.group("label") for _, m in turns]
        + [p for m in HEADER_PERSON_RE.finditer(header) if (p := speaker_from_phrase(m.group("who")))]
        + names_in_text(header),
        names_in_text(text),
    ])
    interviewee = _interviewee(header, resolver)

    passages = []
    for n, (i, m) in enumerate(turns):
        last = turns[n + 1][0] - 1 if n + 1 < len(turns) else len(lines) - 1
        start, end = _turn_span(text, lines, i, last, lines[i].start + m.end())
        if start == end:
            continue
        label = m.group("label").strip()
        line, column = index.position(start)
        passages.append(SourcePassage(path, "transcript", text[start:end], start, end, line, column,
                                      speaker=speaker_for_label(label, resolver, interviewee),
                                      speaker_mention=label))
    return SourceFile(path, "transcript", passages)


def _turn_span(text: str, lines: list[Line], first: int, last: int, body_start: int) -> tuple[int, int]:
    """The stripped span of a turn whose label ends at ``body_start``, without
    trailing timestamp-only or end-mark lines ("(END)", "###")."""
    while last > first and (lines[last].blank or TIMESTAMP_LINE_RE.match(lines[last].text)
                            or END_MARK_RE.match(lines[last].text)):
        last -= 1
    start, end = strip_span(text, body_start, max(body_start, lines[last].end))
    lead = LEADING_TIMESTAMP_RE.match(text, start, end)
    if lead:
        start, end = strip_span(text, lead.end(), end)
    return start, end


def _interviewee(header: str, resolver: SpeakerResolver) -> str | None:
    m = INTERVIEWEE_RE.search(header)
    who = speaker_from_phrase(m.group("who")) if m else None
    return resolver.resolve(who) if who else None
