"""Suppression directives: <!-- quotecheck: ... --> and [[quotecheck: ...]]."""
from __future__ import annotations

import pytest

from quotecheck.engine import analyze
from quotecheck.model import Document, Finding
from quotecheck.plugins import build_manager, collect_rules
from quotecheck.quotes import find_quotes
from quotecheck.rules.runner import run_rules
from quotecheck.suppression import Directive, apply_suppressions, find_directives

KNOWN = {"quote-altered", "QC201", "quote-unverified", "QC204", "unattributed-quote", "QC102",
         "unbalanced-quote-marks", "QC101"}

DRAFT = """The council met on Monday.

{d1}“We cannot wait another year for the bridge,” said Vadim Denisenko.

{d2}“The people of this town have waited long enough,” Ana Ruiz said.

“Every winter the ice takes a little more of the pillars,” Denisenko added.
"""


def doc_of(text: str) -> Document:
    doc = Document("draft.md", text)
    find_quotes(doc)
    return doc


def draft(d1: str = "", d2: str = "") -> Document:
    return doc_of(DRAFT.format(d1=d1, d2=d2))


def on_every_quote(doc: Document, rule: str = "quote-altered", code: str = "QC201") -> list[Finding]:
    """One finding of ``rule`` per quote, as a rule would report it."""
    return [Finding(rule, code, "error", f"{rule} here", q.start, q.end, quote=q) for q in doc.quotes]


def quote_texts(findings: list[Finding]) -> list[str]:
    return [f.quote.text[:10] for f in findings]


# --- ignore: the next quote only ------------------------------------------------

@pytest.mark.parametrize("token", ["quote-altered", "Quote-Altered", "QC201", "qc201", "QC2", "QC", "all",
                                   "quote-unverified, QC201", "QC204 quote-altered"])
