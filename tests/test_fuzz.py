"""Fuzzing (issue 10): random text and random bytes through every stage.

The quote finder, the reference layer, attribution, the source loaders, the
word alignment and the command line are fed arbitrary unicode, news-like text
heavy on quote marks, line breaks and names, and arbitrary bytes (invalid
UTF-8, byte-order marks, NUL bytes). Whatever comes in: nothing raises, nothing
hangs, every offset lies inside its text and points at the words it claims
(``text == file_text[start:end]``), and the command line answers with exit 0, 1
or 2 and one-line messages, never a traceback.

The command line is called in-process (``quotecheck.cli.main``), so the spaCy
model is loaded once for the whole session. The tests that parse run
derandomized, so that CI runs the same examples every time; the pure ones
(finder, source parsers, alignment) take milliseconds an example and explore
afresh on every run.
"""
from __future__ import annotations

import bisect
import io
import json
import os
import random
import re
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from quotecheck.cli import main
from quotecheck.engine import analyze
from quotecheck.matching import align_quote, keys, words
from quotecheck.model import Document
from quotecheck.quotes import find_quotes
from quotecheck.reporting import findings_json, people_json, quotes_json
from quotecheck.session import FileResult, Problem, Workspace
from quotecheck.sources import SourceLoader
from quotecheck.sources.formats import detect_kind
from quotecheck.sources.statement import parse_statement
from quotecheck.sources.subtitles import parse_subtitles
from quotecheck.sources.transcript import parse_transcript
from quotecheck.vocab import ENTITY_KINDS, MENTION_KINDS, PRONOUNS, QUOTE_KINDS, SEVERITIES

# -- settings -------------------------------------------------------------------

SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
        HealthCheck.filter_too_much]
# Pure functions: many examples, random each run (an example takes milliseconds).
FAST = settings(max_examples=200, deadline=timedelta(seconds=3), suppress_health_check=SLOW)
# Anything that parses or runs the command line: fewer examples, the same ones every run.
PARSED = settings(max_examples=50, deadline=timedelta(seconds=10), derandomize=True,
                  suppress_health_check=SLOW)
CLI = settings(max_examples=35, deadline=timedelta(seconds=20), derandomize=True,
               suppress_health_check=SLOW)

# -- text ---------------------------------------------------------------------------

MARKS = "“”‘’\"'«»„‚‹›"
LINE_BREAKS = ["\n", "\r\n", "\r"]
PARAGRAPH_BREAKS = ["\n\n", "\r\n\r\n", "\r\r", "\n \n", "\r\n\t\r\n", "\n\n\n"]
NAMES = ["Anna Kovac", "Kovac", "Kovacc", "Oleg Nikolenko", "Mr. Nikolenko", "Ms. Ruiz", "Ana Ruiz",
         "the Kremlin", "Local officials", "the spokesman", "Dmitry Peskov", "Peskov", "PESKOV",
         "O'Brien", "N’Diaye", "Bill de Blasio", "Zelensky", "Zelenskyy",
         "the adviser to the ministry, Vadim Denisenko,", "Gov. Jonas Berg", "The New York Times", "AFP",
         "Anna\nKovac", "Erdoğan"]
CUES = ["said", "says", "told", "told AFP", "added", "according to", "insisted", "warned", "wrote",
        "was asked", "said in a statement", ":", "—", "– ", ", saying", "called it"]
PRONOUNS_WRITTEN = ["he", "she", "they", "He", "She", "They", "his", "her", "him", "it", "I", "we",
                    "them", "its"]
FILLER = ["We", "will", "not", "go", "back", "the", "plan", "is", "dead", "money", "engineers", "of",
          "Kyiv’s", "don’t", "’90s", "soldiers’", "MSNBC’s", "Morning Joe", "[the ministry]", "[T]he",
          "...", "…", "2,000", "U.S.", "well-", "known", "re-\nelect", "a", "on", "who", "never", "café",
          "\u00ad", "\u200b", "\t", "  ", "bridge", "winter", "ice", "pillars", "five", "40%"]
PUNCT = [".", ",", ":", ";", "?", "!", "—", " — ", "-", "(", ")", "[", "]", "…"]
MARKUP = ["''", "``", "<a href=\"x\">", "</a>", "<p class='q'>", "[[quotecheck: ignore QC102]]",
          "<!-- quotecheck: disable all -->", "[[quotecheck: ignore-file nonsense]]",
          "PORT ELLIS (AP) — ", "PESKOV: ", "Q: ", "A: ", "- ", "By Anna Kovac", "Photo: AP", "###"]
PIECES = (list(MARKS) + NAMES + CUES + PRONOUNS_WRITTEN + FILLER + PUNCT + MARKUP
          + LINE_BREAKS + PARAGRAPH_BREAKS)
# Opening and closing marks, well paired or broken on purpose.
GOOD_PAIRS = [("“", "”"), ("\"", "\""), ("«", "»"), ("„", "“"), ("‘", "’")]
MARK_PAIRS = GOOD_PAIRS + [("'", "'"), ("»", "«"), ("''", "''"), ("``", "''"), ("“", "“"), ("” ", "”"),
                           ("“ ", "”"), ("“", " ”"), ("", "”"), ("“", ""), ("‹", "›"), ("‚", "‘")]
SAID_WORDS = [w for w in FILLER if w.strip() and w not in ("\u00ad", "\u200b")]


def restyle(draw, text: str) -> str:
    """``text`` (written with "\\n") with LF, CRLF, lone CR or a mix of them."""
    style = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if style != "mixed":
        return text.replace("\n", style)
    parts = text.split("\n")
    return parts[0] + "".join(draw(st.sampled_from(LINE_BREAKS)) + p for p in parts[1:])


