"""Applying the safe fixes rules offer (``Finding.fixes``), and writing the result.

A finding's fixes are one edit: all of them are applied or none (half a
quote-mark repair is worse than none). Where two findings want to change the
same characters, the earlier one wins and the other is skipped and reported;
running ``--fix`` again picks it up from freshly computed findings.

The file is written atomically (temp file in the same directory, fsync,
``os.replace``) and only if nobody changed it since it was read, so an editor's
unsaved-then-saved work is never overwritten by a stale fix.
"""
from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Iterable

from .model import Finding, Fix
from .reading import InputError, decode

BOM = b"\xef\xbb\xbf"


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, list[Finding], list[Finding]]:
    """The text with every applicable finding's fixes made, the findings applied
    and the findings skipped (fixes overlapping an applied fix, or out of range).
    Findings without fixes are in neither list. Characters outside the applied
    fixes' ``[start, end)`` spans are never touched."""
    candidates = [f for f in findings if f.fixes]
    order = sorted(range(len(candidates)),
                   key=lambda i: (candidates[i].start, min(x.start for x in candidates[i].fixes), i))
    accepted: list[Fix] = []
    applied, skipped = [], []
    for i in order:
        f = candidates[i]
        if not _well_formed(f.fixes, len(text)):
            skipped.append(f)
        elif all(any(_same(x, a) for a in accepted) for x in f.fixes):
            applied.append(f)  # another finding already makes exactly this edit
        elif any(_conflict(x, a) for x in f.fixes for a in accepted):
            skipped.append(f)
        else:
            accepted.extend(f.fixes)
            applied.append(f)
    return _splice(text, accepted), applied, skipped


def _well_formed(fixes: list[Fix], length: int) -> bool:
    if any(not 0 <= x.start <= x.end <= length for x in fixes):
        return False
    return not any(_conflict(a, b) for i, a in enumerate(fixes) for b in fixes[i + 1:])


def _same(a: Fix, b: Fix) -> bool:
    return (a.start, a.end, a.replacement) == (b.start, b.end, b.replacement)


def _conflict(a: Fix, b: Fix) -> bool:
    """Overlapping spans conflict; so does an insertion (empty span) at or
    inside another edit, since the order of the two would be a guess."""
    if a.start < b.end and b.start < a.end:
        return True
    if a.start == a.end and b.start <= a.start <= b.end:
        return True
    return b.start == b.end and a.start <= b.start <= a.end


def _splice(text: str, fixes: list[Fix]) -> str:
    # Built front to back from the original offsets, which is the same as
    # applying the fixes from the end backwards: no offset ever shifts.
    pieces, pos = [], 0
    for x in sorted(fixes, key=lambda x: (x.start, x.end)):
        pieces += [text[pos:x.start], x.replacement]
        pos = x.end
    pieces.append(text[pos:])
    return "".join(pieces)


def unified_diff(path: str, old: str, new: str) -> str:
    """A ``git diff``-style unified diff (``--- a/path``, ``+++ b/path``, three
    lines of context); "" when the texts are equal."""
    if old == new:
        return ""
    name = path.replace(os.sep, "/").lstrip("/")
    if name.startswith("./"):
        name = name[2:]
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}", lineterm="\n")
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def write_atomically(path: str, new_text: str, expected_old: str) -> None:
    """Replace the file's text with ``new_text`` if it still holds ``expected_old``
    (as decoded by :func:`quotecheck.reading.decode`), keeping its BOM, its CRLF
    line endings, its mode bits, its owner and group, and its hard links.
    Raises InputError naming the path, leaving the file as it was, when it
    changed meanwhile, is read-only (no owner write bit: a locked draft), or
    cannot be written. A symlink is written through, not replaced."""
    target = os.path.realpath(path)  # write through a symlink, not over it
    try:
        with open(target, "rb") as f:
            before = os.fstat(f.fileno())
            data = f.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if decode(data, path) != expected_old:
        raise InputError(f"{path}: changed on disk since it was checked; not fixed "
                         "(run quotecheck again)")
    if not before.st_mode & stat.S_IWUSR:
        raise InputError(f"{path}: a read-only file (mode {stat.filemode(before.st_mode)}); not fixed")
    payload = _encode_like(new_text, data)

    directory = os.path.dirname(target)
    with temporary_copy(path, target, payload) as temp:
        os.chmod(temp, stat.S_IMODE(before.st_mode))
        _keep_owner(temp, before, path)
        if _changed_since(target, before):
            raise InputError(f"{path}: changed on disk while the fixes were written; not fixed "
                             "(run quotecheck again)")
        if before.st_nlink > 1:
            # Renaming over a hard-linked file would part it from its other
            # names: write it in place (the whole new text is on disk already
            # beside it, so a crash leaves the temporary copy, never half a draft).
            with open(target, "r+b") as f:
                f.write(payload)
                f.truncate()
                f.flush()
                os.fsync(f.fileno())
            os.unlink(temp)
        else:
            os.replace(temp, target)
    _fsync_directory(directory)


@contextmanager
def temporary_copy(path: str, target: str, payload: bytes) -> Iterator[str]:
    """``payload`` written and synced to a new temporary file beside ``target``
    (same directory, so it can be renamed or linked into place); the block puts
    it in place. If the block fails, the temporary file is removed and an
    OSError becomes an InputError naming ``path`` (what the user gave). Creating
    the temporary file is not guarded: its OSError is the caller's to word."""
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.",
                                suffix=".quotecheck-tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        yield temp
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def _keep_owner(temp: str, before: os.stat_result, path: str) -> None:
    """Give the new file the old one's owner and group, or refuse the fix."""
    now = os.stat(temp)
    if (now.st_uid, now.st_gid) == (before.st_uid, before.st_gid):
        return
    try:
        os.chown(temp, before.st_uid, before.st_gid)
    except PermissionError:
        raise InputError(f"{path}: owned by another user or group, which a rewritten file would lose; "
                         "not fixed") from None


def _encode_like(text: str, original: bytes) -> bytes:
    """The bytes of ``text`` as the original was written: UTF-16 with its BOM
    and byte order if it was (as :func:`quotecheck.reading.decode` read it),
    else UTF-8 with the original's BOM; with CRLF line endings when the
    original used CRLF throughout (so a fix's bare newline fits in)."""
    codec = _utf16_codec(original)
    old = original.decode("utf-16") if codec else original.decode("utf-8", "replace")
    if "\r\n" in old and old.count("\n") == old.count("\r\n"):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if codec:
        return original[:2] + text.encode(codec)
    return (BOM if original.startswith(BOM) else b"") + text.encode("utf-8")


def _utf16_codec(original: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" for a file read as UTF-16 (its BOM, an even
    length, and it decodes), else None."""
    if original[:2] not in (b"\xff\xfe", b"\xfe\xff") or len(original) % 2:
        return None
    try:
        original.decode("utf-16")
    except UnicodeDecodeError:
        return None
    return "utf-16-le" if original[:2] == b"\xff\xfe" else "utf-16-be"


def _changed_since(path: str, before: os.stat_result) -> bool:
    try:
        now = os.stat(path)
    except OSError:
        return True
    return (now.st_ino, now.st_size, now.st_mtime_ns) != (before.st_ino, before.st_size, before.st_mtime_ns)


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
