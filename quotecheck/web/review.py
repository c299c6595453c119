"""The review page: one checked draft as a single, self-contained HTML file.

``quotecheck report DRAFT --source … -o review.html`` writes it; the local
service (``quotecheck serve``) serves the same page. It is meant for a desk
editor who never sees a terminal:

- at the top, a summary ("9 quotes · 1 misattributed · 1 altered · …") and a
  legend of what each colour and symbol means;
- the draft itself, every quote highlighted by its status (from
  :mod:`quotecheck.status`, never re-derived here) with a text label, a symbol
  and its speaker beside it; findings that are about no quote (a misspelt
  name, a stray quote mark) carry a flag ⚑ at their place;
- a side panel: the selected quote's evidence — the findings about it, and a
  side-by-side word diff against each source that holds its words, with where
  that source says it and who says it there — and, below, the findings grouped
  by rule and by speaker, the cast list (the people the draft names, how it
  refers to each and what they are quoted saying), and filters by status and
  speaker.

Everything is in the file: the CSS and the script are inline, nothing is
fetched (a Content-Security-Policy forbids any request, and allows only this
page's own script, by its hash). Every piece of the draft, of the sources and
of the findings is escaped: a draft is untrusted text. The page works without
its script too (every quote's evidence is then listed in the panel, one after
the other), and prints as a full report: the panel's content expanded, the
buttons and filters left out.

Keyboard: every quote and flag is reachable with Tab; Enter or Space selects
it; j / k (or the arrow keys, on a quote) go to the next / previous one; Escape
clears the selection. Colour is never the only signal: each status has a
label and a symbol, the word diff underlines added words and strikes out
dropped ones.
"""
from __future__ import annotations

import base64
import bisect
import hashlib
import html
import os
from collections.abc import Iterable
from dataclasses import dataclass

from .. import __version__
from ..fixing import temporary_copy, write_atomically
from ..matching.normalize import keys, words
from ..model import Finding, Quote, SourceMatch, WordEdit
from ..reading import InputError, decode
from ..reporting import people_record
from ..status import LABELS, QuoteState, quote_statuses, status_counts, summary_line
from ..vocab import QUOTE_STATUSES

# What an editor reads for each status: a symbol (never colour alone) and one plain sentence.
SYMBOLS: dict[str, str] = {
    "misattributed": "⇄", "altered": "≠", "pronoun-issue": "⚠", "unattributed": "∅",
    "variant": "≈", "unverified": "?", "verified": "✓", "unchecked": "·",
}
EXPLANATIONS: dict[str, str] = {
    "misattributed": "A source gives these words to someone else.",
    "altered": "A source has these words, worded differently: see the word diff.",
    "pronoun-issue": "The pronoun with it (“she added”) does not fit the speaker.",
    "unattributed": "The draft does not say who said this.",
    "variant": "The sources word this remark differently from each other.",
    "unverified": "No source given holds these words.",
    "verified": "A source holds these words, from the same speaker.",
    "unchecked": "No sources given, or too short to check, a title or scare quotes.",
}
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Note"}
TOUCH_LABELS = {"number": "changes a number", "negation": "changes a negation", "name": "changes a name"}
MATCHES_SHOWN = 3  # sources shown per quote; the rest are counted
# A page quotecheck wrote says so; -o refuses to replace any other file.
GENERATOR = "quotecheck report"


def label(status: str) -> str:
    """The status as the page prints it: "Pronoun issue", "Not checked"."""
    text = LABELS.get(status, status)
    return text[:1].upper() + text[1:]


def render_review(result, *, title: str | None = None, paste_box: bool = False,
                  rules: Iterable | None = None, sources: Iterable[str] | None = None) -> str:
    """The review page of one checked draft, as a complete HTML document (a string).

    ``result``: the :class:`~quotecheck.session.FileResult` of
    ``Session.check_one`` / ``Session.check`` (its ``problems`` are shown in a
    banner at the top: a page built from an incomplete check says so).
    ``title``: the page's heading (default: the draft's file name).
    ``rules``: the session's ``rule_info()``, to describe each rule in plain
    words in the findings list (optional). ``sources``: the sources the draft
    was checked against, as named (files, directories, index files), said
    under the summary; an empty list says that none were given, so no quote
    could be checked; None (the default) says nothing about them.

    ``paste_box=True`` is for the local service: the page starts with a form in
    which an editor pastes a draft. The form POSTs to ``/review`` on the same
    server, form-encoded (``application/x-www-form-urlencoded``, UTF-8) with
    one field, ``text``; the service answers it with
    ``render_review(session.check(text, path="pasted draft"), paste_box=True)``.
    No script is involved and nothing is fetched from elsewhere (the page's
    Content-Security-Policy allows only posting the form back to the server
    that served it). With ``paste_box=True`` and ``result=None`` the page is just
    the box and a few lines saying what the page does.
    """
    if result is None and not paste_box:
        raise ValueError("render_review: a result is needed (result=None only with paste_box=True)")
    page = _Page(result, title, paste_box, list(rules or ()), None if sources is None else list(sources))
    return page.render()


# -- the page ------------------------------------------------------------------------

@dataclass
class _Item:
    """Something the editor can select: a quote, or a finding about no quote."""

    key: str  # "quote-3" / "finding-2": the draft element's id; its detail is key + "-detail"
    status: str  # a quote's status; "" for a finding about no quote
    speaker: str  # "" when none
    line: int
    column: int


