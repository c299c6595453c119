"""The result cache: a checked document is not parsed again while nothing that
decides its result has changed.

An entry holds one document's result (its quotes, people and findings, without
the parse) under a key made of everything that decides it: the document's text
and path (and, for a section of a long file, where the section starts), the
command's mode (analysis only, or the rules too), and the session's
fingerprint — quotecheck's version and its own code, the language model and
spaCy, the configuration, the rule packs, every plugin's code, the people
registry and the state of the sources (each source file's and index's size and
modification time). Change any of them and the entry is simply not found.

Entries are files under ``<cache dir>/results/`` (``$QUOTECHECK_CACHE_DIR``,
else ``$XDG_CACHE_HOME/quotecheck``, else ``~/.cache/quotecheck``), written to a
temporary file and renamed into place, so concurrent runs never see half an
entry. Each starts with a magic string and the SHA-256 of its payload; an
entry that does not check out (truncated, corrupt, from another version) is
ignored and removed, never trusted. ``quotecheck cache clean`` removes them all.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

MAGIC = b"QCRESULT1\n"
DIGEST = 32  # bytes of SHA-256


def default_directory() -> Path:
    """Where results are cached (beside the first-name lexicon's table)."""
    from .references.lexicon import cache_dir

    return cache_dir() / "results"


class ResultCache:
    """Results on disk, one file per key (see the module's documentation)."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.directory = Path(directory) if directory is not None else default_directory()
        self.hits = self.misses = self.ignored = 0

    # -- keys ---------------------------------------------------------------
    @staticmethod
    def key(*parts: str | bytes) -> str:
        """A key from its parts (each one length-prefixed, so parts never run together)."""
        h = hashlib.sha256()
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key[2:]

    # -- entries ------------------------------------------------------------
    def get(self, key: str):
        """The value stored under ``key``, or None (missing, or not trustworthy)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        payload = data[len(MAGIC) + DIGEST:]
        if not data.startswith(MAGIC) or data[len(MAGIC):len(MAGIC) + DIGEST] != hashlib.sha256(payload).digest():
            return self._ignore(path)
        try:
            value = pickle.loads(payload)
        except Exception:  # written by another version of the code: not ours to read
            return self._ignore(path)
        self.hits += 1
        return value

    def _ignore(self, path: Path):
        self.ignored += 1
        self.misses += 1
        try:
            path.unlink()
        except OSError:
            pass
        return None

    def put(self, key: str, value) -> None:
        """Store ``value`` under ``key``: written whole or not at all. A cache
        that cannot be written (a read-only disk, a full one) is skipped:
        the result is still right, only the next run is slower."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a plugin put something unpicklable on a finding: not cached
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(MAGIC + hashlib.sha256(payload).digest() + payload)
                os.replace(temp, path)
            except BaseException:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
                raise
        except OSError:
            return

    # -- upkeep -------------------------------------------------------------
    def info(self) -> dict:
        """``{"directory", "entries", "bytes"}``."""
        entries = size = 0
        for path in self._entries():
            try:
                size += path.stat().st_size
                entries += 1
            except OSError:
                continue
        return {"directory": str(self.directory), "entries": entries, "bytes": size}

    def clean(self) -> dict:
        """Remove every entry (safe while other runs use the cache: an entry
        removed under them is a miss). What was removed, as :meth:`info`."""
        before = self.info()
        if self.directory.is_dir():
            shutil.rmtree(self.directory, ignore_errors=True)
        return before

    def _entries(self):
        if not self.directory.is_dir():
            return
        for sub in sorted(self.directory.iterdir()):
            if sub.is_dir():
                yield from (p for p in sub.iterdir() if not p.name.startswith(".tmp-"))


# -- what decides a result ---------------------------------------------------------

def file_state(path: str | os.PathLike) -> str:
    """A file's identity for a fingerprint: its real path, size and
    modification time (or that it is missing)."""
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except OSError:
        return f"{real}:missing"
    return f"{real}:{st.st_size}:{st.st_mtime_ns}"


def code_state() -> str:
    """quotecheck's own code: every module and shipped pack of the installed
    package (a checkout being edited counts as new code at every save)."""
    import quotecheck

    root = Path(quotecheck.__file__).parent
    files = sorted(p for p in root.rglob("*") if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts)
    return f"{quotecheck.__version__};{sys.version_info[:2]};" + ";".join(
        f"{p.relative_to(root)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)
