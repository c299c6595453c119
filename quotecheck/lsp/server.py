"""``quotecheck lsp``: the language server, over standard input and output.

What it does for each open draft (see docs/editors.md for the set-up):

- **Diagnostics** from the editor's buffer, never the copy on disk: on open,
  after each edit once the typing pauses (``debounce`` ms, 250 by default, per
  document), and on save. Each check is tagged with the buffer's version; a
  result for a version the editor has already left behind is dropped, and a
  check waiting for the checking thread is skipped when a newer version
  arrived meanwhile. Checks run in one background thread, so the server keeps
  answering while a long draft is checked; the paragraphs that did not change
  are not parsed again (:class:`quotecheck.language.ParseCache`).
- **Code actions** (the safe fixes, the source's wording, the first spelling
  of a name, the people registry, a suppression with a reason, and
  ``source.fixAll.quotecheck``), a **hover** on a quote and a **code lens**
  with the draft's summary (:mod:`quotecheck.lsp.features`).
- **Configuration**: the ``quotecheck`` section per workspace folder
  (``workspace/configuration``, re-read on ``workspace/didChangeConfiguration``),
  the configuration files found upward from each draft (the innermost wins),
  and a file watcher on them, the rule packs and the people registry: a change
  rebuilds the sessions and checks the open drafts again.
- **Progress** (``$/progress``) while the language model and the sources load.

Positions are negotiated: UTF-32 or UTF-8 when the client offers them, else
UTF-16 (:mod:`quotecheck.lsp.positions`).
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..config import CONFIG_FILES
from ..language import ParseCache, load_pipeline
from ..model import Document
from ..reading import read_document
from ..session import Problem, Workspace
from . import features as F
from .positions import UTF16, LineIndex, apply_change, choose_encoding
from .settings import Settings, SettingsError, read_settings

log = logging.getLogger("quotecheck.lsp")

RECHECK_COMMAND = "quotecheck.recheck"
RELOAD_COMMAND = "quotecheck.reload"
TIMING_NOTIFICATION = "quotecheck/timing"
WATCHED = ("**/quotecheck.toml", "**/pyproject.toml", "**/*.toml")
# Drafts only: a configuration file or registry open in the editor is not checked as one.
NOT_DRAFTS = (".toml",)
RESULT_WAIT = 10.0  # seconds a hover or code action waits for the check of the current version


class QuotecheckProtocol(LanguageServerProtocol):
    """pygls's protocol, with the position encoding chosen as quotecheck
    prefers it, and the open buffers kept by the server itself (lines end
    where LSP says they do; see :mod:`quotecheck.lsp.positions`)."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            # pygls takes the client's first supported encoding: put ours first.
            general.position_encodings = [choose_encoding(general.position_encodings)]
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


@dataclass
class Buffer:
    """An open draft as the editor has it."""

    uri: str
    path: str
    language: str
    version: int
    text: str
    lines: LineIndex
    checked: F.Checked | None = None  # the last published result
    timer: asyncio.Task | None = None  # a pending debounce
    ready: asyncio.Event = field(default_factory=asyncio.Event)  # set when `checked` is this version's