class _Page:
    def __init__(self, result, title: str | None, paste_box: bool, rules: list, sources: list[str] | None):
        self.result = result
        self.sources = sources
        self.paste_box = paste_box
        self.rules = {r.name: r for r in rules}
        doc = result.document if result is not None else None
        self.doc = doc
        name = os.path.basename(doc.path) or doc.path if doc is not None else None
        self.title = title or (name if name else "Paste a draft")
        if result is None:
            return
        self.states: list[QuoteState] = quote_statuses(result)
        about = {id(f) for s in self.states for f in s.findings}
        # A finding about no quote gets its own flag in the draft.
        self.loose: list[Finding] = [f for f in result.findings if id(f) not in about]
        self.items: dict[str, _Item] = {}
        for i, s in enumerate(self.states):
            line, col = doc.position(s.quote.start)
            self.items[f"quote-{i + 1}"] = _Item(f"quote-{i + 1}", s.status, s.quote.attribution.speaker or "",
                                                 line, col)
        for k, f in enumerate(self.loose):
            line, col = doc.position(f.start)
            self.items[f"finding-{k + 1}"] = _Item(f"finding-{k + 1}", "", f.speaker or "", line, col)
        self.targets = {id(f): f"quote-{i + 1}" for i, s in enumerate(self.states) for f in s.findings}
        self.targets.update({id(f): f"finding-{k + 1}" for k, f in enumerate(self.loose)})

    # -- the whole ---------------------------------------------------------------
    def render(self) -> str:
        script = _SCRIPT
        form_action = "'self'" if self.paste_box else "'none'"
        policy = ("default-src 'none'; img-src data:; base-uri 'none'; "
                  f"style-src '{_hash(_CSS)}'; script-src '{_hash(script)}'; form-action {form_action}")
        head = (f'<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
                f'<meta name="generator" content="{GENERATOR} {_e(__version__)}">\n'
                f'<title>Quote review: {_e(self.title)}</title>\n<style>{_CSS}</style>\n</head>\n')
        if self.result is None:
            body = self._masthead() + '<main id="main" class="solo">' + self._paste_form(open_=True) + \
                self._about() + '</main>' + self._footer()
        else:
            body = (self._masthead() + '<div class="layout">' + self._draft() + self._panel() + '</div>' +
                    self._footer())
        skip = '<a class="skip" href="#panel">Skip to the review panel</a>\n' if self.result is not None else ""
        return head + '<body>\n' + skip + body + f'\n<script>{script}</script>\n</body>\n</html>\n'

    def _masthead(self) -> str:
        out = ['<header class="masthead">', '<p class="kicker">Quote review</p>', f'<h1>{_e(self.title)}</h1>']
        if self.result is None:
            out.append('<p class="summary">Paste a draft below to see every quote, who says it and whether '
                       'the sources bear it out.</p></header>')
            return "\n".join(out)
        out.append(f'<p class="summary">{_e(summary_line(self.result))}</p>')
        counts = status_counts(self.result)
        if counts:
            out.append('<ul class="counts" aria-label="Quotes by status">')
            for status, n in counts.items():
                out.append(f'<li class="chip st-{status}"><span class="sym" aria-hidden="true">{SYMBOLS[status]}'
                           f'</span> {_e(label(status))} <strong>{n}</strong></li>')
            out.append('</ul>')
        out.append(f'<p class="severity">{_e(_severity_line(self.result.findings))}</p>')
        if self.sources is not None:
            if self.sources:
                names = ", ".join(_shown(p) for p in self.sources)
                out.append(f'<p class="severity">Checked against: {_e(names)}</p>')
            else:
                out.append('<p class="severity">No sources were given: the quotes were not checked against '
                           'anything, only within the draft.</p>')
        errors = [p for p in self.result.problems if p.severity == "error"]
        notes = [p for p in self.result.problems if p.severity != "error"]
        if errors:
            out.append('<div class="problems" role="note"><p><strong>This check is incomplete.</strong> '
                       'quotecheck met these problems, so some findings may be missing:</p><ul>')
            out += [f'<li>{_e(str(p))}</li>' for p in errors]
            out.append('</ul></div>')
        if notes:  # said, but the check is whole (a source folder's file no format reads)
            out.append('<div class="notes" role="note"><p>Worth knowing:</p><ul>')
            out += [f'<li>{_e(str(p))}</li>' for p in notes]
            out.append('</ul></div>')
        out.append(self._legend())
        if self.paste_box:
            out.append(self._paste_form(open_=False))
        out.append('</header>')
        return "\n".join(out)

    def _legend(self) -> str:
        out = ['<section class="legend" aria-labelledby="legend-h"><h2 id="legend-h">What the marks mean</h2><dl>']
        for status in QUOTE_STATUSES:
            out.append(f'<div><dt><span class="q-sample st-{status}"><span class="sym" aria-hidden="true">'
                       f'{SYMBOLS[status]}</span> {_e(label(status))}</span></dt>'
                       f'<dd>{_e(EXPLANATIONS[status])}</dd></div>')
        out.append('<div><dt><span class="q-sample flagged"><span class="sym" aria-hidden="true">⚑</span> '
                   'Flag</span></dt><dd>A finding about no one quote: a name spelt two ways, a stray '
                   'quote mark.</dd></div>')
        out.append('</dl></section>')
        return "\n".join(out)

    def _paste_form(self, open_: bool) -> str:
        form = ('<form class="paste" method="post" action="/review" accept-charset="utf-8">'
                '<label for="paste-text">Paste the draft here</label>'
                '<textarea id="paste-text" name="text" rows="14" required spellcheck="false"></textarea>'
                '<p><button type="submit">Check the quotes</button></p></form>')
        if open_:
            return f'<section class="paste-box" aria-labelledby="paste-h"><h2 id="paste-h">Check a draft</h2>{form}</section>'
        return (f'<details class="paste-box"><summary>Check another draft</summary>{form}</details>')

    def _about(self) -> str:
        return ('<section class="about" aria-labelledby="about-h"><h2 id="about-h">What you get</h2>'
                '<p>The draft comes back with every quotation highlighted: green when a source holds the '
                'words from the same speaker, red when a source words them differently, purple when a source '
                'gives them to someone else, amber when no source has them. Each quote carries a label and a '
                'symbol as well as a colour, and the name of the person it is attributed to.</p>'
                '<p>Select a quote (click it, or Tab to it and press Enter) to see the evidence: the source’s '
                'words side by side with the draft’s, the changed words marked, and where the source says '
                'them.</p><p>Nothing you paste leaves this computer.</p></section>')

    def _footer(self) -> str:
        keys_help = ('Keyboard: Tab to a quote, Enter or Space to select it, j and k (or the arrow keys) for the '
                     'next and previous quote, Escape to clear.') if self.result is not None else ""
        return (f'<footer class="colophon"><p>Made by quotecheck {_e(__version__)}. {keys_help}</p></footer>')

    # -- the draft -----------------------------------------------------------------
    def _draft(self) -> str:
        doc = self.doc
        out = ['<main id="main" class="draft-column" aria-labelledby="draft-h">',
               f'<h2 id="draft-h" class="column-head">The draft <span class="path">{_e(_shown(doc.path))}</span></h2>',
               '<article class="draft">']
        events = self._events()
        offsets = [e[0] for e in events]
        for p in doc.paragraphs:
            if p.end <= p.start:
                continue
            furniture = doc.in_furniture(p.start)
            whole = furniture is not None and furniture.end >= p.end  # a whole paragraph of furniture
            cls = f' class="furniture {furniture.kind}"' if whole else ""
            mine = events[bisect.bisect_left(offsets, p.start):bisect.bisect_right(offsets, p.end)]
            out.append(f'<p{cls}>' + self._paragraph(p.start, p.end, mine) + '</p>')
        if not doc.quotes:
            out.append('<p class="none">quotecheck found no quotations in this draft.</p>')
        out.append('</article></main>')
        return "\n".join(out)

    def _events(self) -> list[tuple[int, float, int, str]]:
        """Tags to insert into the draft's text: (offset, order, size, html).
        At one offset, closing tags come first (order 0), then flags that
        stand alone (0.5: never inside a quote that opens or closes there),
        then opening tags (1, 2); an outer element opens before, and closes
        after, an inner one (``size``: minus the length for opening tags, the
        length for closing ones)."""
        doc = self.doc
        events: list[tuple[int, float, int, str]] = []
        regions: list[tuple[int, int]] = []  # top-level quotes, as drawn (in order, never overlapping)
        order = sorted(range(len(self.states)), key=lambda i: (self.states[i].quote.outer_start,
                                                               -self.states[i].quote.outer_end))
        for i in order:
            s = self.states[i]
            q = s.quote
            para = doc.paragraphs[doc.paragraph_at(q.outer_start)]
            start = min(max(q.outer_start, para.start), para.end)
            end = max(start, min(q.outer_end, para.end))
            outer = regions[-1] if regions and regions[-1][0] <= start < regions[-1][1] else None
            key = f"quote-{i + 1}"
            speaker = q.attribution.speaker
            tag = (f'<span class="tag"><span class="sym" aria-hidden="true">{SYMBOLS[s.status]}</span> '
                   f'{_e(label(s.status))}<span class="who"> · {_e(speaker) if speaker else "no speaker"}</span></span>')
            if outer is not None:  # a quote inside a quote: highlighted, selected from the list
                end = min(end, outer[1])
                events.append((start, 1, -(end - start),
                               f'<span class="q inner st-{s.status}" id="{key}" tabindex="-1" data-key="{key}" '
                               f'data-status="{s.status}" data-speaker="{_e(speaker or "")}">'))
                events.append((end, 0, end - start, f'{tag}</span>'))
                continue
            regions.append((start, end))
            attrs = (f'class="q st-{s.status}" id="{key}" role="button" tabindex="0" data-key="{key}" '
                     f'data-status="{s.status}" data-speaker="{_e(speaker or "")}" aria-controls="details"')
            events.append((start, 1, -(end - start), f'<span {attrs}>'))
            events.append((end, 0, end - start, f'{tag}</span>'))
        starts = [r[0] for r in regions]
        taken_end = -1  # flags come in document order: the end of the last stretch wrapped so far
        for k, f in enumerate(self.loose):
            key = f"finding-{k + 1}"
            sev = f.severity if f.severity in SEVERITY_LABELS else "error"
            line, col = doc.position(f.start)
            hidden = (f'<span class="vh"> (finding {_e(f.code)} {_e(f.rule)}, '
                      f'{_e(SEVERITY_LABELS[sev].lower())}, line {line})</span>')
            attrs = (f'class="flagged sev-{sev}" id="{key}" role="button" tabindex="0" data-key="{key}" '
                     f'data-status="" data-speaker="{_e(f.speaker or "")}" aria-controls="details" '
                     f'title="{_e(f.code)} {_e(f.rule)}: {_e(f.message)}"')
            start = max(0, min(f.start, len(doc.text)))
            end = max(start, min(f.end, len(doc.text)))
            para = doc.paragraphs[doc.paragraph_at(start)]
            # The quote holding the flag's start, else the first quote the flag's stretch reaches.
            n = bisect.bisect_right(starts, start) - 1
            inside = regions[n] if n >= 0 and start < regions[n][1] and start != regions[n][0] else None
            crosses = n + 1 < len(regions) and regions[n + 1][0] < end
            wrap = (start < end and end <= para.end and inside is None and not crosses and
                    not (n >= 0 and start < regions[n][1]) and start >= taken_end)
            if wrap:
                taken_end = end
                events.append((start, 2, -(end - start), f'<span {attrs}>'))
                events.append((end, 0, 1, f'<span class="flag" aria-hidden="true">⚑</span>{hidden}</span>'))
                continue
            at = min(max(start, para.start), para.end)  # on a paragraph, never between two
            if inside is not None and inside[0] < at < inside[1]:
                at = inside[1]  # never inside a quote's button: just after it
            events.append((at, 0.5, 0, f'<span {attrs}><span class="flag" aria-hidden="true">⚑</span>'
                                        f'{hidden}</span>'))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        return events

    def _paragraph(self, start: int, end: int, events) -> str:
        text = self.doc.text
        out, pos = [], start
        for offset, _, _, tag in events:
            if offset > pos:
                out.append(_e(text[pos:offset]))
                pos = offset
            out.append(tag)
        out.append(_e(text[pos:end]))
        return "".join(out)

    # -- the panel -----------------------------------------------------------------
    def _panel(self) -> str:
        n_findings = len(self.result.findings)
        people = people_record(self.doc)
        out = ['<aside id="panel" class="panel" aria-label="Review panel" tabindex="-1">',
               '<section class="details" id="details" aria-labelledby="details-h">',
               '<div class="details-head"><h2 id="details-h">Evidence</h2>'
               '<p class="pager"><button type="button" id="prev" aria-label="Previous quote or flag">‹ Previous'
               '</button> <button type="button" id="next" aria-label="Next quote or flag">Next ›</button></p></div>',
               '<p id="selection" class="selection" role="status" aria-live="polite">Select a quote in the draft '
               '(click it, or Tab to it and press Enter) to see its sources and findings.</p>',
               '<div class="detail-list">']
        for i, s in enumerate(self.states):
            out.append(self._quote_detail(i, s))
        for k, f in enumerate(self.loose):
            out.append(self._finding_detail(k, f))
        out.append('</div></section>')
        out.append('<section class="lists" aria-label="Findings and people">')
        out.append('<div class="tabs" role="tablist" aria-label="Lists">'
                   f'<button type="button" role="tab" id="tab-findings" aria-selected="true" '
                   f'aria-controls="tabpanel-findings">Findings ({n_findings})</button>'
                   f'<button type="button" role="tab" id="tab-people" aria-selected="false" tabindex="-1" '
                   f'aria-controls="tabpanel-people">People ({len(people)})</button></div>')
        out.append('<div class="tabpanel" role="tabpanel" id="tabpanel-findings" aria-labelledby="tab-findings" '
                   'tabindex="0"><h2 class="print-only">Findings</h2>')
        out.append(self._filters())
        out.append(self._findings_by("rule"))
        out.append(self._findings_by("speaker"))
        out.append('</div>')
        out.append('<div class="tabpanel" role="tabpanel" id="tabpanel-people" aria-labelledby="tab-people" '
                   'tabindex="0"><h2 class="print-only">People</h2>')
        out.append(self._cast(people))
        out.append('</div></section></aside>')
        return "\n".join(out)

    def _filters(self) -> str:
        counts = status_counts(self.result)
        speakers = sorted({s.quote.attribution.speaker for s in self.states if s.quote.attribution.speaker} |
                          {f.speaker for f in self.loose if f.speaker})
        out = ['<div class="filters"><fieldset><legend>Show quotes that are</legend>']
        for status in counts:
            out.append(f'<label class="check"><input type="checkbox" checked data-filter-status="{status}"> '
                       f'<span class="sym" aria-hidden="true">{SYMBOLS[status]}</span> {_e(label(status))} '
                       f'({counts[status]})</label>')
        out.append('</fieldset>')
        out.append('<p class="filter-row"><label for="filter-speaker">Speaker</label> <select id="filter-speaker">'
                   '<option value="*">everyone</option>' +
                   "".join(f'<option value="{_e(name)}">{_e(name)}</option>' for name in speakers) +
                   '<option value="">no speaker</option></select></p>')
        out.append('<fieldset class="group-by"><legend>Group findings by</legend>'
                   '<label class="check"><input type="radio" name="group-by" value="rule" checked> rule</label> '
                   '<label class="check"><input type="radio" name="group-by" value="speaker"> speaker</label>'
                   '</fieldset></div>')
        return "\n".join(out)

    def _target(self, f: Finding) -> str:
        """The key of what selecting ``f`` shows: its quote, or its own flag."""
        return self.targets[id(f)]

    def _findings_by(self, by: str) -> str:
        findings = self.result.findings
        section = f'findings-by-{by}'
        out = [f'<section class="by" id="{section}" aria-labelledby="{section}-h" data-group="{by}">',
               f'<h3 id="{section}-h">Findings by {by}</h3>']
        if not findings:
            out.append('<p class="none">No findings: nothing to fix.</p></section>')
            return "\n".join(out)
        groups: dict[tuple, list[Finding]] = {}
        for f in findings:
            target = self._target(f)
            item = self.items[target]
            if by == "rule":
                key = (f.code, f.rule)
            else:
                key = (f.speaker or item.speaker or "",)
            groups.setdefault(key, []).append(f)
        if by == "rule":
            ordered = sorted(groups, key=lambda k: k[0])
        else:
            ordered = sorted(groups, key=lambda k: (k[0] == "", k[0].casefold()))
        for key in ordered:
            fs = groups[key]
            if by == "rule":
                code, rule = key
                info = self.rules.get(rule)
                head = f'<span class="code">{_e(code)}</span> {_e(rule)} <span class="n">({len(fs)})</span>'
                about = f'<p class="about-rule">{_e(_plain(info.summary))}</p>' if info is not None else ""
            else:
                head = f'{_e(key[0]) if key[0] else "No speaker"} <span class="n">({len(fs)})</span>'
                about = ""
            out.append(f'<section class="group"><h4>{head}</h4>{about}<ul>')
            for f in fs:
                target = self._target(f)
                item = self.items[target]
                sev = f.severity if f.severity in SEVERITY_LABELS else "error"
                status = item.status
                badge = (f'<span class="badge st-{status}"><span class="sym" aria-hidden="true">{SYMBOLS[status]}'
                         f'</span> {_e(label(status))}</span> ') if status else \
                    '<span class="badge flagged"><span class="sym" aria-hidden="true">⚑</span> Flag</span> '
                line, col = self.doc.position(f.start)
                what = f'{_e(f.code)} {_e(f.rule)}' if by == "speaker" else ""
                out.append(f'<li data-status="{status}" data-speaker="{_e(item.speaker)}">'
                           f'<button type="button" class="finding sev-{sev}" data-target="{target}" '
                           f'aria-controls="details">{badge}<span class="sev">{SEVERITY_LABELS[sev]}</span> '
                           f'<span class="where">line {line}</span> {what} '
                           f'<span class="msg">{_e(f.message)}</span></button></li>')
            out.append('</ul></section>')
        out.append('</section>')
        return "\n".join(out)

    def _cast(self, people: list[dict]) -> str:
        if not people:
            return '<p class="none">The draft names no one.</p>'
        quoted: dict[int, list[QuoteState]] = {}
        for s in self.states:
            person = s.quote.attribution.person
            if person is not None:
                quoted.setdefault(id(person), []).append(s)
        out = ['<ul class="cast">']
        for person, record in zip(self.doc.entities, people):
            forms: list[str] = []
            for m in record["mentions"]:
                written = " ".join(m["text"].split())
                if written not in forms:
                    forms.append(written)
            states = quoted.get(id(person), [])
            kind = "group" if record["kind"] == "group" else "person"
            pronoun = f', “{_e(record["pronoun"])}”' if record["pronoun"] else ""
            line = ""
            if states:
                tally: dict[str, int] = {}
                for s in states:
                    tally[s.status] = tally.get(s.status, 0) + 1
                parts = [f'<span class="badge st-{st}"><span class="sym" aria-hidden="true">{SYMBOLS[st]}</span> '
                         f'{n} {_e(LABELS[st])}</span>' for st in QUOTE_STATUSES if (n := tally.get(st))]
                line = (f'<p class="quoted">{len(states)} quote{"s" if len(states) != 1 else ""}: '
                        + " ".join(parts) + f' <button type="button" class="only" data-speaker="{_e(person.name)}">'
                        f'Show only their quotes</button></p>')
            out.append(f'<li><h3 class="name">{_e(person.name)} <span class="kind">({kind}{pronoun})</span></h3>'
                       f'<p class="forms">Named as: {_e("; ".join(forms[:12]))}'
                       f'{" …" if len(forms) > 12 else ""} '
                       f'<span class="n">({len(record["mentions"])} mention{"s" if len(record["mentions"]) != 1 else ""})'
                       f'</span></p>{line}</li>')
        out.append('</ul>')
        return "\n".join(out)

    # -- details ---------------------------------------------------------------------
    def _quote_detail(self, i: int, s: QuoteState) -> str:
        q = s.quote
        key = f"quote-{i + 1}"
        item = self.items[key]
        att = q.attribution
        said = f"said by {att.speaker}" if att.speaker else "no speaker"
        summary = f"Quote {i + 1} of {len(self.states)} selected: {LABELS[s.status]}, {said}, line {item.line}."
        out = [f'<article class="detail" id="{key}-detail" data-key="{key}" aria-labelledby="{key}-h" '
               f'data-summary="{_e(summary)}">',
               f'<h3 id="{key}-h"><span class="badge st-{s.status}"><span class="sym" aria-hidden="true">'
               f'{SYMBOLS[s.status]}</span> {_e(label(s.status))}</span> Quote {i + 1} of {len(self.states)} '
               f'<span class="where">line {item.line}</span></h3>',
               f'<p class="explain">{_e(EXPLANATIONS[s.status])}</p>',
               f'<blockquote class="q-text">{_e(q.open_mark or "")}{_e(q.text)}{_e(q.close_mark or "")}</blockquote>']
        if att.speaker:
            how = []
            if att.mention and att.mention != att.speaker:
                how.append(f'named as “{_e(att.mention)}”')
            if att.cue and att.cue.strip(":—–- "):
                how.append(f'“{_e(att.cue)}”')
            via = f', via {_e(att.via)}' if att.via else ""
            out.append(f'<p class="who">Said by <strong>{_e(att.speaker)}</strong>'
                       f'{" (" + ", ".join(how) + ")" if how else ""}{via}</p>')
        else:
            out.append('<p class="who">No speaker found.</p>')
        out.append(self._sources(q))
        if s.findings:
            # Evidence the sources above already show (the same place) is not repeated.
            shown = {(m.passage.path, m.line, m.column) for m in q.matches[:MATCHES_SHOWN]}
            out.append('<h4>Findings</h4><ul class="findings">')
            out += [self._finding_item(f, shown) for f in s.findings]
            out.append('</ul>')
        out.append('</article>')
        return "\n".join(out)

    def _finding_detail(self, k: int, f: Finding) -> str:
        key = f"finding-{k + 1}"
        item = self.items[key]
        summary = f"Flag selected: {f.rule}, line {item.line}."
        return (f'<article class="detail" id="{key}-detail" data-key="{key}" aria-labelledby="{key}-h" '
                f'data-summary="{_e(summary)}"><h3 id="{key}-h"><span class="badge flagged"><span class="sym" aria-hidden="true">⚑</span> Flag'
                f'</span> {_e(f.rule)} <span class="where">line {item.line}, column {item.column}</span></h3>'
                f'<blockquote class="q-text flagged-text">{_e(self.doc.text[f.start:f.end]) or "(at this place)"}'
                f'</blockquote><ul class="findings">{self._finding_item(f)}</ul></article>')

    def _finding_item(self, f: Finding, shown: set = frozenset()) -> str:
        sev = f.severity if f.severity in SEVERITY_LABELS else "error"
        out = [f'<li class="sev-{sev}"><p><span class="sev">{SEVERITY_LABELS[sev]}</span> '
               f'<span class="code">{_e(f.code)}</span> {_e(f.rule)}: {_e(f.message)}</p>']
        evidence = [e for e in f.evidence if (e.path, e.line, e.column) not in shown]
        if evidence:
            out.append('<ul class="evidence">')
            for e in evidence:
                where = _e(_shown(e.path)) + (f', line {e.line}' if e.line else "") + \
                    (f', column {e.column}' if e.line and e.column else "")
                who = f' — {_e(e.speaker)}' if e.speaker else ""
                note = f': {_e(e.note)}' if e.note else ""
                words = f' <q>{_e(e.text)}</q>' if e.text else ""
                out.append(f'<li><span class="place">{where}</span>{who}{note}{words}</li>')
            out.append('</ul>')
        out.append('</li>')
        return "".join(out)

    def _sources(self, q: Quote) -> str:
        if not q.matches:
            return ""
        shown = q.matches[:MATCHES_SHOWN]
        out = [f'<h4>In the sources</h4>']
        for m in shown:
            out.append(_match(q, m))
        if len(q.matches) > len(shown):
            rest = len(q.matches) - len(shown)
            out.append(f'<p class="more">{rest} more source passage{"s" if rest != 1 else ""} hold similar words.</p>')
        return "\n".join(out)


