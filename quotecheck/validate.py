"""Checks on what plugins hand back, made where quotecheck calls them.

A plugin is somebody else's code: a rule that yields a string, a loader that
returns a dict, a finding at offset 1,000,000 in a 5,000-character draft. Left
unchecked, such a value either crashes the run far from its cause (a traceback,
every other rule's findings lost) or prints nonsense (line 10, column 999210).
So every hook result is checked against the data model here, at the boundary,
and a bad one becomes one message naming the plugin, the hook and what was
wrong, for example::

    plugin harbour_rules (package harbour-rules), hook quotecheck_rules → rule HG003 yielded a str, not a quotecheck.model.Finding; left out
    plugin desk_checks, hook quotecheck_check_quote returned finding DK900 at offset 1000000, past the end of draft.txt (5,120 characters); left out

Only the bad value is left out: the plugin's other findings, and every other
plugin's, are kept, and the run ends with exit status 2 (the session reports
these messages as problems). Each ``check_*`` function returns the good values
and a list of messages; :func:`check_source_file` raises
:class:`PluginResultError` instead, because a source file is used whole or not
at all.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from .model import Document, Evidence, Finding, Fix, Quote, SourceFile, SourcePassage
from .vocab import SEVERITIES


class PluginResultError(ValueError):
    """A plugin's result that cannot be used; the message names the plugin,
    the hook and what was wrong."""


def who(plugin: str, hook: str, package: str | None = None) -> str:
    """``plugin NAME (package DIST), hook HOOK``: the start of every message here."""
    owner = f"plugin {plugin}" + (f" (package {package})" if package and package != plugin else "")
    return f"{owner}, hook {hook}"


def _type(value) -> str:
    return type(value).__name__


def _a(value) -> str:
    """``a str``, ``an int``: a value's type, for a message."""
    name = _type(value)
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_str(value) -> bool:
    return value is None or isinstance(value, str)


def _span(name: str, start, end, length: int, where: str) -> str | None:
    """What is wrong with the offsets ``start``/``end`` into a text of ``length``
    characters called ``where``, or None."""
    if not _is_int(start) or not _is_int(end):
        return f"{name} has start={start!r}, end={end!r}: offsets must be integers"
    if start < 0 or end < 0:
        return f"{name} at offset {start if start < 0 else end}, before the start of {where}"
    if start > length or end > length:
        return f"{name} at offset {start if start > length else end}, past the end of {where} ({length:,} characters)"
    if start > end:
        return f"{name} ends (offset {end}) before it starts (offset {start})"
    return None


# -- findings ---------------------------------------------------------------------------

def finding_problem(f, doc: Document) -> str | None:
    """What is wrong with ``f`` as a finding about ``doc``, or None: its type,
    its rule name, code, severity and message, its offsets (inside
    ``doc.text``), its quote, speaker, evidence (places with positive lines and
    columns) and fixes (inside the text, a replacement string each)."""
    if not isinstance(f, Finding):
        return f"{_a(f)}, not a quotecheck.model.Finding"
    label = f"finding {f.code}" if isinstance(f.code, str) and f.code else "finding"
    for field in ("rule", "code", "message"):
        value = getattr(f, field)
        if not isinstance(value, str) or (field != "message" and not value.strip()):
            return f"{label} has {field}={value!r}: it must be a non-empty string"
    if f.severity not in SEVERITIES:
        return f"{label} has severity={f.severity!r}: it must be one of {', '.join(SEVERITIES)}"
    problem = _span(label, f.start, f.end, len(doc.text), doc.path)
    if problem:
        return problem
    if f.quote is not None and not isinstance(f.quote, Quote):
        return f"{label} has quote={_type(f.quote)}: it must be one of the document's quotes or None"
    if not _optional_str(f.speaker):
        return f"{label} has speaker={f.speaker!r}: it must be a string or None"
    if not isinstance(f.evidence, list):
        return f"{label} has evidence={_type(f.evidence)}: it must be a list of quotecheck.model.Evidence"
    for i, e in enumerate(f.evidence, 1):
        problem = evidence_problem(e)
        if problem:
            return f"{label}, evidence {i}: {problem}"
    if not isinstance(f.fixes, list):
        return f"{label} has fixes={_type(f.fixes)}: it must be a list of quotecheck.model.Fix"
    for i, fix in enumerate(f.fixes, 1):
        if not isinstance(fix, Fix):
            return f"{label}, fix {i}: {_a(fix)}, not a quotecheck.model.Fix"
        problem = _span(f"fix {i}", fix.start, fix.end, len(doc.text), doc.path)
        if problem:
            return f"{label}, {problem}"
        if not isinstance(fix.replacement, str) or not isinstance(fix.description, str):
            return f"{label}, fix {i}: replacement and description must be strings"
    return None


