"""Suppression directives: an editor's way to say "I checked this one, stop
reporting it" inside the draft itself, next to the quote it concerns.

Two spellings, both accepted in any file:

    <!-- quotecheck: ignore quote-altered -->      Markdown and HTML (a comment)
    [[quotecheck: ignore quote-altered]]           plain text

Double square brackets are what editors already use in plain-text drafts for
notes to the desk that are stripped before publication, so a directive written
that way never reaches readers; in Markdown and HTML a comment does the same.

Kinds:

    ignore RULE...        the findings of RULE on the next quote only (the first
                          quote that starts after the directive, with the
                          paragraphs that continue it)
    disable RULE...       RULE's findings from here on ...
    enable RULE...        ... until here (or to the end of the document)
    ignore-file RULE...   RULE's findings anywhere in the document

RULE is a rule name (``quote-altered``, any case), a code (``QC201``), a code
prefix (``QC2``, ``UW``: the letters in full, then any leading digits) or
``all``; several are separated by commas or spaces. Text after a ``;`` is a
free-form reason (``ignore QC201; checked against the tape``).

Between ``disable`` and ``enable`` the last directive that covers a finding's
rule decides: ``disable QC2`` … ``enable QC201`` re-enables QC201 only.

A directive that cannot be read, a rule name nobody defines, and a suppression
that suppressed nothing are themselves findings of ``unused-suppression``
(QC001): a misspelt directive silently doing nothing would hide the findings
the editor meant to keep seeing. QC001 findings cannot be suppressed by a
directive (they are about directives); the configuration decides whether
unused suppressions are shown.
"""
from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from typing import Collection

from .model import Document, Finding, Quote

RULE_NAME, RULE_CODE = "unused-suppression", "QC001"
KINDS = ("ignore", "disable", "enable", "ignore-file")

_COMMENT_RE = re.compile(r"<!--\s*quotecheck\b(?P<body>.*?)-->", re.I | re.S)
_NOTE_RE = re.compile(r"\[\[\s*quotecheck\b(?P<body>[^\n]*?)\]\]", re.I)
_BODY_RE = re.compile(r"\s*:\s*(?P<kind>[^\s,;]*)(?P<rules>[^;]*)(?:;.*)?", re.S)
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_CODE_RE = re.compile(r"([A-Za-z]+)([0-9]*)")


@dataclass(frozen=True)
class Directive:
    """One well-formed directive; ``start``/``end`` are the offsets of the whole
    comment or note, ``rules`` the rule tokens as written."""

    kind: str  # "ignore" | "disable" | "enable" | "ignore-file"
    rules: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class DirectiveError:
    """Something that looks like a directive but cannot be obeyed as written."""

    start: int
    end: int
    message: str


def find_directives(text: str) -> list[Directive]:
    """The well-formed directives of ``text`` in document order (malformed ones
    are left out; :func:`parse_directives` reports them)."""
    return parse_directives(text)[0]


def parse_directives(text: str) -> tuple[list[Directive], list[DirectiveError]]:
    directives: list[Directive] = []
    errors: list[DirectiveError] = []
    matches = sorted([*_COMMENT_RE.finditer(text), *_NOTE_RE.finditer(text)], key=lambda m: m.start())
    for m in matches:
        directive, problems = _parse_one(m.group("body"), m.start(), m.end())
        errors.extend(DirectiveError(m.start(), m.end(), p) for p in problems)
        if directive is not None:
            directives.append(directive)
    return directives, errors


def _parse_one(body: str, start: int, end: int) -> tuple[Directive | None, list[str]]:
    usage = "write quotecheck: ignore|disable|enable|ignore-file RULE[, RULE...]"
    m = _BODY_RE.fullmatch(body)
    if m is None:
        return None, [f"malformed directive: missing ':' after quotecheck ({usage})"]
    kind = m.group("kind").lower()
    if not kind:
        return None, [f"malformed directive: no kind ({usage})"]
    if kind not in KINDS:
        guess = difflib.get_close_matches(kind, KINDS, n=1)
        hint = f"did you mean {guess[0]!r}?" if guess else f"expected one of {', '.join(KINDS)}"
        return None, [f"malformed directive: unknown kind {m.group('kind')!r} ({hint})"]
    tokens = [t for t in re.split(r"[,\s]+", m.group("rules")) if t]
    if not tokens:
        return None, [f"malformed directive: {kind} names no rule (write 'all' for every rule)"]
    bad = [t for t in tokens if not _TOKEN_RE.fullmatch(t)]
    problems = [f"malformed directive: {t!r} is not a rule name or code" for t in bad]
    good = tuple(t for t in tokens if t not in bad)
    return (Directive(kind, good, start, end) if good else None), problems