def _match(q: Quote, m: SourceMatch) -> str:
    """One source's words beside the quote's, the differences marked."""
    p = m.passage
    who = f'said by <strong>{_e(p.speaker)}</strong>' if p.speaker else 'no speaker given there'
    if p.speaker_mention and p.speaker and p.speaker_mention.casefold() != p.speaker.casefold():
        who += f' (“{_e(p.speaker_mention)}”)'
    where = (f'<p class="where-src"><span class="place" title="{_e(p.path)}">{_e(_shown(p.path))}</span>, line {m.line}, '
             f'column {m.column} · {_e(p.kind)} · {who} · {round(m.score * 100)}% the same words</p>')
    if m.exact:
        verdict = '<p class="same">✓ The same words as the source.</p>'
    else:
        verdict = '<ul class="edits">' + "".join(f'<li>{_edit_sentence(e)}</li>' for e in m.edits) + '</ul>'
    draft_html, source_html = _diff_html(q.text, m.text, m.edits)
    table = ('<table class="diff"><thead><tr><th scope="col">In the draft</th><th scope="col">In the source</th>'
             f'</tr></thead><tbody><tr><td>{draft_html}</td><td>{source_html}</td></tr></tbody></table>')
    context = ""
    at = p.text.find(m.text) if m.text else -1
    if at >= 0 and (at > 0 or at + len(m.text) < len(p.text)):
        before = p.text[max(0, at - 160):at]
        after = p.text[at + len(m.text):at + len(m.text) + 160]
        lead = "…" if at > 160 else ""
        tail = "…" if at + len(m.text) + 160 < len(p.text) else ""
        context = (f'<p class="context"><span class="label">Around it in the source:</span> {lead}{_e(before)}'
                   f'<mark>{_e(m.text)}</mark>{_e(after)}{tail}</p>')
    return f'<section class="match">{where}{table}{verdict}{context}</section>'


