"""How a newsroom tests its quotecheck rule: write a few sentences the rule is
about, let quotecheck's engine find and attribute the quotes, run the rule.

Run from this directory: ``python -m pytest`` (the package is imported from here;
see ``pythonpath`` in ``pyproject.toml``).
"""
from __future__ import annotations

from quotecheck.model import Document, RuleContext
from quotecheck.plugins import build_manager, collect_rules
from quotecheck.rules.runner import run_rules
from quotecheck.session import Session

from quotecheck_newsroom_example import anonymous_source
from quotecheck_newsroom_example.anonymous_source import UNEXPLAINED_ANONYMOUS_SOURCE as RULE


SESSION = Session()  # quotecheck's defaults: the model, the reporting verbs (docs/reference.md#which-analyze-to-call)


def analysed(text: str) -> Document:
    """The text as quotecheck sees it: quotes found, speakers attributed."""
    doc = Document("draft.txt", text)
    SESSION.analyze([doc])
    return doc


def findings(text: str):
    return list(RULE.check(analysed(text), RuleContext()))


def test_unnamed_source_without_a_reason_is_reported():
    text = ("The harbour bridge will close in May.\n\n"
            "“The pillars are in worse shape than anyone admitted,” a source familiar "
            "with the inspection said.\n")
    [f] = findings(text)
    assert (f.code, f.rule, f.severity) == ("NX101", "unexplained-anonymous-source", "warning")
    # The finding points at the attribution, the words an editor has to change.
    assert text[f.start:f.end] == "a source familiar with the inspection"
    assert f.quote.text.startswith("The pillars")


def test_reason_for_anonymity_silences_the_rule():
    assert findings("“It was a hard decision,” said a person close to the mayor, who spoke "
                    "on condition of anonymity because the talks are private.\n") == []


def test_reason_given_once_covers_later_quotes_of_that_source():
    text = ("“We have no choice,” one official said. The official was not authorized "
            "to speak publicly.\n\n"
            "“It will take six weeks,” the official said.\n")
    assert findings(text) == []


def test_named_speakers_are_not_reported():
    assert findings("“The money is there,” Mayor Ana Ruiz said. “The engineers are there.”\n") == []


def test_registered_like_any_plugin():
    """The module is the plugin: registered next to the built-ins, its rule is
    collected and run with theirs."""
    pm = build_manager(entry_points=False)
    pm.register(anonymous_source, name="newsroom_example")
    rules = collect_rules(pm)
    assert RULE in rules and RULE.plugin == "newsroom_example"
    doc = analysed("“Nothing has changed,” officials said.\n")
    found, errors = run_rules(doc, rules, context={})
    assert errors == []
    assert "NX101" in [f.code for f in found]


def test_documentation_has_the_four_sections():
    for section in ("What it does:", "Why:", "Example:", "Fix:"):
        assert section in RULE.doc
