"""Incremental index updates: re-read only the files that changed, re-parse only new content.

A file whose mtime and size match the stored version is skipped without being
read. A file that was touched but not changed (same sha256) only gets its new
mtime recorded. Everything else is decoded, handed to the loader in batches
(the loader parses articles with spaCy, which is much faster over a batch),
and stored. A file that cannot be read, decoded or loaded is reported in
``errors`` (and ``failed``) and its previously stored version is kept. A loader
reports a file it cannot load as a :class:`LoadFailure` in its results, so the
rest of the batch is stored as loaded; a loader that raises for the whole batch
instead has each of the batch's files loaded once more, on its own.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..model import SourceFile
from ..reading import InputError, decode
from .store import Store, file_digest


@dataclass
class LoadFailure:
    """A loader's result for a file it could not load, in place of its SourceFile."""

    path: str
    message: str  # naming the file (and place), ready to print

    @classmethod
    def of(cls, path: str, exc: Exception) -> LoadFailure:
        """The failure ``exc`` raised while loading ``path``."""
        return cls(path, _describe(path, exc))


Loader = Callable[[list[tuple[str, str]]], list[SourceFile | LoadFailure]]


@dataclass
class UpdateReport:
    """Paths by outcome. ``errors`` holds messages naming the file (and place),
    ready to print. ``update_index`` never removes anything: ``removed`` is for the
    caller to fill, e.g. with :func:`prune_missing`."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # the paths of ``errors``: not read, or not loaded
    # A named directory -> the files under it that no registered format reads
    # (filled by the caller that walked the directories, see walk_sources).
    unknown: dict[str, list[str]] = field(default_factory=dict)


# What lies in source folders without being anyone's words: never counted as
# a file "with no known format" (hidden files are skipped altogether).
NOT_SOURCE_NAMES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})
NOT_SOURCE_SUFFIXES = frozenset({".sqlite", ".sqlite3", ".db", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal",
                                 ".db-journal", ".db-wal", ".db-shm", ".toml", ".py", ".pyc", ".log", ".lock",
                                 ".tmp", ".swp", ".bak", ".orig", ".part", ".crdownload"})


@dataclass
class SourceWalk:
    """The files a list of source paths stands for: ``files``, the files named
    and, under each directory named, every file with a suffix some source
    format reads; ``unknown``, for each directory named, the files under it
    that no format reads (not counting hidden files and obvious non-sources:
    index files, editors' backups, the operating system's litter)."""

    files: list[str] = field(default_factory=list)
    unknown: dict[str, list[str]] = field(default_factory=dict)


def walk_sources(paths: Iterable[str], suffixes: Iterable[str]) -> SourceWalk:
    """Expand ``paths`` as source paths, offering every suffix in ``suffixes``
    (the registered formats'): a directory is walked in a stable order,
    skipping hidden files and folders and anything but regular files (a named
    pipe is never opened); a path that is not a directory is kept as given."""
    offered = {s.lower() for s in suffixes}
    walk = SourceWalk()
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            walk.files.append(path)
            continue
        unknown: list[str] = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = os.path.join(root, name)
                if name.startswith(".") or not os.path.isfile(full):
                    continue
                suffix = os.path.splitext(name)[1].lower()
                if suffix in offered:
                    walk.files.append(full)
                elif not _obviously_not_a_source(name, suffix):
                    unknown.append(full)
        if unknown:
            walk.unknown[path] = unknown
    return walk


def _obviously_not_a_source(name: str, suffix: str) -> bool:
    return name.lower() in NOT_SOURCE_NAMES or suffix in NOT_SOURCE_SUFFIXES or name.endswith("~")


def unknown_format_messages(unknown: dict[str, list[str]]) -> list[tuple[str, str]]:
    """One ``(directory, message)`` per directory with files no format reads:
    ``("sources/", "3 files with no known format: *.gzt (is a plugin missing?)")``."""
    out = []
    for directory, files in unknown.items():
        suffixes = sorted({os.path.splitext(f)[1].lower() for f in files})
        patterns = ", ".join(f"*{s}" for s in suffixes)
        count = f"{len(files)} file{'' if len(files) == 1 else 's'}"
        out.append((directory.rstrip(os.sep) + os.sep,
                    f"{count} with no known format: {patterns} (is a plugin missing?)"))
    return out


@dataclass
class _Changed:
    path: str
    text: str
    mtime_ns: int
    size: int
    digest: str


def update_index(store: Store, paths: Iterable[str], load: Loader, batch: int = 32,
                 progress: Callable[[int], None] | None = None) -> UpdateReport:
    """Bring the stored version of each file in ``paths`` up to date.
    ``progress(n)``: n more files are done (see :func:`progress_bar`)."""
    report = UpdateReport()
    stored = set(store.paths())
    pending: list[_Changed] = []
    done = progress or (lambda n: None)
    for path in dict.fromkeys(paths):  # each file once, in the order given
        try:
            changed = _read_if_changed(store, path)
        except InputError as exc:
            report.errors.append(str(exc))
            report.failed.append(path)
            done(1)
            continue
        if changed is None:
            report.unchanged.append(path)
            done(1)
            continue
        pending.append(changed)
        if len(pending) >= batch:
            _load_and_store(store, pending, load, stored, report)
            done(len(pending))
            pending = []
    if pending:
        _load_and_store(store, pending, load, stored, report)
        done(len(pending))
    return report


@contextmanager
def progress_bar(total: int, enabled: bool, what: str = "files") -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (tqdm) for ``total`` files, when ``enabled``
    (the front end passes whether stderr is a terminal: a log or a pipe gets
    no bar); yields ``advance(n)``. Closed, and the line ended, however the
    block ends."""
    if not enabled or total <= 0:
        yield lambda n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit=f" {what}", file=sys.stderr, dynamic_ncols=True, leave=True,
              desc="quotecheck index add") as bar:
        yield bar.update


