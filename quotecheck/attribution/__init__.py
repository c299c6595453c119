"""Stage 3c: attribution — name the speaker of every quote.

``attributor`` drives the order of attempts; ``syntax`` reads the dependency
parse, ``patterns`` the surface text, ``kinds`` decides what kind of quote it is.
"""
from __future__ import annotations

from ..model import Document
from .attributor import Attributor
from .kinds import is_title

__all__ = ["Attributor", "attribute", "is_title"]


def attribute(doc: Document, extra_verbs: frozenset[str] = frozenset()) -> None:
    """Fill the attribution of every quote of ``doc`` (after the language stage)."""
    Attributor(doc, extra_verbs).run()