def sprinkle(draw, text: str, pieces: list[str]) -> str:
    """A few random pieces inserted at random places."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(pieces)) + text[at:]
    return text


@st.composite
def said_words(draw, min_size: int = 1) -> str:
    return " ".join(draw(st.lists(st.sampled_from(SAID_WORDS), min_size=min_size, max_size=9)))


@st.composite
def news_sentence(draw, pairs=MARK_PAIRS, said=None) -> tuple[str, str]:
    """A sentence with a quote in one of the shapes news writes them in, and the quoted words."""
    said = said if said is not None else draw(said_words())
    who = draw(st.sampled_from(NAMES + PRONOUNS_WRITTEN))
    cue = draw(st.sampled_from(CUES))
    opener, closer = draw(st.sampled_from(pairs))
    end = draw(st.sampled_from([",", ".", "?", "!", "", " ...", ", "]))
    quote = f"{opener}{said}{end}{closer}"
    shape = draw(st.integers(0, 6))
    if shape == 0:
        return f"{quote} {who} {cue}.", said
    if shape == 1:
        return f"{who} {cue}: {quote}", said
    if shape == 2:
        return f"{quote} — {who}", said
    if shape == 3:
        return f"{cue} {who} {quote}", said
    if shape == 4:
        return f"{who} {cue} the plan was {opener}{said}{closer} and {quote}", said
    if shape == 5:
        return f"{who}, 43, runs the cafe. {quote} {who} {cue}.", said
    return f"{who.upper()}: {said}{end}", said


paragraph_text = st.tuples(st.lists(st.one_of(news_sentence().map(lambda s: s[0]), st.sampled_from(PIECES)),
                                    max_size=10),
                           st.sampled_from([" ", "", "  ", " \n"])).map(lambda t: t[1].join(t[0]))


@st.composite
def news_text(draw, max_size: int = 400) -> str:
    """Paragraphs of news-like text, joined by line and paragraph breaks of every kind."""
    out = ""
    for p in draw(st.lists(paragraph_text, max_size=6)):
        out += p + draw(st.sampled_from(LINE_BREAKS + PARAGRAPH_BREAKS))
    return out[:max_size]


@st.composite
def story(draw, noise: bool = True) -> tuple[str, list[str]]:
    """A short, mostly well-formed story (quotes of three words or more, with
    cues; with ``noise``, a few random pieces thrown in), and the words of its quotes."""
    paragraphs, quoted = [], []
    for _ in range(draw(st.integers(1, 4))):
        sentence, said = draw(news_sentence(pairs=GOOD_PAIRS, said=draw(said_words(min_size=3))))
        paragraphs.append(sentence)
        quoted.append(said)
    text = restyle(draw, draw(st.sampled_from(["\n\n", "\n"])).join(paragraphs) + draw(st.sampled_from(["", "\n"])))
    return (sprinkle(draw, text, PIECES) if noise else text)[:400], quoted


raw_text = st.text(alphabet=st.one_of(st.sampled_from(MARKS + "\n\r \t.,:;!?—[]…<>&#"),
                                      st.characters(codec="utf-8")), max_size=300)
any_text = st.one_of(raw_text, news_text(), story().map(lambda s: s[0]))

# -- sources ----------------------------------------------------------------------------

LABELS = ["Q", "A", "PESKOV", "Dmitry Peskov", "Mr. Peskov", "ANNA KOVAC", "Kovac", "REPORTER",
          "SPEAKER 1", "INTERPRETER", "Ms. Kovac (through interpreter)", "QUESTION", "Note"]
TIMESTAMPS = ["", "", "[00:01:23] ", "00:01:23 - ", "(01:23) ", "12:30 ", "[1:02:03.5] "]
TRANSCRIPT_HEADERS = ["", "Interview with Anna Kovac", "Press briefing by Kremlin spokesman Dmitry Peskov",
                      "Transcript\nMarch 12, 2024", "Q&A with Dmitry Peskov and Anna Kovac"]
SOURCE_JUNK = ["\n", "\n\n", ":", "Q: ", "-->", "<i>", "</v>", "&amp;", "&lrm;", "&#8220;", "&bogus;", "###",
               "-30-", "(END)", "12:30", "\t", "“", "”", "é", "WEBVTT", "NOTE", "1\n", "---\n", "a@b.co"]


def mutate(draw, said: str) -> str:
    """The words as a source may hold them: the same, or one word dropped,
    added or changed."""
    ws = said.split()
    if len(ws) > 2 and draw(st.booleans()):  # hard-wrapped: a line break inside the words
        at = draw(st.integers(1, len(ws) - 1))
        ws[at] = "\n" + ws[at]
    how = draw(st.sampled_from(["same", "same", "drop", "add", "change"]))
    at = draw(st.integers(0, max(0, len(ws) - 1)))
    if how == "drop" and len(ws) > 1:
        del ws[at]
    elif how == "add":
        ws.insert(at, draw(st.sampled_from(["very", "not", "never", "five"])))
    elif how == "change" and ws:
        ws[at] = draw(st.sampled_from(["year", "two", "Zelenskyy", "always"]))
    return " ".join(ws).replace(" \n", "\n")


@st.composite
def transcript_text(draw, said=()) -> str:
    lines = [draw(st.sampled_from(TRANSCRIPT_HEADERS))]
    for _ in range(draw(st.integers(1, 6))):
        body = mutate(draw, draw(st.sampled_from(said))) if said and draw(st.booleans()) else draw(said_words())
        body += draw(st.sampled_from([".", "?", "", " ..."]))
        label, stamp = draw(st.sampled_from(LABELS)), draw(st.sampled_from(TIMESTAMPS))
        layout = draw(st.sampled_from(["{t}{l}: {b}", "{t}{l}:\n{b}", "{t}{l}: {b}\n\n{b}", "{l}: {b}\n{t}"]))
        lines.append(layout.format(t=stamp, l=label, b=body))
    lines.append(draw(st.sampled_from(["", "(END)", "###", "[00:09:59]"])))
    text = draw(st.sampled_from(["\n", "\n\n"])).join(lines)
    return restyle(draw, sprinkle(draw, text, SOURCE_JUNK))


@st.composite
def subtitles_text(draw, said=()) -> str:
    vtt = draw(st.booleans())
    out = ["WEBVTT", ""] if vtt else []
    for n in range(draw(st.integers(1, 5))):
        if not vtt or draw(st.booleans()):
            out.append(str(n + 1))
        sep = "." if vtt else ","
        a, b = f"00:00:{n:02d}{sep}000", f"00:00:{n + 1:02d}{sep}500"
        out.append(draw(st.sampled_from([f"{a} --> {b}", f"{a} --> {b} align:start line:0", f"{a}-->{b}",
                                         f"{a} -> {b}", "00:00 --> xx", f"{a} --> {b}"])))
        for _ in range(draw(st.integers(1, 2))):
            body = mutate(draw, draw(st.sampled_from(said))) if said and draw(st.booleans()) else draw(said_words())
            voice = draw(st.sampled_from(["", "", "<v Anna Kovac>", "<v.loud Dmitry Peskov>", "<v Reporter>",
                                          "- ", "- ANNA KOVAC: ", "PESKOV: ", "Yes: ", "<i>", "<c.yellow>"]))
            close = draw(st.sampled_from(["", "", "</v>", "</i>", " &amp; co", "&lrm;"]))
            out.append(f"{voice}{body}{close}")
        out.append(draw(st.sampled_from(["", "", "", "NOTE a note\n"])))
    return restyle(draw, sprinkle(draw, "\n".join(out) + "\n", SOURCE_JUNK))


STATEMENT_HEADERS = ["", "Statement by Kremlin spokesman Dmitry Peskov", "Statement from the Ministry of Defence",
                     "Speaker: Anna Kovac", "From: Anna Kovac", "Anna Kovac said in a statement:",
                     "---\nspeaker: Anna Kovac\ndate: 2024-03-12\n---", "# Statement by Anna Kovac",
                     "Statement by Peskov sparks outrage", "---\n\nJust prose after a rule."]


@st.composite
def statement_text(draw, said=()) -> str:
    lines = [draw(st.sampled_from(["", "FOR IMMEDIATE RELEASE"])), draw(st.sampled_from(STATEMENT_HEADERS)),
             draw(st.sampled_from(["", "MOSCOW, March 12, 2024", "12 March 2024 at 14:00 CET"]))]
    for _ in range(draw(st.integers(1, 4))):
        body = mutate(draw, draw(st.sampled_from(said))) if said and draw(st.booleans()) else draw(said_words())
        lines.append(body + ".")
    lines += draw(st.sampled_from([[], ["###"], ["Media contact:", "Ana Ruiz", "a@b.co", "+1 555 0100"],
                                   ["-30-", "More words after the end."]]))
    text = draw(st.sampled_from(["\n", "\n\n"])).join(line for line in lines if line)
    return restyle(draw, sprinkle(draw, text, SOURCE_JUNK))


source_text = st.one_of(raw_text, news_text(), transcript_text(), subtitles_text(), statement_text(),
                        st.lists(st.sampled_from(SOURCE_JUNK + PIECES), max_size=60).map("".join))
SOURCE_SUFFIXES = [".txt", ".md", ".vtt", ".srt", ".html"]

# -- bytes -------------------------------------------------------------------------------

BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]
DECODABLE = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le-bom"]
FOREIGN = ["latin-1", "cp1252", "utf-16-le", "utf-32"]


def encode(text: str, how: str) -> bytes:
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if how == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(how, errors="replace")


decodable_bytes = st.builds(encode, any_text, st.sampled_from(DECODABLE))
foreign_bytes = st.builds(encode, any_text, st.sampled_from(FOREIGN))


@st.composite
def mangled_bytes(draw) -> bytes:
    """Encoded text with bytes cut, inserted or replaced: a NUL, a stray
    continuation byte, a BOM in the middle, a sequence cut short."""
    data = bytearray(draw(st.one_of(decodable_bytes, foreign_bytes)))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        what = draw(st.sampled_from(["nul", "byte", "bom", "cut", "chop"]))
        if what == "nul":
            data[at:at] = b"\x00"
        elif what == "byte":
            data[at:at] = bytes([draw(st.integers(0x80, 0xff))])
        elif what == "bom":
            data[at:at] = draw(st.sampled_from(BOMS))
        elif what == "cut":
            del data[at:at + draw(st.integers(1, 3))]
        else:
            data = data[:at]
    return bytes(data)


any_bytes = st.one_of(decodable_bytes, st.builds(encode, story().map(lambda s: s[0]), st.sampled_from(DECODABLE)),
                      foreign_bytes, mangled_bytes(), st.binary(max_size=300),
                      st.builds(lambda bom, rest: bom + rest, st.sampled_from(BOMS), st.binary(max_size=200)))


def expected_text(data: bytes) -> str | None:
    """The text a file's bytes decode to, as the README promises it, or None
    when the file is refused: UTF-8 (a BOM dropped), or UTF-16 with its BOM
    (leading BOMs dropped, as the decoder does); NUL bytes make a binary file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and len(data) % 2 == 0:
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def replaced_text(data: bytes) -> str:
    """The text of a file that is not UTF-8, read with ``--encoding-errors
    replace``: each bad byte sequence a U+FFFD."""
    return (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).decode("utf-8", "replace")


