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

from .vocab import (SEVERITIES, AlterationKind, EditOp, EditTouch, EntityKind, FurnitureKind,  # noqa: F401
                    MarkProblemKind, MentionKind, Role)  # (SEVERITIES re-exported)


@dataclass(frozen=True)
class Span:
    """A half-open range of character offsets into ``Document.text``."""

    start: int  # offset of the first character
    end: int  # offset just past the last character

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        """Whether the two ranges share at least one character."""
        return self.start < other.end and other.start < self.end


@dataclass
class Alteration:
    """An editorial change declared inside a quote: ``[inserted words]`` or ``...``."""

    kind: AlterationKind  # "insertion" | "ellipsis"
    start: int  # offset of the alteration in ``Document.text`` (brackets or dots included)
    end: int  # offset just past it
    text: str  # as written: "[the mayor]", "..."


@dataclass
class MarkProblem:
    """A quote mark the finder had to repair or could not pair."""

    kind: MarkProblemKind  # "misdirected" | "stray-space" | "unclosed" | "unopened"
    offset: int  # offset of the mark in ``Document.text``
    mark: str  # the mark as written (“ ” " ' ...)
    message: str  # what is wrong, as the unbalanced-quote-marks rule reports it


@dataclass
class Furniture:
    """A stretch of page furniture: a kicker, headline, caption, credit, byline,
    link line, boilerplate or heading label. It names no one, is no one's
    antecedent and holds no reporting cue; quotes inside it are still found."""

    start: int  # offset of the stretch in ``Document.text``
    end: int  # offset just past it
    kind: FurnitureKind  # what the stretch is (a headline, a caption...)


@dataclass
class Mention:
    """One place the document refers to a person or group (the reference layer)."""

    start: int  # offset of the mention in ``Document.text``
    end: int  # offset just past it
    text: str  # as written
    kind: MentionKind  # "name" | "surname" | "title" | "description" | "pronoun"
    paragraph: int  # index of its paragraph in ``Document.paragraphs``
    sentence: int = -1  # document-wide sentence index (-1: not parsed)
    role: Role = "other"  # grammatical role, for salience
    pronoun: str | None = None  # pronoun mentions: "he" | "she" | "they" | "it"
    in_quote: bool = False  # whether it stands inside quote marks (the speaker's words, not the story's)
    entity: "Person | None" = field(default=None, repr=False)  # who it refers to, once resolved
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
    is_group: bool = False  # an organisation or a collective ("officials", "the Kremlin"), not one person
    mentions: list[tuple[int, str]] = field(default_factory=list)  # every mention but pronouns: (offset, as written)
    pronouns: list[tuple[int, str]] = field(default_factory=list)  # every pronoun mention: (offset, "he"/"she"/"they")
    title: str | None = None  # a title the document gives them ("Mayor", "Dr."), if any
    chain: list[Mention] = field(default_factory=list, repr=False)  # every mention, in document order
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
        """The last word of ``name`` ("Ruiz"), what later mentions usually use."""
        return self.name.split()[-1] if self.name else ""

    def attach(self, m: Mention) -> None:
        """Make ``m`` one of this entity's mentions, in the chain and in the short
        views (``pronouns`` for he/she/they, ``mentions`` for the rest)."""
        ix = self.index()
        m.entity = self
        ix.add_to_chain(self, m)
        if m.kind != "pronoun":
            ix.add_mention(self, m.start, m.text)
        elif m.pronoun in ("he", "she", "they"):
            ix.add_pronoun(self, m.start, m.pronoun)

    def detach(self, m: Mention) -> None:
        """Undo :meth:`attach` (a pronoun mention attribution moves elsewhere)."""
        ix = self.index()
        ix.remove_from_chain(self, m)
        if m.kind == "pronoun":
            ix.remove_pronoun(self, m.start, m.pronoun)
        else:
            ix.remove_mention(self, m.start, m.text)
        m.entity = None

    def add_mention(self, offset: int, written: str) -> bool:
        """Add ``(offset, written)`` to the short view ``mentions`` unless it is
        there already (a name attribution found on the surface); whether it was added."""
        return self.index().add_mention(self, offset, written, unique=True)

    def add_evidence(self, offset: int, pronoun: str, why: str) -> None:
        """Gender evidence other than pronouns (a title, a noun, the lexicon, the registry)."""
        self.gender_evidence.append((offset, pronoun, why))

    def keep_pronouns(self, *forms: str) -> None:
        """Keep only these pronoun forms in the short view ``pronouns`` (an
        organisation is a "they", never a "he" or a "she")."""
        self.pronouns = [(o, p) for o, p in self.pronouns if p in forms]

    def index(self) -> "PersonIndex":
        """The running lookups over this entity's lists, rebuilt if the lists
        were changed other than through this class's methods."""
        ix = self.__dict__.get("_index")
        if ix is None or not ix.current(self):
            ix = self.__dict__["_index"] = PersonIndex(self)
        return ix

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_index", None)  # lookups of one run (object ids): rebuilt on use
        return state

    @property
    def kind(self) -> EntityKind:
        """``group`` for an organisation or collective, else ``person``."""
        return "group" if self.is_group else "person"


