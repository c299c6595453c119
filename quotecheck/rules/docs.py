"""Reading a rule's documentation: its sections (*What it does*, *Why*,
*Example*, *Fix*) in either style a rule may be written in — the built-in
``What it does:`` lines with the text indented under them, or Markdown
``## What it does`` headings (packs, plugins). Used by ``explain``-like
displays and by the formats that describe rules (SARIF)."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass


@dataclass
class DocPart:
    """A stretch of a rule's documentation: a section (``title``) or text
    outside every section (``title`` None: the rule's title line, a pack's
    closing note). ``body`` is dedented."""

    title: str | None
    body: str


_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_PLAIN_HEADING = re.compile(r"(?P<title>[A-Z][A-Za-z0-9' /-]{0,40}):\s*$")


def is_markdown(doc: str) -> bool:
    """Whether the documentation is written with Markdown headings."""
    return any(_MARKDOWN_HEADING.match(ln) for ln in doc.splitlines())


def doc_parts(doc: str) -> list[DocPart]:
    """A rule's documentation split into sections. Two styles are read: the
    built-in one (``What it does:`` on a line of its own, the section's text
    indented under it; an unindented line after a blank one ends the
    section) and Markdown headings (``## What it does``)."""
    lines = doc.splitlines()
    markdown = is_markdown(doc)
    heading = _MARKDOWN_HEADING if markdown else _PLAIN_HEADING
    parts: list[DocPart] = []
    title: str | None = None
    body: list[str] = []

    def close() -> None:
        text = textwrap.dedent("\n".join(body)).strip("\n")
        if title is not None or text.strip():
            parts.append(DocPart(title, text))

    for i, line in enumerate(lines):
        match = heading.match(line)
        if match and not line[:1].isspace():
            close()
            title, body = match.group("title"), []
            continue
        indented_section = not markdown and title is not None and any(
            ln.strip() for ln in body) and next(ln for ln in body if ln.strip())[:1].isspace()
        if indented_section and line.strip() and not line[:1].isspace() and i and not lines[i - 1].strip():
            close()
            title, body = None, []
        body.append(line)
    close()
    return parts


def section(doc: str, name: str) -> str | None:
    """The body of the section called ``name`` (any case), or None."""
    return next((p.body for p in doc_parts(doc) if p.title and p.title.lower() == name.lower()), None)


def as_paragraphs(text: str) -> str:
    """Wrapped lines joined: paragraphs separated by a blank line."""
    return "\n\n".join(" ".join(ln.strip() for ln in para.splitlines())
                       for para in re.split(r"\n\s*\n", text) if para.strip())


_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "vs", "e.g", "i.e", "etc", "cf"}


def first_sentence(text: str) -> str:
    """Up to the first full stop (or ! ?) followed by a capital, an
    abbreviation's stop (Mr., e.g.) excepted."""
    for m in re.finditer(r"[.!?](?=\s+[A-Z])", text):
        word = re.search(r"([\w.]*)$", text[:m.start()]).group(1).lower()
        if m.group(0) == "." and word in _ABBREVIATIONS:
            continue
        return text[:m.end()]
    return text


def sections(doc: str) -> dict[str, str]:
    """``{title: body}`` for every titled section, in order."""
    return {p.title: p.body for p in doc_parts(doc) if p.title}
