"""Stage 6: the check session — the one public Python API.

Every front end (the command line, the pre-commit hook, the formats for CI,
next the language server and the review page) goes through a :class:`Session`:
it owns the plugin host, the language pipeline, the sources and their index and
the people registry for one configuration, and answers :meth:`Session.check`
(a string, no file needed) and :meth:`Session.check_paths` with values —
quotes, people, findings after selection, severity and suppression, the safe
fixes on offer, and errors as :class:`Problem` values naming the file, the place
and the plugin at fault. Nothing here prints or exits.

    from quotecheck.session import Session

    session = Session.from_config("quotecheck.toml")
    for finding in session.check(draft_text).findings:
        print(finding.code, finding.message)
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .config import Config, Selection, find_config, load_config
from .engine import analyze
from .fixing import apply_fixes, unified_diff, write_atomically
from .index.sqlite import SQLITE_MAGIC, sqlite_header
from .index.store import Store, file_digest, is_store_url, open_store
from .index.update import LoadFailure, progress_bar, unknown_format_messages, update_index, walk_sources
from .matching.verify import SourceSet, verify
from .model import Document, Finding, Fix, RuleContext
from .packs import load_pack, pack_plugin, resolve_pack
from .plugins import (PluginError, build_manager, collect_rules, extra_cues, hook_results_by_plugin,
                      load_errors, plugin_label, register_local_plugins)
from .validate import check_findings, check_output_formats
from .cache import file_state
from .index.store import IndexFormatError
from .language import ModelNotFound
from .parallel import Runner, Unit
from .reading import SECTION_SIZE, TEXT_SUFFIXES, InputError, expand_paths, read_document, read_documents
from .registry import PeopleRegistry
from .rules.docs import as_paragraphs, first_sentence
from .rules.docs import sections as doc_sections
from .rules.runner import run_rules
from .sources import SourceLoader
from .sources.formats import FormatRegistry, collect_formats, hook_loader
from .sources.detect import SUBTITLE_SUFFIXES
from .suppression import apply_suppressions
from .vocab import ProblemSeverity, Severity

SOURCE_SUFFIXES = TEXT_SUFFIXES | set(SUBTITLE_SUFFIXES)
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


# -- values ----------------------------------------------------------------------

@dataclass
class Problem:
    """An error as a value: what went wrong, where, and whose fault it is."""

    message: str  # what went wrong, in one sentence naming the plugin or file at fault
    path: str | None = None  # the file concerned, if any
    line: int | None = None  # 1-based line in that file, if known
    column: int | None = None  # 1-based column, if known
    origin: str | None = None  # the plugin, rule pack or source file at fault
    severity: ProblemSeverity = "error"  # "error": the run is incomplete, exit 2; "warning": said only

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}" if where and not self.message.startswith(where) else self.message


@dataclass
class RuleInfo:
    """A rule's metadata, for formats that describe the rules they report."""

    code: str  # "QC102", "NX101"
    name: str  # the rule's stable name ("unattributed-quote")
    severity: Severity  # its default severity
    plugin: str  # the plugin that registered it ("quotecheck.rules.unattributed_quote", "pack:us-wire")
    doc: str  # the rule module's documentation (What it does / Why / Example / Fix)

    @property
    def sections(self) -> dict[str, str]:
        """The documentation's sections: ``{"What it does": text, "Why": …,
        "Example": …, "Fix": …}``."""
        return doc_sections(self.doc)

    @property
    def summary(self) -> str:
        """The first sentence of "What it does" (the rule's name without one)."""
        text = as_paragraphs(self.sections.get("What it does", ""))
        return first_sentence(text.split("\n\n")[0]) if text else self.name


@dataclass
class RunInfo:
    """What a format needs to say about the run itself."""

    tool: str  # "quotecheck"
    version: str  # quotecheck's version
    working_directory: str  # the directory the run started in (relative paths are relative to it)
    configuration: str | None  # the configuration file used, if any
    rules: list[RuleInfo] = field(default_factory=list)  # every rule of the run, selected or not


