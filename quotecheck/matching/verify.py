"""Stage 5: matching — each quote of a draft against the sources.

For every quote worth checking, the stores name a short list of candidate
passages (never a scan of every stored quote); each candidate is aligned to the
quote word by word, and the matches are kept on the quote, best first, for the
cross-source rules to judge.
"""
from __future__ import annotations

import os
from collections.abc import Collection

from ..index.store import Store
from ..model import Document, Quote, SourcePassage
from .align import align_quote

# Shorter quotes ("a “hug”") say too little to be found again or misquoted.
MIN_WORDS = 3
CANDIDATES = 20
CHECKED_KINDS = ("direct", "partial")


class SourceSet:
    """The stores one run checks against: a temporary store of the files named
    with ``--source``, and any index files named. Read-only from here on.
    ``unread``: source files that could not be read or loaded, so a quote found
    in no store may still be in one of them."""

    def __init__(self, stores: list[Store], unread: Collection[str] = ()):
        self.stores = stores
        self.unread = list(unread)

    def flush(self) -> None:
        """Write everything to the store files themselves, for other processes
        to open them read-only."""
        for store in self.stores:
            store.flush()

    def candidates(self, text: str, limit: int, exclude_paths: Collection[str]) -> list[SourcePassage]:
        seen, out = set(), []
        for store in self.stores:
            for p in store.candidates(text, limit=limit, exclude_paths=exclude_paths):
                key = (p.path, p.start, p.end)
                if key not in seen:
                    seen.add(key)
                    out.append(p)
        return out

    def pronouns(self, speaker: str, exclude_paths: Collection[str] = ()) -> dict[str, int]:
        total: dict[str, int] = {}
        for store in self.stores:
            for pronoun, n in store.pronouns(speaker, exclude_paths).items():
                total[pronoun] = total.get(pronoun, 0) + n
        return total

    def close(self) -> None:
        for store in self.stores:
            store.close()


def checkable(q: Quote) -> bool:
    return q.kind in CHECKED_KINDS and len(q.words) >= MIN_WORDS


def own_paths(doc: Document) -> set[str]:
    """A draft that also lies in a source directory is not its own evidence."""
    return {os.path.realpath(doc.path)} if doc.path != "<stdin>" else set()


def verify(docs: list[Document], sources: SourceSet) -> None:
    """Fill ``quote.matches`` for every checkable quote of every document."""
    for doc in docs:
        own = own_paths(doc)
        for q in doc.quotes:
            if not checkable(q):
                continue
            alterations = [(a.kind, a.start - q.start, a.end - q.start) for a in q.alterations]
            found = (align_quote(q.text, p, alterations)
                     for p in sources.candidates(q.text, CANDIDATES, exclude_paths=own))
            q.matches = sorted((m for m in found if m is not None),
                               key=lambda m: (-m.score, m.passage.path, m.line))