def evidence_problem(e) -> str | None:
    """What is wrong with one piece of evidence, or None. ``line`` 0 means
    "the file as a whole" (no place); otherwise line and column count from 1."""
    if not isinstance(e, Evidence):
        return f"{_a(e)}, not a quotecheck.model.Evidence"
    if not isinstance(e.path, str) or not e.path:
        return f"path={e.path!r}: it must be the source file's path"
    if not _is_int(e.line) or not _is_int(e.column):
        return f"line={e.line!r}, column={e.column!r}: they must be integers"
    if e.line != 0 and (e.line < 1 or e.column < 1):
        return f"at line {e.line}, column {e.column}: lines and columns count from 1 (line 0: no place)"
    if not isinstance(e.text, str) or not _optional_str(e.speaker) or not _optional_str(e.note):
        return "text must be a string, speaker and note strings or None"
    return None


def check_findings(result, doc: Document, source: str, verb: str = "returned") -> tuple[list[Finding], list[str]]:
    """The findings in ``result`` (what a rule's ``check`` or a check hook
    gave: an iterable of :class:`Finding`) that are sound for ``doc``, and one
    message per bad value. ``source`` says whose result it is, as
    :func:`who` gives it, with the rule when there is one
    (``plugin x, hook quotecheck_rules → rule HG003``); ``verb``: how the
    message says it was given (a rule's ``check`` "yielded")."""
    if result is None:
        return [], []
    if isinstance(result, (str, bytes, Mapping, Finding)) or not isinstance(result, Iterable):
        return [], [f"{source} returned {_a(result)}, not a list of findings; ignored"]
    try:
        items = list(result)
    except Exception as exc:  # an iterator that raises as it is read: the plugin's bug
        return [], [f"{source} raised {exc.__class__.__name__}: {exc}"]
    good, errors = [], []
    for item in items:
        problem = finding_problem(item, doc)
        if problem is None:
            good.append(item)
        else:
            errors.append(f"{source} {verb} {problem}; left out")
    return good, errors


# -- reporting cues ---------------------------------------------------------------------

def check_cues(result, source: str) -> tuple[list[str], list[str]]:
    """The reporting verbs in ``result`` (an iterable of strings, one lemma
    each), and the messages: a plain string (``"aver"`` would become the verbs
    a, v, e, r) or a value that is not a string is refused."""
    if isinstance(result, (str, bytes)):
        return [], [f"{source} returned the string {result!r}, not a list of verbs "
                    f"(write [{result!r}]); ignored"]
    if isinstance(result, Mapping) or not isinstance(result, Iterable):
        return [], [f"{source} returned {_a(result)}, not a list of verbs; ignored"]
    good, errors = [], []
    for verb in result:
        if isinstance(verb, str) and verb.strip() and not any(c.isspace() for c in verb.strip()):
            good.append(verb.strip())
        else:
            errors.append(f"{source} returned {verb!r} among its verbs: a verb is one word, "
                          "a string; left out")
    return good, errors


# -- output formats ---------------------------------------------------------------------

