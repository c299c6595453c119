"""The one data model passed through every stage of quotecheck.

A :class:`Document` is read once; the quote finder adds :class:`Quote` objects and
:class:`MarkProblem` records to it, attribution fills each quote's
:class:`Attribution`, and rules turn all of that into :class:`Finding` objects.
No stage re-reads or re-parses what an earlier stage stored here.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from .vocab import SEVERITIES, EntityKind, FurnitureKind, MentionKind, Role  # noqa: F401  (SEVERITIES re-exported)


@dataclass(frozen=True)
class Span:
    """A half-open range of character offsets into ``Document.text``."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Alteration:
    """An editorial change declared inside a quote: ``[inserted words]`` or ``...``."""

    kind: str  # "insertion" | "ellipsis"
    start: int
    end: int
    text: str


@dataclass
class MarkProblem:
    """A quote mark the finder had to repair or could not pair."""

    kind: str  # "misdirected" | "stray-space" | "unclosed" | "unopened"
    offset: int
    mark: str
    message: str


@dataclass
class Furniture:
    """A stretch of page furniture: a kicker, headline, caption, credit, byline,
    link line, boilerplate or heading label. It names no one, is no one's
    antecedent and holds no reporting cue; quotes inside it are still found."""

    start: int
    end: int
    kind: FurnitureKind


@dataclass
class Mention:
    """One place the document refers to a person or group (the reference layer)."""

    start: int
    end: int
    text: str  # as written
    kind: MentionKind  # "name" | "surname" | "title" | "description" | "pronoun"
    paragraph: int
    sentence: int = -1  # document-wide sentence index (-1: not parsed)
    role: Role = "other"  # grammatical role, for salience
    pronoun: str | None = None  # pronoun mentions: "he" | "she" | "they" | "it"
    in_quote: bool = False
    entity: "Person | None" = field(default=None, repr=False)
    # Index among the story's own sentences: a sentence wholly inside quote
    # marks does not count (the narrative distance to a cue pronoun after a
    # long quote).
    story_sentence: int = -1


@dataclass(eq=False)  # an entity is itself: identity, not field equality
class Person:
    """An entity of the reference layer: someone (or some group) the document
    refers to, with every mention of them. ``mentions`` and ``pronouns`` are the
    short views rules and sources read; ``chain`` is the whole mention list."""

    name: str  # canonical full form, e.g. "Vadim Denisenko"
    is_group: bool = False
    mentions: list[tuple[int, str]] = field(default_factory=list)  # (offset, as written)
    pronouns: list[tuple[int, str]] = field(default_factory=list)  # (offset, "he"/"she"/"they")
    title: str | None = None
    chain: list[Mention] = field(default_factory=list, repr=False)
    # Gender evidence other than pronouns: (offset or -1, "he"/"she", why) from titles,
    # gendered nouns, the first-name lexicon, the people registry.
    gender_evidence: list[tuple[int, str, str]] = field(default_factory=list, repr=False)
    # A name run nothing yet shows to be a person or a group (no entity label,
    # or one the small model often gives to person names): a "he"/"she"
    # resolved to it, or a quote it speaks, makes it a person; else it is
    # dropped (or, tagged as an organisation, kept as a group).
    tentative: bool = False
    label: str = ""  # the entity recogniser's label for the founding run

    @property
    def surname(self) -> str:
        return self.name.split()[-1] if self.name else ""

    def attach(self, m: Mention) -> None:
        """Make ``m`` one of this entity's mentions, in the chain and in the short
        views (``pronouns`` for he/she/they, ``mentions`` for the rest)."""
        m.entity = self
        self.chain.append(m)
        if m.kind != "pronoun":
            self.mentions.append((m.start, m.text))
        elif m.pronoun in ("he", "she", "they"):
            self.pronouns.append((m.start, m.pronoun))

    def detach(self, m: Mention) -> None:
        """Undo :meth:`attach` (a pronoun mention attribution moves elsewhere)."""
        self.chain.remove(m)
        if m.kind == "pronoun" and (m.start, m.pronoun) in self.pronouns:
            self.pronouns.remove((m.start, m.pronoun))
        elif (m.start, m.text) in self.mentions:
            self.mentions.remove((m.start, m.text))
        m.entity = None

    @property
    def kind(self) -> EntityKind:
        return "group" if self.is_group else "person"