def test_ignore_suppresses_the_next_quote_only(token):
    doc = draft(d2=f"<!-- quotecheck: ignore {token} -->\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert quote_texts(kept) == ["We cannot ", "Every wint"]
    assert [p for p in problems if p.severity == "warning"] == []


@pytest.mark.parametrize("token", ["quote-unverified", "QC204", "QC21", "QC1", "UW", "Q"])
def test_ignore_leaves_other_rules_alone(token):
    doc = draft(d2=f"<!-- quotecheck: ignore {token} -->\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN | {"UW101"})
    assert len(kept) == 3
    assert [p.severity for p in problems] in (["info"], ["warning"])  # unused, or unknown (Q)


def test_ignore_covers_findings_on_the_quote_without_a_quote_link():
    doc = draft(d1="<!-- quotecheck: ignore unbalanced-quote-marks -->\n")
    first, second = doc.quotes[:2]
    closing = Finding("unbalanced-quote-marks", "QC101", "warning", "mark", first.outer_end - 1, first.outer_end)
    elsewhere = Finding("unbalanced-quote-marks", "QC101", "warning", "mark", second.outer_end - 1,
                        second.outer_end)
    point = Finding("unbalanced-quote-marks", "QC101", "warning", "mark", first.outer_start, first.outer_start)
    kept, problems = apply_suppressions(doc, [closing, elsewhere, point], KNOWN)
    assert kept == [elsewhere]
    assert problems == []


def test_ignore_covers_every_paragraph_of_a_multi_paragraph_quote():
    doc = doc_of("[[quotecheck: ignore QC201]]\n\n“We cannot wait another year,” he said. “Every winter\n\n"
                 "“the ice takes more of the pillars.”\n\n“Another quote,” she said.\n")
    assert doc.quotes[2].continues == 1
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    # the first quote after the directive is "We cannot..."; the next one and its
    # continuation are untouched
    assert quote_texts(kept) == ["Every wint", "the ice ta", "Another qu"]
    doc = doc_of("“We cannot wait another year,” he said. [[quotecheck: ignore QC201]] “Every winter\n\n"
                 "“the ice takes more of the pillars.”\n\n“Another quote,” she said.\n")
    kept, _ = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert quote_texts(kept) == ["We cannot ", "Another qu"]


def test_ignore_file_covers_the_whole_document():
    doc = draft(d2="[[quotecheck: ignore-file quote-altered]]\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert kept == [] and problems == []


# --- disable / enable ---------------------------------------------------------------

def test_disable_until_enable():
    doc = draft(d1="<!-- quotecheck: disable QC2 -->\n", d2="<!-- quotecheck: enable QC2 -->\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert quote_texts(kept) == ["The people", "Every wint"]
    assert problems == []


def test_disable_runs_to_the_end_without_enable():
    doc = draft(d2="<!-- quotecheck: disable quote-altered -->\n")
    kept, _ = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert quote_texts(kept) == ["We cannot "]


def test_the_last_directive_covering_a_rule_decides():
    doc = draft(d1="<!-- quotecheck: disable all -->\n", d2="<!-- quotecheck: enable QC201 -->\n")
    findings = on_every_quote(doc) + on_every_quote(doc, "quote-unverified", "QC204")
    kept, problems = apply_suppressions(doc, findings, KNOWN)
    # QC201 is back on from the enable; QC204 stays off to the end
    assert [(f.code, f.quote.text[:10]) for f in kept] == [("QC201", "The people"), ("QC201", "Every wint")]
    assert problems == []


def test_plain_text_directives_work_like_comments():
    doc = draft(d1="[[quotecheck: disable quote-altered]]\n", d2="[[ QuoteCheck: enable quote-altered ]]\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert quote_texts(kept) == ["The people", "Every wint"]
    assert problems == []


def test_both_forms_in_one_file():
    doc = draft(d1="[[quotecheck: ignore QC201]] ", d2="<!-- quotecheck: ignore QC201 -->\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert quote_texts(kept) == ["Every wint"]
    assert problems == []


def test_find_directives_offsets_and_reason():
    text = "Intro.\n<!-- quotecheck: ignore QC201, quote-unverified; checked against the tape -->\n" \
           "“Quote,” she said. [[quotecheck: disable all]]"
    directives = find_directives(text)
    assert directives == [
        Directive("ignore", ("QC201", "quote-unverified"), text.index("<!--"), text.index("-->") + 3),
        Directive("disable", ("all",), text.index("[["), len(text)),
    ]
    assert text[directives[0].start:directives[0].end].startswith("<!-- quotecheck")


def test_directive_words_elsewhere_are_not_directives():
    assert find_directives("<!-- TODO: quotecheck: ignore QC201 --> [[quotechecker: ignore all]] "
                           "quotecheck: ignore all") == []


# --- problems: unused, unknown, malformed ---------------------------------------------------

def test_unused_suppression_is_reported_as_info():
    doc = draft(d1="<!-- quotecheck: ignore quote-altered, quote-unverified -->\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert len(kept) == 2
    [p] = problems
    assert (p.rule, p.code, p.severity) == ("unused-suppression", "QC001", "info")
    assert "quote-unverified" in p.message and "quote-altered" not in p.message
    assert doc.text[p.start:p.end].startswith("<!-- quotecheck: ignore")


def test_ignore_with_no_quote_after_it_is_unused():
    doc = draft()
    doc = doc_of(doc.text + "\n[[quotecheck: ignore all]]\n")
    kept, [p] = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert len(kept) == 3
    assert p.severity == "info" and "no quote follows" in p.message


def test_unused_disable_is_reported_but_a_lone_enable_is_not():
    doc = draft(d1="<!-- quotecheck: disable QC204 -->\n", d2="<!-- quotecheck: enable QC201 -->\n")
    _, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert [(p.severity, doc.text[p.start:p.end]) for p in problems] == [
        ("info", "<!-- quotecheck: disable QC204 -->")]


def test_unknown_rule_is_reported_with_a_suggestion():
    doc = draft(d2="<!-- quotecheck: ignore quote-alterd, QC201 -->\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert len(kept) == 2  # the known code in the same directive still works
    [p] = problems
    assert (p.code, p.severity) == ("QC001", "warning")
    assert "unknown rule 'quote-alterd'" in p.message and "quote-altered" in p.message


@pytest.mark.parametrize("token", ["QC9", "XY101", "nonsense"])
def test_unknown_codes_and_prefixes(token):
    doc = draft(d2=f"[[quotecheck: disable {token}]]\n")
    _, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert [(p.severity, "unknown rule" in p.message) for p in problems] == [("warning", True)]


def test_without_known_rules_no_name_is_called_unknown():
    doc = draft(d2="[[quotecheck: ignore some-plugin-rule]]\n")
    _, problems = apply_suppressions(doc, on_every_quote(doc))
    assert [p.severity for p in problems] == ["info"]  # unused, not unknown


@pytest.mark.parametrize("directive, expected", [
    ("<!-- quotecheck: ignroe quote-altered -->", "unknown kind 'ignroe' (did you mean 'ignore'?)"),
    ("<!-- quotecheck: skip quote-altered -->", "unknown kind 'skip'"),
    ("<!-- quotecheck ignore quote-altered -->", "missing ':'"),
    ("[[quotecheck: ignore]]", "names no rule"),
    ("[[quotecheck:]]", "no kind"),
    ("<!-- quotecheck: disable QC2! -->", "'QC2!' is not a rule name or code"),
])
def test_malformed_directive_is_reported(directive, expected):
    doc = draft(d2=directive + "\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert len(kept) == 3
    [p] = problems
    assert (p.code, p.severity) == ("QC001", "warning")
    assert expected in p.message, p.message
    assert doc.text[p.start:p.end] == directive


@pytest.mark.parametrize("text", ["<!-- quotecheck", "[[quotecheck: ignore ,,, ]]", "<!-- quotecheck: -->",
                                  "[[quotecheck:;]]", "<!--quotecheck:ignore all-->“x”", "[[quotecheck: all]]",
                                  "<!-- quotecheck: ignore “QC201” -->", "[[quotecheck\n: ignore all]]"])
def test_odd_directives_never_raise(text):
    doc = doc_of(text)
    apply_suppressions(doc, on_every_quote(doc), KNOWN)


def test_unused_suppression_findings_pass_through_untouched():
    doc = draft(d1="<!-- quotecheck: disable all -->\n")
    start = doc.quotes[1].start
    earlier = Finding("unused-suppression", "QC001", "info", "from an earlier pass", start, start + 3)
    kept, _ = apply_suppressions(doc, on_every_quote(doc) + [earlier], KNOWN)
    assert kept == [earlier]


def test_unused_suppression_findings_cannot_be_suppressed():
    doc = draft(d1="<!-- quotecheck: ignore-file QC001, all -->\n", d2="<!-- quotecheck: ignroe QC201 -->\n")
    kept, problems = apply_suppressions(doc, on_every_quote(doc), KNOWN)
    assert kept == []
    assert sorted(p.severity for p in problems) == ["warning", "warning"]
    assert any("QC001 cannot be suppressed" in p.message for p in problems)


# --- with the real engine and rules -------------------------------------------------------

def quote_signature(doc: Document) -> list[tuple]:
    """Each quote as found and attributed, offsets relative to the first quote
    so that text inserted before the quotes does not count."""
    return [(q.text, q.open_mark, q.close_mark, q.kind, q.speaker, q.attribution.cue, q.continues)
            for q in doc.quotes]


PLAIN = """The council met on Monday to discuss the bridge.

“We cannot wait another year for the bridge,” said Vadim Denisenko, the mayor's adviser.

“The people of this town have waited long enough,” Ana Ruiz told reporters. “It is time.”

“Every winter the ice takes a little more of the pillars,” Denisenko added.

“Nobody will say who signed off on the delay.”
"""

WITH_DIRECTIVES = """<!-- quotecheck: disable QC204 -->
The council met on Monday to discuss the bridge.

<!-- quotecheck: ignore quote-altered -->

“We cannot wait another year for the bridge,” said Vadim Denisenko, the mayor's adviser.

[[quotecheck: ignore QC2]]
“The people of this town have waited long enough,” Ana Ruiz told reporters. “It is time.”

[[quotecheck: enable QC204]]

“Every winter the ice takes a little more of the pillars,” Denisenko added.

“Nobody will say who signed off on the delay.”

<!-- quotecheck: enable all; end of the checked part -->
"""


def test_directives_do_not_change_quote_finding_or_attribution(nlp):
    plain, marked = Document("a.md", PLAIN), Document("b.md", WITH_DIRECTIVES)
    analyze([plain, marked])
    assert len(plain.quotes) == 5
    assert quote_signature(marked) == quote_signature(plain)
    assert marked.mark_problems == plain.mark_problems == []


@pytest.mark.parametrize("placement, before", [
    ("<!-- quotecheck: ignore QC201 -->\n", "“We cannot"),
    ("<!-- quotecheck: ignore QC201 --> ", "“We cannot"),
    ("[[quotecheck: ignore QC201]] ", "“We cannot"),
    ("<!-- quotecheck: ignore QC102 -->\n\n", "“Nobody"),
    ("[[quotecheck: ignore QC102]]\n\n", "“Nobody"),
])
def test_directive_next_to_a_quote_changes_nothing(nlp, placement, before):
    plain, marked = Document("a.md", PLAIN), Document("b.md", PLAIN.replace(before, placement + before))
    analyze([plain, marked])
    assert quote_signature(marked) == quote_signature(plain)


def test_end_to_end_with_the_built_in_rules(nlp):
    rules = collect_rules(build_manager(entry_points=False))
    known = {r.name for r in rules} | {r.code for r in rules}
    text = ("The council met on Monday.\n\n“We will not raise taxes this year, whatever happens.”\n\n"
            "The mayor left early.\n\n“Nobody asked us about the new bridge at all, not once.”\n")
    for directive, expected in ((None, 2), ("<!-- quotecheck: ignore unattributed-quote -->", 1),
                                ("[[quotecheck: disable QC1]]", 0)):
        doc = Document("d.md", text if directive is None else text.replace("“We", directive + "\n\n“We"))
        analyze([doc])
        findings, errors = run_rules(doc, rules, context={})
        assert errors == [] and [f.code for f in findings] == ["QC102", "QC102"]
        kept, problems = apply_suppressions(doc, findings, known)
        assert len(kept) == expected and problems == []