# -- what every result must satisfy -------------------------------------------------------

LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Lines:
    """1-based (line, column) of offsets, lines ending at LF, CRLF or a lone CR
    (the README's convention), worked out independently of quotecheck."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def __len__(self) -> int:
        return len(self.starts)


def check_quotes(doc: Document) -> None:
    """Every paragraph, quote, alteration and mark problem of a document points into it honestly."""
    text = doc.text
    paragraphs = doc.paragraphs
    assert paragraphs, "a document has at least one paragraph"
    for p in paragraphs:
        assert 0 <= p.start <= p.end <= len(text)
    for p, q in zip(paragraphs, paragraphs[1:]):
        assert p.end <= q.start
    lines = Lines(text)
    for i, q in enumerate(doc.quotes):
        assert 0 <= q.start < q.end <= len(text), (q.start, q.end, len(text))
        assert text[q.start:q.end] == q.text
        assert q.text == q.text.strip()
        assert 0 <= q.outer_start <= q.start and q.end <= q.outer_end <= len(text)
        if q.open_mark is not None:
            assert q.mark_start is not None and q.mark_start < q.start
        if q.close_mark is not None:
            assert q.mark_end is not None and q.mark_end > q.end
        assert 0 <= q.paragraph < len(paragraphs)
        assert q.kind in QUOTE_KINDS
        if q.continues is not None:
            assert 0 <= q.continues < i
            assert doc.quotes[q.continues].paragraph < q.paragraph
        for a in q.alterations:
            assert a.kind in ("insertion", "ellipsis")
            assert q.start <= a.start < a.end <= q.end
            assert text[a.start:a.end] == a.text
        assert doc.position(q.start) == lines.position(q.start)
        assert doc.position(q.end) == lines.position(q.end)
    assert [q.start for q in doc.quotes] == sorted(q.start for q in doc.quotes)
    for m in doc.mark_problems:
        assert 0 <= m.offset < len(text)
        assert m.kind in ("misdirected", "stray-space", "unclosed", "unopened")
        # The mark as written ('' and `` are read as one double mark).
        assert text.startswith(m.mark, m.offset) or text[m.offset:m.offset + 2] in ("''", "``"), m


def check_references(doc: Document) -> None:
    """doc.entities and doc.mentions: every mention a slice of the text, in
    order, on an entity of the document that holds it in its chain."""
    text = doc.text
    entities = {id(e) for e in doc.entities}
    assert len(entities) == len(doc.entities), "an entity is listed once"
    starts = [m.start for m in doc.mentions]
    assert starts == sorted(starts), "doc.mentions is in offset order"
    for m in doc.mentions:
        assert 0 <= m.start < m.end <= len(text), (m.start, m.end, len(text))
        assert text[m.start:m.end] == m.text
        assert m.kind in MENTION_KINDS
        assert 0 <= m.paragraph < len(doc.paragraphs)
        assert m.entity is not None and id(m.entity) in entities
        assert any(c is m for c in m.entity.chain)
    for e in doc.entities:
        assert e.kind in ENTITY_KINDS
        assert e.name and e.name == e.name.strip()
        for m in e.chain:
            assert m.entity is e
            assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
        assert [m.start for m in e.chain] == sorted(m.start for m in e.chain)
        for offset, _ in e.mentions:
            assert 0 <= offset <= len(text)
        for offset, pronoun in e.pronouns:
            assert 0 <= offset < len(text) and pronoun in PRONOUNS
    people = json.loads(people_json([doc]))["files"][0]["people"]
    assert len(people) == len(doc.entities)
    for person in people:
        assert person["kind"] in ENTITY_KINDS
        assert person["pronoun"] in (*PRONOUNS, None)
        for m in person["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"] and m["kind"] in MENTION_KINDS


def check_attribution(doc: Document) -> None:
    """Each quote's attribution: offsets inside the text, and a speaker entity
    that is one of the document's entities (the JSON ``speaker_id``)."""
    text = doc.text
    for q in doc.quotes:
        att = q.attribution
        for offset in (att.mention_start, att.cue_start):
            assert offset is None or 0 <= offset <= len(text), (offset, len(text))
        if att.speaker is None:
            assert att.person is None
        if att.person is not None:
            assert att.speaker is not None
            assert any(e is att.person for e in doc.entities), "the speaker is one of doc.entities"
    records = json.loads(quotes_json([doc]))["files"][0]["quotes"]
    people = json.loads(people_json([doc]))["files"][0]["people"]
    assert len(records) == len(doc.quotes)
    for r in records:
        assert text[r["start"]:r["end"]] == r["text"]
        # A speaker with no entity ("the spokesman said", nobody named) has no speaker_id.
        if r["speaker"] is None:
            assert r["speaker_id"] is None
        if r["speaker_id"] is not None:
            assert 0 <= r["speaker_id"] < len(people) and people[r["speaker_id"]]["name"] == r["speaker"]


