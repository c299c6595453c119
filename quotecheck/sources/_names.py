"""Speaker names as sources write them: turn labels, voice names, header phrases.

Shared by the transcript, subtitle and statement parsers so that "PESKOV:",
"<v Peskov>" and "Statement by Kremlin spokesman Dmitry Peskov" all come out as
the same ``speaker`` string the rest of quotecheck compares with ``people.fold``.
"""
from __future__ import annotations

import re

from ..cues import ORGANISATION_WORDS, TITLE_KEYS
from ..people import fold, name_matches, strip_titles

# Labels that introduce a question: the words are not a named person's statement.
QUESTION_LABELS = frozenset({"q", "question", "reporter", "interviewer", "journalist",
                             "audience member", "unidentified reporter", "questioner"})
ANSWER_LABELS = frozenset({"a", "answer"})
# Voices a transcript or subtitle file marks by role only, naming nobody: their
# words have no speaker to check a draft's attribution against.
ANONYMOUS_LABELS = frozenset({"unidentified male", "unidentified female", "unidentified man",
                              "unidentified woman", "unidentified speaker", "unknown speaker",
                              "unknown", "crowd", "audience", "voice", "voices", "narrator",
                              "host", "cohost", "anchor", "moderator", "presenter",
                              "interpreter", "translator", "operator"})
# Words before a colon at line start that head notes, metadata or schedules, never a
# speaker's turn (compared folded, so "Editor's note" is "editors note").
NOT_SPEAKER_LABELS = frozenset(phrase.strip() for phrase in """
note|editors note|notes|note to editors|notes to editors|update|updated|correction|clarification
source|sources|photo|photos|caption|credit|credits|image|video|audio|related|read more|see also
watch|listen|tags|topic|topics|keywords|subject|re|title|headline|summary|background|index|agenda
date|time|location|place|venue|dateline|filed|published|posted|recorded|duration|length
warning|disclaimer|breaking|copyright|translation|original|via|transcript
participants|present|attendees|speaker|speakers|contact|media contact|press contact
email|phone|tel|fax|web|website|from|to|cc|by|issued by|attributed to|attribution
for immediate release|embargoed|embargoed until
monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow
january|february|march|april|may|june|july|august|september|october|november|december
am|pm|gmt|utc|est|edt|pst|pdt|cet|cest|bst|msk|local time
""".replace("\n", "|").split("|") if phrase.strip())

PARTICLES = frozenset({"de", "del", "der", "van", "von", "bin", "al", "la", "le", "da", "dos",
                       "di", "ter", "du", "des", "den"})
_PARENTHETICAL_RE = re.compile(r"\s*\([^()\n]*\)\s*$")  # "PESKOV (through interpreter)"
_WORD_CHARS_RE = re.compile(r"^[^\W\d_][\w.'’\-]*$")


def name_part(label: str) -> str:
    """A label without a trailing parenthetical: "PESKOV (via interpreter)" → "PESKOV"."""
    return _PARENTHETICAL_RE.sub("", label).strip()


def label_key(label: str) -> str:
    """A label folded for comparison with the sets above, numbers kept ("Speaker 2")."""
    return " ".join(fold(word) or word for word in name_part(label).split())


def is_speaker_label(label: str) -> bool:
    """Whether the words before a line-start colon look like a speaker's label:
    at most five words, every one capitalised (name particles and numbers aside,
    as in "Charles de Gaulle" or "Speaker 2"), and not a note or metadata heading."""
    words = name_part(label).split()
    if not 1 <= len(words) <= 5 or label_key(label) in NOT_SPEAKER_LABELS:
        return False
    if not _WORD_CHARS_RE.match(words[0]) or not words[0][0].isupper():
        return False
    for word in words[1:]:
        if word.isdigit() or word.lower() in PARTICLES:
            continue
        if not _WORD_CHARS_RE.match(word) or not word[0].isupper():
            return False
    return True


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def tidy_case(words: list[str]) -> list[str]:
    """Upper-case names title-cased ("DMITRY PESKOV" → "Dmitry Peskov"), particles
    inside a name lower-cased ("CHARLES DE GAULLE" → "Charles de Gaulle")."""
    if not is_upper(" ".join(words)):
        return words
    out = []
    for i, word in enumerate(words):
        titled = word.title().replace("’S", "’s").replace("'S", "'s")
        out.append(titled.lower() if i and word.lower() in PARTICLES else titled)
    return out


def person_words(name: str) -> list[str]:
    """The words of a name without titles and in tidy case: "MR. PESKOV" → ["Peskov"]."""
    return tidy_case(strip_titles(name_part(name).split())) if name.strip() else []


class SpeakerResolver:
    """Resolves labels to full names the same file gives elsewhere.

    ``tiers`` are lists of full names, most trusted first (labels and header,
    then names in running text). A surname resolves to the one full name of the
    first tier that has any with that surname; when that tier has two people of
    the same surname the surname stays as it is rather than pick one at random.
    """

    def __init__(self, tiers: list[list[str]]):
        # Per tier: folded full name -> name, and folded surname -> {folded full name: name}.
        self.tiers: list[tuple[dict[str, str], dict[str, dict[str, str]]]] = []
        for tier in tiers:
            full: dict[str, str] = {}
            by_surname: dict[str, dict[str, str]] = {}
            for raw in tier:
                words = person_words(raw)
                if len(words) >= 2:
                    name = " ".join(words)
                    full.setdefault(fold(name), name)
                    by_surname.setdefault(fold(words[-1]), {}).setdefault(fold(name), name)
            self.tiers.append((full, by_surname))
        self._resolved: dict[str, str | None] = {}

    def resolve(self, label: str) -> str | None:
        if label not in self._resolved:
            self._resolved[label] = self._resolve(label)
        return self._resolved[label]

    def _resolve(self, label: str) -> str | None:
        words = person_words(label)
        if not words:
            return None
        written = " ".join(words)
        key = fold(written)
        for full, _ in self.tiers:
            if key in full:
                return full[key]
        if len(words) == 1:
            for _, by_surname in self.tiers:
                same = by_surname.get(key, {})
                if len(same) == 1:
                    return next(iter(same.values()))
                if same:
                    break
        return written