def covers(token: str, rule: str, code: str) -> bool:
    """Whether a directive's rule token names a rule: ``all``, its name (any
    case), its code, or a prefix of the code that keeps its letters whole."""
    t = token.lower()
    if t == "all" or t == rule.lower():
        return True
    want, have = _CODE_RE.fullmatch(token), _CODE_RE.fullmatch(code)
    return bool(want and have and want.group(1).upper() == have.group(1).upper()
                and have.group(2).startswith(want.group(2)))


def apply_suppressions(doc: Document, findings: list[Finding],
                       known: Collection[str] = ()) -> tuple[list[Finding], list[Finding]]:
    """The findings no directive suppresses (in their order), and the problems
    with the directives themselves as ``unused-suppression`` findings: malformed
    directives and unknown rules (warnings; unknown rules are checked only when
    ``known``, the rule names and codes in use, is given) and suppressions that
    suppressed nothing (info)."""
    own, errors = parse_directives(doc.text)
    problems = [_problem("warning", e.message, e.start, e.end) for e in errors]
    # A section of a long file also obeys what the file's other sections say
    # (their ignore-file, and the disable/enable written before it): those
    # directives are judged where they are written, in their own section.
    inherited = [d for d in getattr(doc, "inherited", ()) if d.end <= 0]
    directives = inherited + own + [d for d in getattr(doc, "inherited", ()) if d.end > 0]
    if not directives:
        return list(findings), problems
    mine = range(len(inherited), len(inherited) + len(own))

    unknown: set[tuple[int, str]] = set()
    for i, d in enumerate(directives):
        if i not in mine:
            continue
        for token in d.rules:
            if _is_self(token):
                problems.append(_problem("warning", f"{token} cannot be suppressed by a directive "
                                         "(it reports the directives themselves)", d.start, d.end))
                unknown.add((i, token))
            elif known and not _is_known(token, known):
                problems.append(_problem("warning", _unknown_message(token, known), d.start, d.end))
                unknown.add((i, token))

    starts = [q.start for q in doc.quotes]
    heads: dict[int, list[Quote]] = {}  # a quote's index -> the paragraphs continuing it
    for q in doc.quotes:
        if q.continues is not None:
            heads.setdefault(q.continues, []).append(q)
    targets = {i: _next_quote_span(doc, d, starts, heads) for i, d in enumerate(directives) if d.kind == "ignore"}
    used: set[tuple[int, str]] = set()
    kept = []
    plans: dict[tuple[str, str], _Plan] = {}  # per rule: the directives that name it
    for f in findings:
        key = (f.rule, f.code)
        if key not in plans:
            plans[key] = _Plan(directives, f.rule, f.code)
        suppressing = plans[key].suppressing(targets, f)
        used.update(suppressing)
        if not suppressing:
            kept.append(f)

    sectioned = getattr(doc, "section", None) is not None
    for i, d in enumerate(directives):
        if d.kind == "enable" or i not in mine:
            continue  # re-enabling what is already enabled harms nothing
        if sectioned and d.kind != "ignore":
            continue  # it may have suppressed something in another section: not said unused
        idle = [t for t in d.rules if (i, t) not in used and (i, t) not in unknown]
        if idle:
            where = " (no quote follows it)" if d.kind == "ignore" and targets[i] is None else ""
            problems.append(_problem("info", f"unused suppression: {d.kind} {', '.join(idle)} "
                                     f"suppressed nothing{where}", d.start, d.end))
    problems.sort(key=lambda p: (p.start, p.severity != "warning"))
    return kept, problems