# What each kind of gender evidence weighs when the evidence disagrees
# (pronouns resolved to the entity count as "pronoun").
EVIDENCE_WEIGHTS = {"registry": 3.0, "title": 2.0, "noun": 1.5, "lexicon": 1.0, "pronoun": 1.0}


class PersonIndex:
    """Running lookups over one entity's lists, kept in step by
    :meth:`Person.attach` / :meth:`Person.detach`, so that the reference layer
    and attribution ask them in constant or logarithmic time however long the
    entity's chain grows: where each mention sits (removal without a scan),
    the sorted offsets of its mentions, its pronoun counts and its weighted
    gender evidence. Until the chains are sorted at the end of the reference
    stage their order is the order of attachment, with a removed mention's
    place taken by the last one."""

    def __init__(self, person: Person):
        self.chain_at: dict[int, int] = {id(m): i for i, m in enumerate(person.chain)}
        self.pronoun_at: dict[tuple[int, str], int] = {t: i for i, t in enumerate(person.pronouns)}
        self.mention_at: dict[tuple[int, str], int] = {t: i for i, t in enumerate(person.mentions)}
        # (start, role) of every chain mention, and the offsets of the mentions view, sorted.
        self.by_start: list[tuple[int, str]] = sorted((m.start, m.role) for m in person.chain)
        self.mention_starts: list[int] = sorted(o for o, _ in person.mentions)
        self.pronoun_count: dict[str, int] = {"he": 0, "she": 0, "they": 0}
        self.pronoun_of: dict[int, str] = {}
        for o, p in person.pronouns:
            self._count(o, p, 1)
        self.evidence_seen = 0
        self.evidence_score = {"he": 0.0, "she": 0.0}
        self.lexicon: set[str] = set()  # genders the first-name lexicon gave
        self.not_lexicon = 0  # evidence of any other kind
        self.lists = (id(person.chain), id(person.pronouns), id(person.mentions), id(person.gender_evidence))
        self.sizes = (len(person.chain), len(person.pronouns), len(person.mentions))
        self.current(person)  # tallies the evidence

    def current(self, person: Person) -> bool:
        ev = person.gender_evidence
        if (id(person.chain), id(person.pronouns), id(person.mentions), id(ev)) != self.lists or \
                (len(person.chain), len(person.pronouns), len(person.mentions)) != self.sizes or \
                len(ev) < self.evidence_seen:
            return False
        for off, g, why in ev[self.evidence_seen:]:  # evidence is only ever appended
            if g in self.evidence_score:
                self.evidence_score[g] += EVIDENCE_WEIGHTS.get(why, 1.0)
            if why == "lexicon":
                self.lexicon.add(g)
            else:
                self.not_lexicon += 1
        self.evidence_seen = len(ev)
        return True

    def _count(self, offset: int, pronoun: str, n: int) -> None:
        if pronoun in self.pronoun_count:
            self.pronoun_count[pronoun] += n
        if n > 0:
            self.pronoun_of[offset] = pronoun
        else:
            self.pronoun_of.pop(offset, None)

    def _resize(self, person: Person) -> None:
        self.sizes = (len(person.chain), len(person.pronouns), len(person.mentions))

    @staticmethod
    def _swap_remove(items: list, where: dict, key, key_of) -> bool:
        i = where.pop(key, None)
        if i is None:
            return False
        last = items.pop()
        if i < len(items):
            items[i] = last
            where[key_of(last)] = i
        return True

    def add_to_chain(self, person: Person, m: Mention) -> None:
        self.chain_at[id(m)] = len(person.chain)
        person.chain.append(m)
        bisect.insort(self.by_start, (m.start, m.role))
        self._resize(person)

    def remove_from_chain(self, person: Person, m: Mention) -> None:
        if self._swap_remove(person.chain, self.chain_at, id(m), id):
            i = bisect.bisect_left(self.by_start, (m.start, m.role))
            if i < len(self.by_start) and self.by_start[i] == (m.start, m.role):
                del self.by_start[i]
        self._resize(person)

    def add_mention(self, person: Person, offset: int, written: str, unique: bool = False) -> bool:
        key = (offset, written)
        if unique and key in self.mention_at:
            return False
        self.mention_at[key] = len(person.mentions)
        person.mentions.append(key)
        bisect.insort(self.mention_starts, offset)
        self._resize(person)
        return True

    def remove_mention(self, person: Person, offset: int, written: str) -> None:
        if self._swap_remove(person.mentions, self.mention_at, (offset, written), lambda t: t):
            del self.mention_starts[bisect.bisect_left(self.mention_starts, offset)]
        self._resize(person)

    def add_pronoun(self, person: Person, offset: int, pronoun: str) -> None:
        self.pronoun_at[(offset, pronoun)] = len(person.pronouns)
        person.pronouns.append((offset, pronoun))
        self._count(offset, pronoun, 1)
        self._resize(person)

    def remove_pronoun(self, person: Person, offset: int, pronoun: str | None) -> None:
        if self._swap_remove(person.pronouns, self.pronoun_at, (offset, pronoun), lambda t: t):
            self._count(offset, pronoun, -1)
        self._resize(person)

    def mentioned_before(self, offset: int) -> bool:
        """Whether a mention of the ``mentions`` view lies before ``offset``."""
        return bool(self.mention_starts) and self.mention_starts[0] < offset

    def last_before(self, offset: int) -> int | None:
        """The offset of the last mention (``mentions`` view) before ``offset``."""
        i = bisect.bisect_left(self.mention_starts, offset)
        return self.mention_starts[i - 1] if i else None


