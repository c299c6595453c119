"""Subtitle files: WebVTT and SRT, read into one passage per stretch of one voice.

Both formats are blocks separated by blank lines; a cue is an optional identifier
(SRT numbers it), a timing line ``start --> end`` (WebVTT ``00:00:01.000``, maybe
followed by settings; SRT ``00:00:01,000``) and lines of text. WebVTT also has a
``WEBVTT`` header block and ``NOTE``/``STYLE``/``REGION`` blocks, which are skipped.

Who speaks comes from a WebVTT voice tag (``<v Dmitry Peskov>``,
``<v.loud Dmitry Peskov>``) or, as SRT files write it, a ``NAME:`` prefix at the
start of a line, possibly after a dialogue dash (``- NAME:``); a dash alone starts
another, unnamed speaker. A prefix must be upper case or two capitalised words
or more, unless a dash precedes it, so that "Yes: that's right" stays words.
Other markup (``<i>``, ``<c.x>``, ``<font>``, inline timestamps) is dropped and
entities decoded: a passage keeps the words, not the styling.

A quote can cross cue boundaries, so consecutive cues of one voice merge into one
passage, the cues' texts joined with "\\n" (lines within a cue join with spaces).
A cue with no voice continues the voice of the cue just before it, because files
usually mark only speaker changes; runs of cues with no voice at all merge too,
with speaker None. Merged text cannot be a slice of the file, so ``start``,
``line`` and ``column`` are those of the first cue's words and ``end`` is the end
of the last cue's words.

Files from the wild are often slightly broken, so nothing here is fatal: a cue
whose timing line cannot be read is skipped (and interrupts any merge), a text
block with no timing line right after a cue is taken as more of that cue's text
(an SRT cue with a blank line inside), and a file with no cues has no passages.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from ..model import SourceFile, SourcePassage
from ._lines import Line, LineIndex
from ._names import (SpeakerResolver, fold, is_speaker_label, is_upper, names_in_text,
                     speaker_for_label)

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
TIMING_RE = re.compile(rf"[ \t]*{_TIME}[ \t]*-->[ \t]*{_TIME}(?:[ \t].*)?$")
ARROW = "-->"
NON_CUE_BLOCK_RE = re.compile(r"[ \t]*(?:WEBVTT|NOTE|STYLE|REGION)(?:[ \t]|$)")
# Markup inside cue text: a voice tag, the end of one, any other tag, an entity.
# Bounded, so a line full of stray "<" stays linear.
MARKUP_RE = re.compile(r"(?P<open_voice><v(?:\.[^\s>]{0,60})?(?:[ \t]+(?P<voice>[^>\n]{0,200}))?>)"
                       r"|(?P<end_voice></v[ \t]*>)"
                       r"|<[^>\n]{0,200}>|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});)")
DASH_RE = re.compile(r"[-–—][ \t]*")
NAME_PREFIX_RE = re.compile(r"(?P<name>[^\s:\-–—][^:\n]{0,60}?)[ \t]*:(?:[ \t]+|$)")

Chars = list[tuple[str, int, int]]  # visible characters with their span in the file


@dataclass
class _Piece:
    """Words of one voice inside one cue, each character with its place in the file."""

    cue: int
    voice: str | None  # as written
    marked: bool  # opens with a voice tag, a name or a dash: a new speaker's words
    chars: Chars = field(default_factory=list)

    def words(self) -> tuple[str, int, int] | None:
        """The text with whitespace collapsed, and the offsets of its first and last
        characters' start and end."""
        kept = [c for c in self.chars if not c[0].isspace()]
        if not kept:
            return None
        text = " ".join("".join(c[0] for c in self.chars).split())
        return text, kept[0][1], kept[-1][2]


@dataclass
class _Run:
    """Consecutive cue pieces that read as one passage."""

    voice: str | None  # resolved and folded, for merging: "Reporter" is a voice, if no speaker
    speaker: str | None
    mention: str | None
    texts: list[str]
    start: int
    end: int
    last_cue: int


