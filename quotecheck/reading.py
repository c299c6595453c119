"""Stage 1: read documents from paths or standard input, decoded once.

A draft is read whole. A file longer than one section (``SECTION_SIZE``
characters; archives, wire dumps, a year of transcripts pasted together) is
read and checked section by section, so that memory does not grow with the
file: a first pass decodes it chunk by chunk to find any byte that is not
UTF-8 (nothing of a file that cannot be decoded is checked), how it separates
paragraphs and its suppression directives; the second yields one
:class:`~quotecheck.model.Document` per section, cut at a paragraph break
(a paragraph longer than a section at a line break, else a sentence end,
else a space), each knowing where it starts in the file.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .model import BLANK_LINE_RE, LINE_BREAK_RE, PARAGRAPH_BREAK_RE, Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text", ""}
ENCODING_ERRORS = ("strict", "replace")

# Characters a section holds (about 250 KB of English, 40,000 words): the
# longest feature is one section; a file longer than this is checked section
# by section. Smaller sections would cut more documents; larger ones make the
# memory a run needs (a section in each worker, a few results waiting to be
# written) larger, and reach that peak only on longer files.
SECTION_SIZE = 250_000
MAX_FILE_SIZE = 100 * 1024 * 1024  # bytes: a larger file is skipped, with a message
CHUNK = 1 << 20  # bytes read at a time from a file checked in sections
UTF8_BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """Bad input: the message names the file and, where it can, the place."""


def read_document(path: str, encoding_errors: str = "strict") -> Document:
    """The whole file (or standard input, ``-``) as one document."""
    if path == "-":
        data = sys.stdin.buffer.read()
        return Document("<stdin>", decode(data, "<stdin>", encoding_errors))
    _check_file(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return Document(path, decode(data, path, encoding_errors))


def read_documents(path: str, *, section_size: int = SECTION_SIZE, max_size: int | None = MAX_FILE_SIZE,
                   encoding_errors: str = "strict") -> Iterator[Document]:
    """The documents of one file (``-``: standard input): the whole file, or one
    per section when it is longer than ``section_size`` characters. Raises
    :class:`InputError` before yielding anything when the file cannot be read,
    is larger than ``max_size`` bytes, is binary or is not valid text; and at
    the end if it changed while its sections were being read."""
    name = "<stdin>" if path == "-" else path
    handle = _stdin_spooled(section_size) if path == "-" else _open(path)
    with handle:
        size = _size(handle)
        if max_size is not None and size > max_size:
            raise InputError(f"{name}: {_megabytes(size)}, over max_file_size ({_megabytes(max_size)}): "
                             f"skipped (raise max_file_size in the configuration to check it)")
        if size <= section_size:  # at most as many characters as bytes: one document
            yield Document(name, decode(handle.read(), name, encoding_errors))
            return
        yield from _sections(handle, name, section_size, encoding_errors)


def _check_file(path: str) -> os.stat_result:
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory (pass its files, or use a glob)")
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end: never opened
        raise InputError(f"{path}: not a regular file ({_kind(st.st_mode)}): skipped")
    return st


def _open(path: str) -> BinaryIO:
    _check_file(path)
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _stdin_spooled(section_size: int) -> BinaryIO:
    """Standard input, kept in memory up to a section's size and spooled to a
    temporary file past it (it is read twice when checked in sections)."""
    spool = tempfile.SpooledTemporaryFile(max_size=section_size)
    while True:
        data = sys.stdin.buffer.read(CHUNK)
        if not data:
            break
        spool.write(data)
    spool.seek(0)
    return spool


def _size(handle: BinaryIO) -> int:
    here = handle.tell()
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(here)
    return size


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"


def decode(data: bytes, name: str, errors: str = "strict") -> str:
    """UTF-8 text of a file's bytes (a BOM dropped; UTF-16 with its BOM
    decoded); bad bytes raise InputError naming file:line:col (with ``errors``
    ``"replace"`` they become U+FFFD instead), and a binary file (NUL bytes)
    is refused."""
    skipped = 0  # bytes of a BOM before ``data``: places are the file's
    if data.startswith(UTF8_BOM):
        data, skipped = data[3:], 3
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) and len(data) % 2 == 0:
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the UTF-8 error below names the byte
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(_binary(name, skipped + nul))
    try:
        return data.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        raise InputError(_not_utf8(name, data, exc.start)) from None


_BYTE_BREAK_RE = re.compile(rb"\r\n|\r(?!\n)|\n")


def _binary(name: str, offset: int) -> str:
    return f"{name}: a binary file (a NUL byte at byte {offset}), not a draft: skipped"


def _not_utf8(name: str, data: bytes, bad: int, lines_before: int = 0, column_before: int = 0) -> str:
    """The message for a byte that is not UTF-8 at ``data[bad]``; ``data`` may be
    a chunk of a longer file after ``lines_before`` line breaks, its first line
    already ``column_before`` characters long."""
    # Lines end at LF, CRLF or a lone CR, as everywhere else; columns count
    # characters (the text before the bad byte is valid UTF-8, so it decodes).
    breaks = list(_BYTE_BREAK_RE.finditer(data, 0, bad))
    line = lines_before + len(breaks) + 1
    line_start = breaks[-1].end() if breaks else 0
    col = len(data[line_start:bad].decode("utf-8", "replace")) + 1
    if line_start == 0:
        col += column_before
    return f"{name}:{line}:{col}: not valid UTF-8 (byte 0x{data[bad]:02x}); save the file as UTF-8"


# -- files checked in sections ----------------------------------------------------

def _decoded_chunks(handle: BinaryIO, name: str, errors: str, digest) -> Iterator[str]:
    """The file's text, a chunk at a time, decoded as :func:`decode` would
    decode the whole (``digest`` is fed every byte read)."""
    handle.seek(0)
    head = handle.read(4)
    digest.update(head)
    if head.startswith(UTF8_BOM):
        encoding, pending = "utf-8", head[3:]
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding, pending = "utf-16", head
    else:
        encoding, pending = "utf-8", head
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    offset = len(head) - len(pending)  # bytes before ``pending`` in the file
    lines = column = 0  # line breaks decoded so far; characters since the last one
    cr = False  # the text so far ends in a CR
    first = True
    while True:
        data = pending + handle.read(CHUNK)
        digest.update(data[len(pending):])
        pending = b""
        final = len(data) == 0
        if encoding == "utf-8":
            nul = data.find(b"\x00")
            if nul >= 0:
                raise InputError(_binary(name, offset + nul))
        buffered = decoder.getstate()[0]
        try:
            text = decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            if encoding != "utf-8":
                raise InputError(f"{name}: not valid UTF-16 near byte {offset - len(buffered) + exc.start}; "
                                 f"save the file as UTF-8") from None
            raise InputError(_not_utf8(name, exc.object, exc.start, lines, column)) from None
        if first and encoding == "utf-16":
            text = text.lstrip("\ufeff")
        first = False
        offset += len(data)
        found = list(LINE_BREAK_RE.finditer(text))
        lines += len(found) - (1 if found and found[0].start() == 0 and text.startswith("\n") and cr else 0)
        column = len(text) - found[-1].end() if found else column + len(text)
        cr = text.endswith("\r")  # a CRLF cut between two chunks is one break
        if text:
            yield text
        if final:
            return


# Suppression directives, for the sections they reach into (see suppression.py).
_DIRECTIVE_START_RE = re.compile(r"<!--|\[\[")
_HOLD = 4096  # characters kept back between chunks, so that nothing is cut in two


def _first_pass(handle: BinaryIO, name: str, errors: str):
    """Decode the whole file once: any error before anything is checked; whether
    it separates paragraphs by blank lines; its suppression directives (with
    file offsets); a digest of its bytes."""
    from .suppression import parse_directives

    digest = hashlib.sha256()
    blank = False
    directives = []
    tail, base = "", 0  # undecided end of the text so far, and where it starts
    for text in _decoded_chunks(handle, name, errors, digest):
        window = tail + text
        blank = blank or BLANK_LINE_RE.search(window) is not None
        keep = max(0, len(window) - _HOLD)
        # Directives starting in the settled part; one near the end waits for more text.
        for d in parse_directives(window)[0]:
            if d.start < keep:
                directives.append(_shifted(d, base))
        tail, base = window[keep:], base + keep
    for d in parse_directives(tail)[0]:
        directives.append(_shifted(d, base))
    return blank, directives, digest.hexdigest()


def _shifted(d, by: int):
    from dataclasses import replace

    return replace(d, start=d.start + by, end=d.end + by)


def _sections(handle: BinaryIO, name: str, section_size: int, errors: str) -> Iterator[Document]:
    blank, directives, digest = _first_pass(handle, name, errors)
    again = hashlib.sha256()
    place = [0, 0, 0, 0]  # origin, lines and column before the next section; its number
    buffer = ""
    for text in _decoded_chunks(handle, name, errors, again):
        buffer += text
        while len(buffer) >= section_size + _HOLD:
            cut = section_cut(buffer, section_size, blank)
            yield _section(name, buffer[:cut], place, blank, directives)
            buffer = buffer[cut:]
    while len(buffer) > section_size:
        cut = section_cut(buffer, section_size, blank)
        yield _section(name, buffer[:cut], place, blank, directives)
        buffer = buffer[cut:]
    if place[3] == 0:  # it all fits in one section after all (many bytes a character)
        yield Document(name, buffer, blank_lines=blank)
    elif buffer:
        yield _section(name, buffer, place, blank, directives)
    if again.hexdigest() != digest:
        raise InputError(f"{name}: changed while it was being checked: check it again")


def _section(name, text, place: list[int], blank, directives) -> Document:
    """The next section's document; ``place`` (origin, lines and column before
    it, its number) is moved past it."""
    origin, lines, column, index = place
    end = origin + len(text)
    # What reaches in from the file's other sections: every ignore-file, and the
    # disable/enable directives written before this section.
    inherited = tuple(_shifted(d, -origin) for d in directives
                      if not (origin <= d.start < end) and (d.kind == "ignore-file" or
                                                              d.kind in ("disable", "enable") and d.end <= origin))
    doc = Document(name, text, origin=origin, line_origin=lines, column_origin=column, section=index,
                   blank_lines=blank, inherited=inherited)
    breaks = len(doc._line_starts) - 1
    place[:] = [end, lines + breaks, len(text) - doc._line_starts[-1] + (0 if breaks else column), index + 1]
    return doc


_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*\s+")


def section_cut(text: str, size: int, blank_lines: bool) -> int:
    """Where a section of ``text`` ends: after the last paragraph break in
    the second half of its ``size`` characters; in a paragraph longer than
    that, after a line break, a sentence end or a space; else at ``size``.
    Never between the two characters of a CRLF."""
    lo, hi = size // 2, size
    found = None
    for m in PARAGRAPH_BREAK_RE[blank_lines].finditer(text, lo, hi):
        found = m
    if found is not None:
        cut = found.end()
    else:
        line = max(text.rfind("\n", lo, hi), text.rfind("\r", lo, hi))
        ends = [m.end() for m in _SENTENCE_END_RE.finditer(text, lo, hi)]
        space = max(text.rfind(" ", lo, hi), text.rfind("\t", lo, hi))
        cut = line + 1 if line >= 0 else ends[-1] if ends else space + 1 if space >= 0 else hi
    if 0 < cut < len(text) and text[cut - 1] == "\r" and text[cut] == "\n":
        cut += 1
    return cut


def expand_paths(paths: list[str], suffixes=TEXT_SUFFIXES) -> list[str]:
    """Files named, and the text files under directories named, in a stable order."""
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                # Only regular files: a named pipe lying in a directory is never opened.
                out.extend(os.path.join(root, f) for f in sorted(files)
                           if Path(f).suffix.lower() in suffixes and not f.startswith(".")
                           and os.path.isfile(os.path.join(root, f)))
        else:
            out.append(path)
    return out