def _edit_sentence(e: WordEdit) -> str:
    touches = ", ".join(TOUCH_LABELS[t] for t in sorted(e.touches) if t in TOUCH_LABELS)
    tail = f' <span class="touch">({_e(touches)})</span>' if touches else ""
    if e.op == "insert":
        return f'the draft adds <ins>{_e(e.draft)}</ins>{tail}'
    if e.op == "delete":
        return f'the draft leaves out <del>{_e(e.source)}</del>{tail}'
    return f'the source’s <del>{_e(e.source)}</del> is <ins>{_e(e.draft)}</ins> in the draft{tail}'


def _diff_html(draft: str, source: str, edits: list[WordEdit]) -> tuple[str, str]:
    """The quote's and the source's words as HTML, each edit's words marked:
    ``<ins>`` for words the draft has and the source does not, ``<del>`` for
    the source's words the draft changed or left out, and a caret where the
    draft leaves words out. The edits are the matcher's (never recomputed);
    each is found in turn in both texts, so an edit that cannot be placed is
    simply not marked (it is still listed in words below the table)."""
    dw, sw = words(draft), words(source)
    dk, sk = [w.key for w in dw], [w.key for w in sw]
    d_marks: dict[int, str] = {}
    s_marks: dict[int, str] = {}
    gaps: dict[int, str] = {}  # draft word index -> the words dropped before it
    i = j = 0
    for e in edits:
        ek_d, ek_s = keys(e.draft), keys(e.source)
        p = _find(dk, ek_d, i) if ek_d else None
        r = _find(sk, ek_s, j) if ek_s else None
        if (ek_d and p is None) or (ek_s and r is None) or not (ek_d or ek_s):
            continue
        if ek_d and ek_s:
            # Prefer the places where the unchanged stretches before them are equally long.
            q = p
            while q is not None and _find(sk, ek_s, j + (q - i)) != j + (q - i):
                q = _find(dk, ek_d, q + 1)
            if q is not None:
                p, r = q, j + (q - i)
        elif not ek_d:
            p = min(len(dk), i + (r - j))
        else:
            r = min(len(sk), j + (p - i))
        for n in range(p, p + len(ek_d)):
            d_marks[n] = "ins"
        for n in range(r, r + len(ek_s)):
            s_marks[n] = "del"
        if not ek_d:
            gaps[p] = e.source
        i, j = p + len(ek_d), r + len(ek_s)
    return _marked(draft, dw, d_marks, gaps), _marked(source, sw, s_marks, {})