@dataclass
class Attribution:
    """Who said a quote, and the words that say so."""

    speaker: str | None = None  # resolved full name or group
    mention: str | None = None  # the attribution's words as written ("the adviser, Vadim Denisenko")
    mention_start: int | None = None
    cue: str | None = None  # reporting word(s): "said", "according to", ":" ...
    cue_start: int | None = None
    via: str | None = None  # second-hand source: "The New York Times"
    pronoun: str | None = None  # "he"/"she"/"they" when the cue names the speaker by pronoun
    method: str | None = None  # how it was found, for explanations and debugging
    person: Person | None = None


@dataclass
class Quote:
    """One quoted stretch of words (one paragraph of a multi-paragraph quote)."""

    start: int  # offset of the first quoted character (marks excluded)
    end: int
    text: str
    open_mark: str | None
    close_mark: str | None
    paragraph: int
    kind: str = "direct"  # "direct" | "partial" | "scare" | "nested"
    continues: int | None = None  # index of the quote this paragraph continues
    alterations: list[Alteration] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)
    mark_start: int | None = None  # offset of the opening mark, if any
    mark_end: int | None = None  # offset just past the closing mark, if any
    matches: list["SourceMatch"] = field(default_factory=list)  # cross-source stage, best first

    @property
    def outer_start(self) -> int:
        """Offset of the opening mark (or of the words, if the mark is missing)."""
        return self.start if self.mark_start is None else self.mark_start

    @property
    def outer_end(self) -> int:
        """Offset just past the closing mark (or the words, if it is missing)."""
        return self.end if self.mark_end is None else self.mark_end

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def speaker(self) -> str | None:
        return self.attribution.speaker

    @property
    def words(self) -> list[str]:
        return self.text.split()


@dataclass
class SourcePassage:
    """One attributable stretch of a source: an article's quote, a transcript turn,
    a statement's paragraph. The unit the index stores and matching aligns against."""

    path: str
    kind: str  # "article" | "transcript" | "subtitles" | "statement" (or a plugin's kind)
    text: str  # the words as the source gives them (marks excluded)
    start: int  # offsets into the source file's decoded text
    end: int
    line: int  # 1-based place of ``start``
    column: int
    speaker: str | None = None  # resolved name, turn label or the statement's speaker
    speaker_mention: str | None = None  # as written ("PESKOV", "the spokesman")
    pronoun: str | None = None  # "he"/"she"/"they" when the source's cue is a pronoun
    # Why the source's own attribution is weak (a pronoun resolved across
    # paragraphs, a description), or None: a misattribution it suggests is a warning.
    weak: str | None = None


@dataclass
class SourceFile:
    """Everything quotecheck keeps of one source file."""

    path: str
    kind: str
    passages: list[SourcePassage] = field(default_factory=list)
    # speaker -> {"he": n, "she": n, "they": n}: how the source refers to each person
    pronouns: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class WordEdit:
    """One difference between a draft quote and a source's words."""

    op: str  # "insert" (draft adds words) | "delete" (draft drops words) | "replace"
    draft: str  # the draft's words, as written ("" for a deletion)
    source: str  # the source's words, as written ("" for an insertion)
    touches: frozenset[str] = frozenset()  # subset of {"negation", "number", "name"}

    def __str__(self) -> str:
        if self.op == "insert":
            return f"+{self.draft}"
        if self.op == "delete":
            return f"-{self.source}"
        return f"{self.source} → {self.draft}"


