"""The declarative rule types a pack may use, by the name a rule's ``type`` gives.

| type                 | module          | looks at                                   |
|----------------------|-----------------|--------------------------------------------|
| existence            | wording         | words, in a scope                          |
| substitution         | wording         | words, in a scope                          |
| consistency          | wording         | words, in a scope, across the document     |
| conditional          | wording         | two regexes in one sentence or paragraph   |
| attribution-verb     | attributions    | each quote's cue                           |
| first-reference      | attributions    | each quoted person's first mention         |
| second-hand          | attributions    | a quote's cue, sentence and ``via``        |
| anonymous-source     | attributions    | a quote's speaker mention and sentence     |
| quote-punctuation    | marks           | each quote's marks and what follows them   |
| partial-quote-length | marks           | partial quotes                             |
"""
from __future__ import annotations

from . import attributions, marks, wording
from .base import RuleType

RULE_TYPES: dict[str, type[RuleType]] = {
    t.name: t for t in (*wording.TYPES, *attributions.TYPES, *marks.TYPES)
}