def check_output_formats(result, source: str) -> tuple[dict, list[str]]:
    """The formats in ``result`` (a dict ``{name: format(report) -> str}``)
    that can be used, and the messages."""
    if not isinstance(result, Mapping):
        return {}, [f"{source} returned {_a(result)}, not a dict {{name: format}}; ignored"]
    good, errors = {}, []
    for name, fmt in result.items():
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{source}: format name {name!r} is not a non-empty string; left out")
        elif not callable(fmt):
            errors.append(f"{source}: format {name!r} is {_a(fmt)}, not a function "
                          "format(report) -> str; left out")
        else:
            good[name] = fmt
    return good, errors


# -- rules ------------------------------------------------------------------------------

def rule_problem(rule) -> str | None:
    """What is wrong with a rule object a plugin declared, or None."""
    for field in ("name", "code"):
        value = getattr(rule, field, None)
        if not isinstance(value, str) or not value.strip():
            return f"{_a(rule)} whose {field} is {value!r}, not a non-empty string (is it a rule object?)"
    if getattr(rule, "severity", None) not in SEVERITIES:
        return f"rule {rule.code} has severity={getattr(rule, 'severity', None)!r}: one of {', '.join(SEVERITIES)}"
    if not callable(getattr(rule, "check", None)):
        return f"rule {rule.code} has no check(doc, context) method"
    return None


# -- source files -----------------------------------------------------------------------

def check_source_file(result, path: str, text: str, source: str) -> SourceFile:
    """``result``, a plugin's loaded source file, if it can be stored and
    matched against: a :class:`SourceFile` for ``path`` (the path it was
    given), with a string ``kind``, whose passages are
    :class:`SourcePassage` objects of that file with string ``text``, offsets
    inside ``text`` (the file's decoded text), positive ``line`` and ``column``
    and string-or-None speakers. Otherwise :class:`PluginResultError` naming
    the file, ``source`` (who: :func:`who`) and the first thing wrong.

    The one place loader results are checked: every loader a plugin supplies
    (``quotecheck_load_source``, a registered source format's ``load``) goes
    through it."""
    where = f"{path}: {source}"
    if not isinstance(result, SourceFile):
        raise PluginResultError(f"{where}: returned {_a(result)}, not a quotecheck.model.SourceFile")
    if result.path != path:
        raise PluginResultError(f"{where}: returned a SourceFile for {result.path!r}: "
                                f"its path must be the path it was given, {path!r}")
    if not isinstance(result.kind, str) or not result.kind.strip():
        raise PluginResultError(f"{where}: returned a SourceFile with kind={result.kind!r}: "
                                "it must be the format's name, a string")
    if isinstance(result.passages, (str, bytes, Mapping)) or not isinstance(result.passages, Iterable):
        raise PluginResultError(f"{where}: returned passages={_type(result.passages)}: "
                                "it must be a list of quotecheck.model.SourcePassage")
    result.passages = list(result.passages)
    for i, p in enumerate(result.passages, 1):
        problem = passage_problem(p, f"passage {i}", path, text)
        if problem:
            raise PluginResultError(f"{where}: {problem}")
    return result


def passage_problem(p, label: str, path: str, text: str) -> str | None:
    """What is wrong with one passage (called ``label`` in the message) of the
    source file ``path`` (decoded text ``text``), or None."""
    if not isinstance(p, SourcePassage):
        return f"{label} is {_a(p)}, not a quotecheck.model.SourcePassage"
    if p.path != path:
        return f"{label} has path {p.path!r}: every passage's path must be the file's, {path!r}"
    if not isinstance(p.text, str):
        return f"{label} has text={p.text!r}: it must be a string (the words as the source gives them)"
    if not isinstance(p.kind, str) or not p.kind.strip():
        return f"{label} has kind={p.kind!r}: it must be a string"
    problem = _span(label, p.start, p.end, len(text), path)
    if problem:
        return problem
    if not _is_int(p.line) or not _is_int(p.column) or p.line < 1 or p.column < 1:
        return (f"{label} is at line {p.line!r}, column {p.column!r}: lines and columns count from 1 "
                "(the place of the passage's first character)")
    for field in ("speaker", "speaker_mention", "pronoun", "weak"):
        if not _optional_str(getattr(p, field, None)):
            return f"{label} has {field}={getattr(p, field)!r}: it must be a string or None"
    return None
