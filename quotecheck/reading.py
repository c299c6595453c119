"""Stage 1: read documents from paths or standard input, decoded once."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from .model import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".text", ""}


class InputError(Exception):
    """Bad input: the message names the file and, where it can, the place."""


def read_document(path: str) -> Document:
    if path == "-":
        data = sys.stdin.buffer.read()
        return Document("<stdin>", decode(data, "<stdin>"))
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a directory (pass its files, or use a glob)")
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):  # a FIFO or a device would block or never end: never opened
        raise InputError(f"{path}: not a regular file ({_kind(mode)}): skipped")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return Document(path, decode(data, path))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a file's bytes (a BOM dropped; UTF-16 with its BOM
    decoded); bad bytes raise InputError naming file:line:col, and a binary
    file (NUL bytes) is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) and len(data) % 2 == 0:
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the UTF-8 error below names the byte
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{name}: a binary file (a NUL byte at byte {nul}), not a draft: skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        # Columns count characters, as everywhere else (the line before the bad
        # byte is valid UTF-8, so it decodes).
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start:exc.start].decode("utf-8")) + 1
        raise InputError(f"{name}:{line}:{col}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                         "save the file as UTF-8") from None


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