def _find(hay: list[str], needle: list[str], start: int) -> int | None:
    n = len(needle)
    for k in range(max(0, start), len(hay) - n + 1):
        if hay[k:k + n] == needle:
            return k
    return None


def _marked(text: str, ws, marks: dict[int, str], gaps: dict[int, str]) -> str:
    out, pos = [], 0
    for n, w in enumerate(list(ws) + [None]):
        at = len(text) if w is None else w.start
        between = text[pos:at]
        if n in gaps:  # the caret right after the previous word, before the space
            kept = between.rstrip() if n else ""
            out.append(_e(kept))
            out.append(f'<span class="gap" title="left out: {_e(gaps[n])}">‸<span class="vh"> (left out here: '
                       f'{_e(gaps[n])})</span></span>')
            out.append(_e(between[len(kept):]))
        else:
            out.append(_e(between))
        if w is None:
            break
        tag = marks.get(n)
        word = _e(text[w.start:w.end])
        out.append(f'<{tag}>{word}</{tag}>' if tag else word)
        pos = w.end
    return "".join(out)


def _plain(text: str) -> str:
    """A rule's documentation sentence without its reStructuredText literals (``--source``)."""
    return text.replace("``", "")


def _severity_line(findings: list[Finding]) -> str:
    if not findings:
        return "No findings."
    counts = {s: 0 for s in SEVERITY_LABELS}
    for f in findings:
        counts[f.severity if f.severity in counts else "error"] += 1
    names = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("note", "notes")}
    parts = [f'{n} {names[s][n != 1]}' for s, n in counts.items() if n]
    return f'{len(findings)} finding{"s" if len(findings) != 1 else ""}: ' + ", ".join(parts) + "."


def _shown(path: str) -> str:
    """A path as a person reads it: relative to the working directory when it lies below it."""
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            return rel
    return path


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# -- writing the page ------------------------------------------------------------------

def is_review_page(data: bytes) -> bool:
    """Whether a file's bytes are a page quotecheck wrote (its generator tag
    near the top): only such a file is replaced by ``-o``."""
    return f'<meta name="generator" content="{GENERATOR} '.encode() in data[:4096]


