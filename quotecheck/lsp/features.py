"""What the editor shows and offers for one checked buffer, built from the
session's :class:`~quotecheck.session.FileResult`: diagnostics, the hover on a
quote, code actions and their edits, the summary lens.

Everything here is a plain function of a :class:`Checked` buffer (its text,
version and result) with no server attached, so each can be tested on its own.
Edits are computed as code-point offsets into the buffer (:class:`Edit`) and
turned into the editor's line/character positions in the negotiated encoding
at the last moment.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lsprotocol import types

from .. import HOMEPAGE
from ..fixing import apply_fixes
from ..model import Finding, Quote
from ..reporting import people_record
from ..session import FileResult, Problem
from ..status import quote_statuses, summary_line
from ..suppression import RULE_CODE as UNUSED_SUPPRESSION_CODE
from ..vocab import Method
from .positions import UTF16, LineIndex

SOURCE = "quotecheck"
FIX_ALL_KIND = "source.fixAll.quotecheck"
# The documentation of a rule, when no better link is known: built-in rules are
# documented in their module's docstring (what ``quotecheck explain`` prints),
# shipped packs in their TOML file.
BUILTIN_RULE_URL = HOMEPAGE + "/blob/main/quotecheck/rules/{module}.py"
SHIPPED_PACK_URL = HOMEPAGE + "/blob/main/rules/{pack}.toml"
# What the editor may fill in: a placeholder the user replaces with the reason.
REASON_PLACEHOLDER = "TODO: why (checked against what, by whom)"
MARKUP_SUFFIXES = (".md", ".markdown", ".mdown", ".html", ".htm", ".xhtml")
MARKUP_LANGUAGES = ("markdown", "html")

SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}

# How a speaker was found (Attribution.method), as the hover says it.
METHOD_TEXT: dict[Method, str] = {
    "label": "a speaker label before the words (NAME: …)",
    "dash": "a dash after the quote naming the speaker (— Name)",
    "cue": "a reporting verb with its subject (said, added, told …)",
    "colon": "a sentence introducing the quote with a colon",
    "according-to": "“according to …”",
    "sentence-before": "the sentence before the quote",
    "sentence-after": "the sentence after the quote",
    "adjacent": "a name and reporting verb right after the quote",
    "continuation": "it continues the same speaker's quote from an earlier paragraph",
    "same-paragraph": "the speaker of the quote before it in the paragraph",
    "narrative-before": "the person the paragraph before was about",
}


@dataclass
class Edit:
    """``text[start:end]`` of a file becomes ``new_text`` (code-point offsets)."""

    start: int
    end: int
    new_text: str


@dataclass
class Checked:
    """One buffer as it was checked: its text and version, and the result."""

    uri: str
    path: str  # the file system path (or the URI of an unsaved buffer): the document's name
    version: int | None
    text: str
    lines: LineIndex
    result: FileResult | None
    language: str = "plaintext"
    rule_urls: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # the session's or the check's errors

    @property
    def markup(self) -> bool:
        """Whether suppressions are written as HTML comments (Markdown, HTML)."""
        return self.language in MARKUP_LANGUAGES or self.path.lower().endswith(MARKUP_SUFFIXES)

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings if self.result is not None else []


# -- positions -------------------------------------------------------------------------

def lsp_range(lines: LineIndex, start: int, end: int, encoding: str = UTF16) -> types.Range:
    (l1, c1), (l2, c2) = lines.position(start, encoding), lines.position(end, encoding)
    return types.Range(types.Position(l1, c1), types.Position(l2, c2))


def text_edit(lines: LineIndex, edit: Edit, encoding: str) -> types.TextEdit:
    return types.TextEdit(lsp_range(lines, edit.start, edit.end, encoding), edit.new_text)


def finding_span(f: Finding) -> tuple[int, int]:
    """The characters a finding's diagnostic covers: a finding about a quote
    (its words, a mark, a word inside it) covers the whole quote from its
    opening to its closing mark, across lines; one outside its quote (the
    pronoun of the cue after it) or with no quote covers its own place."""
    q = f.quote
    if q is not None and q.outer_start <= f.start and f.end <= q.outer_end:
        return q.outer_start, q.outer_end
    return f.start, max(f.end, f.start)


# -- rule documentation ------------------------------------------------------------------

def rule_urls(session) -> dict[str, str]:
    """Each rule's documentation link: a built-in rule's module, a shipped
    pack's TOML file (both in the repository), a local pack's or plugin's file
    (a ``file:`` URI the editor opens)."""
    from ..packs.loader import BUILTIN_PACKS

    urls: dict[str, str] = {}
    for info in session.rule_info():
        plugin = info.plugin or ""
        url = None
        if plugin.startswith("quotecheck.rules."):
            url = BUILTIN_RULE_URL.format(module=plugin.rsplit(".", 1)[1])
        else:
            obj = session.pm.get_plugin(plugin) if plugin else None
            pack = getattr(obj, "pack", None)
            if pack is not None:
                shipped = BUILTIN_PACKS.get(pack.name)
                if shipped and os.path.realpath(str(shipped)) == os.path.realpath(str(pack.path)):
                    url = SHIPPED_PACK_URL.format(pack=pack.name)
                elif getattr(pack, "path", None):
                    url = Path(str(pack.path)).resolve().as_uri()
            elif obj is not None:
                module = obj if hasattr(obj, "__file__") else None
                if module is None:
                    import sys
                    module = sys.modules.get(type(obj).__module__)
                file = getattr(module, "__file__", None)
                if file:
                    url = Path(file).resolve().as_uri()
        if url:
            urls[info.code] = url
    return urls


# -- diagnostics ---------------------------------------------------------------------------

Locator = Callable[[str], "tuple[str, LineIndex] | None"]  # a path -> its URI and text's line index


def diagnostics(checked: Checked, encoding: str = UTF16, locate: Locator | None = None) -> list[types.Diagnostic]:
    """The buffer's findings (and problems) as LSP diagnostics."""
    out = []
    for p in checked.problems + (checked.result.problems if checked.result else []):
        out.append(types.Diagnostic(range=lsp_range(checked.lines, 0, 0, encoding), message=str(p.message),
                                    severity=types.DiagnosticSeverity.Error, source=SOURCE))
    for f in checked.findings:
        out.append(diagnostic(checked, f, encoding, locate))
    return out