class QuotecheckServer(LanguageServer):
    """The server's state: the open buffers, the settings per workspace
    folder, one :class:`~quotecheck.session.Workspace` per folder and settings,
    the parse cache they share, and the checking thread."""

    def __init__(self):
        super().__init__("quotecheck", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=QuotecheckProtocol)
        self.buffers: dict[str, Buffer] = {}
        self.encoding = UTF16
        self.init_options: dict = {}
        self.root: str | None = None
        self.folders: dict[str, str] = {}  # workspace folder URI -> its path
        self.global_settings = Settings()
        self.folder_settings: dict[str, Settings] = {}
        self.pushed: dict | None = None  # settings pushed with didChangeConfiguration
        self.workspaces: dict[tuple, Workspace] = {}
        self.parse_cache = ParseCache(Settings().parse_cache)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quotecheck-check")
        self.sessions: dict[int, object] = {}  # every session in use, by id
        self.warm: set[int] = set()  # sessions whose model and sources are loaded
        self.configured: asyncio.Event | None = None
        self.said: set[str] = set()  # messages already shown, shown once
        self.file_cache: dict[str, tuple[tuple, str, LineIndex]] = {}
        self.urls: dict[int, dict[str, str]] = {}  # per session: each rule's documentation link
        self.init_error: str | None = None

    # -- capabilities --------------------------------------------------------------
    def capability(self, dotted: str):
        """A client capability by its attribute path (None when absent)."""
        value = self.client_capabilities
        for part in dotted.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def document_changes(self) -> bool:
        return bool(self.capability("workspace.workspace_edit.document_changes"))

    def can_create_files(self) -> bool:
        ops = self.capability("workspace.workspace_edit.resource_operations") or []
        return self.document_changes() and any(getattr(o, "value", o) == "create" for o in ops)

    # -- settings and sessions -----------------------------------------------------
    def folder_of(self, path: str) -> str | None:
        """The innermost workspace folder holding ``path`` (its URI)."""
        best = None
        for uri, folder in self.folders.items():
            if path == folder or path.startswith(folder.rstrip(os.sep) + os.sep):
                if best is None or len(folder) > len(self.folders[best]):
                    best = uri
        return best

    def settings_for(self, path: str) -> Settings:
        folder = self.folder_of(path)
        return self.folder_settings.get(folder, self.global_settings) if folder else self.global_settings

    def session_for(self, buf: Buffer):
        """The session that checks ``buf``: its folder's settings, and the
        configuration found upward from its file (the innermost wins)."""
        folder = self.folder_of(buf.path)
        settings = self.settings_for(buf.path)
        key = (folder, settings.session_key())
        workspace = self.workspaces.get(key)
        if workspace is None:
            workspace = self.workspaces[key] = Workspace(settings.config, **settings.session_options())
        lookup = buf.path if buf.uri.startswith("file:") else \
            os.path.join(self.folders.get(folder) or self.root or os.getcwd(), "untitled.txt")
        session = workspace.session_for(lookup)
        session.parse_cache = self.parse_cache
        self.sessions[id(session)] = session
        return session

    async def refresh_settings(self) -> bool:
        """Read the settings again (per folder, when the client answers
        ``workspace/configuration``); whether the sessions must be rebuilt."""
        before = self._session_keys()
        try:
            base = read_settings(self.init_options, root=self.root)
            if self.capability("workspace.configuration"):
                items = [types.ConfigurationItem(section="quotecheck")] + \
                        [types.ConfigurationItem(scope_uri=uri, section="quotecheck") for uri in self.folders]
                values = await self.workspace_configuration_async(types.ConfigurationParams(items=items))
                values = list(values or []) + [None] * (len(items) - len(values or []))
                self.global_settings = read_settings(values[0], base, root=self.root)
                self.folder_settings = {uri: read_settings(v, self.global_settings, root=self.folders[uri])
                                        for uri, v in zip(self.folders, values[1:])}
            else:
                self.global_settings = read_settings(self.pushed, base, root=self.root)
                self.folder_settings = {uri: read_settings(self.pushed, base, root=folder)
                                        for uri, folder in self.folders.items()}
        except SettingsError as exc:
            self.say(f"quotecheck: {exc}; the previous settings are kept", types.MessageType.Error)
        except Exception as exc:  # the client could not answer: keep what we have
            log.warning("workspace/configuration failed: %s", exc)
        self.parse_cache.size = self.global_settings.parse_cache
        if self.parse_cache.size == 0:
            self.parse_cache.clear()
        return self._session_keys() != before

    def _session_keys(self):
        return (self.global_settings.session_key(),
                sorted((uri, s.session_key()) for uri, s in self.folder_settings.items()))

    async def rebuild(self, reason: str) -> None:
        """Drop every session (closing their source stores in the checking
        thread, after the check running there) and check the open drafts again."""
        log.info("rebuilding the sessions: %s", reason)
        old = list(self.workspaces.values())
        self.workspaces, self.warm, self.sessions, self.urls = {}, set(), {}, {}
        loop = asyncio.get_running_loop()
        for workspace in old:
            await loop.run_in_executor(self.executor, workspace.close)
        for buf in list(self.buffers.values()):
            self.schedule(buf, 0)

    def watched_paths(self) -> set[str]:
        """The files whose change rebuilds the sessions: the configuration
        files in use (every file of an ``extends`` chain), the people
        registries and the rule pack files."""
        paths: set[str] = set()
        for settings in [self.global_settings, *self.folder_settings.values()]:
            paths.update(p for p in (settings.config, settings.people) if p)
            paths.update(p for p in settings.packs if os.path.isabs(p))
        for session in list(self.sessions.values()):
            config = session.config
            paths.update(str(p) for p in (config.path, config.people, *config.files) if p)
            paths.update(p for p in config.packs if os.path.isabs(p))
        return {os.path.realpath(p) for p in paths}

    def matters(self, path: str) -> bool:
        return os.path.basename(path) in CONFIG_FILES or os.path.realpath(path) in self.watched_paths()

    # -- messages -------------------------------------------------------------------
    def say(self, message: str, kind=types.MessageType.Warning) -> None:
        """Show a message once (the same problem is not repeated at every keystroke)."""
        if message in self.said:
            return
        self.said.add(message)
        log.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # -- checking -------------------------------------------------------------------
    def schedule(self, buf: Buffer, delay_ms: int | None = None) -> None:
        """Check ``buf`` after ``delay_ms`` (its folder's debounce by default)
        of quiet; a newer edit restarts the wait."""
        if buf.timer is not None and not buf.timer.done():
            buf.timer.cancel()
        delay = self.settings_for(buf.path).debounce if delay_ms is None else delay_ms
        buf.timer = asyncio.ensure_future(self._debounced(buf.uri, buf.version, delay / 1000))

    async def _debounced(self, uri: str, version: int, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
        except asyncio.CancelledError:
            return
        buf = self.buffers.get(uri)
        if buf is None or buf.version != version:
            return
        buf.timer = None  # from here the check runs to its end; a newer version's result supersedes it
        await self.check(uri, version, time.time())

    async def check(self, uri: str, version: int, debounce_end: float) -> None:
        if self.configured is not None:
            try:
                await asyncio.wait_for(self.configured.wait(), RESULT_WAIT)
            except asyncio.TimeoutError:
                pass
        buf = self.buffers.get(uri)
        if buf is None or buf.version != version:
            return
        text, path = buf.text, buf.path
        loop = asyncio.get_running_loop()
        problems: list[Problem] = []
        result = None
        urls: dict[str, str] = {}
        token = None
        try:
            session = self.session_for(buf)
            urls = self.urls.get(id(session))
            if urls is None:
                urls = self.urls[id(session)] = F.rule_urls(session)
            if id(session) not in self.warm:
                token = await self.progress_begin("quotecheck", "loading the sources" if session.has_sources()
                                                  else "loading the language model")
                problems += await loop.run_in_executor(self.executor, self._warm_up, session)
                self.warm.add(id(session))
                self.progress_report(token, "checking")
            outcome = await loop.run_in_executor(self.executor, self._check_in_thread, session, uri, version,
                                                 path, text)
            if outcome is None:
                return  # a newer version came while it waited: that one is checked instead
            result, more = outcome
            problems += more
        except Exception as exc:  # the configuration, a pack, the registry, a plugin: said on the draft
            problems.append(Problem(f"quotecheck cannot check this draft: {exc}", path=path))
        finally:
            self.progress_end(token)
        buf = self.buffers.get(uri)
        if buf is None or buf.version != version:
            log.info("%s: the result for version %s is stale (now %s): dropped", uri, version,
                     None if buf is None else buf.version)
            return
        for p in problems:
            if p.origin in ("source", "plugin"):
                self.say(f"quotecheck: {p}")
        checked = F.Checked(uri, path, version, text, buf.lines, result, buf.language, urls,
                            [p for p in problems if p.origin not in ("source", "plugin")])
        buf.checked = checked
        diagnostics = F.diagnostics(checked, self.encoding, self.locate)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics, version))
        published = time.time()
        buf.ready.set()
        if self.settings_for(path).timing:
            self.protocol.notify(TIMING_NOTIFICATION, {
                "uri": uri, "version": version, "debounceEnd": debounce_end, "published": published,
                "parseCache": {"hits": self.parse_cache.hits, "misses": self.parse_cache.misses,
                               "size": len(self.parse_cache)}})
        if self.capability("workspace.code_lens.refresh_support") and self.settings_for(path).code_lens:
            self.workspace_code_lens_refresh(None)

    def _warm_up(self, session) -> list[Problem]:
        """In the checking thread: load the language model and the sources
        (indexing the ``--source`` files) before the first check."""
        session.sources
        load_pipeline(session.model)
        return session.take_problems()

    def _check_in_thread(self, session, uri: str, version: int, path: str, text: str):
        buf = self.buffers.get(uri)
        if buf is None or buf.version != version:
            return None
        result = session.check_one(Document(path, text))
        return result, session.take_problems()

    # -- progress -------------------------------------------------------------------
    async def progress_begin(self, title: str, message: str):
        if not self.capability("window.work_done_progress"):
            return None
        token = f"quotecheck-{uuid.uuid4()}"
        try:
            await self.work_done_progress.create_async(token)
        except Exception as exc:
            log.info("no progress: %s", exc)
            return None
        self.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, message=message))
        return token

    def progress_report(self, token, message: str) -> None:
        if token is not None:
            self.work_done_progress.report(token, types.WorkDoneProgressReport(message=message))

    def progress_end(self, token) -> None:
        if token is not None:
            self.work_done_progress.end(token, types.WorkDoneProgressEnd(message="ready"))

    # -- other files ----------------------------------------------------------------
    def buffer_for_path(self, path: str) -> Buffer | None:
        real = os.path.realpath(path)
        return next((b for b in self.buffers.values() if os.path.realpath(b.path) == real), None)

    def read_text(self, path: str) -> str | None:
        """A file's text: the editor's buffer if it is open, else the file
        (decoded as quotecheck reads files); None if it cannot be read."""
        buf = self.buffer_for_path(path)
        if buf is not None:
            return buf.text
        try:
            stat = os.stat(path)
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns)
        cached = self.file_cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            text = read_document(path).text
        except Exception:
            return None
        if len(self.file_cache) > 64:
            self.file_cache.clear()
        self.file_cache[path] = (key, text, LineIndex(text))
        return text

    def locate(self, path: str):
        """A file's URI and line index, for related information."""
        buf = self.buffer_for_path(path)
        if buf is not None:
            return buf.uri, buf.lines
        if self.read_text(path) is None:
            return None
        return from_fs_path(os.path.abspath(path)), self.file_cache[path][2]

    async def current(self, uri: str) -> F.Checked | None:
        """The check of the buffer's current version, waiting for it if it is
        under way; None if the buffer changes meanwhile or it takes too long."""
        buf = self.buffers.get(uri)
        if buf is None:
            return None
        version = buf.version
        if not (buf.checked is not None and buf.checked.version == version):
            try:
                await asyncio.wait_for(buf.ready.wait(), RESULT_WAIT)
            except asyncio.TimeoutError:
                return None
        buf = self.buffers.get(uri)
        if buf is None or buf.checked is None or buf.checked.version != version or buf.version != version:
            return None
        return buf.checked

    def shutdown_work(self) -> None:
        for buf in self.buffers.values():
            if buf.timer is not None:
                buf.timer.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for workspace in self.workspaces.values():
            try:
                workspace.close()
            except Exception:
                pass


