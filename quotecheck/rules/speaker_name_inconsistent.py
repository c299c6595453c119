"""speaker-name-inconsistent (QC104)

What it does:
    Reports one person's name spelled two ways in one article (Zelensky and
    Zelenskyy, Matukhin and Matyukhin), comparing names without accents and
    case and allowing the small edits transliteration makes.

Why:
    Inconsistent spelling looks careless, breaks search and archives, and can
    suggest two different people.

Example:
    President Volodymyr Zelensky said … “We hold,” Zelenskyy added.

Fix:
    Use the house spelling (a people registry or rule pack can declare it)
    everywhere.
"""
from ..hookspecs import hookimpl
from ..model import Evidence
from ..people import POSSESSIVE_RE, fold
from ..references.sieves import variant
from . import rule


@rule("speaker-name-inconsistent", "QC104", "warning")
def NAME_INCONSISTENT(doc, context):
    # The reference layer already merged spelling variants into one entity;
    # here each person's names as written are compared, first spelling wins.
    # Only names count: not titles, descriptions, pronouns, nor groups.
    # Two spellings are reported only when they are one name spelt two ways
    # (not a first name beside the surname, nor a plural or a derived word).
    for person in doc.entities:
        if person.is_group or person.tentative:
            continue
        given = fold(person.name.split()[0]) if len(person.name.split()) > 1 else None
        first: dict[str, tuple[int, str]] = {}
        for m in sorted(person.chain, key=lambda m: m.start):
            words = m.text.split()
            if m.kind in ("name", "surname") and words:
                word = POSSESSIVE_RE.sub("", words[-1])
                if fold(word) != given:
                    first.setdefault(fold(word), (_surname_offset(doc.text, m.start, word), word))
        spellings = sorted(first.values())
        if len(spellings) < 2:
            continue
        off0, word0 = spellings[0]
        line, col = doc.position(off0)
        for off, word in spellings[1:]:
            if not variant(fold(word0), fold(word)):
                continue
            yield NAME_INCONSISTENT.finding(
                f"“{word}” is spelled “{word0}” earlier in the document",
                off, off + len(word), speaker=person.name,
                evidence=[Evidence(doc.path, line, col, word0, speaker=person.name, note="first spelling")])


def _surname_offset(text, off, surname):
    # A mention's offset is where its first name starts ("Volodymyr Zelensky");
    # point at the surname itself, the word the finding is about.
    pos = text.find(surname, off, off + 200)
    return pos if pos >= 0 else off


@hookimpl
def quotecheck_rules():
    return [NAME_INCONSISTENT]