def diagnostic(checked: Checked, f: Finding, encoding: str = UTF16, locate: Locator | None = None) -> types.Diagnostic:
    start, end = finding_span(f)
    url = checked.rule_urls.get(f.code)
    related = [r for r in (related_location(checked, e, encoding, locate) for e in f.evidence) if r is not None]
    return types.Diagnostic(
        range=lsp_range(checked.lines, start, end, encoding),
        message=f.message,
        severity=SEVERITY.get(f.severity, types.DiagnosticSeverity.Error),
        code=f.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        related_information=related or None,
        data={"rule": f.rule, "start": f.start, "end": f.end},
    )


def related_location(checked: Checked, e, encoding: str, locate: Locator | None):
    """An evidence as a related location: the passage of the source (or of the
    draft) that disagrees, from its line and column to the end of its words."""
    if os.path.abspath(e.path) == os.path.abspath(checked.path) or e.path == checked.path:
        found: tuple[str, LineIndex] | None = (checked.uri, checked.lines)
    else:
        found = locate(e.path) if locate else None
    label = ", ".join(x for x in (e.note, e.speaker) if x)
    message = f"{label}: “{e.text}”" if label else f"“{e.text}”"
    if found is None:  # unreadable: place it by line and column alone
        pos = types.Position(max(0, e.line - 1), max(0, e.column - 1))
        return types.DiagnosticRelatedInformation(
            types.Location(Path(os.path.abspath(e.path)).as_uri(), types.Range(pos, pos)), message)
    uri, lines = found
    line = min(max(0, e.line - 1), lines.line_count - 1)
    start = min(lines.starts[line] + max(0, e.column - 1), len(lines.text))
    end = start + len(e.text) if lines.text[start:start + len(e.text)] == e.text else start
    return types.DiagnosticRelatedInformation(types.Location(uri, lsp_range(lines, start, end, encoding)), message)


