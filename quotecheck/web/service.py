"""The local service: ``quotecheck serve``, quotecheck over HTTP for a newsroom's
own tools (a CMS plugin, an editing desk's scripts, the review page in a
browser).

It is a Starlette application run by uvicorn. The session (configuration,
sources, people registry, rule packs) is built and the language model loaded
once, when the server starts and before its port accepts a connection; every
request is then checked by that one session:

- ``POST /v1/check`` — ``{"text": …, "path"?: …, "sources"?: [...]}`` in, the
  JSON ``quotecheck check --format json`` prints for that draft out;
- ``POST /v1/quotes`` — ``{"text": …, "path"?: …}`` in, what ``quotecheck quotes
  --format json`` prints out;
- ``GET /v1/health`` (and ``/health``) — whether it is up, its version, the
  model, the sources;
- ``GET /`` — the review page with a box to paste a draft, which posts to
  ``POST /review``.

**One checking thread.** spaCy's pipelines are not documented as safe to call
from several threads at once, and the session's source stores are SQLite
connections, which belong to the thread that opened them. So every check runs
on one thread that owns the session, in the order the requests came; the
server's event loop only reads requests, validates them and writes answers, so
``/v1/health`` answers at once even while a long draft is being checked. A
check uses one core whichever thread runs it; a second core would need a
second model in a second process (run a second server).

**Limits.** A request body larger than ``max_request_size`` is refused (413)
while it is read, before the rest is; a draft longer than
:data:`MAX_DRAFT_CHARS` too (the command line checks such files section by
section). A check may run ``time_limit`` seconds: past that the client is
answered 504 and the result thrown away when the check ends (a thread cannot
be stopped half-way; the check's time is bounded by the draft's length, which
the size limits bound). At most ``max_waiting`` requests wait their turn (more
are answered 503 at once), and a waiting request whose client hung up is
dropped unchecked. Errors are JSON, ``{"error": "…"}``, never a traceback.

Everything here is documented for users in ``docs/service.md``.
"""
from __future__ import annotations

import asyncio
import errno
import inspect
import json
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..model import Document
from ..reading import SECTION_SIZE
from ..reporting import findings_json, quotes_json
from ..session import FileResult, Problem, Session

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
DEFAULT_MAX_REQUEST_SIZE = 2 * 1024 * 1024  # a long draft and its sources, in UTF-8, as JSON
DEFAULT_TIME_LIMIT = 30.0  # seconds one check may run
DEFAULT_MAX_WAITING = 100  # requests waiting their turn; more are refused (503)
CLIENT_GONE = 499  # logged for a request whose client left before its check began (nginx's code)
DEFAULT_PATH = "draft.txt"
PASTED_PATH = "pasted draft"  # what a draft pasted into the review page is called
# The longest draft checked as one document: the command line checks a longer
# file section by section, which a request does not do, so the answer would
# differ from the command line's (and one document's parse grows with it).
MAX_DRAFT_CHARS = SECTION_SIZE
MAX_NAME_CHARS = 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WARM_UP_TEXT = ("Mayor Ana Ruiz spoke on Tuesday.\n\n"
                "“We will rebuild the bridge by June,” she said. “Nothing is more important.”\n")

CHECK_FIELDS = ("text", "path", "sources")
QUOTES_FIELDS = ("text", "path")
SOURCE_FIELDS = ("name", "text", "speaker")


# -- errors ----------------------------------------------------------------------------

class ClientGone(Exception):
    """The client went away before its check began: nobody is left to answer."""


