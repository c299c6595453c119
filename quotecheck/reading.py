"""Stage 1: read documents from paths or standard input, decoded once."""
from __future__ import annotations

import os
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
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return Document(path, decode(data, path))


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of a file's bytes (a BOM dropped); bad bytes raise InputError naming file:line:col."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
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
                out.extend(os.path.join(root, f) for f in sorted(files)
                           if Path(f).suffix.lower() in suffixes and not f.startswith("."))
        else:
            out.append(path)
    return out
