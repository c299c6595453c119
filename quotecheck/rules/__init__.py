"""Built-in rules, one module each, every one a plugin of its own.

| code  | name                      | default severity |
|-------|---------------------------|------------------|
| QC101 | unbalanced-quote-marks    | warning / error  |
| QC102 | unattributed-quote        | warning          |
| QC103 | pronoun-mismatch          | error            |
| QC104 | speaker-name-inconsistent | warning          |
"""
from __future__ import annotations

import inspect
import sys
from dataclasses import dataclass
from typing import Callable, Iterable

from ..model import Document, Finding


@dataclass
class Rule:
    """A rule as plugins declare it: identity, default severity, and a check."""

    name: str
    code: str
    severity: str
    check: Callable[[Document, dict], Iterable[Finding]]
    doc: str = ""
    plugin: str = ""

    def finding(self, message: str, start: int, end: int, **kw) -> Finding:
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