def prune_missing(store: Store, under: Iterable[str] = ()) -> list[str]:
    """Forget stored files that no longer exist; with ``under``, only those files
    or the files under those directories (so pruning one folder leaves the rest
    of the index alone)."""
    roots = [os.path.abspath(p) for p in under]
    removed = []
    for path in store.paths():
        absolute = os.path.abspath(path)
        in_scope = not roots or any(absolute == root or absolute.startswith(os.path.join(root, ""))
                                    for root in roots)
        if in_scope and not os.path.exists(path) and store.remove(path):
            removed.append(path)
    return removed


def _read_if_changed(store: Store, path: str) -> _Changed | None:
    """The file's new content, or None if the stored version is current."""
    try:
        st = os.stat(path)
        if store.is_current(path, st.st_mtime_ns, st.st_size):
            return None
        with open(path, "rb") as handle:
            data = handle.read()
            st = os.fstat(handle.fileno())  # the stat of what was read
    except OSError as exc:
        raise InputError(read_error(path, exc)) from None
    digest = file_digest(data)
    if store.is_current(path, st.st_mtime_ns, st.st_size, digest):
        store.refresh(path, st.st_mtime_ns, st.st_size)  # touched, not changed: no re-parse
        return None
    return _Changed(path, decode(data, path), st.st_mtime_ns, st.st_size, digest)


def _load_and_store(store: Store, pending: list[_Changed], load: Loader, stored: set[str],
                    report: UpdateReport) -> None:
    """Load ``pending`` as one batch and store what loaded, in input order (so
    the index does not depend on the order a loader returns files in, nor on
    the batch size: the Dask build stores the same rows)."""
    results = load_batch(load, [(c.path, c.text) for c in pending])
    store_loaded(store, [(c.path, results[c.path], c.mtime_ns, c.size, c.digest) for c in pending],
                 stored, report)


def store_loaded(store: Store, batch: list[tuple[str, SourceFile | str, int, int, str]], stored: set[str],
                 report: UpdateReport) -> None:
    """Store a loaded batch — ``(path, SourceFile or error message, mtime_ns,
    size, digest)`` each — in one transaction, in the order given, then report
    each file: added or replaced (``stored``: the paths stored before), or its error."""
    loaded = [(result, mtime_ns, size, digest) for _, result, mtime_ns, size, digest in batch
              if isinstance(result, SourceFile)]
    store.put_many(loaded, batch=max(1, sum(len(source.passages) for source, *_ in loaded)))
    for path, result, *_ in batch:
        if isinstance(result, SourceFile):
            (report.replaced if path in stored else report.added).append(path)
            stored.add(path)
        else:
            report.errors.append(result)
            report.failed.append(path)


def load_batch(load: Loader, pairs: list[tuple[str, str]]) -> dict[str, SourceFile | str]:
    """Each path of ``pairs`` (path, text) -> its SourceFile, or an error message
    naming the file. A loader that raises for the whole batch has each file
    loaded once more, on its own, so one bad file does not cost the batch."""
    try:
        loaded = load(pairs)
    except Exception as exc:
        if len(pairs) == 1:  # nothing to isolate: loading it again would fail again
            loaded = [LoadFailure.of(pairs[0][0], exc)]
        else:
            loaded = []
            for pair in pairs:
                try:
                    loaded.extend(load([pair]))
                except Exception as exc:
                    loaded.append(LoadFailure.of(pair[0], exc))
    failures: dict[str, str] = {}
    for item in loaded:
        if isinstance(item, LoadFailure):
            failures.setdefault(item.path, _describe(item.path, item.message))
    wanted = {path for path, _ in pairs}
    results = {s.path: s for s in loaded
               if not isinstance(s, LoadFailure) and s.path in wanted and s.path not in failures}
    nothing = "the loader returned nothing for this file"
    return {path: results[path] if path in results else failures.get(path, f"{path}: {nothing}")
            for path, _ in pairs}


def read_error(path: str, exc: OSError, where: str = "") -> str:
    """The message for a source file that cannot be read (``where``: e.g. on
    which Dask worker)."""
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file{where}"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: is a directory"
    return f"{path}: cannot read{where}: {exc.strerror or exc}"


def _describe(path: str, exc: Exception | str) -> str:
    message = str(exc) or type(exc).__name__
    return message if message.startswith(f"{path}:") else f"{path}: {message}"