@dataclass
class Attribution:
    """Who said a quote, and the words that say so."""

    speaker: str | None = None  # resolved full name or group
    mention: str | None = None  # the attribution's words as written ("the adviser, Vadim Denisenko")
    mention_start: int | None = None  # offset of ``mention`` in ``Document.text``
    cue: str | None = None  # reporting word(s): "said", "according to", ":" ...
    cue_start: int | None = None  # offset of ``cue`` in ``Document.text``
    via: str | None = None  # second-hand source: "The New York Times"
    pronoun: str | None = None  # "he"/"she"/"they" when the cue names the speaker by pronoun
    method: str | None = None  # how it was found, for explanations and debugging
    person: Person | None = None  # the reference layer's entity for ``speaker``, when there is one


@dataclass
class Quote:
    """One quoted stretch of words (one paragraph of a multi-paragraph quote)."""

    start: int  # offset of the first quoted character (marks excluded)
    end: int  # offset just past the last quoted character
    text: str  # the quoted words as written: ``Document.text[start:end]``
    open_mark: str | None  # the opening mark as written, None when it is missing
    close_mark: str | None  # the closing mark as written, None when it is missing
    paragraph: int  # index of its paragraph in ``Document.paragraphs``
    kind: str = "direct"  # how it is used: a full quotation, a fragment, scare quotes, a title, a quote in a quote
    continues: int | None = None  # index of the quote this paragraph continues
    alterations: list[Alteration] = field(default_factory=list)  # declared edits inside the quote
    attribution: Attribution = field(default_factory=Attribution)  # who said it (empty: nobody found)
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
        """``start``..``end`` as a :class:`Span` (the words, marks excluded)."""
        return Span(self.start, self.end)

    @property
    def speaker(self) -> str | None:
        """Shorthand for ``attribution.speaker``: who said it, or None."""
        return self.attribution.speaker

    @property
    def words(self) -> list[str]:
        """The quoted words split at white space."""
        return self.text.split()


