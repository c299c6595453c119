"""Council gazettes (``.gzt``) as quotecheck sources.

An invented newsroom format, standing for whatever your newsroom's own
transcripts look like: a header of ``KEY: value`` lines, a ``===`` line, then
one block per speaker, each opening with the speaker's name in capitals and a
colon. A block runs until the next blank line::

    GAZETTE: Harbour Town Council
    SITTING: 4 March 2026
    ===
    ANA RUIZ: The ferry budget will not rise this year.
    We have made our choices.

    TOM BRIGGS: This budget fails the east ward.

Each block becomes one :class:`SourcePassage` whose speaker is the name in
title case ("Ana Ruiz"), so a draft's "Ruiz said" is checked against her words.
"""
from __future__ import annotations

import re

from quotecheck.hookspecs import hookimpl
from quotecheck.model import SourceFile, SourcePassage
from quotecheck.sources.formats import SourceFormat

KIND = "council-gazette"
HEADER_RE = re.compile(r"\A\ufeff?\s*GAZETTE:[^\n]*\n(?:[A-Z][A-Z ]*:[^\n]*\n)*===[ \t]*\r?\n")
SPEAKER_RE = re.compile(r"^(?P<label>[A-Z][A-Z.'\- ]+?):[ \t]+", re.MULTILINE)


def is_gazette(text: str) -> bool:
    """Whether ``text`` is a gazette: it opens with ``GAZETTE:`` and its header ends with ``===``."""
    return HEADER_RE.match(text) is not None


def load_gazette(path: str, text: str) -> SourceFile:
    """One passage per speaker block of the gazette at ``path``."""
    header = HEADER_RE.match(text)
    if header is None:
        # The message is shown with the file's name and this plugin's.
        raise ValueError("not a council gazette: it must open with a GAZETTE: line and a === line")
    passages = []
    for block in re.finditer(r"(?:[^\n]+\n?)+", text[header.end():]):
        start_of_block = header.end() + block.start()
        label = SPEAKER_RE.match(text, start_of_block)
        if label is None:  # a block without a speaker (a clerk's note): not anyone's words
            continue
        start = label.end()
        end = header.end() + block.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        passages.append(SourcePassage(
            path=path,                       # always the path quotecheck gave the loader
            kind=KIND,                       # your format's name
            text=text[start:end],            # the speaker's words, exactly as the file has them
            start=start, end=end,            # offsets of those words in ``text``
            line=line, column=column,        # 1-based place of ``start``
            speaker=label.group("label").title(),      # the name matching compares ("Ana Ruiz")
            speaker_mention=label.group("label"),      # as written ("ANA RUIZ")
        ))
    return SourceFile(path=path, kind=KIND, passages=passages)


@hookimpl
def quotecheck_source_formats():
    return [SourceFormat(name=KIND, suffixes=(".gzt",), detect=is_gazette, load=load_gazette)]
