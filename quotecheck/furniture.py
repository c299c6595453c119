"""Stage 2b (layout): find the page furniture pasted along with a story.

Text copied from a web page carries words that are not part of the story and
name no one. This stage marks them as :class:`~quotecheck.model.Furniture`
stretches on ``doc.furniture`` (sorted, non-overlapping offsets into
``doc.text``); later stages read them through ``Document.in_furniture``. It runs
after the quote finder (whose paragraph split is final) and never hides a
quote: quotes inside furniture are still found.

Kinds, each with an example:

- kicker: a section line, "SPORTS" / "WORLD NEWS", or glued: "SPORTS Rivers win the cup"
- headline: the short first paragraph, "Harbour board hires two data clerks"
- subheading: a short line between story paragraphs, "A long road back"
- caption: "Image caption The mayor at the dam", "Pictured: the new ferry"
- credit: "(Photo: Jane Doe/Getty Images)", "[Photo: Jane Doe / AFP]", "(National Archives)"
- byline: "By Jane Doe and Tom Smith, Associated Press", "Jane Doe | Staff writer"
- link: "MORE: …", "Related: …", "Recommended for you", "Share this article"
- boilerplate: "Story continues below advertisement", "© 2026 …", "Rated 4 out of 5"
- label: the heading label alone at a paragraph start, "FAST FACTS:", "EDITOR'S NOTE:"

Conservative by design: a story paragraph must never be marked, so every rule
asks for the shape of furniture, not just for something short.
"""
from __future__ import annotations

import re

from .language import DATELINE_RE
from .model import Document, Furniture

# Anything that may be a quote mark (an apostrophe too): such a paragraph is no subheading.
QUOTE_MARKS = set("“”\"‘’'«»„‚‹›")

# Section kickers a headline line may begin with ("SPORTS Rivers win the cup").
SECTIONS = {"SPORTS", "SPORT", "OPINION", "WORLD", "WORLD NEWS", "NEWS", "US NEWS", "UK NEWS", "LOCAL",
            "LOCAL NEWS", "POLITICS", "BUSINESS", "ECONOMY", "MONEY", "HEALTH", "SCIENCE", "TECH",
            "TECHNOLOGY", "CULTURE", "ARTS", "ENTERTAINMENT", "LIFESTYLE", "TRAVEL", "EDUCATION",
            "ENVIRONMENT", "CLIMATE", "ANALYSIS", "EXCLUSIVE", "BREAKING", "BREAKING NEWS", "LIVE",
            "EDITORIAL", "COMMENTARY", "OBITUARY", "NATIONAL", "INTERNATIONAL", "METRO", "REGION"}
_SECTIONS = "|".join(sorted((re.escape(s) for s in SECTIONS), key=len, reverse=True))
GLUED_KICKER_RE = re.compile(r"(?:" + _SECTIONS + r")(?= +[A-Z0-9“\"‘'](?![A-Z]+\b))")
# A kicker line: 1-4 all-caps words alone ("WORLD NEWS", "ELECTION 2026").
# Archive copies end such a label with a full stop ("ABSTRACT.", "FULL TEXT.").
KICKER_RE = re.compile(r"[A-Z][A-Z0-9&'’\-]*(?: [A-Z0-9&][A-Z0-9&'’\-]*){0,3}\.?")

# Heading labels at a paragraph start: the label is furniture, the rest is prose.
HEADING_LABELS = {"FAST FACTS", "EDITOR'S NOTE", "EDITORS NOTE", "NOTE", "CORRECTION",
                  "CLARIFICATION", "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "EXCLUSIVE",
                  "ANALYSIS", "OPINION", "FACT CHECK", "KEY POINTS", "KEY FACTS", "WHAT TO KNOW",
                  "WATCH", "LISTEN", "THE LATEST", "FILE", "BACKGROUND"}
LABEL_START_RE = re.compile(r"([A-Z][\w'’ ]{0,20}?):(?=\s|$)", re.I)

# Bylines: "By Jane Doe", "By Jane Doe and Tom Smith, Associated Press", "Jane Doe | Staff writer".
_NAME = r"[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){0,3}"
_ROLE = r"(?:[A-Z][\w'’.\-]*(?: (?:of|the|for|and|[A-Z][\w'’.\-]*)){0,5}|[\w ]{0,30}\b(?:writer|reporter|" \
        r"correspondent|editor|columnist|contributor|staff|bureau|desk|producer)s?\b[\w ]{0,30})"
BYLINE_RE = re.compile(r"(?:By|BY) " + _NAME + r"(?:(?:, | and | & )" + _NAME + r")*(?:(?:, | \| | - | — )"
                       + _ROLE + r")?")
BAR_BYLINE_RE = re.compile(_NAME + r" \| " + _ROLE)

