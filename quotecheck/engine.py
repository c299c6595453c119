"""The pipeline, in order: read → find quotes → parse → attribute → rules."""
from __future__ import annotations

from .attribution import attribute
from .language import load_pipeline, parse_documents
from .model import Document
from .quotes import find_quotes


def analyze(docs: list[Document], model: str | None = None,
            extra_verbs: frozenset[str] = frozenset()) -> list[Document]:
    """Find and attribute the quotes of every document, parsing in one batch."""
    for doc in docs:
        find_quotes(doc)
    if any(doc.quotes for doc in docs):
        parse_documents(docs, load_pipeline(model))
    for doc in docs:
        attribute(doc, extra_verbs)
    return docs