@dataclass
class SourceMatch:
    """A quote aligned to the best window of one source passage."""

    passage: SourcePassage
    score: float  # 0..1 similarity of the quote to the aligned window
    text: str  # the source's words in the aligned window, as written
    line: int  # 1-based line of the window in the source file
    column: int
    edits: list[WordEdit] = field(default_factory=list)  # empty: the words agree

    @property
    def exact(self) -> bool:
        return not self.edits


@dataclass
class Evidence:
    """Where a finding's claim comes from: this document or another source."""

    path: str
    line: int
    column: int
    text: str
    speaker: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Fix:
    """A safe, mechanical edit a rule offers: ``text[start:end]`` becomes
    ``replacement``. Only edits that cannot change what anyone said (quote-mark
    style, spacing) are offered as fixes."""

    start: int
    end: int
    replacement: str
    description: str = ""


@dataclass
class Finding:
    """A problem a rule reports: the stable rule name, a code, and where."""

    rule: str
    code: str
    severity: str
    message: str
    start: int
    end: int
    quote: Quote | None = None
    speaker: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)  # applied together by --fix, or none


@dataclass
class Paragraph:
    index: int
    start: int
    end: int


class Document:
    """A decoded text with its paragraphs and line index; stages add to it."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        # A line ends at \n, \r\n or a lone \r (old Mac and some CMS exports).
        self._line_starts = [0] + [m.end() for m in LINE_BREAK_RE.finditer(text)]
        self.paragraphs = _split_paragraphs(text)
        self.quotes: list[Quote] = []
        self.mark_problems: list[MarkProblem] = []
        self.people: dict[str, Person] = {}
        self.parses: dict[int, Any] = {}  # paragraph index -> spaCy Doc (language stage)
        self.furniture: list[Furniture] = []  # layout stage, in offset order
        self.entities: list[Person] = []  # reference layer; an entity's index is its id
        self.mentions: list[Mention] = []  # reference layer, in offset order
        self.references: Any = None  # the reference layer's lookups (references.References)

    def in_furniture(self, offset: int) -> Furniture | None:
        """The furniture stretch holding ``offset``, if any."""
        for f in self.furniture:
            if f.start <= offset < f.end:
                return f
            if f.start > offset:
                break
        return None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def paragraph_at(self, offset: int) -> int:
        starts = [p.start for p in self.paragraphs]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def paragraph_text(self, index: int) -> str:
        p = self.paragraphs[index]
        return self.text[p.start:p.end]


NEWLINE = r"(?:\r\n|\r(?!\n)|\n)"
LINE_BREAK_RE = re.compile(NEWLINE)


def _split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs are separated by blank lines; a text with no blank line at all
    (wire copy, one paragraph a line) is split line by line instead."""
    blank = rf"{NEWLINE}[ \t]*{NEWLINE}"
    separator = rf"{blank}\s*" if re.search(blank, text) else rf"{NEWLINE}\s*"
    paras: list[Paragraph] = []
    pos = 0
    for m in list(re.finditer(separator, text)) + [None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            paras.append(Paragraph(len(paras), pos + lead, pos + trail))
        if m:
            pos = m.end()
    if not paras:
        paras.append(Paragraph(0, 0, len(text)))
    return paras


@dataclass
class RuleContext:
    """What a rule's ``check(doc, context)`` and the check hooks may read about
    the run: the sources to check against (``None`` without any), the people
    registry (``None`` without one) and the configuration. Typed; ``get`` and
    ``[]`` remain for plugins written when it was a dict."""

    sources: Any = None  # quotecheck.matching.verify.SourceSet | None
    registry: Any = None  # quotecheck.registry.PeopleRegistry | None
    config: Any = None  # quotecheck.config.Config | None

    def get(self, key: str, default=None):
        return getattr(self, key, default) if key in ("sources", "registry", "config") else default

    def __getitem__(self, key: str):
        if key not in ("sources", "registry", "config"):
            raise KeyError(key)
        return getattr(self, key)

