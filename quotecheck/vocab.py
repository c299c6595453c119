"""Every closed vocabulary of quotecheck, as typed literals, in one place.

Stages and rules import these instead of spelling the strings anew; a test
(tests/test_vocab.py) checks that the data model's fields only ever hold them.
"""
from __future__ import annotations

from typing import Literal, get_args

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)

# A run's problem (not a finding): an error makes the exit status 2; a warning
# is said and changes nothing (a source folder's file no format reads).
ProblemSeverity = Literal["error", "warning"]
PROBLEM_SEVERITIES: tuple[str, ...] = get_args(ProblemSeverity)

QuoteKind = Literal["direct", "partial", "scare", "title", "nested"]
QUOTE_KINDS: tuple[str, ...] = get_args(QuoteKind)

# How an attribution was found (``Attribution.method``).
Method = Literal["label", "dash", "cue", "colon", "according-to", "sentence-before", "sentence-after", "adjacent",
                 "continuation", "same-paragraph", "narrative-before"]
METHODS: tuple[str, ...] = get_args(Method)

# Where a quote stands, as the editor sees it (quotecheck.status): against the
# sources, and in the document itself. Most serious first.
QuoteStatus = Literal["misattributed", "altered", "pronoun-issue", "unattributed", "variant", "unverified",
                      "verified", "unchecked"]
QUOTE_STATUSES: tuple[str, ...] = get_args(QuoteStatus)

# The source formats quotecheck reads itself (quotecheck.sources.formats); a
# plugin's format names its own kind, which is not in this list.
SourceKind = Literal["subtitles", "transcript", "statement", "article"]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)

# A quote's declared edits (``Alteration.kind``): ``[inserted words]`` or ``...``.
AlterationKind = Literal["insertion", "ellipsis"]
ALTERATION_KINDS: tuple[str, ...] = get_args(AlterationKind)

# What is wrong with a quote mark (``MarkProblem.kind``).
MarkProblemKind = Literal["misdirected", "stray-space", "unclosed", "unopened"]
MARK_PROBLEM_KINDS: tuple[str, ...] = get_args(MarkProblemKind)

# One word-level difference between a draft quote and its source
# (``WordEdit.op``), and what it touches beyond wording (``WordEdit.touches``).
EditOp = Literal["insert", "delete", "replace"]
EDIT_OPS: tuple[str, ...] = get_args(EditOp)
EditTouch = Literal["negation", "number", "name"]
EDIT_TOUCHES: tuple[str, ...] = get_args(EditTouch)

# Position encodings of the language server (LSP PositionEncodingKind), in the
# server's order of preference (UTF-16 is what every client supports).
PositionEncoding = Literal["utf-32", "utf-8", "utf-16"]
POSITION_ENCODINGS: tuple[str, ...] = get_args(PositionEncoding)

# The reference layer: what a mention is, and what an entity is.
MentionKind = Literal["name", "surname", "title", "description", "pronoun"]
MENTION_KINDS: tuple[str, ...] = get_args(MentionKind)
EntityKind = Literal["person", "group"]
ENTITY_KINDS: tuple[str, ...] = get_args(EntityKind)
Pronoun = Literal["he", "she", "they"]
PRONOUNS: tuple[str, ...] = get_args(Pronoun)
# A mention's grammatical role, for salience.
Role = Literal["subject", "object", "oblique", "other"]

# Page furniture: text around an article that is no one's words and names no one.
FurnitureKind = Literal["kicker", "headline", "subheading", "caption", "credit", "byline", "link",
                        "boilerplate", "label"]
FURNITURE_KINDS: tuple[str, ...] = get_args(FurnitureKind)

# The source index (quotecheck/index/): where passages are stored, how an
# archive is read into it, and how a retrieval query asks for words.
StoreBackend = Literal["sqlite", "postgresql"]
STORE_BACKENDS: tuple[str, ...] = get_args(StoreBackend)
IndexEngine = Literal["local", "dask"]  # `index add --engine`: this process, or a Dask cluster
INDEX_ENGINES: tuple[str, ...] = get_args(IndexEngine)
QueryMode = Literal["all", "phrase"]  # a passage holds every word anywhere / the words in this order