@dataclass
class FileResult:
    """One checked document."""

    document: Document  # the checked document: text, quotes, people
    findings: list[Finding] = field(default_factory=list)  # after selection, severities and suppressions, in order
    problems: list[Problem] = field(default_factory=list)  # errors about this document (a rule or plugin that raised)

    @property
    def path(self) -> str:
        """The document's path (``document.path``)."""
        return self.document.path

    @property
    def quotes(self):
        """The document's quotes, attributed and matched (``document.quotes``)."""
        return self.document.quotes

    @property
    def people(self):
        """Everyone the document refers to, people and groups (``document.entities``)."""
        return self.document.entities

    @property
    def fixes(self) -> list[tuple[Finding, list[Fix]]]:
        """The safe fixes on offer, with the finding each would settle."""
        return [(f, f.fixes) for f in self.findings if f.fixes]

    def fixed_text(self) -> str:
        """The document's text with every safe fix that fits applied."""
        return apply_fixes(self.document.text, [f for f in self.findings if f.fixes])[0]


@dataclass
class Report:
    """A run over several documents. Iterating it gives ``(Document, findings)``
    pairs, the shape output formats have always received."""

    files: list[FileResult] = field(default_factory=list)  # one per checked document, in input order
    problems: list[Problem] = field(default_factory=list)  # not tied to one checked file
    run: RunInfo | None = None  # the tool, the configuration and the rules of the run

    def __iter__(self) -> Iterator[tuple[Document, list[Finding]]]:
        return iter([(r.document, r.findings) for r in self.files])

    def __len__(self) -> int:
        return len(self.files)

    @property
    def findings(self) -> list[Finding]:
        """Every file's findings, file after file."""
        return [f for r in self.files for f in r.findings]

    @property
    def all_problems(self) -> list[Problem]:
        """The run's problems and every file's, together."""
        return self.problems + [p for r in self.files for p in r.problems]

    @property
    def documents(self) -> list[Document]:
        """Every checked document, in input order."""
        return [r.document for r in self.files]

    def worst(self) -> int:
        """The rank of the worst finding's severity (-1: none)."""
        return max((SEVERITY_RANK.get(f.severity, 2) for f in self.findings), default=-1)


@dataclass
class FixOutcome:
    """What applying a document's safe fixes did."""

    path: str
    diff: str  # unified diff of the change ("" when nothing changed)
    written: bool
    applied: int
    skipped: int  # overlapping fixes left for the next run
    remaining: list[Finding]  # the findings still standing after the fixes
    problem: Problem | None = None


# -- the session ----------------------------------------------------------------