def speaker_for_label(label: str, resolver: SpeakerResolver,
                      interviewee: str | None = None) -> str | None:
    """The speaker a turn label or voice names: None for a question or an unnamed
    voice ("HOST", "Speaker 2"), the interviewee for "A", else the resolved name."""
    key = label_key(label)
    words = key.split()
    if not words or key in QUESTION_LABELS or key in ANONYMOUS_LABELS or words[-1].isdigit():
        return None
    if key in ANSWER_LABELS:
        return interviewee
    return resolver.resolve(label)


def names_in_text(text: str) -> list[str]:
    """Full names (two words or more, titles dropped) a text mentions, in order;
    the same cheap scan the people index uses."""
    names = []
    for _, words in name_matches(text):
        words = strip_titles(words) if words else words
        if len(words) >= 2:
            names.append(" ".join(words))
    return names


# Where a header's "by X" / "with X" phrase stops being the name.
_PHRASE_END_RE = re.compile(
    r"\s*(?:[,;:(\[|]|\s[–—-]\s|\s(?i:on|regarding|about|concerning|following|after|upon|over|"
    r"ahead\s+of|marking|in\s+response\s+to|as|by|with)\s|\s(?:for|at|in|to)\s+(?=[a-z\d]))")



def phrase_before_stop(phrase: str) -> str:
    """The leading name-like part of a header phrase: "Dmitry Peskov on the talks" →
    "Dmitry Peskov"; trailing punctuation and quote marks trimmed."""
    padded = f" {phrase} "  # the stop words are matched between spaces
    m = _PHRASE_END_RE.search(padded)
    cut = padded[: m.start()] if m else padded
    return cut.strip().strip(".:\"'“”‘’*_ ").strip()


_NAME_PHRASE_CONNECTORS = PARTICLES | {"the", "of", "and", "for", "&"}
_TITLE_WORDS = TITLE_KEYS
# Job words that precede a name in headers but are not titles in ``cues.TITLES``
# ("Harbour Authority chief executive Tomas Brennan").
ROLE_WORDS = frozenset("""
executive officer head adviser advisor aide envoy deputy spokesman spokeswoman spokesperson
founder co-founder member manager counsel inspector superintendent commander editor
correspondent analyst economist lawyer negotiator coordinator administrator
""".split())
_LEADING_WORDS = _TITLE_WORDS | ROLE_WORDS  # what a header may put before a name


def is_name_phrase(phrase: str) -> bool:
    """Whether a header's phrase names someone ("Kremlin spokesman Dmitry Peskov",
    "the Ministry of Defence") rather than running on as a sentence ("Peskov
    sparks outrage"): capitalised words, connectors, titles and roles only."""
    words = phrase.split()
    if not 1 <= len(words) <= 10 or not any(w[0].isupper() for w in words):
        return False
    if all(w[0].isupper() or w.lower() in _NAME_PHRASE_CONNECTORS
           or w.lower().rstrip(".") in _LEADING_WORDS for w in words):
        return True
    # "harbour master Jonas Paju": a job no list can hold, in lower case, before
    # a full name (two capitalised words at least).
    run = 0
    while run < len(words) and words[len(words) - 1 - run][0].isupper():
        run += 1
    return run >= 2 and len(words) - run <= 4 and all(w.replace("-", "").isalpha() for w in words[:-run])


def person_in_phrase(words: list[str]) -> list[str]:
    """The person's name a header phrase ends with, without what comes before it
    (titles, roles, the organisation): "Harbour Authority chief executive Tomas
    Brennan" → ["Tomas", "Brennan"]; [] when it names no person ("the Ministry of
    Defence", "Kremlin")."""
    last_role = max((i for i, w in enumerate(words[:-1])
                     if w.lower().rstrip(".") in _LEADING_WORDS), default=-1)
    words = words[last_role + 1:]
    run: list[str] = []
    for word in reversed(words):
        if not (word[0].isupper() or (run and word.lower() in PARTICLES)):
            break
        run.insert(0, word)
    while run and run[0].lower() in PARTICLES:
        run.pop(0)
    last_org = max((i for i, w in enumerate(run) if w.lower().strip(".,") in ORGANISATION_WORDS),
                   default=-1)
    if last_org >= 0:  # "Harbour Authority Tomas Brennan": the name after the body's
        run = run[last_org + 1:]
    elif len(run) == len(words):  # nothing but capitalised words: "Tomas Brennan", "Peskov"
        return run if len(run) <= 4 else []
    elif words[len(words) - len(run) - 1].lower() in _NAME_PHRASE_CONNECTORS:
        return []  # the end of an organisation's name: "Ministry of Coastal Affairs"
    return run if 2 <= len(run) <= 4 else []


def speaker_from_phrase(phrase: str) -> str | None:
    """The speaker a header phrase names: a person without titles or roles
    ("Kremlin spokesman Dmitry Peskov" → "Dmitry Peskov") or else an organisation
    as written, without a leading "the" ("the Ministry of Defence" → "Ministry of
    Defence", as the article engine names "the Kremlin" "Kremlin")."""
    words = tidy_case(phrase_before_stop(phrase).split())
    person = person_in_phrase(words)
    if person:
        return " ".join(person)
    if words and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words) or None
