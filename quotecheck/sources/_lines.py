"""Line bookkeeping shared by the source parsers.

Every parser reports places as offsets into the file's decoded text plus the
1-based line and column of the start, the same convention as
:meth:`quotecheck.model.Document.position` (lines end at "\\n"; a "\\r" before it
is part of the line's end, never of its words).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator

BLANK_LINE_RE = re.compile(r"\n[ \t\r]*\n")
# A line that ends a press release or transcript ("###", "-30-", "(END)", "- ENDS -").
END_MARK_RE = re.compile(r"[ \t]*(?:\(?ENDS?\)?|#[ \t]*#[ \t]*#|-30-|[–—-]+[ \t]*ENDS?[ \t]*[–—-]+)[ \t]*$")


@dataclass(frozen=True)
class Line:
    """One line of a text: ``text`` excludes the line break (and a trailing "\\r")."""

    number: int  # 1-based
    start: int  # offset of the first character
    end: int  # offset just past the last character of ``text``
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


class LineIndex:
    """Offsets to (line, column), and the lines themselves, of one text."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def lines(self) -> Iterator[Line]:
        ends = [s - 1 for s in self.starts[1:]] + [len(self.text)]
        for number, (start, end) in enumerate(zip(self.starts, ends), 1):
            if end > start and self.text[end - 1] == "\r":
                end -= 1
            yield Line(number, start, end, self.text[start:end])


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past whitespace, so the slice is stripped."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def blocks(text: str, index: LineIndex | None = None) -> list[list[Line]]:
    """Runs of non-blank lines; with no blank line anywhere, each line is a run
    (wire copy puts one paragraph on each line)."""
    lines = list((index or LineIndex(text)).lines())
    if not BLANK_LINE_RE.search(text):
        return [[line] for line in lines if not line.blank]
    runs: list[list[Line]] = [[]]
    for line in lines:
        if line.blank:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(line)
    return [run for run in runs if run]
