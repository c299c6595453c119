"""The built-in source formats' detectors: whether a text is subtitles, a
transcript or a statement (anything else is news prose, an article). The
format registry (:mod:`quotecheck.sources.formats`, ``detect_kind``) decides
with them which format reads a file.

Used before parsing, on every source file, so it is regular expressions only (no
language model) and never raises. The order matters: subtitle timing lines are
unambiguous; a transcript's labels are checked before a statement's header,
because a transcript's header ("Press briefing by Dmitry Peskov") reads like one;
anything else is news prose, "article", the default.
"""
from __future__ import annotations

import re

from ._lines import LINE_BREAK_RE, NEWLINE, Line, LineIndex, blocks
from .statement import (FRONT_MATTER_FENCE, FRONT_MATTER_FIELD_RE, HEADER_LINES, LABELLED_HEADER_RE,
                        SAID_HEADER_RE, STATEMENT_HEADER_RE, header_speaker)
from .transcript import label_match

SUBTITLE_SUFFIXES = (".vtt", ".srt")
# A cue number on a line of its own (at a line start: after LF, CRLF or a lone CR), then a timing line.
SRT_CUE_RE = re.compile(rf"(?:\A|(?<=[\r\n]))[ \t]*\d+[ \t]*{NEWLINE}[ \t]*\d{{1,2}}:\d{{2}}:\d{{2}}[,.]\d{{1,3}}[ \t]*-->")
TRANSCRIPT_HEADER_UNITS = 3  # paragraphs before the first label a transcript may open with


def is_subtitles(text: str) -> bool:
    if text.lstrip("\ufeff \t\r\n").startswith("WEBVTT"):
        return True
    m = SRT_CUE_RE.search(text)
    return m is not None and (not text[: m.start()].strip() or SRT_CUE_RE.search(text, m.end()) is not None)


def is_transcript(text: str) -> bool:
    """At least two labelled turns, and turns make up most of the text: at least
    half its paragraphs, or half its non-empty lines, open with a label once a
    short header is set aside. Paragraphs, because answers may run over several
    lines; lines, because some transcripts put a whole exchange in one paragraph."""
    index = LineIndex(text)
    lines = [[line] for line in index.lines() if not line.blank]
    return any(_mostly_labelled(units) for units in (blocks(text, index), lines))


def _mostly_labelled(units: list[list[Line]]) -> bool:
    labelled = [i for i, unit in enumerate(units) if label_match(unit[0].text)]
    if len(labelled) < 2:
        return False
    counted = len(units) - min(labelled[0], TRANSCRIPT_HEADER_UNITS)
    return 2 * len(labelled) >= counted


def is_statement(text: str) -> bool:
    lines = [line for line in LINE_BREAK_RE.split(text) if line.strip()][: HEADER_LINES + 8]
    if lines and lines[0].strip() == FRONT_MATTER_FENCE:
        for line in lines[1:]:
            m = FRONT_MATTER_FIELD_RE.match(line)
            if m is None or line.strip() == FRONT_MATTER_FENCE:
                break
            if m.group("key").lower() == "speaker" and m.group("value").strip():
                return True
    # "X said in a statement:" also opens paragraphs of news stories, so only a
    # first line counts; the other headers are not how articles begin.
    if lines and header_speaker(lines[0], (SAID_HEADER_RE,)):
        return True
    return any(header_speaker(line, (STATEMENT_HEADER_RE, LABELLED_HEADER_RE))
               for line in lines[:HEADER_LINES])