class ServiceError(Exception):
    """An answer other than success: its HTTP status and a message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


# -- requests ---------------------------------------------------------------------------

@dataclass
class SourceText:
    """A source sent with a draft: its name (as findings cite it), its text and,
    for a statement, its speaker."""

    name: str
    text: str
    speaker: str | None = None


@dataclass
class CheckRequest:
    text: str
    path: str = DEFAULT_PATH
    sources: list[SourceText] = field(default_factory=list)


def parse_request(body: bytes, fields: tuple[str, ...] = CHECK_FIELDS) -> CheckRequest:
    """A request body read as a :class:`CheckRequest`; a :class:`ServiceError`
    (400, or 413 for a draft too long to check as one document) naming what is
    wrong — malformed JSON and where, an unknown, missing, repeated or
    wrongly-typed field — otherwise. ``fields``: the fields this endpoint takes."""
    try:
        data = json.loads(body, object_pairs_hook=_no_repeats)
    except UnicodeDecodeError:
        raise ServiceError(400, "malformed JSON: the request body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ServiceError(400, f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except _Repeated as exc:
        raise ServiceError(400, f"field \"{exc.args[0]}\" given twice") from None
    if not isinstance(data, dict):
        raise ServiceError(400, f"the request body must be a JSON object, not {_json_type(data)} "
                                f"(fields: {', '.join(fields)})")
    _known(data, fields, "")
    text = draft_text(data)
    path = DEFAULT_PATH
    if data.get("path") is not None:
        path = _name(data, "path", "path")
    sources = []
    if data.get("sources") is not None:
        given = data["sources"]
        if not isinstance(given, list):
            raise ServiceError(400, f"field \"sources\" must be an array of objects, not {_json_type(given)}")
        names: set[str] = set()
        for i, item in enumerate(given):
            where = f"sources[{i}]"
            if not isinstance(item, dict):
                raise ServiceError(400, f"field \"{where}\" must be an object "
                                        f"({{\"name\": …, \"text\": …}}), not {_json_type(item)}")
            _known(item, SOURCE_FIELDS, where)
            for required in ("name", "text"):
                if required not in item:
                    raise ServiceError(400, f"missing field \"{where}.{required}\"")
            name = _name(item, "name", f"{where}.name")
            if name in names:
                raise ServiceError(400, f"field \"{where}.name\": {name!r} names two sources (names must differ)")
            if name == path:
                raise ServiceError(400, f"field \"{where}.name\": {name!r} is also the draft's path "
                                        "(a draft is never its own source)")
            names.add(name)
            speaker = None
            if item.get("speaker") is not None:
                speaker = _string(item, "speaker", f"{where}.speaker").strip() or None
                if speaker is None:
                    raise ServiceError(400, f"field \"{where}.speaker\" is blank (leave it out, or name who speaks)")
            sources.append(SourceText(name, _string(item, "text", f"{where}.text", empty=True), speaker))
    return CheckRequest(text, path, sources)


def draft_text(data: dict) -> str:
    """The draft of a request (its ``text`` field), checked: a string, text,
    not longer than :data:`MAX_DRAFT_CHARS` (413)."""
    if "text" not in data:
        raise ServiceError(400, "missing field \"text\" (the draft to check)")
    text = _string(data, "text", "text", empty=True)
    if len(text) > MAX_DRAFT_CHARS:
        raise ServiceError(413, f"field \"text\" has {len(text):,} characters: the service checks a draft of at "
                                f"most {MAX_DRAFT_CHARS:,} characters (about 40,000 words); check longer files "
                                f"with quotecheck check, which reads them section by section")
    return text


class _Repeated(ValueError):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _Repeated(key)
        out[key] = value
    return out


def _known(data: dict, fields: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in fields:
            shown = f"{where}.{key}" if where else key
            raise ServiceError(400, f"unknown field \"{shown}\" (expected: {', '.join(fields)})")


def _string(data: dict, key: str, shown: str, empty: bool = False) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise ServiceError(400, f"field \"{shown}\" must be a string, not {_json_type(value)}")
    if not empty and not value.strip():
        raise ServiceError(400, f"field \"{shown}\" is empty")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # "\ud800": JSON allows it, text cannot hold it
        raise ServiceError(400, f"field \"{shown}\" is not valid text: a lone surrogate "
                                f"(\\u{ord(value[exc.start]):04x}) at character {exc.start + 1}") from None
    if "\x00" in value:
        raise ServiceError(400, f"field \"{shown}\" holds a NUL character (at character "
                                f"{value.index(chr(0)) + 1}): not text")
    return value


def _name(data: dict, key: str, shown: str) -> str:
    """A path or a source's name: a short line of text (it is never opened)."""
    value = _string(data, key, shown)
    if len(value) > MAX_NAME_CHARS:
        raise ServiceError(400, f"field \"{shown}\" is longer than {MAX_NAME_CHARS} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ServiceError(400, f"field \"{shown}\" holds a control character (a line break, a tab): "
                                "it is a name, on one line")
    return value


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused (413) as soon as it is known to be larger
    than ``limit`` bytes: from its declared Content-Length before anything is
    read, else while it streams in — never read whole first."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ServiceError(400, f"Content-Length {declared!r} is not a number of bytes") from None
        if size > limit:
            raise ServiceError(413, _too_large(f"{size:,} bytes", limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ServiceError(413, _too_large("", limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: str, limit: int) -> str:
    return (f"request body too large: {size + ', ' if size else ''}over the limit of {limit:,} bytes "
            f"({limit / 1048576:.1f} MB; quotecheck serve --max-request-size)")


# -- the checking thread -------------------------------------------------------------------

class CheckQueue:
    """One thread that runs every job, in the order they came (see the module's
    documentation for why). A job may run ``limit`` seconds: past that it is
    answered 504, runs to its end and its result is thrown away. At most
    ``max_waiting`` jobs wait their turn (more: 503 at once), and a waiting
    job whose client went away is dropped unrun."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._waiting: set[Future] = set()
        self.running = 0
        self.done = 0
        self.timed_out = 0
        self.dropped = 0  # waiting jobs whose client went away

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quotecheck-check")
        return self._pool

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def submit(self, fn: Callable, *args, on_start: Callable | None = None) -> Future:
        """Run ``fn(*args)`` on the checking thread; its future. ``on_start()``
        is called (on that thread) when it begins; the future's ``started_at``
        is then its :func:`time.monotonic` time."""
        future: Future

        def job():
            with self._lock:  # taken only once ``future`` below is assigned
                self._waiting.discard(future)
                self.running += 1
            future.started_at = time.monotonic()
            try:
                if on_start is not None:
                    on_start()
                return fn(*args)
            finally:
                with self._lock:
                    self.running -= 1
                    self.done += 1

        with self._lock:
            future = self._executor().submit(job)
            future.started_at = None
            self._waiting.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._waiting.discard(future)

    def call(self, fn: Callable, *args):
        """Run ``fn(*args)`` on the checking thread and wait for it (start-up, shut-down)."""
        return self.submit(fn, *args).result()

    async def run(self, fn: Callable, *args, limit: float, max_waiting: int | None = None,
                  gone: Callable[[], Awaitable] | None = None):
        """``fn(*args)`` on the checking thread, its turn awaited, then awaited
        for at most ``limit`` seconds. ``max_waiting``: refuse it (503) when
        that many jobs wait already; ``gone()``: returns when the client has
        gone away (a waiting job is then dropped: :class:`ClientGone`)."""
        if max_waiting is not None and self.waiting >= max_waiting:
            raise ServiceError(503, f"server busy: {self.waiting} checks are waiting their turn (quotecheck serve "
                                    "--max-waiting); try again shortly")
        loop = asyncio.get_running_loop()
        started, done = loop.create_future(), loop.create_future()

        def signal(flag: asyncio.Future) -> None:  # from the checking thread
            try:
                loop.call_soon_threadsafe(lambda: flag.done() or flag.set_result(None))
            except RuntimeError:  # the loop has closed (the server stopped meanwhile)
                pass

        future = self.submit(fn, *args, on_start=lambda: signal(started))
        future.add_done_callback(lambda _: signal(done))
        watch = asyncio.ensure_future(gone()) if gone is not None else None
        try:
            await asyncio.wait([started, done, *([watch] if watch else [])], return_when=asyncio.FIRST_COMPLETED)
            if not started.done() and not done.done() and future.cancel():  # gone before its turn
                with self._lock:
                    self.dropped += 1
                raise ClientGone()
            if not done.done():
                began = future.started_at or time.monotonic()
                try:
                    await asyncio.wait_for(asyncio.shield(done), timeout=max(0.0, began + limit - time.monotonic()))
                except asyncio.TimeoutError:
                    with self._lock:
                        self.timed_out += 1
                    raise ServiceError(504, f"the check took longer than the time limit ({limit:g} s) and was "
                                            "abandoned (quotecheck serve --time-limit)") from None
        except asyncio.CancelledError:  # the request was given up (the server stopping): not run if not begun
            future.cancel()
            raise
        finally:
            if watch is not None:
                watch.cancel()
        try:
            return future.result()
        except CancelledError:
            raise ServiceError(503, "the server is stopping: the check was not run") from None

    def close(self, last: Callable | None = None) -> None:
        """Drop the waiting jobs, run ``last`` on the checking thread (the session's
        SQLite connections must be closed by the thread that opened them), and
        wait for the thread to end."""
        if self._pool is None:
            return
        with self._lock:
            for future in list(self._waiting):
                future.cancel()
        if last is not None:
            try:
                self._pool.submit(last).result()
            except Exception:
                pass
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None


# -- the service --------------------------------------------------------------------------

@dataclass
class ServiceOptions:
    max_request_size: int = DEFAULT_MAX_REQUEST_SIZE
    time_limit: float = DEFAULT_TIME_LIMIT
    max_waiting: int = DEFAULT_MAX_WAITING
    allow_origins: list[str] = field(default_factory=list)  # CORS: the CMS origins whose pages may call it
    allowed_hosts: list[str] | None = field(default_factory=lambda: list(LOOPBACK_HOSTS))  # None: any Host


class Service:
    """The session, the checking thread that owns it, and what the endpoints do.
    Every use of the session happens on the checking thread."""

    def __init__(self, session: Session, options: ServiceOptions | None = None):
        self.session = session
        self.options = options or ServiceOptions()
        self.queue = CheckQueue()
        self.started = False
        self.info: dict = {}
        self.rules: list = []
        self.problems: list[Problem] = []  # what building the session and loading its sources said

    # -- start and stop ------------------------------------------------------------------
    def start(self) -> list[Problem]:
        """Load the model and the sources and check a short text once, on the
        checking thread, so the first request waits for nothing; the problems
        the session met (a source that could not be read). Raises what the
        command line reports as errors (no model, no such index)."""
        if not self.started:
            self.queue.call(self._warm_up)
            self.started = True
        return self.problems

    def _warm_up(self) -> None:
        from ..language import load_pipeline

        session = self.session
        result = session.check_one(Document("warm-up.txt", WARM_UP_TEXT))
        self.problems = session.take_problems() + [p for p in result.problems]
        self.rules = session.rule_info()  # for the review page's plain-words rule descriptions
        nlp = load_pipeline(session.model)
        sources = session.sources
        stats = [s.stats() for s in sources.stores] if sources is not None else []
        self.info = {
            "model": {"name": f"{nlp.meta['lang']}_{nlp.meta['name']}", "version": nlp.meta["version"]},
            "configuration": str(session.config.path) if session.config.path else None,
            "sources": {"configured": session.has_sources(), "loaded": sources is not None,
                        "files": sum(s["files"] for s in stats), "passages": sum(s["passages"] for s in stats),
                        "unread": list(sources.unread) if sources is not None else []},
        }

    def close(self) -> None:
        self.queue.close(last=self.session.close)
        self.started = False

    # -- what the endpoints do -------------------------------------------------------------
    def health(self) -> dict:
        queue = self.queue
        return {"status": "ok" if self.started else "starting", "version": __version__, **self.info,
                "problems": [str(p) for p in self.problems],
                "checks": {"running": queue.running, "waiting": queue.waiting, "done": queue.done,
                           "timed_out": queue.timed_out, "dropped": queue.dropped},
                "limits": {"max_request_size": self.options.max_request_size,
                           "time_limit": self.options.time_limit, "max_waiting": self.options.max_waiting,
                           "max_draft_characters": MAX_DRAFT_CHARS}}

    def check(self, request: CheckRequest, rules: bool = True) -> FileResult:
        """On the checking thread: the draft checked against the session's
        sources and the request's; the problems loading those met are the
        result's."""
        store, problems = None, []
        try:
            if request.sources:
                store, problems = self.session.load_source_texts(
                    [(s.name, s.text, s.speaker) for s in request.sources])
            result = self.session.check_one(Document(request.path, request.text), rules=rules,
                                            extra_sources=store)
        finally:
            if store is not None:
                store.close()
        result.problems[:0] = problems + self.session.take_problems()
        return result

    def contract(self, request: CheckRequest, rules: bool) -> str:
        """On the checking thread: the JSON contract for the draft (what
        ``quotecheck check --format json`` / ``quotes --format json`` print),
        with ``"problems"`` added when something failed along the way (a
        plugin that raised: the other rules' findings are still given). An
        internal error is a 500 naming the stage that failed."""
        result = self.check(request, rules)
        internal = [p for p in result.problems if p.origin == "internal"]
        if internal:
            raise ServiceError(500, str(internal[0]))
        doc = result.document
        body = findings_json([(doc, result.findings)]) if rules else quotes_json([doc])
        if result.problems:
            data = json.loads(body)
            data["problems"] = [str(p) for p in result.problems]
            body = json.dumps(data, ensure_ascii=False, indent=1)
        return body + "\n"

    def review_page(self, text: str) -> tuple[int, str]:
        """On the checking thread: the review page (quotecheck/web/review.py)
        of the pasted draft, with the paste box for the next one; and its
        status (500 when the check failed: the page says how, in its banner)."""
        from .review import render_review

        result = self.check(CheckRequest(text, PASTED_PATH))
        failed = any(p.origin == "internal" for p in result.problems)
        return 500 if failed else 200, render_review(result, paste_box=True, rules=self.rules)


# -- the application --------------------------------------------------------------------------

def create_app(session: Session, options: ServiceOptions | None = None, *, service: Service | None = None) -> Starlette:
    """The ASGI application checking with ``session``. The model and sources are
    loaded at start-up (the lifespan), unless :meth:`Service.start` was called
    already (``quotecheck serve`` does, before the port is opened)."""
    service = service or Service(session, options)
    options = service.options

    @asynccontextmanager
    async def lifespan(app):
        if not service.started:
            await asyncio.get_running_loop().run_in_executor(None, service.start)
        try:
            yield
        finally:
            await asyncio.get_running_loop().run_in_executor(None, service.close)

    async def check(request: Request) -> Response:
        return await _contract(request, rules=True)

    async def quotes(request: Request) -> Response:
        return await _contract(request, rules=False)

    async def _contract(request: Request, rules: bool) -> Response:
        try:
            _json_content(request)
            body = await read_body(request, options.max_request_size)
            parsed = parse_request(body, CHECK_FIELDS if rules else QUOTES_FIELDS)
            out = await service.queue.run(_guarded(service.contract), parsed, rules, limit=options.time_limit,
                                          max_waiting=options.max_waiting, gone=_gone(request))
        except ServiceError as exc:
            return error_response(exc.status, exc.message)
        except (ClientDisconnect, ClientGone):
            return Response(status_code=CLIENT_GONE)
        return Response(out, media_type="application/json")

    async def health(request: Request) -> Response:
        return JSONResponse(service.health())

    async def review_form(request: Request) -> Response:
        from .review import render_review

        return HTMLResponse(render_review(None, paste_box=True))  # nothing to check: no need to wait

    async def review_post(request: Request) -> Response:
        try:
            body = await read_body(request, options.max_request_size)
            text = _form_text(request, body)
            status, page = await service.queue.run(_guarded(service.review_page), text, limit=options.time_limit,
                                                   max_waiting=options.max_waiting, gone=_gone(request))
        except ServiceError as exc:
            return _html_error(exc)
        except (ClientDisconnect, ClientGone):
            return Response(status_code=CLIENT_GONE)
        return HTMLResponse(page, status_code=status)

    routes = [
        Route("/v1/check", check, methods=["POST"]),
        Route("/v1/quotes", quotes, methods=["POST"]),
        Route("/v1/health", health, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/", review_form, methods=["GET"]),
        Route("/review", review_post, methods=["POST"]),
    ]
    middleware = []
    if options.allow_origins:
        cors = {"allow_origins": list(options.allow_origins), "allow_methods": ["GET", "POST"],
                "allow_headers": ["Content-Type"]}
        if "allow_private_network" in inspect.signature(CORSMiddleware.__init__).parameters:  # Starlette ≥ 0.51
            cors["allow_private_network"] = True  # a public site's page calling this machine (Chrome asks)
        middleware.append(Middleware(CORSMiddleware, **cors))
    if options.allowed_hosts is not None:
        middleware.insert(0, Middleware(HostCheck, allowed=options.allowed_hosts))
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _internal_error})
    app.state.service = service
    return app


def _gone(request: Request) -> Callable[[], Awaitable]:
    """What returns once the client of ``request`` (whose body has been read)
    has closed its connection."""

    async def wait() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    return wait


def _guarded(fn: Callable) -> Callable:
    """``fn`` with any exception but a :class:`ServiceError` turned into a 500
    that names it (the traceback goes to the server's log with
    ``QUOTECHECK_DEBUG=1``, never to the client)."""

    def run(*args):
        try:
            return fn(*args)
        except ServiceError:
            raise
        except Exception as exc:
            if os.environ.get("QUOTECHECK_DEBUG"):
                import traceback
                traceback.print_exc(file=sys.stderr)
            raise ServiceError(500, f"internal error while checking the draft: {exc.__class__.__name__}: "
                                    f"{exc}") from None

    return run


def _json_content(request: Request) -> None:
    """Refuse a body that does not say it is JSON (415). Besides being honest,
    this makes a browser ask first (a CORS preflight) before another site's
    page can send a check to this server."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ServiceError(415, f"send the request as JSON with Content-Type: application/json "
                                f"(got {media or 'no Content-Type'})")


def _form_text(request: Request, body: bytes) -> str:
    """The ``text`` field of the review page's form (URL-encoded)."""
    from urllib.parse import parse_qs

    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise ServiceError(415, f"the review form is sent URL-encoded (got {media or 'no Content-Type'})")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError:
        raise ServiceError(400, "the form is not UTF-8 text") from None
    unknown = [k for k in fields if k != "text"]
    if unknown:
        raise ServiceError(400, f"unknown field \"{unknown[0]}\" (expected: text)")
    texts = fields.get("text", [""])
    if len(texts) > 1:
        raise ServiceError(400, "field \"text\" given twice")
    return draft_text({"text": texts[0]})


def _html_error(exc: ServiceError) -> Response:
    """An error on the review page: a plain page a person reads, with the status."""
    from html import escape

    return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>quotecheck: error {exc.status}</title>"
                        f"<p>{escape(exc.message)}</p><p><a href=\"/\">Back</a></p>", status_code=exc.status)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 404:
        return error_response(404, f"no such endpoint: {request.method} {request.url.path} "
                                   "(have: POST /v1/check, POST /v1/quotes, GET /v1/health, GET /)")
    if exc.status_code == 405:
        response = error_response(405, f"{request.method} is not allowed on {request.url.path}")
        response.headers.update(exc.headers or {})  # Allow: the methods that are
        return response
    return error_response(exc.status_code, str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    return error_response(500, f"internal error: {exc.__class__.__name__}: {exc}")


class HostCheck:
    """Answer only requests addressed to this machine by name (``Host:
    127.0.0.1:8750``, ``localhost``): a web page whose own name was made to
    point at 127.0.0.1 (DNS rebinding) is refused, so no site can read what the
    service answers."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]):
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _host_name(dict(scope["headers"]).get(b"host", b"").decode("latin-1"))
            if host not in self.allowed:
                response = error_response(403, f"Host {host or '(none)'!r} is not served: this service answers "
                                               f"only to {', '.join(sorted(self.allowed))}")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _host_name(header: str) -> str:
    """The host of a Host header, without its port: ``[::1]:8750`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def is_loopback(host: str) -> bool:
    return host.strip("[]").lower() in LOOPBACK_HOSTS or host.startswith("127.")


# -- running it -----------------------------------------------------------------------------

def serve(session: Session, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          options: ServiceOptions | None = None, log=sys.stderr) -> None:
    """Serve on ``host:port`` until Ctrl-C or SIGTERM (uvicorn then finishes
    the requests in flight). The port is taken first (a port in use is said at
    once), then the model and the sources are loaded, and only then does the
    port accept connections. Raises :class:`~quotecheck.reading.InputError`
    for a port that cannot be had, and what loading raises (no model, no such
    index)."""
    import uvicorn

    options = options or ServiceOptions()
    if options.allowed_hosts is not None and not is_loopback(host):
        options.allowed_hosts = None  # bound to a network address on purpose: any name may reach it
    elif options.allowed_hosts is not None and host not in options.allowed_hosts:
        options.allowed_hosts = [*options.allowed_hosts, host]
    sock = bind(host, port)
    try:
        service = Service(session, options)
        print("quotecheck serve: loading the model and the sources…", file=log, flush=True)
        started = time.monotonic()
        for p in service.start():
            print(f"quotecheck: error: {p}", file=log)
        info = service.info
        sources = info["sources"]
        shown = f"[{host}]" if ":" in host else host
        print(f"quotecheck serve: {info['model']['name']} {info['model']['version']}, "
              f"{sources['files']} source file(s), {sources['passages']} passage(s), ready in "
              f"{time.monotonic() - started:.1f} s; listening on http://{shown}:{sock.getsockname()[1]}/ "
              "(Ctrl-C stops)", file=log, flush=True)
        if not is_loopback(host):
            print(f"quotecheck serve: warning: listening on {host}, not only on this machine: the service has no "
                  "authentication; anyone who can reach the port can use it", file=log, flush=True)
        app = create_app(session, service=service)
        config = uvicorn.Config(app, log_level="info", server_header=False,
                                timeout_graceful_shutdown=max(5, int(options.time_limit) + 1))
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def bind(host: str, port: int):
    """A TCP socket bound to ``host:port``, not yet listening (a client
    connecting now is refused rather than left waiting for the model)."""
    import socket

    from ..reading import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InputError(f"--host {host}: not an address of this machine ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}"
                         f"{' (another server uses it: pick another --port)' if exc.errno == errno.EADDRINUSE else ''}") from None
    sock.set_inheritable(True)
    return sock
