"""What the cross-source rules share: when a match is the same statement, how a
source is named in a message, and the evidence a match gives."""
from __future__ import annotations

import os

from ..model import Evidence, RuleContext, SourceMatch
from ..people import same_person

# A match this close is the same statement (one or two words changed in ten);
# below it, a source's words are another rendering of the statement at most.
SAME_STATEMENT = 0.7
# Below this, a match shares a phrase, not a statement: no variant is claimed.
VARIANT_MIN = 0.6


def where(m: SourceMatch) -> str:
    return f"{os.path.basename(m.passage.path)}:{m.line}"


def evidence(m: SourceMatch, note: str | None = None) -> Evidence:
    return Evidence(m.passage.path, m.line, m.column, m.text, speaker=m.passage.speaker,
                    note=note or f"{m.passage.kind}, similarity {m.score:.2f}")


def same_speaker(a: str, b: str, context: RuleContext) -> bool:
    registry = context.registry
    return registry.same(a, b) if registry is not None else same_person(a, b)