# -- the features ---------------------------------------------------------------------------

def buffer_path(uri: str) -> str:
    """The file system path of a ``file:`` URI (the draft's name in findings),
    else the URI itself (an unsaved buffer)."""
    if uri.startswith("file:"):
        path = to_fs_path(uri)
        if path:
            return os.path.abspath(path)
    return uri


def make_server() -> QuotecheckServer:
    server = QuotecheckServer()

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams):
        server.encoding = getattr(server.workspace.position_encoding, "value", server.workspace.position_encoding) \
            or UTF16
        server.init_options = params.initialization_options if isinstance(params.initialization_options, dict) \
            else {}
        if params.root_uri:
            server.root = buffer_path(params.root_uri)
        elif params.root_path:
            server.root = params.root_path
        for folder in params.workspace_folders or []:
            server.folders[folder.uri] = buffer_path(folder.uri)
        if not server.folders and server.root and params.root_uri:
            server.folders[params.root_uri] = server.root
        try:
            server.global_settings = read_settings(server.init_options, root=server.root)
        except SettingsError as exc:  # said once the session is initialized
            server.init_options = {}
            server.init_error = f"quotecheck: {exc} (in the initialization options; ignored)"
        server.parse_cache.size = server.global_settings.parse_cache
        server.configured = asyncio.Event()

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams):
        registrations = []
        if server.capability("workspace.did_change_watched_files.dynamic_registration"):
            registrations.append(types.Registration(
                id="quotecheck-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED])))
        if server.capability("workspace.did_change_configuration.dynamic_registration"):
            registrations.append(types.Registration(
                id="quotecheck-configuration", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                register_options=types.DidChangeConfigurationRegistrationOptions(section="quotecheck")))
        if server.init_error:
            server.say(server.init_error, types.MessageType.Error)
        await server.refresh_settings()
        server.configured.set()
        if registrations:
            try:
                await server.client_register_capability_async(types.RegistrationParams(registrations=registrations))
            except Exception as exc:
                log.info("dynamic registration refused: %s", exc)

    @server.feature(types.SHUTDOWN)
    def shutdown(params):
        server.shutdown_work()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams):
        doc = params.text_document
        path = buffer_path(doc.uri)
        if path.lower().endswith(NOT_DRAFTS):
            return
        buf = Buffer(doc.uri, path, doc.language_id, doc.version, doc.text, LineIndex(doc.text))
        server.buffers[doc.uri] = buf
        server.schedule(buf, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams):
        buf = server.buffers.get(params.text_document.uri)
        if buf is None:
            return
        text, lines = buf.text, buf.lines
        for change in params.content_changes:
            rng = getattr(change, "range", None)
            if rng is None:
                text = change.text
            else:
                text = apply_change(text, lines, (rng.start.line, rng.start.character),
                                    (rng.end.line, rng.end.character), change.text, server.encoding)
            lines = LineIndex(text)
        buf.text, buf.lines, buf.version = text, lines, params.text_document.version
        buf.ready.clear()
        server.schedule(buf)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(params: types.DidSaveTextDocumentParams):
        buf = server.buffers.get(params.text_document.uri)
        if buf is not None:
            server.schedule(buf, 0)
        path = buffer_path(params.text_document.uri)
        if path.lower().endswith(".toml") and server.matters(path):
            await server.rebuild(f"{path} saved")

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams):
        buf = server.buffers.pop(params.text_document.uri, None)
        if buf is None:
            return
        if buf.timer is not None:
            buf.timer.cancel()
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(buf.uri, []))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams):
        settings = params.settings
        if isinstance(settings, dict) and "quotecheck" in settings:
            server.pushed = settings["quotecheck"]
        if await server.refresh_settings():
            await server.rebuild("the settings changed")

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(params: types.DidChangeWatchedFilesParams):
        changed = [buffer_path(c.uri) for c in params.changes]
        relevant = [p for p in changed if server.matters(p)]
        if relevant:
            await server.rebuild(", ".join(relevant) + " changed")

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(params: types.DidChangeWorkspaceFoldersParams):
        for folder in params.event.removed or []:
            server.folders.pop(folder.uri, None)
        for folder in params.event.added or []:
            server.folders[folder.uri] = buffer_path(folder.uri)
        await server.refresh_settings()
        await server.rebuild("the workspace folders changed")

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams):
        checked = await server.current(params.text_document.uri)
        if checked is None:
            return None
        offset = checked.lines.offset(params.position.line, params.position.character, server.encoding)
        q = F.quote_at(checked, offset)
        if q is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=F.hover_text(checked, q)),
                           range=F.lsp_range(checked.lines, q.outer_start, q.outer_end, server.encoding))

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    async def code_lens(params: types.CodeLensParams):
        buf = server.buffers.get(params.text_document.uri)
        if buf is None or not server.settings_for(buf.path).code_lens:
            return []
        checked = await server.current(params.text_document.uri)
        if checked is None:
            return []
        return [types.CodeLens(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                               command=types.Command(title=F.summary(checked), command=RECHECK_COMMAND,
                                                     arguments=[checked.uri]))]

    @server.command(RECHECK_COMMAND)
    def recheck(*args):
        uri = args[0] if args else None
        for buf in server.buffers.values():
            if uri is None or buf.uri == uri:
                server.schedule(buf, 0)

    @server.command(RELOAD_COMMAND)
    async def reload(*args):
        await server.rebuild("asked for (quotecheck.reload)")

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, F.FIX_ALL_KIND],
                                            resolve_provider=False))
    async def code_action(params: types.CodeActionParams):
        checked = await server.current(params.text_document.uri)
        if checked is None:
            return []
        return code_actions(server, checked, params.range, params.context.only)

    return server