class Session:
    """Checks for one configuration. Build it once, check many texts.

    ``config``: a :class:`Config` (default: none, quotecheck's defaults);
    ``model``: the spaCy pipeline's name; ``people``: a people registry file;
    ``sources``: files, directories or index files to check quotes against
    (added to the configured ones); ``index``: one more index file; ``packs``:
    rule packs beyond the configured ones; ``select`` / ``ignore``: rule names,
    codes or code prefixes replacing / extending the configured selection.
    """

    def __init__(self, config: Config | None = None, *, model: str | None = None, people: str | None = None,
                 sources: Iterable[str] = (), index: str | None = None, packs: Iterable[str] = (),
                 select: Iterable[str] | None = None, ignore: Iterable[str] = (),
                 _stores: tuple[list[str], list[str]] | None = None):
        self.config = config or Config()
        self.model = model
        self.select = list(select) if select is not None else None
        self.ignore = list(ignore)
        self._source_paths = list(sources)
        self._index = index
        self._people = people
        self._packs = list(packs)
        # A worker's session: the stores the parent opened (and the sources it
        # could not read), used as they are.
        self._stores = _stores
        self.problems: list[Problem] = []  # building the session: plugins, packs
        self.pm = self._manager(self._packs)
        self.cues = self._cues()
        path = people or self.config.people
        self.registry = PeopleRegistry.load(path) if path else None
        self._sources: SourceSet | None = None
        self._sources_loaded = False
        self.source_problems: list[Problem] | None = None  # what loading the sources said, once loaded
        self._rules = None
        self._fingerprints: dict[bool, str] = {}
        # A language.ParseCache the language server sets, so that the
        # paragraphs of an edited buffer that did not change are not parsed
        # again (check_one); the results are the same with or without it.
        self.parse_cache = None

    @classmethod
    def from_config(cls, path: str | os.PathLike, **options) -> "Session":
        """A session for the configuration file at ``path``."""
        return cls(load_config(path=Path(path)), **options)

    @classmethod
    def discover(cls, start: str | os.PathLike = ".", **options) -> "Session":
        """A session for the configuration found upward from ``start``
        (quotecheck.toml, or pyproject.toml's [tool.quotecheck])."""
        return cls(load_config(Path(start)), **options)

    @classmethod
    def from_spec(cls, spec: tuple) -> "Session":
        """The session :meth:`spec` describes (in a worker process)."""
        config, options = spec
        return cls(config, **options)

    def spec(self) -> tuple:
        """What a worker process needs to build this same session: the
        configuration, the options, and the source stores opened here (a
        temporary store of ``--source`` files is built once, here)."""
        sources = self.sources
        if sources is not None:
            sources.flush()
        stores = ([s.address for s in sources.stores], list(sources.unread)) if sources is not None else ([], [])
        return self.config, {"model": self.model, "people": self._people, "packs": self._packs,
                             "select": self.select, "ignore": self.ignore, "_stores": stores}

    def take_problems(self) -> list[Problem]:
        """The problems building the session (and loading its sources) met so
        far that were not yet handed over."""
        problems, self.problems = self.problems, []
        return problems

    # -- plugins and rules ---------------------------------------------------
    def _manager(self, extra_packs: list[str]):
        pm = build_manager()
        self.problems += [Problem(m, origin="plugin") for m in load_errors(pm)]
        if self.config.plugins:  # first: a local plugin may offer packs by name too
            for spec, base in self.config.local_plugins():  # each relative to the file that named it
                register_local_plugins(pm, [spec], base)
        self._pack_files = []
        for spec in [*self.config.packs, *extra_packs]:
            # a name any plugin offers (quotecheck_rule_packs), else a file
            file = resolve_pack(spec, self.config.root, pm)
            self._pack_files.append(str(file))
            pack = load_pack(file)
            pm.register(pack_plugin(pack), name=f"pack:{pack.name}")
        return pm

    def _cues(self) -> frozenset[str]:
        cues, errors = extra_cues(self.pm)
        self.problems += [Problem(m, origin="plugin") for m in errors]
        return cues

    @property
    def rules(self) -> list:
        if self._rules is None:
            self._rules = collect_rules(self.pm)
        return self._rules

    def rule_info(self) -> list[RuleInfo]:
        return [RuleInfo(r.code, r.name, r.severity, r.plugin, r.doc) for r in self.rules]

    def run_info(self) -> RunInfo:
        return RunInfo("quotecheck", __version__, os.getcwd(),
                       str(self.config.path) if self.config.path else None, self.rule_info())

    def formats(self) -> tuple[dict, list[Problem]]:
        """Every output format plugins offer: ``{name: formatter(report)}``."""
        hook = "quotecheck_output_formats"
        results, errors = hook_results_by_plugin(self.pm, hook)
        formats: dict = {}
        for name, table in results:  # each checked: a dict of functions (quotecheck.validate)
            good, wrong = check_output_formats(table, plugin_label(self.pm, name, hook))
            formats.update(good)
            errors += wrong
        return formats, [Problem(m, origin="plugin") for m in errors]

    def selection(self, path: str) -> Selection:
        sel = self.config.selection_for(path)
        if self.select is not None:
            sel.select = list(self.select)
        if self.ignore:
            sel.ignore = sel.ignore + self.ignore
        return sel

    # -- sources ---------------------------------------------------------------
    @property
    def sources(self) -> SourceSet | None:
        """The stores to check against, opened on first use: named index files
        as they are; every other source path loaded into one temporary store,
        through the same code as ``index add``."""
        if not self._sources_loaded:
            self._sources_loaded = True
            self._sources = self._open_sources()
        return self._sources

    def has_sources(self) -> bool:
        """Whether quotes are checked against sources (given, configured or an index)."""
        if self._stores is not None:
            return bool(self._stores[0])
        return bool(self._source_paths or self.config.sources or self._index or self.config.index)

    def _open_sources(self) -> SourceSet | None:
        if self._stores is not None:
            stores, unread = self._stores
            return SourceSet([open_store(p, readonly=True) for p in stores], unread=unread) if stores else None
        before = len(self.problems)
        sources = self._load_sources()
        self.source_problems = self.problems[before:]
        return sources

    def _load_sources(self) -> SourceSet | None:
        named = self._source_paths or self.config.sources
        indexes = [p for p in named if is_index(p) or is_store_url(p)]
        # The index named on the command line, else the configuration's
        # ``index = …`` (an index the configuration names is always checked).
        extra = self._index or self.config.index
        if extra and extra not in indexes:
            indexes.append(extra)
        files = [p for p in named if p not in indexes]
        if not files and not indexes:
            return None
        for p in indexes:
            if is_store_url(p):
                continue  # a database server's index: opening it says what is wrong
            if not os.path.isfile(p):
                raise InputError(f"{p}: no such index file (build one with: quotecheck index add PATH...)")
            if not is_index(p):
                raise InputError(f"{p}: not a quotecheck index (not an SQLite file"
                                 f"{', it is empty' if os.path.getsize(p) == 0 else ''}); nothing was written to it")
        stores: list[Store] = []
        try:
            for p in indexes:
                stores.append(open_store(p, readonly=True, role=self.config.index_reader))
        except BaseException:
            for store in stores:
                store.close()
            raise
        if files:
            temp = open_store(None)
            stores.append(temp)
            self.problems += self.update_index(temp, files)
        return SourceSet(stores, unread=self.last_index_report.failed if files else ())

    def update_index(self, store: Store, paths: list[str], builder=None, progress: bool = False):
        """Add or refresh source files in ``store``; the report's problems.
        ``builder(store, files, progress) -> UpdateReport`` reads and stores
        the files (default: in this process,
        :func:`quotecheck.index.update.update_index` with :meth:`source_loader`;
        ``index add --engine dask`` passes the distributed one). ``progress``:
        show a progress bar on stderr (the command line passes whether stderr
        is a terminal)."""
        self.last_index_report = report = self._update(store, paths, builder, progress)
        return [Problem(m, origin="source") for m in report.errors] + [
            Problem(message, path=directory, origin="source", severity="warning")
            for directory, message in unknown_format_messages(report.unknown)]

    def _update(self, store: Store, paths: list[str], builder=None, progress: bool = False):
        unknown: dict[str, list[str]] = {}
        files = source_files(paths, self._formats().suffixes(), unknown=unknown)
        report = (builder or self._build_here)(store, files, progress)
        report.unknown = unknown
        return report

    def _formats(self) -> FormatRegistry:
        """The source formats every plugin registers (quotecheck's own
        included), built on first use; a format that cannot be used is a
        problem naming its plugin (see :mod:`quotecheck.sources.formats`)."""
        if getattr(self, "_source_formats", None) is None:
            self._source_formats, errors = collect_formats(self.pm)
            self.problems += [Problem(m, origin="plugin") for m in errors]
        return self._source_formats

    def _build_here(self, store: Store, files: list[str], progress: bool = False):
        with progress_bar(len(files), progress) as advance:
            return update_index(store, files, self.source_loader(), progress=advance)

    def source_loader(self) -> SourceLoader:
        """The loader ``index add`` reads source files with: ``[(path, text)]``
        -> one SourceFile (or LoadFailure) each, statements voiced as the
        configuration's ``speakers`` say. A Dask worker builds one from this
        session's :meth:`index_spec` and keeps it (the model loads once)."""
        return self._loader(self.config.speakers)

    def index_spec(self) -> tuple:
        """What another process needs to load source files exactly as this
        session does (configuration, model, plugins, packs' cue words), without
        the sources this session checks against: ``Session.from_spec(spec)``."""
        return self.config, {"model": self.model, "people": self._people, "packs": self._packs,
                             "_stores": ([], [])}

    def _loader(self, speakers: dict[str, str]) -> SourceLoader:
        """The source loader: the plugins' loaders first, then the built-in ones;
        ``speakers``: path -> the speaker of a statement."""
        return SourceLoader(model=self.model, extra_verbs=self.cues, speakers=speakers,
                            plugin_hook=hook_loader(self.pm), formats=self._formats())

    def load_source_texts(self, texts: Iterable[tuple[str, str, str | None]]) -> tuple[Store, list[Problem]]:
        """Sources given as strings rather than files: ``(name, text, speaker)``
        triples, such as the interview transcript a newsroom system sends along
        with a draft (``quotecheck serve``). Each text is loaded as a source file
        would be — its kind (transcript, subtitles, statement, article) found
        from the text and the name's suffix; a ``speaker`` makes it a statement
        in that person's voice, as the configuration's ``speakers`` does — into a
        new temporary store whose passages are named ``name``. Check against it
        with ``check_one(doc, extra_sources=store)``, then ``store.close()``
        (its temporary directory is removed). A text that cannot be loaded is
        a :class:`Problem` naming it; the others are stored."""
        items = list(texts)
        store = open_store(None)
        problems: list[Problem] = []
        try:
            loader = self._loader({name: speaker for name, _, speaker in items if speaker})
            loaded = loader([(name, text) for name, text, _ in items]) if items else []
            data = {name: text.encode("utf-8") for name, text, _ in items}
            good = []
            for item in loaded:
                if isinstance(item, LoadFailure):
                    problems.append(Problem(item.message, path=item.path, origin="source"))
                elif item.path in data:
                    good.append(item)
            store.put_many(((s, 0, len(data[s.path]), file_digest(data[s.path])) for s in good),
                           batch=max(1, sum(len(s.passages) for s in good)))
        except BaseException:
            store.close()
            raise
        return store, problems

    def sources_state(self) -> str:
        """Every source file's and index's size and modification time (for the
        result cache: a source that changed changes every result)."""
        if self._stores is not None:
            return ";".join(map(index_state, self._stores[0]))
        named = list(self._source_paths or self.config.sources)
        extra = self._index or self.config.index
        urls = [p for p in named if is_store_url(p)]
        files = [p for p in named if os.path.isfile(p)]
        dirs = [p for p in named if os.path.isdir(p)]
        under = walk_sources(dirs, self._formats().suffixes()).files if dirs else []
        missing = [p for p in named if p not in files and p not in dirs and p not in urls]
        return ";".join([file_state(p) for p in [*files, *under, *missing]] +
                        [index_state(p, self.config.index_reader) for p in urls] +
                        ([f"index={index_state(extra, self.config.index_reader)}"] if extra else []))

    def cached_source_problems(self, cache) -> list[Problem]:
        """What loading the sources said when they were last loaded for this
        session's fingerprint (nothing when they were loaded in this run, or
        there are none): a run whose every result came from the cache still
        says it. When they were loaded in this run, that is stored."""
        if cache is None or not self.has_sources() or self._stores is not None:
            return []
        key = cache.key("source problems", self.fingerprint(True))
        if self.source_problems is not None:
            cache.put(key, self.source_problems)
            return []
        return cache.get(key) or []

    def fingerprint(self, rules: bool = True) -> str:
        """What decides a document's result besides its text (the result
        cache's key; see :mod:`quotecheck.cache`): quotecheck's code, the model,
        the configuration and options, every plugin's and pack's code, the
        people registry, the sources; and whether the rules run."""
        if rules not in self._fingerprints:
            from .cache import code_state
            from .language import model_identity

            plugins = sorted({file_state(f) for f in (_plugin_file(p) for p in self.pm.get_plugins()) if f})
            dists = sorted(f"{d.project_name}=={d.version}" for _, d in self.pm.list_plugin_distinfo())
            parts = [code_state(), model_identity(self.model), repr(self.config),
                     repr((self.model, self._people, self._packs, self.select, self.ignore)),
                     ";".join(plugins), ";".join(dists), ";".join(file_state(p) for p in self._pack_files
                                                                   if os.path.isfile(p)),
                     file_state(self._people or self.config.people) if (self._people or self.config.people) else "",
                     self.sources_state() if rules else "", "rules" if rules else "analysis"]
            self._fingerprints[rules] = "\n".join(parts)
        return self._fingerprints[rules]

    def close(self) -> None:
        if self._sources is not None:
            self._sources.close()
            self._sources = None
            self._sources_loaded = False

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- checking ----------------------------------------------------------------
    def analyze(self, docs: list[Document]) -> None:
        """Quotes, speakers and people for ``docs`` (no rules), in place: the
        pipeline with this session's model, its plugins' reporting verbs and
        its people registry, so the documents are what a run gives the rules.
        Plugins' tests should call this rather than ``quotecheck.engine.analyze``
        (docs/reference.md, "Which analyze to call")."""
        analyze(docs, model=self.model, extra_verbs=self.cues, registry=self.registry)

    def check(self, text: str, path: str | None = None) -> FileResult:
        """Check one draft given as a string; ``path`` only names it (for the
        configuration's per-file rules and in the findings)."""
        doc = Document(path or "<string>", text)
        return self.check_documents([doc]).files[0]

    def check_documents(self, docs: list[Document], rules: bool = True) -> Report:
        """Analyse ``docs`` and (with ``rules``) run every selected rule on them."""
        report = Report(run=self.run_info())
        sources = self.sources if rules else None  # loading them may add problems
        report.problems += self.take_problems()
        self.analyze(docs)
        if not rules:
            report.files = [FileResult(doc) for doc in docs]
            return report
        if sources is not None:
            verify(docs, sources)
        for doc in docs:
            report.files.append(self._check_one(doc, sources))
        return report

    def check_one(self, doc: Document, rules: bool = True, processes: int = 1,
                  extra_sources: Store | None = None) -> FileResult:
        """Check one document on its own — the unit of a run over files, whose
        result depends on nothing else (so it can be cached, or computed in
        another process). Its parse is let go afterwards. An unexpected error
        is the result's problem naming the file and the stage that failed
        (``QUOTECHECK_DEBUG=1`` raises it instead). ``processes``: how many
        processes a long document's parse may use (the result is the same).
        ``extra_sources``: a store to check against besides the session's
        sources, for this document only (see :meth:`load_source_texts`)."""
        from . import engine

        try:
            engine.stage = "reading the sources"
            sources = self.sources if rules else None
            if rules and extra_sources is not None:
                sources = SourceSet([*(sources.stores if sources else []), extra_sources],
                                    unread=sources.unread if sources else ())
            engine.stage = "finding the quotes"  # the first of analyze()'s stages, which it names as it goes
            analyze([doc], model=self.model, extra_verbs=self.cues, registry=self.registry, processes=processes,
                    parse_cache=self.parse_cache)
            if not rules:
                return FileResult(doc)
            engine.stage = "matching the quotes against the sources"
            if sources is not None:
                verify([doc], sources)
            engine.stage = "running the rules"
            return self._check_one(doc, sources)
        except (InputError, PluginError, ModelNotFound, IndexFormatError, KeyboardInterrupt):
            raise  # said as they are, by the front end
        except Exception as exc:
            if os.environ.get("QUOTECHECK_DEBUG"):
                raise
            return FileResult(doc, problems=[Problem(
                f"internal error while {engine.stage}: {exc.__class__.__name__}: {exc} "
                f"(set QUOTECHECK_DEBUG=1 for the traceback)", path=doc.path, origin="internal")])
        finally:
            doc.parses, doc.sentences, doc.references = {}, {}, None

    def _check_one(self, doc: Document, sources: SourceSet | None) -> FileResult:
        """The rules, the check hooks, the selection, the severities and the
        suppressions on one analysed document."""
        context = RuleContext(sources=sources, registry=self.registry, config=self.config)
        known = {r.name for r in self.rules} | {r.code for r in self.rules}
        selection = self.selection(doc.path)
        result = FileResult(doc)
        active = [r for r in self.rules if selection.enabled(r.name, r.code)]
        findings, errors = run_rules(doc, active, context)
        hooked, hook_errors = self._hook_findings(doc, "quotecheck_check_document", doc=doc, context=context)
        for q in doc.quotes:
            more, more_errors = self._hook_findings(doc, "quotecheck_check_quote", quote=q, doc=doc,
                                                    context=context)
            hooked += more
            hook_errors += more_errors
        findings += [f for f in hooked if selection.enabled(f.rule, f.code)]
        hook_errors = list(dict.fromkeys(hook_errors))  # a plugin wrong about every quote: said once
        for f in findings:
            f.severity = selection.severity_of(f.rule, f.code, f.severity)
        result.problems += [Problem(m, path=doc.path, origin="plugin") for m in errors + hook_errors]
        findings, unused = apply_suppressions(doc, findings, known)
        findings += [p for p in unused if selection.enabled(p.rule, p.code) and
                     (p.severity != "info" or self.config.report_unused_suppressions)]
        findings.sort(key=lambda f: (f.start, f.code))
        result.findings = findings
        return result

    def _hook_findings(self, checked: Document, hook: str, **kwargs) -> tuple[list[Finding], list[str]]:
        """Every plugin's findings from the check hook ``hook``, each checked
        against ``checked`` (:func:`quotecheck.validate.check_findings`): the sound
        ones, and one message per plugin that raised and per bad value (left
        out; the plugin's other findings are kept)."""
        results, errors = hook_results_by_plugin(self.pm, hook, **kwargs)
        found: list[Finding] = []
        for name, result in results:
            good, wrong = check_findings(result, checked, plugin_label(self.pm, name, hook))
            found += good
            errors += wrong
        return found, errors

    def results(self, paths: Iterable[str], rules: bool = True, *, jobs: int = 1, cache=None,
                encoding_errors: str = "strict", section_size: int = SECTION_SIZE) -> Iterator:
        """Every file under ``paths`` checked (``-``: standard input), as a
        stream in input order: a :class:`FileResult` per document (a file
        longer than ``section_size`` characters gives one per section, in
        order) and a :class:`Problem` per file that cannot be read. ``jobs``:
        worker processes; ``cache``: a :class:`~quotecheck.cache.ResultCache`."""
        units = document_units(paths, lambda path: self, encoding_errors, section_size)
        return Runner(jobs, cache, rules).run(units)

    def check_paths(self, paths: Iterable[str], rules: bool = True, **options) -> Report:
        """Read and check files and directories (``-``: standard input). A file
        that cannot be read is a problem in the report; the rest is checked.
        ``options``: as :meth:`results`."""
        return collect(self.results(paths, rules, **options), self.run_info())

    # -- fixes -------------------------------------------------------------------
    def fix_sections(self, results: list[FileResult], write: bool = True) -> FixOutcome:
        """Apply the safe fixes of a file checked in sections (its results, in
        order): the whole file is read once more and the fixes of every
        section applied to it at their places in the file, atomically."""
        path = results[0].path
        try:
            text = read_document(path).text
        except InputError as exc:
            return FixOutcome(path, "", False, 0, 0, [f for r in results for f in r.findings],
                              Problem(str(exc), path=path))
        if "".join(r.document.text for r in results) != text:
            return FixOutcome(path, "", False, 0, 0, [f for r in results for f in r.findings],
                              Problem(f"{path}: changed on disk since it was checked; not fixed "
                                      "(run quotecheck again)", path=path))
        # The sections' findings with their fixes placed in the whole file.
        placed = {}
        for r in results:
            o = r.document.origin
            for f in r.findings:
                if f.fixes:
                    placed[id(f)] = replace(f, fixes=[replace(x, start=x.start + o, end=x.end + o) for x in f.fixes])
        whole = FileResult(Document(path, text), findings=list(placed.values()))
        outcome = self.fix(whole, write=write)
        settled = {id(f) for f in whole.findings}  # still standing after the fixes
        for r in results:
            r.findings = [f for f in r.findings if id(f) not in placed or id(placed[id(f)]) in settled]
        outcome.remaining = [f for r in results for f in r.findings]
        return outcome

    def fix(self, result: FileResult, write: bool = True) -> FixOutcome:
        """Apply a document's safe fixes (``write``: to its file, atomically;
        else only the diff). What was fixed is no longer among the findings."""
        doc = result.document
        new, applied, skipped = apply_fixes(doc.text, [f for f in result.findings if f.fixes])
        outcome = FixOutcome(doc.path, "", False, 0, len(skipped), list(result.findings))
        if new == doc.text:
            return outcome
        outcome.diff = unified_diff(doc.path, doc.text, new)
        if not write:
            return outcome
        if doc.path in ("<stdin>", "<string>"):
            outcome.problem = Problem("--fix cannot write to standard input (use --diff)", path=doc.path)
            return outcome
        try:
            write_atomically(doc.path, new, doc.text)
        except InputError as exc:
            outcome.problem = Problem(str(exc), path=doc.path)
            return outcome
        done = {id(f) for f in applied}
        outcome.written, outcome.applied = True, len(applied)
        outcome.remaining = [f for f in result.findings if id(f) not in done]
        result.findings = outcome.remaining
        return outcome


