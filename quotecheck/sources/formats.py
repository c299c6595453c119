"""The source formats quotecheck can read, in one registry filled through the plugin manager.

A source format says three things: its **name** (the ``kind`` of the passages it
loads: ``transcript``, or a newsroom's own ``council-gazette``), the **file
suffixes** its files carry (``.gzt``), and a **detector**, a function saying
whether a text is in that format. A format a plugin adds also has a **loader**,
``load(path, text) -> SourceFile``.

quotecheck's own formats (subtitles, transcript, statement, article) are
registered by this module through the ``quotecheck_source_formats`` hook,
exactly as a plugin's are; a plugin's formats come first, so a newsroom can
claim a suffix or a kind of text before the built-in detectors see it.

What the registry is used for:

- **walking source folders**: every registered suffix is offered to the
  loaders (:func:`quotecheck.index.update.walk_sources`), so a plugin's
  ``council.gzt`` files are found under ``--source DIR`` and ``index add DIR``;
  a file no format claims is counted and reported;
- **choosing a file's format** (:meth:`FormatRegistry.for_file`), in this order:

  1. the first format that lists the file's suffix and whose detector accepts the text;
  2. the first format that lists the suffix, when the suffix is a format's own
     (not a plain-text one such as ``.txt``): a ``.vtt`` file is subtitles, a
     ``.gzt`` file goes to the gazette loader, whose error names what is wrong;
  3. the first format whose detector accepts the text, whatever its suffix
     (WebVTT saved as ``.txt``);
  4. ``article``: news prose is the default.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..hookspecs import hookimpl
from ..model import SourceFile
from ..reading import TEXT_SUFFIXES
from ..validate import PluginResultError, check_source_file
from .detect import SUBTITLE_SUFFIXES, is_statement, is_subtitles, is_transcript
from .statement import parse_statement
from .subtitles import parse_subtitles
from .transcript import parse_transcript

DEFAULT_FORMAT = "article"
BUILTIN_PLUGIN = "quotecheck.sources.formats"
# The plain-text suffixes the built-in formats share (a suffix of its own, such
# as ``.vtt``, decides a file's format on its own: step 2 above).
PLAIN_TEXT_SUFFIXES = frozenset(TEXT_SUFFIXES)


class SourceFormatError(Exception):
    """A format declaration or a loader's result that cannot be used; the
    message names the plugin and the file."""


@dataclass(frozen=True)
class SourceFormat:
    """One kind of source file quotecheck can read.

    ``name``: the format, and the ``kind`` of the passages it loads (a plugin
    picks its own: ``council-gazette``). ``suffixes``: the file suffixes, with
    the dot, lower-case (``(".gzt",)``; ``""`` is a file without one); a
    directory walk offers every file with one of them. ``detect(text) -> bool``: whether a text is in this format;
    keep it strict and fast (a few regular expressions), because it is also
    asked about files with other suffixes. ``load(path, text) -> SourceFile``:
    reads one file; every passage must carry ``path``. ``plugin``: who
    registered the format, filled in by the registry.
    """

    name: str
    suffixes: tuple[str, ...]
    detect: Callable[[str], bool]
    load: Callable[[str, str], SourceFile] | None = None
    plugin: str = ""


def _accept_all(text: str) -> bool:
    return True


# Built-in, in the order their detectors are asked (subtitle timing lines are
# unambiguous; a transcript's labels come before a statement's header, because
# a transcript's header reads like one). ``article`` has no ``load``: articles
# are parsed by the engine, many at a time (SourceLoader).
BUILTIN_FORMATS = (
    SourceFormat("subtitles", tuple(SUBTITLE_SUFFIXES) + tuple(sorted(TEXT_SUFFIXES)), is_subtitles,
                 parse_subtitles),
    SourceFormat("transcript", tuple(sorted(TEXT_SUFFIXES)), is_transcript, parse_transcript),
    SourceFormat("statement", tuple(sorted(TEXT_SUFFIXES)), is_statement,
                 lambda path, text: parse_statement(path, text)),
    SourceFormat(DEFAULT_FORMAT, tuple(sorted(TEXT_SUFFIXES)), _accept_all, None),
)


@hookimpl
def quotecheck_source_formats():
    """quotecheck's own source formats, registered like any plugin's."""
    return list(BUILTIN_FORMATS)


def suffix_of(path: str) -> str:
    """The suffix a format is chosen by: ``.gzt`` for ``council.GZT``, ``""`` for none."""
    return os.path.splitext(path)[1].lower()


class FormatRegistry:
    """The registered formats, plugins' first. See the module docstring for
    how a file's format is chosen."""

    def __init__(self, formats: Iterable[SourceFormat]):
        self.formats = list(formats)
        self.by_name = {f.name: f for f in self.formats}
        default = self.by_name.get(DEFAULT_FORMAT)
        self._default = default if default is not None else BUILTIN_FORMATS[-1]
        self._own_suffixes = {s for f in self.formats for s in f.suffixes} - PLAIN_TEXT_SUFFIXES

    def suffixes(self) -> frozenset[str]:
        """Every suffix some format reads: what a directory walk offers the loaders."""
        return frozenset(s for f in self.formats for s in f.suffixes)

    def for_file(self, path: str, text: str) -> SourceFormat:
        """The format ``path`` (with content ``text``) is read in."""
        suffix = suffix_of(path)
        candidates = [f for f in self.formats if f is not self._default]
        listing = [f for f in candidates if suffix in f.suffixes]
        for f in listing:
            if f.detect(text):
                return f
        if suffix in self._own_suffixes and listing:
            return listing[0]
        for f in candidates:
            if f not in listing and f.detect(text):
                return f
        return self._default


