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
    and ``check(doc, context)`` yielding :class:`quotecheck.model.Finding`.
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
