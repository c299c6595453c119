"""Line bookkeeping shared by the source parsers.

Every parser reports places as offsets into the file's decoded text plus the
1-based line and column of the start, the same convention as
:meth:`quotecheck.model.Document.position`: a line ends at "\\n", "\\r\\n" or a
lone "\\r" (old Mac files, some CMS exports), and the break is never part of
the line's words.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator

# A line break: LF, CRLF or a lone CR (as quotecheck.model reads drafts).
NEWLINE = r"(?:\r\n|\r(?!\n)|\n)"
LINE_BREAK_RE = re.compile(NEWLINE)
BLANK_LINE_RE = re.compile(rf"{NEWLINE}[ \t]*{NEWLINE}")
# A line that ends a press release or transcript ("###", "-30-", "(END)", "- ENDS -").
END_MARK_RE = re.compile(r"[ \t]*(?:\(?ENDS?\)?|#[ \t]*#[ \t]*#|-30-|[–—-]+[ \t]*ENDS?[ \t]*[–—-]+)[ \t]*$")


@dataclass(frozen=True)
class Line:
    """One line of a text: ``text`` excludes the line break ("\\n", "\\r\\n" or "\\r")."""

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
        breaks = list(LINE_BREAK_RE.finditer(text))
        self.starts = [0] + [m.end() for m in breaks]
        self.ends = [m.start() for m in breaks] + [len(text)]  # where each line's break begins

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def lines(self) -> Iterator[Line]:
        for number, (start, end) in enumerate(zip(self.starts, self.ends), 1):
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
