"""The pipeline, in order: read → find quotes → layout (page furniture) → parse →
references → attribute → (sources, match) → rules. This module runs the
in-document part; ``matching.verify`` adds the cross-source matches when sources
are given."""
from __future__ import annotations

from .attribution import attribute
from .furniture import mark_furniture
from .language import load_pipeline, parse_documents
from .model import Document
from .quotes import find_quotes
from .references import finish_references, resolve_references


# The stage running now, for the message of an unexpected error ("internal
# error while attributing the quotes").
stage = "reading"


def analyze(docs: list[Document], model: str | None = None,
            extra_verbs: frozenset[str] = frozenset(), registry=None, processes: int = 1,
            parse_cache=None) -> list[Document]:
    """Find and attribute the quotes of every document, parsing in one batch
    (``processes``: how many processes a long text's parse may use;
    ``parse_cache``: a :class:`~quotecheck.language.ParseCache` whose
    paragraphs are not parsed again)."""
    global stage
    for doc in docs:
        stage = "finding the quotes"
        find_quotes(doc)
        stage = "marking the page furniture"
        mark_furniture(doc)
    if any(doc.text.strip() for doc in docs):
        stage = "parsing"
        parse_documents(docs, load_pipeline(model), processes=processes, cache=parse_cache)
    for doc in docs:
        stage = "resolving who is who"
        resolve_references(doc, registry)
        stage = "attributing the quotes"
        attribute(doc, extra_verbs)
        stage = "resolving who is who"
        finish_references(doc)
        if registry is not None:
            canonical_speakers(doc, registry)
    return docs


def canonical_speakers(doc: Document, registry) -> None:
    """Speakers the people registry knows take its canonical name ("Zelenskyy"
    → "Volodymyr Zelensky"), so every later stage compares one spelling."""
    for q in doc.quotes:
        known = registry.lookup(q.attribution.speaker)
        if known is not None:
            q.attribution.speaker = known.name
            if q.attribution.person is not None:
                q.attribution.person.name = known.name