def check_output(path: str, keep: Iterable[str] = ()) -> bytes | None:
    """Whether the page may be written to ``path``; raises InputError naming
    the file when not: ``path`` is one of ``keep`` (the draft, the sources:
    files the report reads, even through a link), a directory, or an existing
    file quotecheck did not write. Returns the existing page's bytes (None: no
    file there yet)."""
    for other in keep:
        if _same_file(path, other):
            raise InputError(f"{path}: that is {other}, which the report reads; choose another output file")
        if other not in ("-", "<stdin>") and os.path.isdir(other) and \
                os.path.realpath(path).startswith(os.path.realpath(other).rstrip(os.sep) + os.sep):
            raise InputError(f"{path}: inside the source directory {other}, where the next check would read the "
                             "page as a source; choose another place")
    if os.path.isdir(path):
        raise InputError(f"{path}: a directory; give the name of the page to write (-o review.html)")
    if not os.path.lexists(path):
        return None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not is_review_page(data):
        raise InputError(f"{path}: exists and is not a review page quotecheck wrote; not replaced "
                         "(remove it or choose another name)")
    return data


def write_page(path: str, page: str, keep: Iterable[str] = ()) -> None:
    """Write ``page`` to ``path`` atomically (never half a file). A new file is
    written beside its final name and linked into place, so a file that
    appeared meanwhile is never replaced; an existing file is replaced only if
    quotecheck wrote it (a review page), keeping its mode, owner and links (see
    :func:`quotecheck.fixing.write_atomically`). ``keep``: files that must never
    be written (see :func:`check_output`). Raises InputError naming the file."""
    data = check_output(path, keep)
    if data is not None:
        write_atomically(path, page, decode(data, path, "replace"))
        return
    try:
        with temporary_copy(path, os.path.abspath(path), page.encode("utf-8")) as temp:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
            try:
                os.link(temp, path)  # fails if the name was taken meanwhile: nothing is replaced
                os.unlink(temp)
            except FileExistsError:
                raise InputError(f"{path}: appeared while the page was written; not replaced (run again)") from None
            except OSError:  # a file system without hard links
                if os.path.lexists(path):
                    raise InputError(f"{path}: appeared while the page was written; "
                                     "not replaced (run again)") from None
                os.replace(temp, path)
    except OSError as exc:  # the temporary file could not be created (a directory not writable)
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _same_file(a: str, b: str) -> bool:
    if b in ("-", "<stdin>"):
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


# -- style and behaviour ------------------------------------------------------------------

