"""``index add --engine dask``: parsing source files on a Dask cluster.

Parsing articles with spaCy is nearly all the cost of building an index, and
it parallelises file by file; writing the index does not (one writer). So the
work is split the same way: this process (the client) decides what needs
reading and writes the index; Dask workers read, decode and load files.

- The client stats each file and skips, without sending it anywhere, a file
  whose stored version is current (same mtime and size), exactly as
  :func:`quotecheck.index.update.update_index` does.
- The others go to the workers in chunks of ``chunk`` paths, each with its
  stored digest (by default up to 32, the single-process build's batch, as
  spaCy parses a batch faster than its files one by one; fewer when the
  files are few, so that every thread gets at least two chunks). A worker reads the bytes and digests them; a file touched but
  not changed comes back as just that (the client records its new mtime), any
  other is decoded and loaded with the session's source loader, which each
  worker builds once, when it joins (:class:`_LoaderPlugin`), so the spaCy
  model loads once per worker, not once per task.
- The client takes what comes back in the order of the input files (a reorder
  buffer), with at most ``2 × threads + 2`` chunks in flight, and commits every
  ``batch`` changed files, as update_index does: an interrupted build keeps every
  batch committed before the interruption, and running it again picks up where
  it stopped (those files are current).

The index and the report are the same as ``update_index(store, paths,
session.source_loader(), batch)`` would give: the same rows (passage ids
included) and the same lists, in the same order (both store a batch in input
order, whatever order the loader returns files in).

Workers must see the source files under the same paths as this machine
(relative paths are sent made absolute): a shared file system, or the same
checkout. A file a worker cannot read is an error naming the file and the worker.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import SourceFile
from ..reading import InputError, decode
from .store import Store, file_digest
from .update import Loader, UpdateReport, load_batch, read_error, store_loaded

try:  # the plugin must subclass Dask's; without Dask, update_index_dask says what to install
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover - exercised only without the extra
    WorkerPlugin = object  # type: ignore[assignment,misc]

NEEDS_DASK = "--engine dask needs Dask: pip install 'quotecheck-news[dask]'"
CONNECT_TIMEOUT = 30.0  # seconds to wait for a newsroom's scheduler
DEFAULT_CHUNK = 32  # files a task at most: the single-process build's batch
SAME_PATHS = "Dask workers must see the source files under the same paths as this machine"

log = logging.getLogger(__name__)


@dataclass
class _Outcome:
    """What became of one file: ``unchanged`` (current, never sent), ``touched``
    (same content, new mtime), ``unreadable`` (not read or not decoded: reported
    at once, as update_index does), ``loaded`` or ``failed`` (by the loader)."""

    path: str
    kind: str
    mtime_ns: int = 0
    size: int = 0
    digest: str = ""
    source: SourceFile | None = None
    message: str = ""


def update_index_dask(store: Store, paths: Iterable[str], spec: tuple, *, scheduler: str | None = None,
                      workers: int | None = None, chunk: int | None = None, batch: int = 32,
                      progress: bool | None = None, connect_timeout: float = CONNECT_TIMEOUT) -> UpdateReport:
    """Bring the stored version of each file in ``paths`` up to date, parsing on
    Dask workers; ``spec`` is :meth:`Session.index_spec` of the session whose
    loader to use. ``scheduler``: a running scheduler's address (``tcp://host:8786``);
    None starts a local cluster of ``workers`` processes (default: one per core),
    stopped at the end, Ctrl-C included. ``chunk``: files per task (None: see above); ``batch``:
    changed files per commit (update_index's). ``progress``: a bar on stderr."""
    try:
        import distributed
    except ImportError:
        raise InputError(NEEDS_DASK) from None
    cluster = None
    if scheduler is None:
        import dask

        from ..parallel import default_jobs

        # No dashboard (the scheduler's health page on any free local port); no
        # stack sampling in the workers (it cost ~10% of a worker's parsing
        # time); and glibc's default trimming of freed memory, not Dask's
        # aggressive MALLOC_TRIM_THRESHOLD_, which made spaCy ~13% slower:
        # these workers live for one build.
        with dask.config.set({"distributed.worker.profile.enabled": False,
                              "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            cluster = distributed.LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                               silence_logs=logging.ERROR)
        client = distributed.Client(cluster, set_as_default=False)
    else:
        try:
            client = distributed.Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--scheduler {scheduler}: no Dask scheduler answered within "
                             f"{connect_timeout:g} s ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
                             ) from None
    try:
        return _build(client, store, paths, spec, chunk, max(1, batch), bool(progress),
                      remote=cluster is None)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _build(client, store: Store, paths: Iterable[str], spec: tuple, chunk: int | None, batch: int, progress: bool,
           remote: bool) -> UpdateReport:
    from tqdm import tqdm

    files = list(dict.fromkeys(paths))  # each file once, in the order given
    name = f"quotecheck-loader-{uuid.uuid4().hex}"  # this run's: another run's may hold another config
    try:
        client.register_plugin(_LoaderPlugin(spec), name=name)
    except Exception as exc:  # e.g. a plugin the configuration names is not installed on the workers
        raise InputError(f"the Dask workers cannot build the source loader: {type(exc).__name__}: {exc}") from None
    threads = max(1, sum(client.nthreads().values()))
    limit = 2 * threads + 2
    chunk = max(1, chunk if chunk else min(DEFAULT_CHUNK, -(-len(files) // (2 * threads))))
    report = UpdateReport()
    bar = tqdm(total=len(files), unit="file", file=sys.stderr, disable=not progress, desc="index")
    writer = _Writer(store, report, batch, bar)
    window: deque = deque()  # per file, in order: an _Outcome, or (chunk, position) awaiting its result
    filling: _Chunk | None = None
    in_flight: list[_Chunk] = []
    sent = chunks = 0

    def submit() -> None:
        nonlocal filling, sent, chunks
        filling.future = client.submit(_load_chunk, name, filling.items, remote, pure=False)
        in_flight.append(filling)
        sent, chunks, filling = sent + len(filling.items), chunks + 1, None

    def drain(wait: bool) -> None:
        """Write the head of the window while it is known; with ``wait``, wait
        for the head's chunk once if it is not (sending it first if still filling)."""
        while window:
            head = window[0]
            if isinstance(head, tuple):
                part, position = head
                if not part.ready():
                    if not wait:
                        break
                    wait = False
                    if part is filling:
                        submit()
                outcome = part.outcome(position)  # waits for the chunk's result if need be
                if position == len(part.items) - 1:
                    in_flight.remove(part)
            else:
                outcome = head
            window.popleft()
            writer.write(outcome)

    try:
        for path in files:
            outcome, stored_digest = _stat(store, path)
            if outcome is not None:
                window.append(outcome)
            else:
                if filling is None:
                    filling = _Chunk()
                window.append((filling, len(filling.items)))
                filling.items.append((path, os.path.abspath(path), stored_digest))
                if len(filling.items) >= chunk:
                    submit()
            while len(in_flight) >= limit:  # bounded: wait for the oldest
                drain(wait=True)
            drain(wait=False)
        while window:
            drain(wait=True)
        writer.finish()
        log.info("dask: %d of %d files sent to the workers in %d chunks", sent, len(files), chunks)
        return report
    finally:
        bar.close()
        for part in in_flight:
            if part.future is not None:
                part.future.cancel()
        try:
            client.unregister_worker_plugin(name)
        except Exception:  # the workers go with the cluster anyway; a shared one just keeps a loader
            pass


class _Chunk:
    """Files sent in one task: ``(path, absolute path, stored digest or None)``."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str | None]] = []
        self.future = None  # once sent, until its result is fetched
        self._outcomes: list[_Outcome] | None = None

    def ready(self) -> bool:
        return self._outcomes is not None or self.future is not None and self.future.done()

    def outcome(self, position: int) -> _Outcome:
        if self._outcomes is None:
            try:
                self._outcomes = self.future.result()
            except Exception as exc:  # the worker died, or the task could not run there
                why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                self._outcomes = [_Outcome(path, "failed", message=f"{path}: the Dask worker loading it failed: {why}")
                                  for path, _, _ in self.items]
            self.future = None  # the scheduler may forget the result
        return self._outcomes[position]


def _stat(store: Store, path: str) -> tuple[_Outcome | None, str | None]:
    """The outcome known without reading the file (current, or not there), else
    None and the stored digest to send along."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return _Outcome(path, "unreadable", message=read_error(path, exc)), None
    if store.is_current(path, st.st_mtime_ns, st.st_size):
        return _Outcome(path, "unchanged"), None
    return None, store.stored_digest(path)


class _Writer:
    """Applies outcomes to the store and the report in input order, as
    update_index would: unchanged and unreadable files reported at once, loaded
    ones stored and reported ``size`` changed files at a time."""

    def __init__(self, store: Store, report: UpdateReport, size: int, bar) -> None:
        self.store, self.report, self.size, self.bar = store, report, size, bar
        self.stored = set(store.paths())
        self.batch: list[_Outcome] = []  # changed files, not yet stored nor reported

    def write(self, outcome: _Outcome) -> None:
        if outcome.kind in ("unchanged", "touched"):
            if outcome.kind == "touched":
                self.store.refresh(outcome.path, outcome.mtime_ns, outcome.size)
            self.report.unchanged.append(outcome.path)
        elif outcome.kind == "unreadable":
            self.report.errors.append(outcome.message)
            self.report.failed.append(outcome.path)
        else:
            self.batch.append(outcome)
            if len(self.batch) >= self.size:
                self.finish()
        self.bar.update(1)

    def finish(self) -> None:
        """Store the batch of changed files in one transaction, then report it."""
        store_loaded(self.store, [(o.path, o.source if o.kind == "loaded" else o.message, o.mtime_ns, o.size,
                                   o.digest) for o in self.batch], self.stored, self.report)
        self.batch = []


# -- on the workers ---------------------------------------------------------------

class _LoaderPlugin(WorkerPlugin):
    """The session's source loader, built once per worker when it joins (and
    kept: the spaCy model loads on its first batch, once per worker)."""

    def __init__(self, spec: tuple) -> None:
        self.spec = spec

    def setup(self, worker) -> None:
        from ..session import Session

        self.session = Session.from_spec(self.spec)
        self.load: Loader = self.session.source_loader()
        self.lock = threading.Lock()  # a worker with several threads loads one batch at a time

    def teardown(self, worker) -> None:
        self.session.close()


def _load_chunk(name: str, items: list[tuple[str, str, str | None]], remote: bool) -> list[_Outcome]:
    """Read, digest, decode and load ``items`` (a task run on a worker)."""
    from distributed import get_worker

    worker = get_worker()
    plugin: _LoaderPlugin = worker.plugins[name]
    where = f" on Dask worker {worker.address} ({SAME_PATHS})" if remote else ""
    outcomes: list[_Outcome] = []
    changed: list[tuple[_Outcome, str]] = []
    for path, location, stored_digest in items:
        try:
            with open(location, "rb") as handle:
                data = handle.read()
                st = os.fstat(handle.fileno())  # the stat of what was read
        except OSError as exc:
            outcomes.append(_Outcome(path, "unreadable", message=read_error(path, exc, where)))
            continue
        digest = file_digest(data)
        outcome = _Outcome(path, "touched", st.st_mtime_ns, st.st_size, digest)
        outcomes.append(outcome)
        if digest == stored_digest:
            continue
        try:
            changed.append((outcome, decode(data, path)))
        except InputError as exc:
            outcome.kind, outcome.message = "unreadable", str(exc)
    if changed:
        with plugin.lock:
            loaded = load_batch(plugin.load, [(o.path, text) for o, text in changed])
        for outcome, _ in changed:
            result = loaded[outcome.path]
            if isinstance(result, SourceFile):
                outcome.kind, outcome.source = "loaded", result
            else:
                outcome.kind, outcome.message = "failed", result
    return outcomes
