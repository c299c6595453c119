"""Hook specifications: the contract between quotecheck and its plugins.

quotecheck's own rules are plugins too (see :mod:`quotecheck.rules`); they register
through exactly these hooks. Each hook's docstring gives its parameters and how
its results are combined.
"""
import pluggy

hookspec = pluggy.HookspecMarker("quotecheck")
hookimpl = pluggy.HookimplMarker("quotecheck")


@hookspec
def quotecheck_rules():
    """Return the rule objects this plugin provides (an iterable).

    Called once when the plugin manager is built. Every implementation is called
    and the results are concatenated; two rules with the same name or code is an
    error naming both plugins. A rule object has ``name`` (stable, kebab-case),
    ``code`` (e.g. ``QC101``), ``severity`` (``error``/``warning``/``info``), a
    module docstring with the sections *What it does*, *Why*, *Example* and *Fix*,
    and ``check(doc, context)`` yielding :class:`quotecheck.model.Finding`, where
    ``context`` is the run's :class:`quotecheck.model.RuleContext`.
    """


@hookspec
def quotecheck_reporting_cues():
    """Return extra reporting verbs, as lemmas (an iterable of strings).

    Called once per run; all results are merged with the built-in verb list
    (:data:`quotecheck.cues.REPORTING_VERBS`), so a newsroom can teach the
    attributor "averred" or a local idiom. Verbs are matched in their inflected
    forms (aver, avers, averred, averring).
    """


@hookspec(firstresult=True)
def quotecheck_load_source(path, text):
    """Read a source file of a kind quotecheck does not know (a newsroom's own
    transcript format); return a :class:`quotecheck.model.SourceFile`, or None
    to leave the file to the other loaders.

    Called once per source file, before quotecheck's own detection, with the
    file's path and decoded text. The first implementation to return a value
    wins (``firstresult``); the built-in loaders (article, transcript,
    subtitles, statement) run only when every plugin returned None.
    """


@hookspec
def quotecheck_source_formats():
    """Return the source formats this plugin reads (an iterable of
    :class:`quotecheck.sources.formats.SourceFormat`: name, file suffixes, a
    detector ``detect(text) -> bool`` and a loader ``load(path, text) ->
    SourceFile``).

    Called once per session; every implementation is called and the formats
    are concatenated, plugins' before quotecheck's own (subtitles, transcript,
    statement, article, registered through this same hook). Every registered
    suffix is offered to the loaders when a source folder is walked, and a
    file's format is the first whose suffix and detector accept it (see
    :mod:`quotecheck.sources.formats`). A name two plugins use, or a
    declaration that is not a ``SourceFormat``, is an error naming the plugin;
    that format is left out.
    """


@hookspec
def quotecheck_check_quote(quote, doc, context):
    """Return findings about one quote (an iterable of
    :class:`quotecheck.model.Finding`, possibly empty), for a plugin that would
    rather look at quotes one at a time than write a whole rule.

    Called once per quote of every checked document, after attribution and the
    cross-source matching (``quote.matches``), with ``doc`` the
    :class:`~quotecheck.model.Document` and ``context`` the run's
    :class:`~quotecheck.model.RuleContext` (``context.sources``: the source set
    or None, ``context.registry``: the people registry or None,
    ``context.config``: the configuration). Every implementation is called; findings are concatenated and then
    selected, suppressed and reported like any rule's. An implementation that
    raises is reported by plugin name; the others still run and the exit status
    is 2.
    """


@hookspec
def quotecheck_check_document(doc, context):
    """Return findings about a whole document (an iterable of
    :class:`quotecheck.model.Finding`): what no single quote shows, such as a
    person quoted but never introduced.

    Called once per checked document, after every quote's matching, with the
    same ``context`` as :func:`quotecheck_check_quote`. Every implementation is
    called and the findings are concatenated; a raising implementation is
    isolated and reported as for quotes.
    """


@hookspec
def quotecheck_output_formats():
    """Return extra output formats: a dict ``{name: format}`` where
    ``format(report) -> str`` and ``report`` is the run's
    :class:`quotecheck.session.Report`: iterating it gives
    ``(Document, list[Finding])`` pairs, one per checked file; ``report.run``
    holds the rule metadata (:class:`~quotecheck.session.RuleInfo`: code, name,
    severity, plugin, doc) and the run information (tool version,
    configuration, working directory).

    Called once per run; every implementation's dict is merged (a name defined
    twice is an error naming both plugins). The names are what ``check
    --format`` accepts; ``text`` and ``json`` are the built-in plugin's.
    """


@hookspec
def quotecheck_rule_packs():
    """Return the rule packs this plugin offers by name: a dict
    ``{name: file}``, so that a newsroom's installed package can ship its house
    style and every desk uses it by name (``packs = ["harbour-gazette"]`` in the
    configuration, ``--pack harbour-gazette`` on the command line) instead of
    copying TOML files around.

    ``name`` is kebab-case (``harbour-gazette``); ``file`` is the pack's TOML
    file: a path (``str`` or :class:`pathlib.Path`, absolute) or, for a file
    shipped as package data, an :mod:`importlib.resources` Traversable::

        from importlib.resources import files

        @hookimpl
        def quotecheck_rule_packs():
            return {"harbour-gazette": files(__package__) / "harbour-gazette.toml"}

    Called when a pack is named (not given as a file path); every
    implementation is called and the dicts are merged. quotecheck's own
    ``us-wire`` and ``british`` packs are offered through this same hook by the
    built-in plugin :mod:`quotecheck.packs.shipped`. Two plugins offering the
    same name is an error naming both when that name is used; an unknown name
    is an error listing every pack on offer and who offers it. The file is read
    only when its pack is used (see ``docs/rule-packs.md``).
    """
