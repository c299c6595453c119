"""Run rules over an analysed document, isolating a rule that raises."""
from __future__ import annotations

from ..model import Document, Finding, RuleContext


def run_rules(doc: Document, rules, context: RuleContext | None = None) -> tuple[list[Finding], list[str]]:
    """All findings of all rules, in document order, and one message per rule
    that raised (the others still run). ``context``: the run's
    :class:`RuleContext` (none: no sources, no registry)."""
    if not isinstance(context, RuleContext):
        context = RuleContext(**(context or {}))
    findings: list[Finding] = []
    errors: list[str] = []
    for rule in rules:
        try:
            findings.extend(rule.check(doc, context))
        except Exception as exc:  # a plugin's bug must not hide the other rules
            errors.append(f"rule {rule.name} ({rule.plugin or 'unknown plugin'}) raised "
                          f"{exc.__class__.__name__}: {exc}")
    findings.sort(key=lambda f: (f.start, f.code))
    return findings, errors