@dataclass
class SourcePassage:
    """One attributable stretch of a source: an article's quote, a transcript turn,
    a statement's paragraph. The unit the index stores and matching aligns against."""

    path: str  # the source file's path, exactly as the loader was given it
    kind: str  # "article" | "transcript" | "subtitles" | "statement" (or a plugin's kind)
    text: str  # the words as the source gives them (marks excluded)
    start: int  # offsets into the source file's decoded text
    end: int  # offset just past the passage's last character
    line: int  # 1-based place of ``start``
    column: int  # 1-based column of ``start``
    speaker: str | None = None  # resolved name, turn label or the statement's speaker
    speaker_mention: str | None = None  # as written ("PESKOV", "the spokesman")
    pronoun: str | None = None  # "he"/"she"/"they" when the source's cue is a pronoun
    # Why the source's own attribution is weak (a pronoun resolved across
    # paragraphs, a description), or None: a misattribution it suggests is a warning.
    weak: str | None = None


@dataclass
class SourceFile:
    """Everything quotecheck keeps of one source file."""

    path: str  # the file's path, exactly as the loader was given it
    kind: str  # its format's name (the passages' ``kind``)
    passages: list[SourcePassage] = field(default_factory=list)  # every attributable stretch, in file order
    # speaker -> {"he": n, "she": n, "they": n}: how the source refers to each person
    pronouns: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class WordEdit:
    """One difference between a draft quote and a source's words."""

    op: EditOp  # "insert" (draft adds words) | "delete" (draft drops words) | "replace"
    draft: str  # the draft's words, as written ("" for a deletion)
    source: str  # the source's words, as written ("" for an insertion)
    touches: frozenset[EditTouch] = frozenset()  # subset of {"negation", "number", "name"}

    def __str__(self) -> str:
        if self.op == "insert":
            return f"+{self.draft}"
        if self.op == "delete":
            return f"-{self.source}"
        return f"{self.source} → {self.draft}"


@dataclass
class SourceMatch:
    """A quote aligned to the best window of one source passage."""

    passage: SourcePassage  # the source passage the quote was aligned to
    score: float  # 0..1 similarity of the quote to the aligned window
    text: str  # the source's words in the aligned window, as written
    line: int  # 1-based line of the window in the source file
    column: int  # 1-based column of the window's first word
    edits: list[WordEdit] = field(default_factory=list)  # empty: the words agree

    @property
    def exact(self) -> bool:
        """Whether the draft's words and the source's agree (no edits)."""
        return not self.edits


@dataclass
class Evidence:
    """Where a finding's claim comes from: this document or another source."""

    path: str  # the file the evidence is in: this draft or a source
    line: int  # 1-based line there
    column: int  # 1-based column there
    text: str  # the words that support the finding, as written there
    speaker: str | None = None  # who the evidence gives the words to, if anyone
    note: str | None = None  # a word of explanation ("the closest source", "she added")

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Fix:
    """A safe, mechanical edit a rule offers: ``text[start:end]`` becomes
    ``replacement``. Only edits that cannot change what anyone said (quote-mark
    style, spacing) are offered as fixes."""

    start: int  # offset in ``Document.text`` where the edit starts
    end: int  # offset just past the replaced text
    replacement: str  # the new text ("" deletes)
    description: str = ""  # what the edit does, for --fix's summary and editors' quick fixes