# Link lines: "MORE: …", "READ MORE: …", "Related: …", and the share/follow prompts.
LINK_RE = re.compile(r"(?:(?:read |see |also read|watch|listen)?more|related|see also|also read|watch|listen"
                     r"|related (?:story|stories|coverage|content))\s*:.*"
                     r"|recommended(?: for you| reading| stories)?|(?:you may|you might) also like.*"
                     r"|share (?:this|the) (?:article|story|page)|share on \w+(?: and \w+)?"
                     r"|follow (?:us|@\w+|\w+) on .*|click here .*|read the (?:rest|full story|full article)(?: here)?"
                     r"|read more(?: here)?", re.I)

# Boilerplate: advertising slots, copyright, ratings, newsletter and subscription prompts.
BOILERPLATE_RE = re.compile(r"story continues below(?: advertisement)?|advertisement|continue reading"
                            r"(?: the main story| below)?|(?:©|copyright (?:©|\(c\)|\d{4})).*"
                            r"|.*\ball rights reserved\b.*|rated \d+(?:\.\d)? out of \d+(?: stars?)?"
                            r"|(?:rating: )?[★☆]{3,}|sign up (?:for|to) .*|subscribe\b.*"
                            r"|this material may not be published.*", re.I)

# Photo credits inside a paragraph, parenthesised or bracketed: "(Photo: Jane Doe/Getty Images)",
# "[Photo: Jane Doe / AFP]", "(National Archives)", and the wire sign-off "(Reporting by …)".
# A bare wire agency ("(AP)") is a dateline's, so wires need a photographer's name.
_PICTURE_SOURCES = r"(?:Getty Images|AP Photo|Shutterstock|Alamy|iStock|National Archives|Library of Congress" \
                   r"|Wikimedia Commons|File photo|Handout)"
_WIRES = r"(?:AFP|AP|Reuters|EPA|EPA-EFE|Bloomberg|PA|PA Media|Xinhua|Anadolu|Pool)"
_CREDIT_WORD = r"(?:Photo|Photograph|Picture|Image|Illustration|Video|Credit|Photo credit|File)s?"
_CREDIT_BODY = _NAME + r"(?:(?: ?/ ?| for | via | and | & |, )" + _NAME + r")*"
CREDIT_RE = re.compile(r"\((?:" + _CREDIT_WORD + r":? [^()\n]{1,80}|(?:" + _NAME + r" ?/ ?)?" + _PICTURE_SOURCES
                       + r"(?: ?/ ?" + _NAME + r")?|" + _NAME + r" ?/ ?" + _WIRES + r"|" + _WIRES + r" ?/ ?" + _NAME
                       + r"|(?:Reporting|Writing|Editing|Additional reporting) by [^()\n]{1,200})\)"
                       r"|\[" + _CREDIT_WORD + r":? [^\[\]\n]{1,200}\]")  # "[Video: … Watch on YouTube.]"
# Credit lines, alone or closing a caption: "Photograph: Ana Ruiz/Reuters".
CREDIT_LINE_RE = re.compile(r"(?:" + _CREDIT_WORD + r"|Image copyright)(?::| by) " + _CREDIT_BODY + r"$")
TRAILING_CREDIT_RE = re.compile(r"(?<=[.!?] )" + CREDIT_LINE_RE.pattern)
# Caption paragraphs: "Image caption …", "Pictured: …".
CAPTION_RE = re.compile(r"(?:Image caption|Media caption|Photo caption|Caption:|Pictured:|Above:|Top:)\s")

# A line ending in one of these is a cut-off sentence, not a headline.
FUNCTION_WORDS = {"the", "a", "an", "of", "to", "and", "or", "but", "at", "for", "with", "by",
                  "from", "as", "that", "is", "are", "was", "were", "his", "her", "their", "its"}
# At most this many words: a headline, a subheading, a boilerplate, link or byline line, a caption.
HEADLINE_WORDS, SUBHEADING_WORDS, BOILERPLATE_WORDS, LINE_WORDS, CAPTION_WORDS = 25, 12, 30, 20, 40


def is_heading_label(text: str) -> bool:
    """Whether ``text`` ("EDITOR'S NOTE", "Fast facts:") is a heading label, not a speaker."""
    return text.strip().rstrip(":").strip().upper().replace("’", "'") in HEADING_LABELS


def _has_quote(text: str) -> bool:
    return any(ch in QUOTE_MARKS for ch in text)


def _no_stop(text: str) -> bool:
    """Ends in a word (no sentence punctuation) that is not a cut-off function word."""
    bare = text.rstrip("”\"’'»›")
    return bool(bare) and bare[-1].isalnum() and bare.split()[-1].lower() not in FUNCTION_WORDS


def _title_case(text: str) -> bool:
    long = [w for w in (re.sub(r"[^\w]|_", "", w) for w in text.split()) if len(w) >= 4]
    return len(text.split()) >= 3 and bool(long) and all(w[0].isupper() or w[0].isdigit() for w in long)