def _wanted(kind: str, only) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(f"{getattr(o, 'value', o)}.") or kind == getattr(o, "value", o)
               for o in only)


def buffer_edit(server: QuotecheckServer, checked: F.Checked, edits: list[F.Edit]) -> types.WorkspaceEdit:
    """Edits of the draft itself, tied to the version they were computed on
    when the client can say so (it then refuses them on a newer buffer)."""
    text_edits = [F.text_edit(checked.lines, e, server.encoding) for e in sorted(edits, key=lambda e: e.start)]
    if server.document_changes():
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            types.OptionalVersionedTextDocumentIdentifier(checked.uri, checked.version), text_edits)])
    return types.WorkspaceEdit(changes={checked.uri: text_edits})


def code_actions(server: QuotecheckServer, checked: F.Checked, rng: types.Range, only) -> list[types.CodeAction]:
    enc = server.encoding
    a = checked.lines.offset(rng.start.line, rng.start.character, enc)
    b = checked.lines.offset(rng.end.line, rng.end.character, enc)
    quickfix = types.CodeActionKind.QuickFix.value
    actions: list[types.CodeAction] = []

    def add(title: str, kind: str, edit: types.WorkspaceEdit, diagnostic=None, preferred=None):
        if _wanted(kind, only):
            actions.append(types.CodeAction(title=title, kind=kind, edit=edit, is_preferred=preferred,
                                            diagnostics=[diagnostic] if diagnostic is not None else None))

    for f in checked.findings:
        start, end = F.finding_span(f)
        if not (start <= b and a <= end):
            continue
        diagnostic = F.diagnostic(checked, f, enc, server.locate)
        if f.fixes:
            title = f.fixes[0].description or f"Fix {f.code}"
            add(f"{title} ({f.code})", quickfix, buffer_edit(server, checked, F.fix_edits(f)), diagnostic, True)
        edit = F.source_wording_edit(checked, f)
        if edit is not None:
            add(f"Use the source's wording: “{edit.new_text.strip()}”", quickfix,
                buffer_edit(server, checked, [edit]), diagnostic)
        edit = F.first_name_edit(checked, f)
        if edit is not None:
            add(f"Use the name as first written: “{edit.new_text}”", quickfix,
                buffer_edit(server, checked, [edit]), diagnostic)
        suppression = F.suppression_edits(checked, f)
        if suppression is not None:
            edits, title = suppression
            add(title, quickfix, buffer_edit(server, checked, edits), diagnostic)
    actions += registry_actions(server, checked, a, b, only)
    fixes = F.fix_all_edits(checked)
    if fixes:
        add(f"Apply every safe quotecheck fix ({len(fixes)} edit{'s' if len(fixes) != 1 else ''})",
            F.FIX_ALL_KIND, buffer_edit(server, checked, fixes))
    return actions


