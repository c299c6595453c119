"""Where things are, in the editor's terms and in quotecheck's.

quotecheck's offsets are Python string indices (code points) into the
document's text. An editor names a place by line and character, and counts
characters in the unit the two sides agreed on when the session started: UTF-16
code units unless both offer something else (an emoji or a rare CJK character
is one code point but two UTF-16 units and four UTF-8 bytes). Lines end at
``\\n``, ``\\r\\n`` or a lone ``\\r``, exactly as the LSP specification and
:class:`quotecheck.model.Document` both say — not at the other characters
Python's ``str.splitlines`` also breaks at (form feed, U+2028…), which would
put every later line out of step with the editor.

:class:`LineIndex` converts both ways for one text, and :func:`apply_change`
applies an editor's incremental edit to it.
"""
from __future__ import annotations

import bisect

from ..model import LINE_BREAK_RE
from ..vocab import POSITION_ENCODINGS, PositionEncoding

UTF8: PositionEncoding = "utf-8"
UTF16: PositionEncoding = "utf-16"
UTF32: PositionEncoding = "utf-32"
# What the server prefers when the client offers several (the vocabulary's
# order): code points cost nothing to convert, bytes little; UTF-16, which
# every client must support, is the default.
PREFERENCE = POSITION_ENCODINGS


def choose_encoding(offered: list[str] | None) -> str:
    """The position encoding to use, from what the client offers (its
    ``general.positionEncodings``): UTF-32 or UTF-8 when offered, else UTF-16."""
    offered = [getattr(e, "value", e) for e in offered or []]
    return next((e for e in PREFERENCE if e in offered), UTF16)


def units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` ``text`` takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


def _char_units(c: str, encoding: str) -> int:
    o = ord(c)
    if encoding == UTF16:
        return 2 if o > 0xFFFF else 1
    if encoding == UTF8:
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 1


class LineIndex:
    """Line starts of one text, for converting offsets to (line, character)
    in a given encoding and back. Lines and characters are 0-based, as LSP
    counts them."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in LINE_BREAK_RE.finditer(text)]

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_end(self, line: int) -> int:
        """Offset just past the last character of ``line``, its line break excluded."""
        if line + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1]
        return end - 2 if self.text[end - 2:end] == "\r\n" else end - 1

    def position(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """(line, character) of a code-point ``offset``; an offset inside a
        line break counts as the end of its line."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self.line_end(line))
        return line, units(self.text[start:offset], encoding)

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """The code-point offset of (line, character). A line past the end is
        the end of the text; a character past the end of its line is the end
        of the line (as the LSP specification says); a character in the
        middle of a code point (half a surrogate pair) is that code point's start."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        character = max(0, character)
        content = self.text[start:end]
        if encoding == UTF32 or content.isascii():
            return start + min(character, len(content))
        counted = 0
        for i, c in enumerate(content):
            step = _char_units(c, encoding)
            if counted + step > character:
                return start + i
            counted += step
        return end


def apply_change(text: str, index: LineIndex, start: tuple[int, int] | None, end: tuple[int, int] | None,
                 new_text: str, encoding: str = UTF16) -> str:
    """``text`` with one editor change made: the range from ``start`` to
    ``end`` ((line, character) pairs) replaced by ``new_text``, or the whole
    text when there is no range."""
    if start is None or end is None:
        return new_text
    a, b = index.offset(*start, encoding), index.offset(*end, encoding)
    if b < a:
        a, b = b, a
    return text[:a] + new_text + text[b:]