# -- the quote finder -------------------------------------------------------------

@FAST
@given(any_text)
@example("“0 ““”")
@example("''“ ‘s’ s’ x’\n\n“a\n\n”")
@example("“a\r\rb”\r“c\r\n\r\n“d”")
@example("„Nein“, sagte er. »Ja«, sagte sie. «Oui» ‹non›")
def test_finder_offsets_hold_on_any_text(text):
    doc = Document("fuzz.txt", text)
    assert find_quotes(doc) is doc.quotes
    check_quotes(doc)
    again = Document("fuzz.txt", text)
    find_quotes(again)
    assert [(q.start, q.end, q.kind) for q in again.quotes] == [(q.start, q.end, q.kind) for q in doc.quotes]


@FAST
@given(st.one_of(news_text(), story().map(lambda s: s[0])), st.sampled_from(["\r\n", "\r"]))
def test_finder_reads_every_line_ending_alike(text, newline):
    """LF, CRLF and a lone CR end lines alike: the same quotes, the same problems."""
    text = LINE_BREAK.sub("\n", text)
    unix = Document("lf.txt", text)
    find_quotes(unix)
    other = Document("other.txt", text.replace("\n", newline))
    find_quotes(other)
    check_quotes(other)
    assert [LINE_BREAK.sub("\n", q.text) for q in other.quotes] == [q.text for q in unix.quotes]
    assert [(m.kind, m.mark) for m in other.mark_problems] == [(m.kind, m.mark) for m in unix.mark_problems]


# -- the reference layer and attribution ----------------------------------------------

@PARSED
@given(any_text)
def test_references_on_any_text(nlp, text):
    doc = Document("fuzz.txt", text)
    analyze([doc])
    check_quotes(doc)
    check_references(doc)
    event(f"entities: {min(3, len(doc.entities))}")


@PARSED
@given(st.one_of(story().map(lambda s: s[0]), news_text()))
@example("Anna Kovac spoke first. “We will not go back,” she said.\n\n“Never,” Kovac added.")
@example("“The plan is dead,” the adviser to the ministry, Vadim Denisenko, said.\r\r"
         "He added: “We will not go back.”\r\rPESKOV: No.\rQ: Why?")
def test_attribution_on_news_like_text(nlp, text):
    doc = Document("fuzz.txt", text)
    analyze([doc])
    check_quotes(doc)
    check_references(doc)
    check_attribution(doc)
    event(f"attributed quotes: {min(3, sum(q.speaker is not None for q in doc.quotes))}")


# -- the sources ------------------------------------------------------------------------

def check_slice_passages(source, text: str) -> None:
    """Transcript turns, statement paragraphs and article quotes are
    contiguous, stripped slices of the file, placed by line and column."""
    lines = Lines(text)
    for p in source.passages:
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start:p.end] == p.text == p.text.strip()
        assert (p.line, p.column) == lines.position(p.start), (p, lines.position(p.start))


def check_subtitle_passages(source, text: str) -> None:
    """Subtitle passages join cues, so only their ends are promised: ``start``,
    ``line`` and ``column`` at the first cue's words, ``end`` past the last cue's."""
    lines = Lines(text)
    starts = [p.start for p in source.passages]
    assert starts == sorted(starts)
    for p in source.passages:
        assert 0 <= p.start < p.end <= len(text)
        assert p.text and p.text == p.text.strip()
        assert (p.line, p.column) == lines.position(p.start), (p, lines.position(p.start))
        # The first and last visible characters, unless an entity (&amp;) stands there.
        assert p.text[0] == text[p.start] or text[p.start] == "&", (p, text[p.start])
        assert p.text[-1] == text[p.end - 1] or text[p.end - 1] == ";", (p, text[p.end - 1])


def check_alignment(source, text: str, seed: int) -> None:
    """A stretch of a passage's own words, quoted, is found exactly; a quote of
    its words shuffled and mixed with others aligns to words of the passage or
    to nothing. Where the passage is a slice of the file, the match's line and
    column point at its words in the file. ``seed`` picks the words."""
    sliced = source.kind in ("transcript", "statement", "article")
    lines = Lines(text)
    rnd = random.Random(seed)
    for p in source.passages[:4]:
        ws = words(p.text)
        if not ws:
            continue
        i = rnd.randrange(len(ws))
        j = rnd.randrange(i, min(len(ws), i + 12))
        quote = p.text[ws[i].start:ws[j].end]
        exact = align_quote(quote, p)
        assert exact is not None and exact.score == 1.0 and exact.edits == [], (quote, p.text, exact)
        assert keys(exact.text) == keys(quote)
        mixed = [p.text[w.start:w.end] for w in ws[i:j + 1]] + rnd.sample(SAID_WORDS + PUNCT + list(MARKS), 4)
        rnd.shuffle(mixed)
        for m in (exact, align_quote(" ".join(mixed), p, min_score=0.0)):
            if m is None:
                continue
            assert 0.0 <= m.score <= 1.0 and m.text and m.text in p.text
            assert (m.score == 1.0) == (not m.edits)
            if sliced:
                assert text.startswith(m.text, lines.offset(m.line, m.column)), (m, p)


@FAST
@given(source_text, st.sampled_from(SOURCE_SUFFIXES), st.integers(0, 2 ** 32))
@example("Interview with Anna Kovac\r\rQ: Will you go?\rA: We will not go back.\r", ".txt", 0)
@example("WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Anna Kovac>We &amp; they\r\n", ".vtt", 0)
@example("1\r00:00:01,000 --> 00:00:02,000\r- ANNA KOVAC: We will not go back.\r\r", ".txt", 0)
@example("Statement by Anna Kovac\r\n\r\nWe will not go back.\r\n###\r\n", ".txt", 0)
def test_source_parsers_on_any_text(text, suffix, seed):
    path = f"fuzz{suffix}"
    kind = detect_kind(path, text)
    assert kind in ("subtitles", "transcript", "statement", "article")
    if suffix in (".vtt", ".srt"):
        assert kind == "subtitles"
    for parse in (parse_transcript, parse_statement):
        source = parse(path, text)
        check_slice_passages(source, text)
        check_alignment(source, text, seed)
    source = parse_subtitles(path, text)
    check_subtitle_passages(source, text)
    check_alignment(source, text, seed)
    named = parse_statement(path, text, speaker="Anna Kovac")
    assert all(p.speaker == "Anna Kovac" for p in named.passages)
    event(f"detected {kind}, {'with' if source.passages or named.passages else 'no'} passages")