def _headline(text: str) -> bool:
    """Short, no dateline, and headline-shaped: no final stop, title case, or "Headline;" ¶ deck."""
    if len(text.split()) > HEADLINE_WORDS or DATELINE_RE.match(text) or text[:1] in "-–—•*":
        return False
    first_line = text.split("\n")[0].rstrip()
    return _no_stop(text) or _title_case(text) or ("\n" in text and first_line.endswith(";"))


def _whole(text: str) -> str | None:
    """The kind of a paragraph that is furniture as a whole, if it is."""
    words = len(text.split())
    if words <= BOILERPLATE_WORDS and BOILERPLATE_RE.fullmatch(text.rstrip(".!")):
        return "boilerplate"
    if words <= LINE_WORDS and LINK_RE.fullmatch(text.rstrip(".!")):
        return "link"
    if _has_quote(text.replace("'", "").replace("’", "")):
        return None
    if KICKER_RE.fullmatch(text) and sum(ch.isalpha() for ch in text) >= 3 and not is_heading_label(text):
        return "kicker"
    if words <= LINE_WORDS and not text.endswith(".") and (BYLINE_RE.fullmatch(text) or BAR_BYLINE_RE.fullmatch(text)):
        return "byline"
    if words <= LINE_WORDS and CREDIT_LINE_RE.match(text) or CREDIT_RE.fullmatch(text):
        return "credit"
    if words <= CAPTION_WORDS and CAPTION_RE.match(text):
        return "caption"
    return None


BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _blank_line_around(doc: Document, i: int, blank_lines: bool) -> bool:
    """A paragraph set off by blank lines (or a text that never uses them:
    ``blank_lines`` is whether the text has any)."""
    paras, text = doc.paragraphs, doc.text
    gaps = [text[paras[i - 1].end:paras[i].start], text[paras[i].end:paras[i + 1].start]]
    return all(BLANK_LINE_RE.search(g) for g in gaps) or not blank_lines


def find_furniture(doc: Document) -> list[Furniture]:
    """The furniture stretches of ``doc`` (call after ``find_quotes``), in offset order."""
    text, paras = doc.text, doc.paragraphs
    out: list[Furniture] = []
    kinds = [_whole(doc.paragraph_text(p.index)) for p in paras]
    open_paras = {q.paragraph for q in doc.quotes if q.close_mark is None}
    story = [k is None for k in kinds]
    blank_lines = BLANK_LINE_RE.search(text) is not None
    # The headline: the first paragraph after any kicker lines, with more to follow.
    h = next((i for i, k in enumerate(kinds) if k != "kicker"), None)
    if h is not None and kinds[h] is None and h + 1 < len(paras) and h not in open_paras:
        p = paras[h]
        head = text[p.start:p.end]
        glued = GLUED_KICKER_RE.match(head)
        if glued:
            out.append(Furniture(p.start, p.start + glued.end(), "kicker"))
            rest = len(head) - len(head[glued.end():].lstrip())
            if _headline(head[rest:]):
                out.append(Furniture(p.start + rest, p.end, "headline"))
                story[h] = False
        elif _headline(head):
            kinds[h], story[h] = "headline", False
    for i, p in enumerate(paras):
        body = text[p.start:p.end]
        if kinds[i] is not None:
            out.append(Furniture(p.start, p.end, kinds[i]))
            continue
        if not story[i]:
            continue
        # A subheading: a short wordy line, no quote, between story paragraphs.
        if 0 < i < len(paras) - 1 and story[i - 1] and story[i + 1] and len(body.split()) <= SUBHEADING_WORDS \
                and _no_stop(body) and not _has_quote(body) and body[:1].isupper() \
                and _blank_line_around(doc, i, blank_lines) and not _no_stop(doc.paragraph_text(i + 1)) \
                and not _no_stop(doc.paragraph_text(i - 1)):
            out.append(Furniture(p.start, p.end, "subheading"))
            continue
        label = LABEL_START_RE.match(body)
        if label and is_heading_label(label.group(1)) and not label.group(1).islower():
            out.append(Furniture(p.start, p.start + label.end(), "label"))
        for m in CREDIT_RE.finditer(body):
            out.append(Furniture(p.start + m.start(), p.start + m.end(), "credit"))
        trailing = TRAILING_CREDIT_RE.search(body)  # "The ferry on Sunday. Photograph: Ana Ruiz/Reuters"
        if trailing and len(body.split()) <= CAPTION_WORDS and not _has_quote(body[:trailing.start()]):
            out.append(Furniture(p.start, p.start + trailing.start() - 1, "caption"))
            out.append(Furniture(p.start + trailing.start(), p.end, "credit"))
    out.sort(key=lambda f: f.start)
    kept: list[Furniture] = []
    for f in out:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


def mark_furniture(doc: Document) -> None:
    """Store the furniture of ``doc`` on ``doc.furniture``."""
    doc.furniture = find_furniture(doc)
