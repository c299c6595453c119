"""Rule types about words: ``existence``, ``substitution``, ``consistency`` and
``conditional``.

They work like a prose linter's, with one difference that matters in news copy:
a ``scope`` says whether they look inside the quoted words, in the attribution,
in the narration around quotes, or anywhere. A place name's spelling applies
inside quotes too; "per cent" in a British speaker's quote is not the desk's to
change.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Document, Fix
from .base import Hit, Key, PackError, RuleType, compile_regex, listing, quote_evidence
from .regions import SCOPES, find_in, innermost_quote, regions, unit_of, whole_words

WHERE = {"quote": "inside quoted words", "attribution": "in attributions (speaker and cue)",
         "text": "outside quotes", "any": "anywhere in the text"}


def scope_key(default: str) -> Key:
    return Key("scope", "string", default=default, choices=SCOPES,
               help="where to look: quote (quoted words), attribution (speaker mention and cue), "
                    "text (outside quotes) or any")


def ignorecase_key(default_text: str) -> Key:
    return Key("ignorecase", "bool", help=f"match regardless of case (default: {default_text})")


def _quote_at(doc: Document, start: int, end: int):
    """The innermost quote whose words hold ``[start, end)``, if any."""
    return innermost_quote(doc, start, end)


class Existence(RuleType):
    name = "existence"
    summary = "reports every occurrence of listed words or a regex"
    keys = (
        Key("tokens", "strings", help="words or phrases, matched as whole words"),
        Key("pattern", "string", help="a regular expression (Python syntax)"),
        scope_key("any"),
        ignorecase_key("true for tokens, false for pattern"),
    )
    placeholders = ("match",)
    default_message = "“{match}” is not house style"
    fix_advice = "Reword without it."

    def __init__(self, settings):
        super().__init__(settings)
        tokens, pattern = settings.get("tokens"), settings.get("pattern")
        if tokens is None and pattern is None:
            raise PackError("tokens", "existence needs tokens or pattern")
        if tokens is not None and pattern is not None:
            raise PackError("pattern", "existence takes tokens or pattern, not both")
        ignore = settings.get("ignorecase", tokens is not None)
        source = "|".join(whole_words(t) for t in tokens) if tokens else pattern
        self.regex = compile_regex("tokens" if tokens else "pattern", source, re.I if ignore else 0)
        self.scope = settings["scope"]

    def describe(self):
        what = listing(self.settings["tokens"]) if "tokens" in self.settings \
            else f"text matching /{self.settings['pattern']}/"
        return f"Reports {what} {WHERE[self.scope]}."

    def hits(self, doc) -> Iterator[Hit]:
        for m in find_in(self.regex, doc.text, regions(doc).scope(self.scope)):
            q = _quote_at(doc, m.start(), m.end())
            yield Hit(m.start(), m.end(), {"match": m.group(0)}, quote=q, speaker=q and q.speaker)


class Substitution(RuleType):
    name = "substitution"
    summary = "reports a spelling the house replaces by another"
    keys = (
        Key("swap", "table", required=True, help="\"found\" = \"expected\" pairs"),
        Key("regex", "bool", default=False, help="the swap's keys are regular expressions"),
        scope_key("any"),
        ignorecase_key("true for words, false for regex keys"),
        Key("fixable", "bool", default=False,
            help="offer the replacement as a Fix (never do this for words people said)"),
    )
    placeholders = ("found", "expected")
    default_message = "use “{expected}”, not “{found}”"
    fix_advice = "Use the house spelling."

    def __init__(self, settings):
        super().__init__(settings)
        regex = settings["regex"]
        flags = re.I if settings.get("ignorecase", not regex) else 0
        self.swaps = []
        for found, expected in settings["swap"].items():
            source = found if regex else whole_words(found)
            # A key written in capitals ("OK") is an acronym, not a dateline's capitals.
            self.swaps.append((compile_regex("swap", source, flags, entry=found), expected, found.isupper()))
        self.scope = settings["scope"]
        self.fixable = settings["fixable"]

    def describe(self):
        pairs = ", ".join(f"“{k}” → “{v}”" for k, v in list(self.settings["swap"].items())[:8])
        return f"Reports spellings the house replaces ({pairs}) {WHERE[self.scope]}."

    def hits(self, doc) -> Iterator[Hit]:
        ranges = regions(doc).scope(self.scope)
        found = []
        for regex, expected, acronym in self.swaps:
            for m in find_in(regex, doc.text, ranges):
                wanted = expected if acronym else _same_case(m.group(0), expected)
                if m.group(0) != wanted:
                    found.append((m, wanted))
        taken: list[tuple[int, int]] = []
        # Longest first, so "Kharkov Oblast" is not also reported as "Kharkov".
        for m, expected in sorted(found, key=lambda f: (f[0].start(), -(f[0].end() - f[0].start()))):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            q = _quote_at(doc, m.start(), m.end())
            fixes = [Fix(m.start(), m.end(), expected, f"“{m.group(0)}” → “{expected}”")] if self.fixable else []
            yield Hit(m.start(), m.end(), {"found": m.group(0), "expected": expected},
                      quote=q, speaker=q and q.speaker, fixes=fixes)


def _same_case(found: str, expected: str) -> str:
    """A spelling found in capitals (a dateline: KIEV) is replaced in capitals."""
    return expected.upper() if len(found) > 1 and found.isupper() and not expected.isupper() else expected


class Consistency(RuleType):
    name = "consistency"
    summary = "one spelling of each group per document: later uses of another are reported"
    keys = (
        Key("either", "groups", required=True, help="groups of interchangeable spellings"),
        scope_key("any"),
        ignorecase_key("true"),
    )
    placeholders = ("found", "expected")
    default_message = "“{found}”, but “{expected}” earlier in the document"
    fix_advice = "Use the spelling the document used first, or the house's."

    def __init__(self, settings):
        super().__init__(settings)
        flags = re.I if settings.get("ignorecase", True) else 0
        self.groups = [[compile_regex("either", whole_words(v), flags, entry=v) for v in group]
                       for group in settings["either"]]
        self.scope = settings["scope"]

    def describe(self):
        groups = "; ".join(" / ".join(g) for g in self.settings["either"][:6])
        return f"Reports a second spelling of one word in a document ({groups}), {WHERE[self.scope]}."

    def hits(self, doc) -> Iterator[Hit]:
        ranges = regions(doc).scope(self.scope)
        for variants in self.groups:
            uses = sorted(((m, i) for i, regex in enumerate(variants) for m in find_in(regex, doc.text, ranges)),
                          key=lambda u: u[0].start())
            if not uses:
                continue
            first, chosen = uses[0]
            for m, i in uses[1:]:
                if i == chosen:
                    continue
                q = _quote_at(doc, m.start(), m.end())
                yield Hit(m.start(), m.end(), {"found": m.group(0), "expected": first.group(0)},
                          quote=q, speaker=q and q.speaker,
                          evidence=[quote_evidence(doc, first.start(), first.group(0), "first spelling")])


class Conditional(RuleType):
    name = "conditional"
    summary = "when one regex matches, another must match in the same sentence or paragraph"
    keys = (
        Key("if", "string", required=True, help="a regular expression that sets the condition"),
        Key("then", "string", required=True, help="a regular expression that must then match too"),
        Key("within", "string", default="sentence", choices=("sentence", "paragraph"),
            help="where `then` must match: the sentence or the paragraph of the `if` match"),
        scope_key("any"),
        ignorecase_key("false"),
    )
    placeholders = ("match", "within")
    default_message = "“{match}” without what it requires in the same {within}"
    fix_advice = "Add what the rule requires next to it."

    def __init__(self, settings):
        super().__init__(settings)
        flags = re.I if settings.get("ignorecase", False) else 0
        self.condition = compile_regex("if", settings["if"], flags)
        self.requirement = compile_regex("then", settings["then"], flags)
        self.within = settings["within"]
        self.scope = settings["scope"]

    def describe(self):
        return (f"When /{self.settings['if']}/ matches {WHERE[self.scope]}, /{self.settings['then']}/ "
                f"must match in the same {self.within}; otherwise the first match is reported.")

    def hits(self, doc) -> Iterator[Hit]:
        reg = regions(doc)
        units, ends = (reg.sentences, reg.sentence_ends) if self.within == "sentence" else \
            (reg.paragraphs, reg.paragraph_ends)
        judged = set()
        for m in find_in(self.condition, doc.text, reg.scope(self.scope)):
            unit = unit_of(units, m.start(), m.end(), ends)
            if unit in judged:
                continue
            judged.add(unit)
            if self.requirement.search(doc.text, unit[0], unit[1]) is None:
                q = _quote_at(doc, m.start(), m.end())
                yield Hit(m.start(), m.end(), {"match": m.group(0), "within": self.within},
                          quote=q, speaker=q and q.speaker)


TYPES = (Existence, Substitution, Consistency, Conditional)