@dataclass
class Finding:
    """A problem a rule reports: the stable rule name, a code, and where."""

    rule: str  # the rule's stable name ("unattributed-quote"): what select, ignore and suppressions use
    code: str  # the rule's code ("QC102")
    severity: str  # the rule's default; in a FileResult, what the configuration's [severity] made it
    message: str  # one sentence for the editor, naming what is wrong
    start: int  # offset in ``Document.text`` of the words an editor has to change
    end: int  # offset just past them
    quote: Quote | None = None  # the quote the finding is about (None: about the document)
    speaker: str | None = None  # the speaker concerned, if any
    evidence: list[Evidence] = field(default_factory=list)  # where the claim comes from
    fixes: list[Fix] = field(default_factory=list)  # applied together by --fix, or none


@dataclass
class Paragraph:
    """One paragraph of a document: blank lines separate them (one a line in
    wire copy with no blank line)."""

    index: int  # its place in ``Document.paragraphs``, from 0
    start: int  # offset of its first character (leading space excluded)
    end: int  # offset just past its last character (trailing space excluded)


class Document:
    """A decoded text with its paragraphs and line index; stages add to it.

    A file longer than a section (see :mod:`quotecheck.reading`) is checked as
    several documents, one per section, cut at paragraph breaks: ``origin`` is
    then where this one's text starts in the file's decoded text and
    ``line_origin`` how many lines come before it (``column_origin``: how many
    characters of its first line, when it was cut inside one), so that offsets in the
    output (``origin + start``) and ``position`` are the file's; ``section`` is
    its number (None for a whole file); ``blank_lines`` says how the whole file
    separates paragraphs (None: decide from this text); ``inherited`` holds the
    suppression directives of the file's other sections that reach into this
    one, with offsets relative to this text."""

    def __init__(self, path: str, text: str, *, origin: int = 0, line_origin: int = 0, column_origin: int = 0,
                 section: int | None = None, blank_lines: bool | None = None, inherited: tuple = ()):
        self.path = path  # the file's name as given (relative or absolute; "<string>" for a string)
        self.text = text  # the decoded text (of this section, for a long file)
        self.origin = origin  # where this text starts in the file's text (0 unless a section)
        self.line_origin = line_origin  # lines of the file before this text (0 unless a section)
        self.column_origin = column_origin  # characters of its first line before it (a section cut mid-line)
        self.section = section  # the section's number, None for a whole file
        self.blank_lines = blank_lines  # whether paragraphs are separated by blank lines (None: decide from text)
        self.inherited = list(inherited)  # suppression directives from the file's other sections
        # A line ends at \n, \r\n or a lone \r (old Mac and some CMS exports).
        self._line_starts = [0] + [m.end() for m in LINE_BREAK_RE.finditer(text)]
        self.paragraphs = _split_paragraphs(text, blank_lines)  # every paragraph, in order (a property: their start offsets are kept beside it)
        self.quotes: list[Quote] = []  # every quote, in document order (the quote finder)
        self.mark_problems: list[MarkProblem] = []  # quote marks repaired or left unpaired
        self.people: dict[str, Person] = {}  # full name -> person, for everyone the document names
        self.parses: dict[int, Any] = {}  # paragraph index -> spaCy Doc (language stage)
        self.sentences: dict[int, Any] = {}  # paragraph index -> language.SentenceIndex, built on use
        self.furniture: list[Furniture] = []  # layout stage, in offset order
        self.entities: list[Person] = []  # reference layer; an entity's index is its id
        self.mentions: list[Mention] = []  # reference layer, in offset order
        self.references: Any = None  # the reference layer's lookups (references.References)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self._paragraphs

    @paragraphs.setter
    def paragraphs(self, paragraphs: list[Paragraph]) -> None:
        self._paragraphs = paragraphs
        self._paragraph_starts = [p.start for p in paragraphs]

    def in_furniture(self, offset: int) -> Furniture | None:
        """The furniture stretch holding ``offset``, if any (the stretches are
        sorted and do not overlap: one binary search)."""
        furniture = self.furniture
        if not furniture:
            return None
        if getattr(self, "_furniture_key", None) != (id(furniture), len(furniture)):
            self._furniture_starts = [f.start for f in furniture]
            self._furniture_key = (id(furniture), len(furniture))
        i = bisect.bisect_right(self._furniture_starts, offset) - 1
        if i >= 0 and offset < furniture[i].end:
            return furniture[i]
        return None

    def quotes_in(self, paragraph: int) -> list[Quote]:
        """The quotes of one paragraph, in document order (indexed once)."""
        key = (id(self.quotes), len(self.quotes))
        if getattr(self, "_quotes_key", None) != key:
            self._by_paragraph: dict[int, list[Quote]] = {}
            for q in self.quotes:
                self._by_paragraph.setdefault(q.paragraph, []).append(q)
            self._quotes_key = key
        return self._by_paragraph.get(paragraph, [])

    def furniture_between(self, start: int, end: int) -> list[Furniture]:
        """The furniture stretches overlapping ``[start, end)``."""
        self.in_furniture(start)  # builds the start index
        if not self.furniture:
            return []
        i = max(0, bisect.bisect_right(self._furniture_starts, start) - 1)
        j = bisect.bisect_left(self._furniture_starts, end)
        return [f for f in self.furniture[i:j] if f.end > start]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of a character offset into ``text``."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return self.line_origin + line + 1, offset - self._line_starts[line] + 1 + (0 if line else self.column_origin)

    # What a finished document keeps when it is pickled (for the result cache
    # and the worker processes): not the parses, nor the lookups built on them.
    _KEPT = ("path", "text", "origin", "line_origin", "column_origin", "section", "blank_lines", "inherited", "_line_starts",
             "_paragraphs", "_paragraph_starts", "quotes", "mark_problems", "people", "furniture",
             "entities", "mentions")

    def __getstate__(self) -> dict:
        return {k: self.__dict__[k] for k in self._KEPT if k in self.__dict__}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.parses, self.sentences, self.references = {}, {}, None

    def paragraph_at(self, offset: int) -> int:
        """The index of the paragraph holding ``offset`` (or the last one before it)."""
        return max(0, bisect.bisect_right(self._paragraph_starts, offset) - 1)

    def paragraph_text(self, index: int) -> str:
        """The text of paragraph ``index``, without the blank lines around it."""
        p = self.paragraphs[index]
        return self.text[p.start:p.end]


