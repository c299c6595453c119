"""Statements and press releases: plain text in one speaker's voice.

A statement has no quote marks or labels to attribute by; the whole text is the
speaker's. The speaker comes, most trusted first, from the ``speaker`` argument
(set in configuration by someone who knows), a front-matter block::

    ---
    speaker: Dmitry Peskov
    ---

or a header line among the first few: "Statement by Kremlin spokesman Dmitry
Peskov", "Statement from the Ministry of Defence", "Statement of X on ...",
"Speaker: X", "From: X", "X said in a statement:". The named part must read
as a name (capitalised words, titles, "of", "the"), so a headline such as
"Statement by Peskov sparks outrage" is not taken for a header. Roles and titles are trimmed
from people ("Dmitry Peskov"), organisations are kept as written, without a
leading "the" (the article engine names "the Kremlin" "Kremlin" too).

Each paragraph after the header is a passage (each line, when the text has no
blank line), its ``text`` a contiguous slice of the file. Lines that are not the
speaker's words are left out: date lines, "FOR IMMEDIATE RELEASE", contact
blocks ("Media contact", e-mail and phone lines) and everything after an end
mark ("###", "-30-", "END"), which by convention closes a release's body.
Such lines are trimmed from a paragraph's edges; in its middle they stay, since
a passage must remain one slice of the file.
"""
from __future__ import annotations

import re

from ..model import SourceFile, SourcePassage
from ._lines import END_MARK_RE, Line, LineIndex, blocks
from ._names import is_name_phrase, phrase_before_stop, speaker_from_phrase

HEADER_LINES = 6  # a header is among the first non-empty lines, or there is none
_DECORATION = r"[ \t]*[#*_>]*[ \t]*"  # Markdown headings and emphasis around a header
STATEMENT_HEADER_RE = re.compile(
    rf"{_DECORATION}(?:(?:joint|official|press|written|public)\s+)?"
    r"(?:statement|remarks|press\s+release|readout|declaration|message|comments?)\s+"
    r"(?:by|from|of|attributable\s+to|attributed\s+to)\s+(?P<who>\S.*)", re.IGNORECASE)
LABELLED_HEADER_RE = re.compile(
    rf"{_DECORATION}(?:speaker|from|issued\s+by|attributable\s+to|attributed\s+to)[ \t]*:[ \t]*"
    r"(?P<who>\S.*)", re.IGNORECASE)
SAID_HEADER_RE = re.compile(
    rf"{_DECORATION}(?P<who>\S.{{0,120}}?)\s+(?:said|says|stated)\s+in\s+an?\s+(?:[\w-]+\s+){{0,2}}"
    r"(?:statement|press\s+release|release)\b[^:\n]{0,80}:[ \t*_]*$", re.IGNORECASE)
HEADER_RES = (STATEMENT_HEADER_RE, LABELLED_HEADER_RE, SAID_HEADER_RE)
FRONT_MATTER_FENCE = "---"
FRONT_MATTER_FIELD_RE = re.compile(r"[ \t]*(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")

_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DATE = (rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
         rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
         r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})")
# "12 March 2024", "MOSCOW, March 12, 2024", "2024-03-12, 14:00": a date with at
# most a place before it and a time after it.
DATE_LINE_RE = re.compile(
    rf"[ \t]*(?:[^\W\d][\w.'’ -]{{0,40}}[,–—-]\s*)?{_DATE}(?:\s*[,–—-]?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}"
    r"(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?[ \t.]*$", re.IGNORECASE)
BOILERPLATE_RE = re.compile(
    r"[ \t]*[#*_]*[ \t]*(?:for\s+immediate\s+release|embargoed\b|for\s+(?:more|further)\s+information"
    r"|(?:media|press|news)\s+(?:contacts?|enquiries|inquiries|office)\b|contacts?\s*:|enquiries\s*:"
    r"|e-?mail\s*:|tel(?:ephone)?\s*[.:]|phone\s*:|fax\s*:|mobile\s*:|web(?:site)?\s*:|follow\s+us\b"
    r"|page\s+\d+\s+of\s+\d+)", re.IGNORECASE)
CONTACT_HEADING_RE = re.compile(
    r"[ \t]*[#*_]*[ \t]*(?:for\s+(?:more|further)\s+information|(?:media|press|news)\s+(?:contacts?|enquiries"
    r"|inquiries)|contacts?\s*:|enquiries\s*:)", re.IGNORECASE)
