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