def registry_actions(server: QuotecheckServer, checked: F.Checked, a: int, b: int, only) -> list[types.CodeAction]:
    """"Add to the people registry" for the people at the cursor the registry
    does not know: a WorkspaceEdit that appends a ``[[person]]`` table to the
    configured registry (creating the file if needed), or creates
    ``people.toml`` and names it in the configuration."""
    kind = types.CodeActionKind.QuickFix.value
    if checked.result is None or not _wanted(kind, only):
        return []
    buf = server.buffers.get(checked.uri)
    if buf is None:
        return []
    try:
        session = server.session_for(buf)
    except Exception:
        return []
    candidates = F.registry_candidates(checked, a, b, session.registry)
    if not candidates:
        return []
    settings = server.settings_for(buf.path)
    configured = settings.people or session.config.people
    config_path = str(session.config.path) if session.config.path else None
    folder = server.folders.get(server.folder_of(buf.path) or "") or server.root
    plan = F.registry_plan(configured, config_path, folder, server.read_text)
    if plan is None:
        return []
    out = []
    for c in candidates:
        edit = registry_workspace_edit(server, plan, F.registry_entry(c.name, c.spellings, c.pronoun))
        if edit is not None:
            out.append(types.CodeAction(title=c.title, kind=kind, edit=edit))
    return out