@FAST
@given(st.one_of(transcript_text(), subtitles_text(), statement_text()))
def test_source_kinds_survive_any_line_ending(text):
    """A source reads the same with LF, CRLF or lone CR line endings: the same
    kind, the same passages' words (the places differ by the breaks' widths)."""
    unix = LINE_BREAK.sub("\n", text)
    for other in (unix.replace("\n", "\r\n"), unix.replace("\n", "\r")):
        assert detect_kind("x.txt", other) == detect_kind("x.txt", unix)
        for parse in (parse_transcript, parse_statement, parse_subtitles):
            a, b = parse("x.txt", unix), parse("x.txt", other)
            assert [(p.speaker, keys(p.text), p.line) for p in b.passages] == \
                [(p.speaker, keys(p.text), p.line) for p in a.passages], parse.__name__
    event(detect_kind("x.txt", unix))


@PARSED
@given(st.lists(st.tuples(st.sampled_from(SOURCE_SUFFIXES), source_text), min_size=1, max_size=3),
       st.integers(0, 2 ** 32))
def test_source_loader_on_any_files(nlp, files, seed):
    """Through the loader (detection, then the transcript, subtitles,
    statement or article loader): one SourceFile per file, none failing."""
    pairs = [(f"/fuzz/source{n}{suffix}", text) for n, (suffix, text) in enumerate(files)]
    loaded = SourceLoader()(pairs)
    texts = dict(pairs)
    assert sorted(s.path for s in loaded) == sorted(texts)
    for source in loaded:
        assert not hasattr(source, "message"), source  # a LoadFailure: a loader raised
        text = texts[source.path]
        assert source.kind == detect_kind(source.path, text)
        if source.kind == "subtitles":
            check_subtitle_passages(source, text)
        else:
            check_slice_passages(source, text)
        check_alignment(source, text, seed)
        event(f"{source.kind}: {'passages' if source.passages else 'none'}")


# -- the command line -----------------------------------------------------------------

@pytest.fixture
def cli_dir(tmp_path, monkeypatch):
    """A working directory of the test's own (no configuration above it is
    found), and a call for a new directory per example, with its own
    QUOTECHECK_CACHE_DIR."""
    base = tmp_path / "fuzz"
    base.mkdir()
    (base / "quotecheck.toml").write_text("", encoding="utf-8")  # stops the search for a configuration
    monkeypatch.chdir(base)
    monkeypatch.delenv("QUOTECHECK_DEBUG", raising=False)
    monkeypatch.delenv("QUOTECHECK_MODEL", raising=False)
    monkeypatch.setenv("QUOTECHECK_JOBS", "1")  # in this process: no worker loads the model again

    def fresh() -> Path:
        here = Path(tempfile.mkdtemp(dir=base))
        monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(here / "cache"))
        return here

    return fresh


NO_CACHE = "--no-cache"  # computed afresh (test_cli_on_a_file_of_random_bytes also fills and reads a cache)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), code
    assert "Traceback" not in err and "Traceback" not in out
    assert "internal error" not in err, err  # the command line caught a bug
    for line in err.splitlines():
        assert line.startswith("quotecheck"), err  # each message one line of its own
    return code, out, err


def check_refused(code: int, err: str, path) -> None:
    """Exit 2, and one line that names the file."""
    assert code == 2
    named = [line for line in err.splitlines() if f"{path}:" in line]
    assert len(named) == 1, err


def check_place(record: dict, lines: Lines) -> None:
    assert (record["line"], record["column"]) == lines.position(record["start"])
    if "end_line" in record:
        assert (record["end_line"], record["end_column"]) == lines.position(record["end"])


def check_quotes_json(out: str, texts: dict[str, str]) -> dict[str, list]:
    data = json.loads(out)
    assert data["version"] == 1
    by_path = {}
    for f in data["files"]:
        text = texts[f["path"]]
        lines = Lines(text)
        for i, q in enumerate(f["quotes"]):
            assert 0 <= q["start"] < q["end"] <= len(text)
            assert text[q["start"]:q["end"]] == q["text"]
            check_place(q, lines)
            assert q["kind"] in QUOTE_KINDS
            assert q["continues"] is None or 0 <= q["continues"] < i
            for a in q["alterations"]:
                assert q["start"] <= a["start"] < a["end"] <= q["end"]
                assert text[a["start"]:a["end"]] == a["text"]
        by_path[f["path"]] = f["quotes"]
    return by_path


def check_people_json(out: str, texts: dict[str, str]) -> dict[str, list]:
    data = json.loads(out)
    assert data["version"] == 1
    by_path = {}
    for f in data["files"]:
        text = texts[f["path"]]
        for person in f["people"]:
            assert person["kind"] in ENTITY_KINDS and person["pronoun"] in (*PRONOUNS, None)
            for m in person["mentions"]:
                assert 0 <= m["start"] < m["end"] <= len(text)
                assert text[m["start"]:m["end"]] == m["text"]
                assert m["kind"] in MENTION_KINDS
        by_path[f["path"]] = f["people"]
    return by_path


def check_findings_json(out: str, texts: dict[str, str], sources: dict[str, str] | None = None) -> list[dict]:
    """Findings inside their draft, placed by line and column; evidence from a
    source that is a slice of its file points at the source's words there."""
    data = json.loads(out)
    assert data["version"] == 1
    found = []
    for f in data["files"]:
        text = texts[f["path"]]
        lines = Lines(text)
        for finding in f["findings"]:
            assert 0 <= finding["start"] <= finding["end"] <= len(text)
            check_place(finding, lines)
            assert finding["severity"] in SEVERITIES
            assert re.fullmatch(r"[A-Z]+\d+", finding["code"]), finding["code"]
            q = finding["quote"]
            if q is not None:
                assert text[q["start"]:q["end"]] == q["text"]
            for e in finding["evidence"]:
                if (e["line"], e["column"]) == (0, 0):  # no one place ("(sources)": a tally)
                    continue
                assert e["line"] >= 1 and e["column"] >= 1, e
                source = (sources or {}).get(os.path.realpath(e["path"])) if e["path"] != f["path"] else None
                if source is not None:
                    assert e["line"] <= len(Lines(source)), e
                    if detect_kind(e["path"], source) != "subtitles":  # subtitles join cues: no one slice
                        assert source.startswith(e["text"], Lines(source).offset(e["line"], e["column"])), e
            found.append(finding)
    return found


def records(out: str, path) -> list[str]:
    """The lines of a text output that open a record: ``path:line:col: …``."""
    return [line for line in out.split("\n") if re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line)]


def check_findings_text(out: str, path, findings: list[dict]) -> None:
    """The text output says what the JSON says: ``path:line:col: CODE [rule]
    severity: message`` for each finding, in order (the message on one line), its
    evidence indented below."""
    lines = records(out, path)
    assert len(lines) == len(findings), (lines, findings)
    for line, f in zip(lines, findings):
        head = f"{path}:{f['line']}:{f['column']}: {f['code']} [{f['rule']}] {f['severity']}: "
        assert line.startswith(head), (line, head)
        assert line[len(head):].split() == f["message"].split(), (line, f["message"])