CONTACT_DETAIL_RE = re.compile(
    r"[ \t]*(?:[^\s@]{1,64}@[^\s@]{1,255}\.\w+|(?:https?://|www\.)\S+|\+?[\d(][\d\s().-]{6,})[ \t]*$",
    re.IGNORECASE)


def parse_statement(path: str, text: str, speaker: str | None = None) -> SourceFile:
    index = LineIndex(text)
    lines = list(index.lines())
    body_from, front_speaker = _front_matter(lines)
    body_from, header_who = _header(lines, body_from)
    if speaker and speaker.strip():
        name, mention = speaker.strip(), speaker.strip()
    elif front_speaker:
        name, mention = speaker_from_phrase(front_speaker) or front_speaker, front_speaker
    elif header_who:
        name, mention = speaker_from_phrase(header_who), phrase_before_stop(header_who) or None
    else:
        name = mention = None

    passages = []
    for block in _body_blocks(text, index, body_from):
        start, end = block[0].start, block[-1].end
        start += len(block[0].text) - len(block[0].text.lstrip())
        end -= len(block[-1].text) - len(block[-1].text.rstrip())
        line, column = index.position(start)
        passages.append(SourcePassage(path, "statement", text[start:end], start, end, line, column,
                                      speaker=name, speaker_mention=mention))
    return SourceFile(path, "statement", passages)


def _front_matter(lines: list[Line]) -> tuple[int, str | None]:
    """Where the body starts (an offset) and the front matter's ``speaker``, if the
    text opens with a ``---`` fenced block of ``key: value`` lines."""
    first = next((i for i, line in enumerate(lines) if not line.blank), None)
    if first is None or lines[first].text.strip() != FRONT_MATTER_FENCE:
        return 0, None
    fields: dict[str, str] = {}
    for line in lines[first + 1:]:
        if line.text.strip() in (FRONT_MATTER_FENCE, "..."):
            return line.end, fields.get("speaker")
        m = FRONT_MATTER_FIELD_RE.match(line.text)
        if m is None and not line.blank:
            break  # not front matter after all: a horizontal rule, then prose
        if m:
            fields.setdefault(m.group("key").lower(), m.group("value").strip("\"'"))
    return 0, None


def _header(lines: list[Line], body_from: int) -> tuple[int, str | None]:
    """Where the body starts after a statement header among the first lines, and
    the phrase naming who speaks ("Kremlin spokesman Dmitry Peskov")."""
    candidates = [line for line in lines if line.start >= body_from and not line.blank][:HEADER_LINES]
    for line in candidates:
        who = header_speaker(line.text)
        if who:
            return line.end, who
    return body_from, None


def header_speaker(line_text: str, patterns=HEADER_RES) -> str | None:
    """The phrase naming the speaker, if the line is a statement header."""
    for pattern in patterns:
        m = pattern.match(line_text)
        if m and is_name_phrase(phrase_before_stop(m.group("who"))):
            return m.group("who")
    return None


def _body_blocks(text: str, index: LineIndex, body_from: int) -> list[list[Line]]:
    """Paragraphs (as their lines) of the speaker's words after ``body_from``."""
    out: list[list[Line]] = []
    in_contact = False
    for block in blocks(text, index):
        block = [line for line in block if line.start >= body_from]
        end_mark = next((i for i, line in enumerate(block) if END_MARK_RE.match(line.text)), None)
        if end_mark is not None:
            block = block[:end_mark]
        if block and CONTACT_HEADING_RE.match(block[0].text):
            in_contact = True
        elif block and not all(_contact_detail(line) for line in block):
            in_contact = False
        if not in_contact:
            while block and _not_words(block[0]):
                block = block[1:]
            while block and _not_words(block[-1]):
                block = block[:-1]
            if block:
                out.append(block)
        if end_mark is not None:
            break
    return out


def _not_words(line: Line) -> bool:
    return bool(line.blank or DATE_LINE_RE.match(line.text) or BOILERPLATE_RE.match(line.text)
                or CONTACT_DETAIL_RE.match(line.text))


def _contact_detail(line: Line) -> bool:
    """An e-mail, web or phone line, or a short line without a sentence's end (a
    name or job title in a contact block)."""
    words = line.text.split()
    return bool(CONTACT_DETAIL_RE.match(line.text) or BOILERPLATE_RE.match(line.text)
                or (len(words) <= 6 and not line.text.rstrip().endswith((".", "!", "?", "\"", "”"))))
