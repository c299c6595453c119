"""What every declarative rule type shares: its keys, how values are checked,
and the hits a type hands to the loader to become findings.

A rule type never sees the pack file; it receives validated settings and raises
:class:`PackError` naming the key at fault, and the loader adds the file and the
line. That keeps every error message in one format (``path:line: message``).
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator

from ..model import Document, Evidence, Fix, Quote


class PackError(Exception):
    """A bad value for ``key`` (and, inside a table, for its entry ``entry``)."""

    def __init__(self, key: str, message: str, entry: str | None = None):
        super().__init__(message)
        self.key = key
        self.entry = entry


# kind -> what a value must be, for error messages
KINDS = {
    "string": "a string",
    "strings": "a non-empty list of strings",
    "table": "a table of \"text\" = \"replacement\"",
    "bool": "true or false",
    "int": "a positive whole number",
    "groups": "a list of lists of two or more strings",
}


@dataclass(frozen=True)
class Key:
    """One key a rule may set: its kind, whether it must be given, its default,
    and the values allowed (for a choice)."""

    name: str
    kind: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    help: str = ""  # one line for the documentation


def check_value(key: Key, value: Any) -> Any:
    """``value`` if it fits ``key``, else a :class:`PackError` saying what it must be."""
    fits = {
        "string": lambda v: isinstance(v, str) and v.strip() != "",
        # a key with a default may be emptied ("none of the defaults"); a required one may not
        "strings": lambda v: isinstance(v, list) and (v or key.default is not None) and all(
            isinstance(s, str) and s.strip() for s in v),
        "table": lambda v: isinstance(v, dict) and v and all(isinstance(s, str) for s in v.values()),
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
        "groups": lambda v: isinstance(v, list) and v and all(
            isinstance(g, list) and len(g) >= 2 and all(isinstance(s, str) and s.strip() for s in g) for g in v),
    }[key.kind]
    if not fits(value):
        kind = "a list of strings" if key.kind == "strings" and key.default is not None else KINDS[key.kind]
        raise PackError(key.name, f"{key.name} must be {kind}")
    if key.choices and value not in key.choices:
        raise PackError(key.name, f"{key.name} must be one of {', '.join(key.choices)} (not {value!r})")
    return value


def compile_regex(key: str, pattern: str, flags: int = 0, entry: str | None = None) -> re.Pattern:
    """A compiled regex, or an error naming the key and the regex's own complaint."""
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        where = f"{key} entry {entry!r}" if entry is not None else key
        raise PackError(key, f"{where}: bad regex {pattern!r}: {exc}", entry=entry) from None


@dataclass
class Hit:
    """One place a rule type found: the loader turns it into a Finding, filling
    the rule's message with ``fields``."""

    start: int
    end: int
    fields: dict[str, Any]
    quote: Quote | None = None
    speaker: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)


class RuleType(ABC):
    """A kind of declarative rule. Subclasses declare ``keys`` (beyond the keys
    every rule has), the message ``placeholders`` they fill, a default message
    and fix advice, and implement :meth:`hits`."""

    name: ClassVar[str]
    summary: ClassVar[str]  # one line: what rules of this type check
    keys: ClassVar[tuple[Key, ...]] = ()
    placeholders: ClassVar[tuple[str, ...]] = ()
    default_message: ClassVar[str]
    fix_advice: ClassVar[str]

    def __init__(self, settings: dict[str, Any]):
        self.settings = settings

    @abstractmethod
    def describe(self) -> str:
        """What a rule of this type with these settings reports, in a sentence or two
        (the "What it does" section when the rule gives no ``description``)."""

    @abstractmethod
    def hits(self, doc: Document) -> Iterator[Hit]:
        """Every place in ``doc`` that breaks the rule."""


def listing(items, limit: int = 8) -> str:
    """“a”, “b”, “c” … for documentation lines."""
    shown = [f"“{i}”" for i in list(items)[:limit]]
    return ", ".join(shown) + (" …" if len(items) > limit else "")


def quote_evidence(doc: Document, start: int, text: str, note: str, speaker: str | None = None) -> Evidence:
    line, column = doc.position(start)
    return Evidence(doc.path, line, column, text, speaker=speaker, note=note)