class _Plan:
    """The directives that name one rule, and the ``disable``/``enable`` state
    they leave at each point: what suppresses a finding of that rule is then a
    binary search, not a pass over every directive for every finding."""

    def __init__(self, directives: list[Directive], rule: str, code: str):
        self.whole: set[tuple[int, str]] = set()  # ignore-file
        self.ignores: list[tuple[int, set[tuple[int, str]]]] = []
        self.ends: list[int] = []  # where each disable/enable directive ends, in order
        self.states: list[frozenset[tuple[int, str]]] = []  # the disables in force after it
        disabled: frozenset[tuple[int, str]] = frozenset()
        for i, d in enumerate(directives):
            matching = {(i, t) for t in d.rules if covers(t, rule, code)}
            if not matching:
                continue
            if d.kind == "ignore-file":
                self.whole |= matching
            elif d.kind == "ignore":
                self.ignores.append((i, matching))
            else:
                disabled = disabled | matching if d.kind == "disable" else frozenset()
                self.ends.append(d.end)
                self.states.append(disabled)
        # In force at a finding: the state after the directive written last (in
        # document order) of those ending at or before it.
        order = sorted(range(len(self.ends)), key=lambda k: (self.ends[k], k))
        self.sorted_ends = [self.ends[k] for k in order]
        self.latest: list[int] = []  # latest[n]: the last written of the first n + 1 by end
        for k in order:
            self.latest.append(max(k, self.latest[-1]) if self.latest else k)

    def suppressing(self, targets: dict, f: Finding) -> set[tuple[int, str]]:
        """The (directive index, token) pairs that suppress ``f``; empty: keep it."""
        if f.code == RULE_CODE:
            return set()
        hits = set(self.whole)
        for i, matching in self.ignores:
            target = targets[i]
            if target is not None and _on_quote(f, *target):
                hits |= matching
        last = self._last_before(f.start)
        return hits | (set(self.states[last]) if last is not None else set())

    def _last_before(self, offset: int) -> int | None:
        """The directive written last (in document order) of those ending at or before ``offset``."""
        n = bisect.bisect_right(self.sorted_ends, offset)
        return self.latest[n - 1] if n else None


def _next_quote_span(doc: Document, d: Directive, starts: list[int],
                     heads: dict[int, list[Quote]]) -> tuple[list[Quote], int, int] | None:
    """The quote an ``ignore`` applies to: the first starting after the directive,
    with the paragraphs that continue it, and the outer span they cover."""
    # A quote whose mark starts after the directive starts there too (its
    # words come after its mark): the search begins at the first such start.
    index = next((i for i in range(bisect.bisect_left(starts, d.end), len(doc.quotes))
                  if doc.quotes[i].outer_start >= d.end), None)
    if index is None:
        return None
    chain = sorted([doc.quotes[index], *heads.get(index, [])], key=lambda q: q.start)
    return chain, min(q.outer_start for q in chain), max(q.outer_end for q in chain)


def _on_quote(f: Finding, chain: list[Quote], start: int, end: int) -> bool:
    if f.quote is not None and any(f.quote is q for q in chain):
        return True
    f_end = max(f.end, f.start + 1)  # a point finding still sits somewhere
    return f.start < end and start < f_end


def _is_self(token: str) -> bool:
    return token.lower() == RULE_NAME or token.upper() == RULE_CODE


def _is_known(token: str, known: Collection[str]) -> bool:
    if token.lower() == "all":
        return True
    return any(token.lower() == k.lower() or (_is_code(k) and covers(token, "", k)) for k in known)


def _is_code(s: str) -> bool:
    m = _CODE_RE.fullmatch(s)
    return bool(m and m.group(2))


def _unknown_message(token: str, known: Collection[str]) -> str:
    names = sorted({k.lower() for k in known if not _is_code(k)})
    guess = difflib.get_close_matches(token.lower(), names, n=1)
    hint = f" (did you mean {guess[0]!r}?)" if guess else ""
    return f"unknown rule {token!r} in suppression{hint}"


def _problem(severity: str, message: str, start: int, end: int) -> Finding:
    return Finding(rule=RULE_NAME, code=RULE_CODE, severity=severity, message=message,
                   start=start, end=end)
