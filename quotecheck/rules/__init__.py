"""Built-in rules, one module each, every one a plugin of its own (registered
through the ``quotecheck_rules`` hook exactly as a newsroom's rule is), and
:class:`Rule` / :func:`rule`, which plugins use to declare theirs.

The codes table (code, name, default severity, what each rule checks) is
generated from the registered rules into ``docs/reference.md`` ("Rules
quotecheck ships") by ``scripts/plugin_reference.py``; ``quotecheck rules``
prints it with the rules of installed plugins and packs. It is kept in no
other place, so that it cannot go stale.
"""
from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass
from typing import Callable, Iterable

from ..model import Document, Finding, RuleContext


@dataclass
class Rule:
    """A rule as plugins declare it: identity, default severity, and a check."""

    name: str  # stable, kebab-case ("unattributed-quote"): what select, ignore and suppressions use
    code: str  # a prefix of the plugin's own and a number ("NX101"; QC is quotecheck's)
    severity: str  # the default severity of its findings
    check: Callable[[Document, RuleContext], Iterable[Finding]]  # check(doc, context): yields the findings about one document
    doc: str = ""  # the documentation: What it does / Why / Example / Fix (the rule module's docstring)
    plugin: str = ""  # the plugin that registered it, filled in by quotecheck (for error messages)

    def finding(self, message: str, start: int, end: int, **kw) -> Finding:
        """A :class:`Finding` of this rule: its name, code and severity filled in
        (``severity=`` overrides it for this finding); other keywords
        (``quote``, ``speaker``, ``evidence``, ``fixes``) are the finding's fields."""
        return Finding(rule=self.name, code=self.code, severity=kw.pop("severity", self.severity),
                       message=message, start=start, end=end, **kw)


def rule(name: str, code: str, severity: str):
    """Decorator for a rule module's check function; the module docstring is the
    rule's documentation (What it does / Why / Example / Fix)."""

    def wrap(fn):
        module = sys.modules[fn.__module__]
        return Rule(name=name, code=code, severity=severity, check=fn,
                    doc=inspect.cleandoc(module.__doc__ or ""))

    return wrap