def one_record_a_line(out: str, path) -> None:
    """Every line of a text output is a record (``path:line:col: …``) or an
    indented evidence line: a line break inside a record breaks editors and
    every tool that reads ``path:line:col``."""
    for line in out.rstrip("\n").split("\n") if out else []:
        assert line.startswith("    evidence: ") or re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line), line


@CLI
@given(st.one_of(any_bytes, mangled_bytes(), st.binary(min_size=1, max_size=300),
                 st.builds(encode, story().map(lambda s: s[0]), st.sampled_from(DECODABLE))))
@example(b"")
@example(b"\xef\xbb\xbf\xe2\x80\x9cWe will not go back,\xe2\x80\x9d Anna Kovac said.\r\n")
@example(b"\xff\xfe" + "“No, not now,” she said to Anna Kovac.".encode("utf-16-le"))
@example(b"\xfe\xff" + "“No,” he said.\r“Yes. “ \r\r\"Never mind\" , Ana Ruiz said.".encode("utf-16-be"))
@example(b"\xff\xfe\x00")  # odd length: not UTF-16 after all
@example("\"Café au lait,\" she said.".encode("latin-1"))
@example(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
@example(b"\xe2\x80\x9cNo\xe2\x80")  # a sequence cut short at the end
@example("The bridge opened.\n\n“We will not\ngo back,” Anna Kovac said.\n".encode())  # a quote over a line break
def test_cli_on_a_file_of_random_bytes(capsys, cli_dir, monkeypatch, data):
    here = cli_dir()
    path = here / "draft.txt"
    path.write_bytes(data)
    text = expected_text(data)
    texts = {str(path): text, "<stdin>": text}
    event("refused" if text is None else "read")
    commands = [["quotes", "--format", "json"], ["quotes"], ["people", "--format", "json"], ["people"],
                ["check", "--format", "json"], ["check"], ["check", "--diff"]]
    if text is None:
        for command in commands:
            code, out, err = run(capsys, command[0], path, NO_CACHE, *command[1:])
            check_refused(code, err, path)
            if "json" in command:
                assert json.loads(out)["files"] == []
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        code, out, err = run(capsys, "quotes", "-", NO_CACHE, "--format", "json")
        check_refused(code, err, "<stdin>")
        if b"\x00" not in data:  # a bad byte, not a binary file: with --encoding-errors replace, checked
            replaced = replaced_text(data)
            code, out, err = run(capsys, "quotes", path, NO_CACHE, "--encoding-errors", "replace", "--format", "json")
            assert (code, err) == (0, ""), err
            check_quotes_json(out, {str(path): replaced})
            code, out, err = run(capsys, "check", path, NO_CACHE, "--encoding-errors", "replace", "--format", "json")
            assert code in (0, 1) and err == "", err
            check_findings_json(out, {str(path): replaced})
        return
    code, out, err = run(capsys, "quotes", path, NO_CACHE, "--format", "json")
    assert (code, err) == (0, "")
    quotes = check_quotes_json(out, texts)[str(path)]
    code, out, err = run(capsys, "quotes", path, NO_CACHE)
    assert (code, err) == (0, "")
    one_record_a_line(out, path)
    assert len(records(out, path)) == len(quotes)
    code, out, err = run(capsys, "people", path, NO_CACHE, "--format", "json")
    assert (code, err) == (0, "")
    people = check_people_json(out, texts)[str(path)]
    for q in quotes:
        if q["speaker_id"] is not None:
            assert 0 <= q["speaker_id"] < len(people) and people[q["speaker_id"]]["name"] == q["speaker"]
    code, out, err = run(capsys, "people", path, NO_CACHE)
    assert (code, err) == (0, "")
    one_record_a_line(out, path)
    assert len(records(out, path)) == len(people)
    code, out, err = run(capsys, "check", path, NO_CACHE, "--format", "json")
    assert code in (0, 1) and err == "", err
    findings = check_findings_json(out, texts)
    fresh = (code, out)
    code, out, err = run(capsys, "check", path, NO_CACHE)
    assert code in (0, 1) and err == "", err
    check_findings_text(out, path, findings)
    one_record_a_line(out, path)
    code, out, err = run(capsys, "check", path, NO_CACHE, "--diff")
    assert code in (0, 1) and path.read_bytes() == data  # --diff writes nothing
    # The result cache (this example's own): the first run fills it, the second
    # reads it, and neither says anything else than a run without it.
    for _ in range(2):
        code, out, err = run(capsys, "check", path, "--format", "json")
        assert (code, out) == fresh and err == ""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run(capsys, "quotes", "-", NO_CACHE, "--format", "json")
    assert (code, err) == (0, "")
    assert [q["text"] for q in check_quotes_json(out, texts)["<stdin>"]] == [q["text"] for q in quotes]
    event(f"quotes: {min(len(quotes), 3)}, people: {min(len(people), 3)}, findings: {min(len(findings), 3)}")


@PARSED
@given(st.one_of(st.builds(encode, st.one_of(story().map(lambda s: s[0]), news_text()), st.sampled_from(DECODABLE)),
                 any_bytes),
       st.integers(8, 160))
@example("“We will not go back,” Anna Kovac said.\r\n\r\n“Never,” she added.\r\n".encode(), 8)
@example("“We will not\r\rgo back,”\rAnna Kovac said.".encode("utf-16"), 12)
def test_a_file_read_in_sections_is_still_the_file(cli_dir, data, size):
    """A file longer than a section is read and checked section by section:
    the sections join into the file's text, and every offset, line and column
    in the JSON is the file's. (Sections are 250,000 characters; here a few
    dozen, so that random files are cut, anywhere.)"""
    path = cli_dir() / "long.txt"
    path.write_bytes(data)
    text = expected_text(data)
    with Workspace(section_size=size) as ws:
        results = list(ws.results([str(path)]))
    problems = [r for r in results if isinstance(r, Problem)]
    files = [r for r in results if isinstance(r, FileResult)]
    assert len(problems) + len(files) == len(results)
    if text is None:
        assert files == [] and len(problems) == 1 and f"{path}:" in str(problems[0]), results
        return
    assert problems == []
    docs = [r.document for r in files]
    assert "".join(d.text for d in docs) == text
    origin = 0
    for d in docs:
        assert d.origin == origin
        origin += len(d.text)
    mid_line = [(d.origin, d.origin + len(d.text)) for d in docs if d.origin and text[d.origin - 1] not in "\r\n"]
    data = {"quotes": json.loads(quotes_json(docs)), "people": json.loads(people_json(docs)),
            "findings": json.loads(findings_json([(r.document, r.findings) for r in files]))}
    lines = Lines(text)
    for kind, found in data.items():
        assert [f["path"] for f in found["files"]] == [str(path)]  # one entry for the file
        entry = found["files"][0]
        for record in entry.get(kind, []) if kind != "people" else []:
            assert 0 <= record["start"] <= record["end"] <= len(text)
            if kind == "quotes":
                assert text[record["start"]:record["end"]] == record["text"]
                for a in record["alterations"]:
                    assert text[a["start"]:a["end"]] == a["text"]
            line, column = lines.position(record["start"])
            assert record["line"] == line
            first_line = any(a <= record["start"] < b and lines.position(a)[0] == line for a, b in mid_line)
            if not first_line:  # see test_a_section_that_starts_mid_line_counts_columns_from_the_line
                assert record["column"] == column, (record, column)
    people = data["people"]["files"][0]["people"]
    for person in people:
        for m in person["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    for q in data["quotes"]["files"][0]["quotes"]:
        if q["speaker_id"] is not None:
            assert people[q["speaker_id"]]["name"] == q["speaker"]
    event(f"sections: {min(len(docs), 4)}")


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def refusal(data: bytes) -> tuple[str, str]:
    """What the message for a refused file says after its name, worked out
    from the bytes: the place (``:line:column``, lines ending at LF, CRLF or a
    lone CR, columns in characters; none for a binary file) and the reason."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    nul = data.find(b"\x00", len(data) - len(body))
    if nul >= 0:
        return "", f"a binary file (a NUL byte at byte {nul})"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[:exc.start].decode("utf-8")
        line, column = Lines(before).position(len(before))
        return f":{line}:{column}", f"not valid UTF-8 (byte 0x{body[exc.start]:02x})"
    raise AssertionError("not refused")


@CLI
@given(st.one_of(mangled_bytes(), st.binary(min_size=1, max_size=300),
                 st.builds(lambda bom, rest: bom + rest, st.sampled_from(BOMS), st.binary(max_size=200))))
@example(b"First line.\n\xe2\x80\x9cCaf\xe9\xe2\x80\x9d\n")
@example(b"\xef\xbb\xbf\xe2\x80\x9cCaf\xe9")
@example(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
def test_a_refused_file_is_named_with_its_place(capsys, cli_dir, data):
    """A file that is not UTF-8 (nor UTF-16 with its BOM), or holds a NUL
    byte: exit 2 and one line, ``path:line:col: not valid UTF-8 (byte 0x…)``
    or ``path: a binary file (a NUL byte at byte N)``; never a traceback."""
    if expected_text(data) is not None:
        return
    path = cli_dir() / "draft.txt"
    path.write_bytes(data)
    code, out, err = run(capsys, "quotes", path, NO_CACHE)
    check_refused(code, err, path)
    place, what = refusal(data)
    if "NUL" in what and data.startswith(b"\xef\xbb\xbf"):
        what = what.split(" at byte")[0]  # see test_a_nul_byte_after_a_bom_is_placed_in_the_file
    if place and re.search(rb"\r(?!\n)", data):
        place = ":"  # see test_a_bad_byte_after_a_lone_cr_is_placed_on_its_line
    assert f"{path}{place}" in err and f": {what}" in err, (place, what, err)
    event(what.split(" (")[0])


@CLI
@given(st.one_of(decodable_bytes, st.builds(encode, story().map(lambda s: s[0]), st.sampled_from(DECODABLE))),
       st.sampled_from(["us-wire", "british"]))
@example("“Ask Dr. Patel,” said Mrs. Jones. Prices rose 5 percent.\r\n".encode("utf-8-sig"), "british")
@example("“No,” she said. ‘Fine’ , he said .\r“Yes ”".encode(), "us-wire")
@example("““A.“ A00 \"Lid".encode(), "british")  # settles in four runs
@example("A“0".encode(), "british")  # “ → ‘: an apostrophe now
def test_cli_fix_changes_no_words_and_settles(capsys, cli_dir, data, pack):
    """``check --fix`` (a house-style pack offers the fixes: quote-mark style,
    punctuation at the closing mark, "Mr." and "percent" outside quotes)
    changes no one's words, keeps the file's BOM and line endings, and
    settles: a run that left no overlapping fix for later leaves nothing to
    do (no mark is rewritten in a paragraph whose marks the finder repaired),
    and at most eight runs settle any text."""
    path = cli_dir() / "draft.txt"
    path.write_bytes(data)
    text = expected_text(data)
    overlapped = True
    for _ in range(8):
        before = path.read_bytes()
        code, out, err = run(capsys, "check", path, NO_CACHE, "--fix", "--pack", pack, "--exit-non-zero-on-fix")
        assert all("overlapped others; run --fix again" in line for line in err.splitlines()), err
        if path.read_bytes() == before:
            assert code in (0, 1)
            break
        assert code == 1
        assert overlapped, \
            f"a second --fix changed {before!r} into {path.read_bytes()!r}, though the first left nothing over"
        overlapped = bool(err)
    else:
        pytest.fail(f"--fix still changes the file after eight runs: {before!r} → {path.read_bytes()!r}")
    fixed = expected_text(path.read_bytes())
    assert fixed is not None
    assert words_of(fixed) == words_of(text)
    event(f"fixed: {fixed != text}")
    if fixed != text:
        assert path.read_bytes()[:2] == data[:2] if data.startswith(UTF16_BOMS) else \
            path.read_bytes().startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
        assert [m.group() for m in LINE_BREAK.finditer(fixed)] == [m.group() for m in LINE_BREAK.finditer(text)]


def words_of(text: str) -> list[str]:
    """The words of a text as the matcher compares them, quote marks and
    apostrophes read as spaces (a style fix may turn a double mark glued to
    a word into a single one), and "per cent" as "percent" (the British
    pack's one fix to the desk's own words)."""
    return keys(re.sub(rf"[{re.escape(MARKS)}`ʼ]", " ", text).replace("per cent", "percent"))


@CLI
@given(st.lists(st.tuples(st.sampled_from([".txt", ".md", ".html", ".png", ""]), any_bytes),
                min_size=1, max_size=4))
def test_cli_on_a_directory_of_random_files(capsys, cli_dir, files):
    """A directory: every draft in it read, each bad one named once, the others still listed."""
    drafts = cli_dir() / "drafts"
    drafts.mkdir()
    texts, bad = {}, []
    for n, (suffix, data) in enumerate(files):
        path = drafts / f"f{n}{suffix}"
        path.write_bytes(data)
        if suffix == ".png":
            continue  # not a draft: never read
        text = expected_text(data)
        if text is None:
            bad.append(path)
        else:
            texts[str(path)] = text
    event(f"{len(texts)} read, {len(bad)} refused")
    code, out, err = run(capsys, "quotes", drafts, NO_CACHE, "--format", "json")
    assert sorted(f["path"] for f in json.loads(out)["files"]) == sorted(texts)
    check_quotes_json(out, texts)
    for path in bad:
        check_refused(code, err, path)
    if not bad and texts:
        assert (code, err) == (0, "")
    else:  # a refused file, or nothing to read at all: an error, said
        assert code == 2 and err
    code, out, err = run(capsys, "check", drafts, NO_CACHE, "--format", "json")
    check_findings_json(out, texts)
    if bad or not texts:
        assert code == 2
    else:
        assert code in (0, 1) and err == ""


@st.composite
def article_text(draw, said) -> str:
    """Another outlet's story quoting the same words, maybe changed, maybe given to someone else."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 3))):
        sentence, _ = draw(news_sentence(pairs=GOOD_PAIRS, said=mutate(draw, draw(st.sampled_from(said)))))
        paragraphs.append(sentence)
    return restyle(draw, "\n\n".join(paragraphs))


@st.composite
def draft_and_sources(draw):
    """A draft (a short story, now and then random bytes) and source files,
    most of them made of its quotes, some words changed: a copy of the draft,
    a transcript, subtitles, a statement, another outlet's article; others random."""
    text, said = draw(story(noise=False))
    prose = st.sampled_from([".txt", ".md", ".html", ""])
    derived = st.one_of(
        st.tuples(prose, st.just(text)), st.tuples(prose, transcript_text(said=said)),
        st.tuples(st.sampled_from([".vtt", ".srt"]), subtitles_text(said=said)),
        st.tuples(prose, statement_text(said=said)), st.tuples(prose, article_text(said=said)),
    )
    decodable = st.builds(lambda file, how: (file[0], encode(file[1], how)), derived, st.sampled_from(DECODABLE))
    files = draw(st.lists(st.one_of(decodable, decodable, decodable,
                                    st.tuples(st.sampled_from(SOURCE_SUFFIXES), source_text.map(str.encode)),
                                    st.tuples(st.sampled_from(SOURCE_SUFFIXES), any_bytes)),
                          min_size=1, max_size=3))
    raw = draw(st.one_of(st.sampled_from(DECODABLE).map(lambda how: encode(text, how)),
                         st.sampled_from(DECODABLE).map(lambda how: encode(text, how)), any_bytes))
    return raw, files


@CLI
@given(draft_and_sources())
@example((b"\xe2\x80\x9cWe will not go back,\xe2\x80\x9d Anna Kovac said.\n",
          [(".txt", b"Interview with Anna Kovac\n\nQ: Why?\nA: We will not go back at all.\n")]))
@example((b"\xe2\x80\x9cWe will not go back,\xe2\x80\x9d Anna Kovac said.\r\r\xe2\x80\x9cNever again, never,"
          b"\xe2\x80\x9d she added.",
          [(".txt", "Kovac:\r\rWe will never go back.\r\rQ:\r\rAnd?\r\rKOVAC: Never again, never.".encode()),
           (".srt", b"1\r00:00:01,000 --> 00:00:02,000\r- ANNA KOVAC: We will not go back.\r"),
           (".md", b"Statement by Ana Ruiz\r\n\r\nWe will not go\r\nback.\r\n")]))
# A variant whose source wording runs over a line break: the message is still one line.
@example(("“We will not go back to the old plan this winter,” Anna Kovac said.\n".encode(),
          [(".txt", b"KOVAC: We will never ever go\nback to that old plan in winter.\n\nQ: Why?\n\nKOVAC: Because.\n")]))
def test_cli_check_against_random_sources(capsys, cli_dir, case):
    raw, files = case
    here = cli_dir()
    draft = here / "draft.txt"
    draft.write_bytes(raw)
    sources = here / "sources"
    sources.mkdir()
    source_texts, bad = {}, []
    for n, (suffix, data) in enumerate(files):
        path = sources / f"s{n}{suffix}"
        path.write_bytes(data)
        text = expected_text(data)
        if text is None:
            bad.append(path)
        else:
            source_texts[os.path.realpath(path)] = text
    text = expected_text(raw)
    code, out, err = run(capsys, "check", draft, NO_CACHE, "--source", sources, "--format", "json")
    if text is None:
        check_refused(code, err, draft)
        return
    findings = check_findings_json(out, {str(draft): text}, source_texts)
    for path in bad:
        check_refused(code, err, os.path.realpath(path))
    if bad:
        assert code == 2
    else:
        assert code in (0, 1) and err == "", err
    code, out, err = run(capsys, "check", draft, NO_CACHE, "--source", sources)
    check_findings_text(out, draft, findings)
    one_record_a_line(out, draft)
    event(f"source evidence: {any(e['path'] != str(draft) for f in findings for e in f['evidence'])}")
    event(f"cross-source rules: {sorted({f['code'] for f in findings if f['code'].startswith('QC2')})}")


# -- bugs the fuzzing found, each kept with its smallest example ---------------------------

# --fix once wrote a UTF-16 draft back as UTF-8 without its byte-order mark.
def test_fix_keeps_a_utf16_file_utf16(capsys, cli_dir):
    path = cli_dir() / "draft.txt"
    data = "“No,” she said.\r\n".encode("utf-16")  # with its BOM
    path.write_bytes(data)
    code, out, err = run(capsys, "check", path, NO_CACHE, "--pack", "us-wire", "--fix")
    assert path.read_bytes() != data  # the fix was made (curly marks → straight)
    assert path.read_bytes().startswith(data[:2]), path.read_bytes()


# The line of a bad byte once counted LF only (a lone CR is a line break too).
def test_a_bad_byte_after_a_lone_cr_is_placed_on_its_line(capsys, cli_dir):
    path = cli_dir() / "draft.txt"
    path.write_bytes(b"First line.\r\xe2\x80\x9cCaf\xe9\xe2\x80\x9d\r")
    code, out, err = run(capsys, "quotes", path, NO_CACHE)
    assert code == 2
    assert f"{path}:2:5: not valid UTF-8 (byte 0xe9)" in err, err  # said: 1:17


# The offset of a NUL byte was once counted after the UTF-8 BOM, 3 short of the file's.
def test_a_nul_byte_after_a_bom_is_placed_in_the_file(capsys, cli_dir):
    path = cli_dir() / "draft.txt"
    path.write_bytes(b"\xef\xbb\xbfab\x00")
    code, out, err = run(capsys, "quotes", path, NO_CACHE)
    assert code == 2
    assert "a NUL byte at byte 5" in err, err  # said: at byte 2


# A section cut inside a line once counted its first line's columns from the cut.
def test_a_section_that_starts_mid_line_counts_columns_from_the_line(nlp, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Anna Kovac spoke at length. “We will not go back,” she said.\n", encoding="utf-8")
    with Workspace(section_size=40) as ws:  # the paragraph is longer: cut after "length. "
        docs = [r.document for r in ws.results([str(path)], rules=False)]
    [q] = json.loads(quotes_json(docs))["files"][0]["quotes"]
    assert (q["start"], q["line"]) == (29, 1)
    assert q["column"] == 30, q  # said: 2


# Beside an unclosed mark, each --fix once turned the other marks around again (now no mark
# is rewritten in a paragraph whose marks the finder had to repair).
def test_fix_settles_beside_a_doubled_opening_mark(capsys, cli_dir):
    path = cli_dir() / "draft.txt"
    path.write_text("Anna Kovac said: ““We will not go back.”\n", encoding="utf-8")
    for _ in range(6):
        before = path.read_bytes()
        code, out, err = run(capsys, "check", path, NO_CACHE, "--pack", "british", "--fix")
        if path.read_bytes() == before:
            break
        if not err:  # no fix was left over for later: the next run has nothing to do
            fixed = path.read_bytes()
            run(capsys, "check", path, NO_CACHE, "--pack", "british", "--fix")
            assert path.read_bytes() == fixed, (fixed.decode(), path.read_text(encoding="utf-8"))
            break
