"""Run rules over an analysed document, isolating a rule that raises or yields
something that is not a sound finding."""
from __future__ import annotations

from collections.abc import Iterator

from ..model import Document, Finding, RuleContext
from ..validate import check_findings, who


def run_rules(doc: Document, rules, context: RuleContext | None = None) -> tuple[list[Finding], list[str]]:
    """All findings of all rules, in document order, and one message per rule
    that raised (the others still run) and per value a rule yielded that is not
    a sound finding for ``doc`` (left out, its other findings kept; see
    :func:`quotecheck.validate.finding_problem`). ``context``: the run's
    :class:`RuleContext` (none: no sources, no registry)."""
    if not isinstance(context, RuleContext):
        context = RuleContext(**(context or {}))
    findings: list[Finding] = []
    errors: list[str] = []
    for rule in rules:
        try:
            found = rule.check(doc, context)
            if isinstance(found, Iterator):  # a generator raises as it is read: read it here
                found = list(found)
        except Exception as exc:  # a plugin's bug must not hide the other rules
            errors.append(f"rule {rule.name} ({rule.plugin or 'unknown plugin'}) raised "
                          f"{exc.__class__.__name__}: {exc}")
            continue
        source = getattr(rule, "plugin_label", None) or who(rule.plugin or "unknown", "quotecheck_rules")
        good, wrong = check_findings(found, doc, f"{source} → rule {rule.code}", verb="yielded")
        findings.extend(good)
        errors.extend(wrong)
    findings.sort(key=lambda f: (f.start, f.code))
    return findings, errors