# -- several configurations ------------------------------------------------------------

class Workspace:
    """Sessions for files that each find their own configuration upward (as
    ``quotecheck check DIR`` does): one session per configuration file, built
    once. ``config``: one configuration file for every path instead. ``jobs``,
    ``cache``, ``encoding_errors``, ``section_size``: how files are read and
    checked (see :meth:`Session.results`); the other options are the
    sessions' (see :class:`Session`)."""

    def __init__(self, config: str | None = None, *, jobs: int = 1, cache=None, encoding_errors: str = "strict",
                 section_size: int = SECTION_SIZE, **options):
        self.config = config
        self.options = options
        self.jobs, self.cache = jobs, cache
        self.encoding_errors, self.section_size = encoding_errors, section_size
        self._sessions: dict[str, Session] = {}

    def session_for(self, path: str) -> Session:
        stdin = path in ("-", "<stdin>")  # standard input, named or as read
        found = Path(self.config) if self.config else find_config(Path.cwd() if stdin else Path(path))
        key = str(found)
        if key not in self._sessions:
            config = load_config(path=found) if found else Config()
            self._sessions[key] = Session(config, **self.options)
        return self._sessions[key]

    def results(self, paths: Iterable[str], rules: bool = True) -> Iterator:
        """Every path checked by the session of its configuration, as a stream
        in input order (see :meth:`Session.results`)."""
        units = document_units(paths, self.session_for, self.encoding_errors, self.section_size)
        return Runner(self.jobs, self.cache, rules).run(units)

    def check_paths(self, paths: Iterable[str], rules: bool = True) -> Report:
        """Every path checked by the session of its configuration, in one report."""
        paths = list(paths)
        report = collect(self.results(paths, rules), None)
        report.run = self.session_for(paths[0] if paths else ".").run_info()
        return report

    def prepare(self, paths: Iterable[str]) -> None:
        """Build the session of every configuration ``paths`` will use (cheap:
        no model is loaded), so that :meth:`formats` knows their formats
        before anything slow is done."""
        for given in paths:
            for path in expand_paths([given]) or [given]:
                self.session_for(path)

    def formats(self) -> tuple[dict, list[Problem]]:
        """The output formats of every configuration used (the working
        directory's when none was)."""
        formats: dict = {}
        problems: list[Problem] = []
        for session in list(self._sessions.values()) or [self.session_for(".")]:
            found, errors = session.formats()
            formats.update(found)
            problems += [p for p in errors if p not in problems]
        return formats, problems

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- helpers ---------------------------------------------------------------------------

