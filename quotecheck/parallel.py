"""Checking many documents: from the result cache, in this process, or in
worker processes (``-j N``), always giving the results in input order.

The unit of work is one document — a whole file, or one section of a long
one — checked on its own by :meth:`Session.check_one`, so its result depends on
its text and the session alone: the same whatever else is checked, in what
order, or in which process. That is what lets a result be cached, and the
output of ``-j 2`` be byte for byte the output of ``-j 1``.

Workers are separate processes (started with ``spawn``: nothing of this
process is inherited, neither open index connections nor signal handlers),
each building the sessions it is sent once and loading the language model on
its first document. A pool is started only when a second document needs
checking (one draft is checked here, with no start-up cost), and at most
``2 × jobs`` documents are in flight, so that reading a long file section by
section keeps memory bounded. Ctrl-C and SIGTERM stop the workers.
"""
from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from .model import Document


@dataclass
class Unit:
    """One document to check with one session."""

    session: object  # quotecheck.session.Session
    document: Document


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Runner:
    """Runs units in order; see the module's documentation."""

    def __init__(self, jobs: int = 1, cache=None, rules: bool = True):
        self.jobs = max(1, jobs)
        self.cache = cache
        self.rules = rules
        self._pool: ProcessPoolExecutor | None = None
        self._specs: dict[int, tuple] = {}  # id(session) -> (key, spec) sent to workers

    def run(self, items: Iterable) -> Iterator:
        """The result of every :class:`Unit` (a ``FileResult``) and every other
        item (a ``Problem``) of ``items``, in their order."""
        window: deque = deque()  # [kind, value, unit, key]: "done" results, "job" futures, "held" units
        seen: list = []
        said = self._said = set()  # problems of the sessions (their sources, their plugins): each said once

        def once(problems):
            for p in problems:
                if str(p) not in said:
                    said.add(str(p))
                    window.append(["done", p, None, None])

        try:
            for item in items:
                if not isinstance(item, Unit):
                    window.append(["done", item, None, None])
                else:
                    session = item.session
                    if not any(s is session for s in seen):
                        seen.append(session)
                        once(session.take_problems())
                    key = self._key(item)
                    cached = self.cache.get(key) if key is not None else None
                    if cached is not None:
                        window.append(["done", cached, None, None])
                    else:
                        # Held until a second document to check shows there is work for a pool.
                        start = self.jobs > 1 and (self._pool is not None or any(e[0] == "held" for e in window))
                        window.append(["held", None, item, key])
                        if start:
                            self._start(window)
                            once(session.take_problems())
                while window and self._ready(window):
                    yield from self._finish(window.popleft())
            while window:
                yield from self._finish(window.popleft())
            for session in seen:  # problems of sources not loaded this run (every result was cached)
                once(session.cached_source_problems(self.cache))
            while window:
                yield window.popleft()[1]
        finally:
            self.close()

    def _ready(self, window: deque) -> bool:
        """Whether the first entry is to be given now: it is done, or too many
        are waiting behind it (memory stays bounded)."""
        kind = window[0][0]
        crowded = len(window) > 2 * self.jobs
        return kind == "done" or kind == "held" and (self.jobs == 1 or crowded) or kind == "job" and crowded

    # -- one unit ----------------------------------------------------------------
    def _key(self, unit: Unit) -> str | None:
        if self.cache is None:
            return None
        doc = unit.document
        return self.cache.key(unit.session.fingerprint(self.rules), doc.path, str(doc.origin),
                              str(doc.line_origin), str(doc.column_origin), str(doc.section), str(doc.blank_lines),
                              repr(doc.inherited), doc.text)

    def _finish(self, entry) -> Iterator:
        kind, value, unit, key = entry
        if kind == "done":
            yield value
            return
        if kind == "held":
            # Checked here, no pool running: a long document's parse may use the cores.
            value = unit.session.check_one(unit.document, self.rules, processes=self.jobs)
            for p in unit.session.take_problems():  # what opening the sources said
                if str(p) not in self._said:
                    self._said.add(str(p))
                    yield p
        else:
            value = self._result(value, unit)
        if key is not None and not any(p.origin == "internal" for p in value.problems):
            self.cache.put(key, value)
        yield value

    def _result(self, future: Future, unit: Unit):
        from .session import FileResult, Problem

        try:
            return future.result()
        except BrokenProcessPool:
            self._pool = None  # a new one is started for what follows
            return FileResult(unit.document, problems=[Problem(
                "internal error: the worker process checking it died (out of memory, or killed)",
                path=unit.document.path, origin="internal")])

    # -- the pool ------------------------------------------------------------------
    def _start(self, window: deque) -> None:
        """Start the pool if need be, and hand it the unit held back so far."""
        if self._pool is None:
            import multiprocessing

            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker)
        for entry in window:
            if entry[0] == "held":
                entry[0], entry[1] = "job", self._submit(entry[2])

    def _submit(self, unit: Unit) -> Future:
        session = unit.session
        if id(session) not in self._specs:
            self._specs[id(session)] = (f"{os.getpid()}:{id(session)}", session.spec())
        key, spec = self._specs[id(session)]
        with _no_interrupt():  # a worker it starts ignores Ctrl-C from its first instruction
            return self._pool.submit(_work, key, spec, unit.document, self.rules)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            # Ctrl-C, SIGTERM or the end: no worker is waited for; each is
            # stopped before its pipes close (a worker still starting would
            # otherwise print the pipe's end as a traceback).
            processes = list((getattr(pool, "_processes", None) or {}).values())
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(5)
            pool.shutdown(wait=False, cancel_futures=True)


class _no_interrupt:
    """While workers may be started: SIGINT ignored, which they inherit, so a
    Ctrl-C in the terminal (sent to every process of the job) is the parent's
    alone to handle; and SIGTERM held back until the worker has all it needs
    (a worker cut off while reading it would print the pipe's end)."""

    def __enter__(self):
        self.held: list[int] = []
        try:
            self.previous = (signal.signal(signal.SIGINT, signal.SIG_IGN),
                             signal.signal(signal.SIGTERM, lambda signum, frame: self.held.append(signum)))
        except ValueError:  # not the main thread
            self.previous = None

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous[0])
            signal.signal(signal.SIGTERM, self.previous[1])
            if self.held:
                os.kill(os.getpid(), signal.SIGTERM)


# -- in the worker processes ----------------------------------------------------------

_SESSIONS: dict[str, object] = {}


def _init_worker() -> None:
    # The parent handles Ctrl-C and SIGTERM, and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _work(key: str, spec: tuple, document: Document, rules: bool):
    from .session import Session

    session = _SESSIONS.get(key)
    if session is None:
        session = _SESSIONS[key] = Session.from_spec(spec)
    session.take_problems()  # said by the parent already
    return session.check_one(document, rules)