NEWLINE = r"(?:\r\n|\r(?!\n)|\n)"
LINE_BREAK_RE = re.compile(NEWLINE)


BLANK_LINE = rf"{NEWLINE}[ \t]*{NEWLINE}"
BLANK_LINE_RE = re.compile(BLANK_LINE)
PARAGRAPH_BREAK_RE = {True: re.compile(rf"{BLANK_LINE}\s*"), False: re.compile(rf"{NEWLINE}\s*")}


def _split_paragraphs(text: str, blank_lines: bool | None = None) -> list[Paragraph]:
    """Paragraphs are separated by blank lines; a text with no blank line at all
    (wire copy, one paragraph a line) is split line by line instead.
    ``blank_lines``: which of the two, when the whole file decided it."""
    if blank_lines is None:
        blank_lines = BLANK_LINE_RE.search(text) is not None
    separator = PARAGRAPH_BREAK_RE[blank_lines]
    paras: list[Paragraph] = []
    pos = 0
    for m in list(separator.finditer(text)) + [None]:
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

    sources: Any = None  # the sources to check against (a quotecheck.matching.verify.SourceSet), None without any
    registry: Any = None  # the people registry (a quotecheck.registry.PeopleRegistry), None without one
    config: Any = None  # the configuration in force (a quotecheck.config.Config), None outside a session

    def get(self, key: str, default=None):
        return getattr(self, key, default) if key in ("sources", "registry", "config") else default

    def __getitem__(self, key: str):
        if key not in ("sources", "registry", "config"):
            raise KeyError(key)
        return getattr(self, key)