# -- hover and code lens ------------------------------------------------------------------

def quote_at(checked: Checked, offset: int) -> Quote | None:
    """The innermost quote whose marks enclose ``offset``."""
    if checked.result is None:
        return None
    around = [q for q in checked.result.quotes if q.outer_start <= offset <= q.outer_end]
    return min(around, key=lambda q: q.outer_end - q.outer_start) if around else None


def hover_text(checked: Checked, q: Quote) -> str:
    """Markdown: who said it and how that was found, the outlet of a
    second-hand quote, its status against the sources, and the word diff."""
    result = checked.result
    state = next((s for s in quote_statuses(result) if s.quote is q), None)
    att = q.attribution
    lines = []
    words = q.text if len(q.text) <= 80 else q.text[:77] + "…"
    lines.append(f"**{_md(words)}**")
    lines.append("")
    if att.speaker:
        how = METHOD_TEXT.get(att.method, att.method or "")
        said = f" (“{_md(att.mention)}” {_md(att.cue)})" if att.mention and att.cue else \
            (f" (“{_md(att.mention)}”)" if att.mention else "")
        lines.append(f"- Speaker: **{_md(att.speaker)}**{said}")
        if att.method:
            lines.append(f"- Found by: {_code(att.method)}: {_md(how)}")
    else:
        lines.append("- Speaker: none found" + (f" (a {q.kind} quote)" if q.kind != "direct" else ""))
    if att.pronoun:
        lines.append(f"- Cue pronoun: “{att.pronoun}”")
    if att.via:
        lines.append(f"- Second-hand, via: **{_md(att.via)}**")
    if state is not None:
        lines.append(f"- Status: **{state.label}**")
    if q.matches:
        m = q.matches[0]
        who = f", {m.passage.speaker}" if m.passage.speaker else ""
        lines.append(f"- Closest source: {_code(f'{os.path.basename(m.passage.path)}:{m.line}')} "
                     f"({m.passage.kind}{_md(who)}), similarity {m.score:.2f}")
        if m.edits:
            diff = ", ".join(_code(str(e)) + (f" ({' and '.join(sorted(e.touches))})" if e.touches else "")
                             for e in m.edits)
            lines.append(f"- Word diff (source → draft): {diff}")
            lines.append(f"- Source's words: “{_md(m.text)}”")
        else:
            lines.append("- The source has these words.")
    if state is not None and state.findings:
        lines.append("")
        for f in state.findings:
            lines.append(f"`{f.code}` {f.rule}: {_md(f.message)}")
    return "\n".join(lines)


def _code(text: str) -> str:
    """A Markdown code span (nothing is escaped inside one)."""
    return "`" + text.replace("`", "'") + "`"


def _md(text: str | None) -> str:
    """Text safe inside Markdown: its markup characters escaped."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text or "")


def summary(checked: Checked) -> str:
    return summary_line(checked.result) if checked.result is not None else "not checked"


# -- code actions: what each one changes ---------------------------------------------------

def fix_edits(f: Finding) -> list[Edit]:
    """A finding's safe fixes, all together (``Finding.fixes``)."""
    return [Edit(x.start, x.end, x.replacement) for x in f.fixes]


def fix_all_edits(checked: Checked) -> list[Edit]:
    """Every safe fix of the buffer that can be made together (as ``--fix``
    chooses them: where two overlap, the earlier one), in order."""
    if checked.result is None:
        return []
    _, applied, _ = apply_fixes(checked.text, [f for f in checked.findings if f.fixes])
    seen, out = set(), []
    for f in applied:
        for x in f.fixes:
            if (x.start, x.end, x.replacement) not in seen:
                seen.add((x.start, x.end, x.replacement))
                out.append(Edit(x.start, x.end, x.replacement))
    return sorted(out, key=lambda e: (e.start, e.end))