def parse_subtitles(path: str, text: str) -> SourceFile:
    index = LineIndex(text)
    pieces = [piece for cue, lines in enumerate(_cues(index)) if lines is not None
              for piece in _pieces(cue, lines)]
    resolver = SpeakerResolver([[p.voice for p in pieces if p.voice], names_in_text(text)])
    runs: list[_Run] = []
    for piece in pieces:
        found = piece.words()
        if found is None:
            continue
        words, start, end = found
        voice = fold(resolver.resolve(piece.voice) or "") if piece.voice else None
        last = runs[-1] if runs else None
        if last is not None and piece.cue - last.last_cue <= 1 and (
                not piece.marked or (voice and voice == last.voice)):
            last.texts.append(("\n" if piece.cue != last.last_cue else " ") + words)
            last.end, last.last_cue = end, piece.cue
        else:
            speaker = speaker_for_label(piece.voice, resolver) if piece.voice else None
            runs.append(_Run(voice, speaker, piece.voice, [words], start, end, piece.cue))
    passages = []
    for run in runs:
        line, column = index.position(run.start)
        passages.append(SourcePassage(path, "subtitles", "".join(run.texts), run.start, run.end,
                                      line, column, speaker=run.speaker, speaker_mention=run.mention))
    return SourceFile(path, "subtitles", passages)


def _cues(index: LineIndex) -> list[list[Line] | None]:
    """Each cue's text lines, in order; None for a cue whose timing is unreadable
    (kept in the list so that it separates the cues around it)."""
    cues: list[list[Line] | None] = []
    block: list[Line] = []
    for line in [*index.lines(), None]:
        if line is not None and not line.blank:
            block.append(line)
            continue
        if block:
            _add_block(block, cues)
        block = []
    return cues


def _add_block(block: list[Line], cues: list[list[Line] | None]) -> None:
    arrows = [i for i, line in enumerate(block) if ARROW in line.text]
    if not arrows:
        stray_text = not NON_CUE_BLOCK_RE.match(block[0].text) and not (
            len(block) == 1 and block[0].text.strip().isdigit())
        if stray_text and cues and cues[-1] is not None:
            cues[-1].extend(block)
        return
    # Lines before the first timing line are an identifier (or a header missing
    # its blank line); a timing line without a blank line before it starts a new
    # cue, its number (if it has one) being the previous line.
    for k, at in enumerate(arrows):
        upto = arrows[k + 1] if k + 1 < len(arrows) else len(block)
        text_lines = block[at + 1: upto]
        if k + 1 < len(arrows) and text_lines and text_lines[-1].text.strip().isdigit():
            text_lines = text_lines[:-1]
        cues.append(text_lines if TIMING_RE.match(block[at].text) else None)


def _pieces(cue: int, lines: list[Line]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for number, line in enumerate(lines):
        for k, (voice_tag, voice, chars) in enumerate(_voice_runs(line)):
            if voice_tag:
                pieces.append(_Piece(cue, voice, True, chars))
                continue
            marked, name, chars = _speaker_prefix(chars) if k == 0 else (False, None, chars)
            if marked:
                pieces.append(_Piece(cue, name, True, chars))
            elif pieces and number > 0:
                # A later line of the cue: the same speaker, the lines joined by a space.
                pieces[-1].chars.append((" ", line.start, line.start))
                pieces[-1].chars.extend(chars)
            else:
                pieces.append(_Piece(cue, None, False, chars))
    return pieces


def _voice_runs(line: Line) -> list[tuple[bool, str | None, Chars]]:
    """The line's visible characters, split where a voice tag opens or closes:
    (starts at a voice tag, the voice as written, characters)."""
    runs: list[tuple[bool, str | None, Chars]] = [(False, None, [])]
    pos = 0
    for m in [*MARKUP_RE.finditer(line.text), None]:
        upto = m.start() if m else len(line.text)
        runs[-1][2].extend((c, line.start + i, line.start + i + 1)
                           for i, c in enumerate(line.text[pos:upto], pos) if _visible(c))
        if m is None:
            break
        pos = m.end()
        if m.group("entity"):
            runs[-1][2].extend((c, line.start + m.start(), line.start + m.end())
                               for c in html.unescape(m.group("entity")) if _visible(c))
        elif m.group("open_voice"):
            runs.append((True, (m.group("voice") or "").strip() or None, []))
        elif m.group("end_voice"):
            runs.append((True, None, []))
    return runs


def _visible(char: str) -> bool:
    # Direction marks and other format characters (&lrm;) are not words.
    return unicodedata.category(char) != "Cf"


def _speaker_prefix(chars: Chars) -> tuple[bool, str | None, Chars]:
    """A line's dialogue dash and ``NAME:`` prefix, if it opens with them:
    (a new speaker starts, the name as written, the characters after the prefix)."""
    visible = "".join(c[0] for c in chars)
    skip = len(visible) - len(visible.lstrip())
    dash = DASH_RE.match(visible, skip)
    if dash:
        skip = dash.end()
    m = NAME_PREFIX_RE.match(visible, skip)
    if m and is_speaker_label(m.group("name")) and (
            dash or is_upper(m.group("name")) or len(m.group("name").split()) >= 2):
        return True, m.group("name").strip(), chars[m.end():]
    return bool(dash), None, chars[skip:]