def document_units(paths: Iterable[str], session_for, encoding_errors: str = "strict",
                   section_size: int = SECTION_SIZE) -> Iterator:
    """The documents under ``paths``, each with the session that checks it
    (``session_for(path)``), read one at a time — a long file section by
    section — and a :class:`Problem` for each that cannot be read."""
    for given in paths:
        found = expand_paths([given])
        if not found and os.path.isdir(given):
            yield Problem(f"{given}: no drafts here (no {', '.join(sorted(TEXT_SUFFIXES))} "
                          f"files under this directory)", path=given)
        for path in found:
            session = session_for(path)
            try:
                for doc in read_documents(path, section_size=section_size,
                                          max_size=session.config.max_file_size, encoding_errors=encoding_errors):
                    yield Unit(session, doc)
            except InputError as exc:
                yield Problem(str(exc), path="<stdin>" if path == "-" else path)


def collect(results: Iterable, run: RunInfo | None) -> Report:
    """A :class:`Report` holding every result and problem of a stream."""
    report = Report(run=run)
    for item in results:
        if isinstance(item, FileResult):
            report.files.append(item)
        else:
            report.problems.append(item)
    return report


def _plugin_file(plugin) -> str | None:
    """The file a plugin's code is in (a module's, or its class's module's)."""
    module = plugin if hasattr(plugin, "__file__") else sys.modules.get(type(plugin).__module__)
    return getattr(module, "__file__", None)


def index_state(location: str, role: str | None = None) -> str:
    """What the result cache knows an index by: a file's size and time; a
    database server's last write (:meth:`Store.state`)."""
    if not is_store_url(location):
        return file_state(location)
    with open_store(location, readonly=True, role=role) as store:
        return store.state()


def is_index(path: str) -> bool:
    """Whether ``path`` is a quotecheck index (an SQLite file)."""
    return os.path.isfile(path) and sqlite_header(path) == SQLITE_MAGIC


def source_files(paths: list[str], suffixes: Iterable[str] = SOURCE_SUFFIXES,
                 unknown: dict[str, list[str]] | None = None) -> list[str]:
    """Source files under ``paths``, as real paths: the files named, and the
    files under the directories named whose suffix is in ``suffixes`` (the
    registered source formats'). ``unknown``,
    when given, receives each directory's files that no format reads."""
    out = []
    walk = walk_sources(paths, suffixes)
    if unknown is not None:
        unknown.update(walk.unknown)
    for path in walk.files:
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file or directory")
        if not os.path.isfile(path):  # a named pipe would block: never opened
            raise InputError(f"{path}: not a regular file: a source must be a file or a directory")
        out.append(os.path.realpath(path))
    return out