_TAIL_RE = re.compile(r"[\s,.;:!?…]*\Z")


def source_wording_edit(checked: Checked, f: Finding) -> Edit | None:
    """For ``quote-altered``: the quote's words replaced by the closest
    source's aligned words (the finding's first evidence), keeping the
    punctuation the draft's sentence puts at the end of the quote ("year," →
    "two,"). Never a safe fix: it changes what the draft says someone said."""
    q = f.quote
    if f.rule != "quote-altered" or q is None or not f.evidence or not f.evidence[0].text.strip():
        return None
    old = checked.text[q.start:q.end]
    tail = _TAIL_RE.search(old).group()
    words = _TAIL_RE.sub("", f.evidence[0].text.strip())
    new = words + tail
    return Edit(q.start, q.end, new) if new != old else None


def first_name_edit(checked: Checked, f: Finding) -> Edit | None:
    """For ``speaker-name-inconsistent``: this spelling replaced by the one
    written first (the finding's evidence)."""
    if f.rule != "speaker-name-inconsistent" or not f.evidence or not f.evidence[0].text:
        return None
    first = f.evidence[0].text
    return Edit(f.start, f.end, first) if checked.text[f.start:f.end] != first else None


def directive(checked: Checked, body: str) -> str:
    """A suppression directive as :mod:`quotecheck.suppression` reads it: an
    HTML comment in Markdown and HTML, a ``[[…]]`` desk note elsewhere."""
    return f"<!-- quotecheck: {body} -->" if checked.markup else f"[[quotecheck: {body}]]"


def suppression_edits(checked: Checked, f: Finding) -> tuple[list[Edit], str] | None:
    """A directive that suppresses ``f`` where it is, with a placeholder
    reason to replace, and the action's title. A finding about a quote gets
    ``ignore CODE; reason`` just before the quote's opening mark (it applies
    to the next quote, with the paragraphs that continue it); any other is
    wrapped, with its paragraph, in ``disable CODE; reason`` … ``enable CODE``.
    None for ``unused-suppression``, which no directive can suppress."""
    if f.code == UNUSED_SUPPRESSION_CODE or checked.result is None:
        return None
    doc = checked.result.document
    q = f.quote
    if q is None:
        q = next((x for x in doc.quotes if x.outer_start <= f.start and f.end <= x.outer_end), None)
    if q is not None:
        if q.continues is not None and 0 <= q.continues < len(doc.quotes):
            q = doc.quotes[q.continues]  # the directive goes before the first paragraph of the quote
        text = directive(checked, f"ignore {f.code}; {REASON_PLACEHOLDER}") + " "
        return [Edit(q.outer_start, q.outer_start, text)], f"Suppress {f.code} on this quote (with a reason)"
    para = doc.paragraphs[doc.paragraph_at(f.start)]
    start, end = min(para.start, f.start), max(para.end, f.end)
    return ([Edit(start, start, directive(checked, f"disable {f.code}; {REASON_PLACEHOLDER}") + " "),
             Edit(end, end, " " + directive(checked, f"enable {f.code}"))],
            f"Suppress {f.code} in this paragraph (with a reason)")


# -- the people registry ---------------------------------------------------------------------

def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def registry_entry(name: str, spellings: list[str] = (), pronoun: str | None = None) -> str:
    """One ``[[person]]`` table, as README's people registry section shows it."""
    lines = ["[[person]]", f"name = {toml_string(name)}"]
    if spellings:
        lines.append("spellings = [" + ", ".join(toml_string(s) for s in spellings) + "]")
    if pronoun in ("he", "she", "they"):
        lines.append(f"pronoun = {toml_string(pronoun)}")
    return "\n".join(lines) + "\n"


def appended(existing: str, entry: str) -> Edit:
    """``entry`` added at the end of a registry file, after a blank line,
    keeping everything already there."""
    if not existing:
        return Edit(0, 0, entry)
    sep = "\n" if existing.endswith("\n") else "\n\n"
    if existing.endswith("\n\n"):
        sep = ""
    return Edit(len(existing), len(existing), sep + entry)