_CSS = """
:root{--ink:#1c1b19;--muted:#5c5a55;--paper:#fbfaf6;--rule:#d9d5cb;--panel:#f3f1ea;--focus:#1a56c4;
--verified:#2f6b45;--verified-bg:#e2f0e5;--altered:#a1261c;--altered-bg:#fbe3df;
--misattributed:#6b3696;--misattributed-bg:#efe3f8;--variant:#1d5a86;--variant-bg:#e0edf7;
--unverified:#855400;--unverified-bg:#fbefd2;--unattributed:#5d5446;--unattributed-bg:#ece7de;
--pronoun-issue:#9c2f6c;--pronoun-issue-bg:#f8e1ee;--unchecked:#6b6860;--unchecked-bg:transparent;
--error:#a1261c;--warning:#855400;--info:#1d5a86}
*{box-sizing:border-box}
html{background:var(--paper);color:var(--ink)}
body{margin:0;font:17px/1.55 Georgia,"Times New Roman",Times,serif}
button,select,input,textarea{font:inherit;color:inherit}
h1,h2,h3,h4,.kicker,.column-head,.tabs,.filters,.pager,.counts,.severity,.legend,.badge,.tag,.finding,.selection,
.where-src,.colophon,.forms,.quoted,.who,.explain,table.diff th,.edits,.context .label,.more{
font-family:"Helvetica Neue",Helvetica,Arial,sans-serif}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em 1em;z-index:10}
.skip:focus{left:1em}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.masthead{padding:1.2rem 2rem 1rem;border-bottom:3px double var(--ink)}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.14em;font-size:.75rem;color:var(--muted);font-weight:700}
h1{margin:.1rem 0 .3rem;font:700 2rem/1.15 Georgia,"Times New Roman",serif}
.summary{margin:.2rem 0;font-size:1.05rem}
.severity{margin:.2rem 0 .5rem;font-size:.85rem;color:var(--muted)}
.counts{list-style:none;margin:.4rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
.chip{padding:.1rem .55rem;border-radius:1rem;font-size:.85rem;border:1px solid currentColor}
.legend{margin-top:.6rem}
.legend h2{font-size:.75rem;text-transform:uppercase;letter-spacing:.12em;color:var(--muted);margin:.4rem 0}
.legend dl{display:grid;grid-template-columns:repeat(auto-fill,minmax(27rem,1fr));gap:.1rem 1.5rem;margin:0;font-size:.76rem;
line-height:1.35}
.legend dl div{display:flex;gap:.5rem;align-items:baseline}
.legend dt{flex:0 0 7.6rem}.legend dd{margin:0;color:var(--muted)}
.q-sample{padding:0 .3rem;border-radius:2px;white-space:nowrap}
.problems{border:2px solid var(--error);background:#fff;padding:.3rem 1rem;margin:.6rem 0;font-size:.9rem}
.notes{border:1px solid var(--rule);background:#fff;padding:.3rem 1rem;margin:.6rem 0;font-size:.9rem;color:var(--muted)}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(24rem,min(42%,40rem));align-items:start}
.draft-column{padding:1rem 2.2rem 3rem}
.column-head{font-size:.75rem;text-transform:uppercase;letter-spacing:.12em;color:var(--muted);margin:.4rem 0 1rem;
border-bottom:1px solid var(--rule);padding-bottom:.3rem}
.column-head .path{text-transform:none;letter-spacing:0;font-weight:400;margin-left:.5em}
.draft{max-width:40rem}
.draft p{margin:0 0 1em}
.draft p.headline,.draft p.subheading{font-weight:700;font-size:1.45em;line-height:1.2}
.draft p.subheading{font-size:1.1em}
.draft p.kicker,.draft p.byline,.draft p.caption,.draft p.credit,.draft p.link,.draft p.boilerplate{color:var(--muted);font-size:.9em}
.q{border-radius:2px;padding:.05em .1em;cursor:pointer;box-decoration-break:clone;-webkit-box-decoration-break:clone;
border-bottom:2px solid currentColor;color:inherit}
.q.inner{cursor:auto;border-bottom-style:dotted}
.q .tag{color:var(--c);font-size:.68em;font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;font-weight:700;
margin-left:.3em;white-space:nowrap;vertical-align:.15em;letter-spacing:.02em}
.q .tag .who{font-weight:400;color:var(--muted)}
.q:hover{filter:brightness(.96)}
.q[aria-current="true"]{outline:3px solid var(--c);outline-offset:1px}
.q.dimmed{background:transparent!important;border-bottom-color:transparent;cursor:auto}
.q.dimmed .tag{opacity:.45}
.st-verified{--c:var(--verified);background:var(--verified-bg)}
.st-altered{--c:var(--altered);background:var(--altered-bg)}
.st-misattributed{--c:var(--misattributed);background:var(--misattributed-bg)}
.st-variant{--c:var(--variant);background:var(--variant-bg)}
.st-unverified{--c:var(--unverified);background:var(--unverified-bg)}
.st-unattributed{--c:var(--unattributed);background:var(--unattributed-bg)}
.st-pronoun-issue{--c:var(--pronoun-issue);background:var(--pronoun-issue-bg)}
.st-unchecked{--c:var(--unchecked);background:var(--unchecked-bg)}
.q.st-unchecked{border-bottom:1px dashed var(--unchecked)}
.chip,.badge,.q-sample{color:var(--c)}
.chip strong{color:var(--ink)}
.flagged{--c:var(--ink);text-decoration:underline wavy var(--error);text-underline-offset:3px;cursor:pointer}
.flagged .flag{color:var(--error);font-size:.8em;vertical-align:.3em;margin-left:.1em;text-decoration:none;display:inline-block}
.flagged[aria-current="true"]{outline:3px solid var(--error)}
.flagged.sev-warning{text-decoration-color:var(--warning)}.flagged.sev-warning .flag{color:var(--warning)}
.flagged.sev-info{text-decoration-color:var(--info)}.flagged.sev-info .flag{color:var(--info)}
.panel{background:var(--panel);border-left:1px solid var(--rule);position:sticky;top:0;max-height:100vh;overflow:auto;
padding:0 1.2rem 2rem;font-size:.95rem}
.details{padding-top:1rem}
.details-head{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid var(--rule)}
.details-head h2,.lists h2{font-size:.75rem;text-transform:uppercase;letter-spacing:.12em;color:var(--muted);margin:0 0 .3rem}
.pager{margin:0}
.pager button,.only,.paste button{background:#fff;border:1px solid var(--rule);border-radius:3px;padding:.1rem .6rem;
cursor:pointer;font-size:.8rem}
.pager button:hover,.only:hover{border-color:var(--ink)}
.selection{font-size:.85rem;color:var(--muted);margin:.5rem 0}
.detail{margin:0 0 1.2rem}
.js .detail{display:none}.js .detail.shown{display:block}
.detail h3{font-size:1rem;margin:.4rem 0}
.detail h4{font-size:.75rem;text-transform:uppercase;letter-spacing:.1em;color:var(--muted);margin:1rem 0 .3rem}
.badge{display:inline-block;padding:0 .4rem;border-radius:2px;font-size:.8rem;font-weight:700;border:1px solid currentColor}
.badge.flagged{text-decoration:none;color:var(--error);background:#fff}
.where{font-weight:400;color:var(--muted);font-size:.85em}
.explain{margin:.2rem 0;color:var(--muted);font-size:.85rem}
.q-text{margin:.5rem 0;padding:.4rem .8rem;border-left:3px solid var(--ink);background:#fff;font-size:1rem}
.who{font-size:.85rem;margin:.3rem 0}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings>li{background:#fff;border-left:4px solid var(--error);padding:.3rem .7rem;margin:.3rem 0;font-size:.9rem}
ul.findings>li.sev-warning{border-left-color:var(--warning)}ul.findings>li.sev-info{border-left-color:var(--info)}
ul.findings p{margin:.1rem 0}
.sev{font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;font-size:.7rem;text-transform:uppercase;letter-spacing:.08em;
font-weight:700}
.sev-error .sev{color:var(--error)}.sev-warning .sev{color:var(--warning)}.sev-info .sev{color:var(--info)}
.code{font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;font-size:.8em;color:var(--muted)}
.about-rule{color:var(--muted);font-size:.82rem}
ul.evidence{margin:.2rem 0 .1rem;padding-left:1.1rem;font-size:.85rem}
.place{font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;font-size:.9em}
.match{background:#fff;border:1px solid var(--rule);padding:.5rem .7rem;margin:.5rem 0}
.where-src{margin:0 0 .4rem;font-size:.78rem;color:var(--muted)}
.where-src .place{color:var(--ink);font-weight:700}
table.diff{width:100%;border-collapse:collapse;table-layout:fixed}
table.diff th{font-size:.7rem;text-transform:uppercase;letter-spacing:.1em;color:var(--muted);text-align:left;
padding:.1rem .4rem;border-bottom:1px solid var(--rule)}
table.diff td{vertical-align:top;padding:.3rem .4rem;width:50%;font-size:.92rem}
table.diff td+td{border-left:1px solid var(--rule)}
ins{background:var(--altered-bg);color:var(--altered);text-decoration:underline 2px;text-underline-offset:2px;font-weight:700}
del{background:#eceae4;color:var(--muted);text-decoration:line-through 2px}
.gap{color:var(--altered);font-weight:700;padding:0 .1em}
.edits{margin:.4rem 0 0;padding-left:1.1rem;font-size:.85rem}
.touch{color:var(--altered);font-weight:700}
.same{margin:.3rem 0 0;font-size:.85rem;color:var(--verified);font-family:"Helvetica Neue",Helvetica,Arial,sans-serif}
.context{font-size:.85rem;color:var(--muted);margin:.4rem 0 0}
.context mark{background:#fff3b8;color:var(--ink)}
.more{font-size:.8rem;color:var(--muted)}
.lists{border-top:3px double var(--ink);margin-top:.5rem;padding-top:.6rem}
.tabs{display:flex;gap:.3rem;border-bottom:1px solid var(--rule)}
.tabs [role=tab]{background:transparent;border:1px solid transparent;border-bottom:none;padding:.3rem .8rem;cursor:pointer;
font-size:.85rem;font-weight:700;color:var(--muted);border-radius:3px 3px 0 0}
.tabs [role=tab][aria-selected=true]{background:var(--paper);border-color:var(--rule);color:var(--ink);margin-bottom:-1px}
.tabpanel{padding:.6rem 0}
.js .tabpanel[hidden]{display:none}
.filters{font-size:.82rem}
.filters fieldset{border:none;padding:0;margin:0 0 .4rem}
.filters legend{font-weight:700;padding:0;margin-bottom:.2rem}
.check{display:inline-flex;gap:.25rem;align-items:center;margin:0 .7rem .15rem 0;white-space:nowrap}
.filter-row{margin:.2rem 0 .5rem}
.no-js .filters{display:none}
.js .by[data-group=speaker]{display:none}
.js.group-speaker .by[data-group=speaker]{display:block}.js.group-speaker .by[data-group=rule]{display:none}
.by h3{font-size:.9rem;margin:.6rem 0 .2rem}
.group h4{font-size:.88rem;margin:.7rem 0 .2rem;border-bottom:1px solid var(--rule)}
.group h4 .n,.forms .n{color:var(--muted);font-weight:400}
.group ul{list-style:none;margin:0;padding:0}
.group li[hidden]{display:none}
button.finding{display:block;width:100%;text-align:left;background:#fff;border:1px solid var(--rule);border-left:4px solid var(--error);
margin:.25rem 0;padding:.3rem .5rem;cursor:pointer;font-size:.82rem;line-height:1.35}
button.finding.sev-warning{border-left-color:var(--warning)}button.finding.sev-info{border-left-color:var(--info)}
button.finding:hover{border-color:var(--ink)}
button.finding[aria-current="true"]{box-shadow:0 0 0 2px var(--ink) inset}
.finding .badge{font-size:.72rem}
.cast{list-style:none;padding:0;margin:0}
.cast>li{border-bottom:1px solid var(--rule);padding:.4rem 0}
.cast .name{font-size:1rem;margin:0}
.cast .kind{font-weight:400;color:var(--muted);font-size:.85rem}
.forms,.quoted{margin:.15rem 0;font-size:.82rem}
.quoted .badge{font-size:.72rem;margin-right:.2rem}
.none{color:var(--muted);font-style:italic}
.paste-box{margin:.8rem 0}
.paste-box summary{cursor:pointer;font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;font-size:.9rem}
.paste label{display:block;font-weight:700;margin:.4rem 0 .2rem;font-family:"Helvetica Neue",Helvetica,Arial,sans-serif}
.paste textarea{width:100%;max-width:52rem;padding:.5rem;border:1px solid var(--rule);background:#fff;font:16px/1.5 Georgia,serif}
main.solo{padding:1rem 2rem;max-width:56rem}
.colophon{border-top:1px solid var(--rule);padding:.6rem 2rem;font-size:.78rem;color:var(--muted)}
.print-only{display:none}
@media (max-width:60rem){.layout{display:block}.panel{position:static;max-height:none;border-left:none;border-top:3px double var(--ink)}}
@media print{
html,body{background:#fff;font-size:11pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.skip,.pager,.tabs,.filters,.paste-box,.only,.selection,.colophon{display:none!important}
.layout{display:block}
.panel{position:static;max-height:none;overflow:visible;border:none;background:#fff;padding:0 1rem}
.js .detail,.detail{display:block!important;break-inside:avoid;border-top:1px solid var(--rule);padding-top:.3rem}
.js .tabpanel[hidden],.tabpanel{display:block!important}
.js .by,.by{display:block!important}
.group li[hidden]{display:list-item!important}
.q.dimmed{border-bottom:2px solid currentColor}.q.dimmed .tag{opacity:1}
.q[aria-current="true"],.flagged[aria-current="true"]{outline:none}
.print-only{display:block;font-size:1rem;margin:1rem 0 .3rem}
.details-head h2{font-size:1rem;color:var(--ink)}
button.finding{border:none;border-left:3px solid var(--error);padding:.1rem .5rem}
.match,table.diff{break-inside:avoid}
a{color:inherit}
}
""".strip()

_SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var draftItems = Array.prototype.slice.call(document.querySelectorAll(".draft [data-key]"));
  if (!draftItems.length && !document.getElementById("details")) { return; }
  var byKey = {};
  draftItems.forEach(function (el) { byKey[el.getAttribute("data-key")] = el; });
  var details = Array.prototype.slice.call(document.querySelectorAll(".detail"));
  var findingButtons = Array.prototype.slice.call(document.querySelectorAll("button.finding"));
  var selection = document.getElementById("selection");
  var panel = document.getElementById("panel");
  var initialText = selection ? selection.textContent : "";
  var current = null;

  function visible(el) { return !el.classList.contains("dimmed"); }

  function select(key, options) {
    options = options || {};
    var el = byKey[key];
    if (!el) { return; }
    if (current) { current.removeAttribute("aria-current"); }
    current = el;
    el.setAttribute("aria-current", "true");
    details.forEach(function (d) { d.classList.toggle("shown", d.getAttribute("data-key") === key); });
    findingButtons.forEach(function (b) {
      if (b.getAttribute("data-target") === key) { b.setAttribute("aria-current", "true"); }
      else { b.removeAttribute("aria-current"); }
    });
    var shown = document.getElementById(key + "-detail");
    if (selection && shown) { selection.textContent = shown.getAttribute("data-summary"); }
    if (options.focus) { el.focus(); }
    if (options.scroll) { el.scrollIntoView({block: "center"}); }
    var box = document.getElementById("details");
    if (box && panel && panel.scrollTop > box.offsetTop) { panel.scrollTop = box.offsetTop; }
  }

  function clear() {
    if (current) { current.removeAttribute("aria-current"); }
    current = null;
    details.forEach(function (d) { d.classList.remove("shown"); });
    findingButtons.forEach(function (b) { b.removeAttribute("aria-current"); });
    if (selection) { selection.textContent = initialText; }
  }

  function step(by) {
    var items = draftItems.filter(visible);
    if (!items.length) { return; }
    var at = current ? items.indexOf(current) : -1;
    var next = at < 0 ? (by > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + by));
    select(items[next].getAttribute("data-key"), {focus: true, scroll: true});
  }

  draftItems.forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!visible(el)) { return; }
      event.stopPropagation();
      select(el.getAttribute("data-key"));
    });
    el.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        event.stopPropagation();
        select(el.getAttribute("data-key"));
      } else if (event.key === "ArrowDown" || event.key === "ArrowRight") {
        event.preventDefault();
        if (current !== el) { select(el.getAttribute("data-key")); }
        step(1);
      } else if (event.key === "ArrowUp" || event.key === "ArrowLeft") {
        event.preventDefault();
        if (current !== el) { select(el.getAttribute("data-key")); }
        step(-1);
      }
    });
  });

  findingButtons.forEach(function (b) {
    b.addEventListener("click", function () {
      select(b.getAttribute("data-target"), {scroll: true});
    });
  });

  var prev = document.getElementById("prev"), next = document.getElementById("next");
  if (prev) { prev.addEventListener("click", function () { step(-1); }); }
  if (next) { next.addEventListener("click", function () { step(1); }); }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var t = event.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
    if (typing) { return; }
    if (event.key === "j") { event.preventDefault(); step(1); }
    else if (event.key === "k") { event.preventDefault(); step(-1); }
    else if (event.key === "Escape") { clear(); }
  });

  // Filters: statuses and a speaker.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter-status]"));
  var speaker = document.getElementById("filter-speaker");
  function applyFilters() {
    var on = {};
    boxes.forEach(function (b) { on[b.getAttribute("data-filter-status")] = b.checked; });
    var who = speaker ? speaker.value : "*";
    function shown(el) {
      var status = el.getAttribute("data-status");
      var ok = !status || on[status] !== false;
      return ok && (who === "*" || el.getAttribute("data-speaker") === who);
    }
    draftItems.forEach(function (el) {
      var ok = shown(el);
      el.classList.toggle("dimmed", !ok);
      el.setAttribute("tabindex", ok && !el.classList.contains("inner") ? "0" : "-1");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".by li[data-status]"), function (li) {
      li.hidden = !shown(li);
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  if (speaker) { speaker.addEventListener("change", applyFilters); }
  Array.prototype.forEach.call(document.querySelectorAll("button.only"), function (b) {
    b.addEventListener("click", function () {
      if (!speaker) { return; }
      speaker.value = b.getAttribute("data-speaker");
      applyFilters();
      activate(document.getElementById("tab-findings"), true);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=group-by]"), function (r) {
    r.addEventListener("change", function () {
      root.classList.toggle("group-speaker", r.checked && r.value === "speaker");
    });
  });

  // The tabs: Findings / People (arrow keys move between them).
  var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
  function activate(tab, focus) {
    if (!tab) { return; }
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.setAttribute("tabindex", on ? "0" : "-1");
      var p = document.getElementById(t.getAttribute("aria-controls"));
      if (p) { p.hidden = !on; }
    });
    if (focus) { tab.focus(); }
  }
  tabs.forEach(function (t, n) {
    t.addEventListener("click", function () { activate(t, false); });
    t.addEventListener("keydown", function (event) {
      var to = null;
      if (event.key === "ArrowRight") { to = tabs[(n + 1) % tabs.length]; }
      else if (event.key === "ArrowLeft") { to = tabs[(n - 1 + tabs.length) % tabs.length]; }
      else if (event.key === "Home") { to = tabs[0]; }
      else if (event.key === "End") { to = tabs[tabs.length - 1]; }
      if (to) { event.preventDefault(); activate(to, true); }
    });
  });
  activate(tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0] || tabs[0], false);
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
""".strip()