def registry_workspace_edit(server: QuotecheckServer, plan: F.RegistryPlan, entry: str) -> types.WorkspaceEdit | None:
    """The edit of ``plan``: every file kept as it is but for what is added."""
    files: list[tuple[str, str | None, F.Edit]] = []  # path, existing text (None: create), edit
    if plan.config_file is not None and plan.config_edit is not None:
        files.append((plan.config_file, None if plan.create_config else server.read_text(plan.config_file) or "",
                      plan.config_edit))
    existing = server.read_text(plan.registry)
    if existing is None and os.path.exists(plan.registry):
        return None  # there but unreadable: never overwritten
    files.append((plan.registry, existing, F.appended(existing or "", entry)))
    creating = any(text is None for _, text, _ in files)
    if creating and not server.can_create_files():
        return None
    if not server.document_changes():
        changes = {}
        for path, text, edit in files:
            lines = LineIndex(text or "")
            changes[from_fs_path(path)] = [F.text_edit(lines, edit, server.encoding)]
        return types.WorkspaceEdit(changes=changes)
    operations: list = []
    for path, text, edit in files:
        uri = from_fs_path(path)
        if text is None:
            operations.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)))
        buf = server.buffer_for_path(path)
        lines = LineIndex(text or "")
        operations.append(types.TextDocumentEdit(
            types.OptionalVersionedTextDocumentIdentifier(uri, buf.version if buf is not None else None),
            [F.text_edit(lines, edit, server.encoding)]))
    return types.WorkspaceEdit(document_changes=operations)


def serve(args=None) -> int:
    """Run the server on standard input and output until the editor ends it."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="quotecheck lsp: %(levelname)s: %(message)s")
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    server = make_server()
    try:
        server.start_io(stdin, stdout)
    finally:
        server.shutdown_work()
    return 0