@dataclass
class RegistryCandidate:
    """Someone the registry could learn: a name, other spellings, a pronoun."""

    name: str
    spellings: list[str] = field(default_factory=list)
    pronoun: str | None = None

    @property
    def title(self) -> str:
        extra = []
        if self.spellings:
            extra.append("also spelled " + ", ".join(self.spellings))
        if self.pronoun:
            extra.append(self.pronoun)
        return f"Add “{self.name}” to the people registry" + (f" ({'; '.join(extra)})" if extra else "")


def registry_candidates(checked: Checked, start: int, end: int, registry) -> list[RegistryCandidate]:
    """The people of the findings and quotes in ``[start, end]`` whom the
    registry does not know yet: the speaker of a quote, the person of a
    finding (with the other spelling, for ``speaker-name-inconsistent``)."""
    if checked.result is None:
        return []
    doc = checked.result.document
    records = people_record(doc)
    pronoun_of = {id(e): r["pronoun"] for e, r in zip(doc.entities, records)}
    by_name = {e.name: e for e in doc.entities}
    out: dict[str, RegistryCandidate] = {}

    def add(name: str | None, spelling: str | None = None, person=None):
        if not name or (registry is not None and registry.lookup(name) is not None):
            return
        person = person or by_name.get(name)
        if person is not None and person.is_group:
            return
        c = out.setdefault(name, RegistryCandidate(name, pronoun=pronoun_of.get(id(person)) if person else None))
        if spelling and spelling not in c.spellings and spelling not in name.split():
            c.spellings.append(spelling)

    for f in checked.findings:
        a, b = finding_span(f)
        if a <= end and start <= b and f.speaker:
            spelling = checked.text[f.start:f.end] if f.rule == "speaker-name-inconsistent" else None
            add(f.speaker, spelling)
    for q in doc.quotes:
        if q.outer_start <= end and start <= q.outer_end and q.attribution.speaker:
            add(q.attribution.speaker, person=q.attribution.person)
    return list(out.values())


@dataclass
class RegistryPlan:
    """Where the entry goes: the registry file, and the configuration line
    that names it when no registry was configured yet."""

    registry: str  # the registry file's path
    config_file: str | None = None  # a configuration file to name the registry in
    config_edit: Edit | None = None  # the line that names it
    create_config: bool = False  # the configuration file does not exist yet


_PYPROJECT_TABLE_RE = re.compile(r"^\[tool\.quotecheck\][ \t]*(?:#[^\n]*)?\r?\n", re.M)


def registry_plan(configured: str | None, config_path: str | None, folder: str | None,
                  read: Callable[[str], str | None]) -> RegistryPlan | None:
    """Where "add to the people registry" writes. The configured registry
    (``people`` in the settings or the configuration file), created if it
    does not exist yet; else ``people.toml`` beside the configuration file,
    named in it (``people = "people.toml"``); else, with no configuration at
    all, ``people.toml`` and a new ``quotecheck.toml`` naming it in the
    workspace folder. None when the configuration file cannot be given the
    line safely (a ``pyproject.toml`` without a ``[tool.quotecheck]`` table)."""
    if configured:
        return RegistryPlan(configured)
    line = 'people = "people.toml"\n'
    if config_path:
        registry = os.path.join(os.path.dirname(config_path), "people.toml")
        text = read(config_path) or ""
        if os.path.basename(config_path) == "pyproject.toml":
            m = _PYPROJECT_TABLE_RE.search(text)
            if m is None:
                return None
            return RegistryPlan(registry, config_path, Edit(m.end(), m.end(), line))
        return RegistryPlan(registry, config_path, Edit(0, 0, line))
    if not folder:
        return None
    return RegistryPlan(os.path.join(folder, "people.toml"), os.path.join(folder, "quotecheck.toml"),
                        Edit(0, 0, line), create_config=True)