BUILTIN_REGISTRY = FormatRegistry(BUILTIN_FORMATS)


def detect_kind(path: str, text: str) -> str:
    """ "subtitles", "transcript", "statement" or "article" for one source file:
    the built-in registry's choice, without any plugin's formats."""
    return BUILTIN_REGISTRY.for_file(path, text).name
BUILTIN_NAMES = frozenset(f.name for f in BUILTIN_FORMATS)


def collect_formats(pm) -> tuple[FormatRegistry, list[str]]:
    """The registry of every plugin's source formats (the built-in ones
    included, through the same hook), and one message per format that cannot
    be used (left out; the others still load): a plugin that raised, a
    declaration that is not a :class:`SourceFormat`, a suffix without its dot,
    a missing detector or loader, a name two plugins use."""
    formats: list[SourceFormat] = []
    errors: list[str] = []
    owner: dict[str, str] = {}
    caller = pm.hook.quotecheck_source_formats
    for impl in reversed(caller.get_hookimpls()):  # pluggy's order: plugins before the built-ins
        plugin = impl.plugin_name
        try:
            declared = list(impl.function() or ())
        except Exception as exc:
            errors.append(f"plugin {plugin} raised {exc.__class__.__name__}: {exc} "
                          f"in hook quotecheck_source_formats")
            continue
        for fmt in declared:
            problem = _declaration_problem(fmt, plugin == BUILTIN_PLUGIN)
            if problem is None and plugin != BUILTIN_PLUGIN and fmt.name in BUILTIN_NAMES:
                problem = (f"source format {fmt.name!r} is defined by both {plugin} and {BUILTIN_PLUGIN} "
                           "(a built-in format's name: pick one of your own)")
            elif problem is None and fmt.name in owner:
                problem = f"source format {fmt.name!r} is defined by both {owner[fmt.name]} and {plugin}"
            if problem is not None:
                errors.append(f"plugin {plugin}: quotecheck_source_formats: {problem}; format left out")
                continue
            owner[fmt.name] = plugin
            formats.append(replace(fmt, suffixes=tuple(s.lower() for s in fmt.suffixes), plugin=plugin))
    return FormatRegistry(formats), errors


def _declaration_problem(fmt, builtin: bool) -> str | None:
    if not isinstance(fmt, SourceFormat):
        return f"returned a {type(fmt).__name__}, not a quotecheck.sources.formats.SourceFormat"
    if not isinstance(fmt.name, str) or not fmt.name.strip():
        return f"a format's name must be a non-empty string, not {fmt.name!r}"
    if isinstance(fmt.suffixes, str) or not all(isinstance(s, str) and (s == "" or (s.startswith(".") and len(s) > 1))
                                                 for s in fmt.suffixes):
        return (f"format {fmt.name!r}: suffixes must be a tuple of suffixes with their dot "
                f"(\".gzt\"), not {fmt.suffixes!r}")
    if not callable(fmt.detect):
        return f"format {fmt.name!r}: detect must be a function detect(text) -> bool"
    if not builtin and not callable(fmt.load):
        return f"format {fmt.name!r}: load must be a function load(path, text) -> SourceFile"
    return None


def check_loaded(result, path: str, plugin: str, hook: str, text: str) -> SourceFile:
    """``result``, a plugin loader's answer for ``path`` (decoded text
    ``text``), if it can be stored and matched against: a :class:`SourceFile`
    of that file whose passages carry its path, a string text, offsets inside
    ``text`` and lines and columns from 1 (all checked by
    :func:`quotecheck.validate.check_source_file`); else
    :class:`SourceFormatError` naming the file, the plugin, the hook and what
    is wrong."""
    try:
        return check_source_file(result, path, text, f"plugin {plugin} ({hook})")
    except PluginResultError as exc:
        raise SourceFormatError(str(exc)) from None


def hook_loader(pm) -> Callable[[str, str], SourceFile | None]:
    """The plugins' ``quotecheck_load_source`` implementations as one loader:
    the first that returns a value wins, as pluggy's ``firstresult`` does, and
    its result is checked (:func:`check_loaded`). A plugin that raises is a
    :class:`SourceFormatError` naming it; the file fails to load, the others
    still do."""
    hook = "quotecheck_load_source"

    def load(path: str, text: str) -> SourceFile | None:
        args = {"path": path, "text": text}
        for impl in reversed(getattr(pm.hook, hook).get_hookimpls()):
            if impl.hookwrapper or impl.wrapper:
                continue
            try:
                result = impl.function(*(args[a] for a in impl.argnames))
            except Exception as exc:
                raise SourceFormatError(f"{path}: plugin {impl.plugin_name} raised {exc.__class__.__name__}: "
                                        f"{exc} in hook {hook}") from None
            if result is not None:
                return check_loaded(result, path, impl.plugin_name, hook, text)
        return None

    return load
