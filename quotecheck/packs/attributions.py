"""Rule types about who said it and how the copy says so: ``attribution-verb``,
``first-reference``, ``second-hand`` and ``anonymous-source``.

These read the attributions the pipeline already found (cue, speaker mention,
resolved person, ``via``) rather than searching raw text, so "claimed" is judged
only where it introduces a quote, and a first reference is the first time a
*quoted* person is named.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import Iterator

from ..cues import CUE_FORMS, IRREGULAR, TITLES, inflections
from ..model import Document, Person, Quote
from .base import Hit, Key, PackError, RuleType, compile_regex, listing
from .regions import clip, find_in, merge, quote_sentence, quote_unit, regions, whole_words

# Quotes that are someone's words (not a scare quote, a title or a quote within a quote).
SPOKEN = ("direct", "partial")


def _spoken(doc: Document) -> Iterator[Quote]:
    return (q for q in doc.quotes if q.kind in SPOKEN)


def _phrases(key: str, phrases: list[str]) -> re.Pattern:
    return compile_regex(key, "|".join(whole_words(p) for p in phrases), re.I)


# --- attribution-verb ------------------------------------------------------------

def verb_forms(verb: str) -> str:
    """A regex for every inflection of a verb given in any form ("claimed" →
    claim/claims/claimed/claiming), with a phrasal particle kept ("point out")."""
    head, *rest = verb.lower().split()
    lemma = IRREGULAR.get(head) or CUE_FORMS.get(head) or head
    forms = inflections(lemma) | {head, lemma} | {f for f, l in IRREGULAR.items() if l == lemma}
    alternation = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    return rf"(?<!\w)(?:{alternation})" + "".join(rf"\s+{re.escape(w)}" for w in rest) + r"(?!\w)"


class AttributionVerb(RuleType):
    name = "attribution-verb"
    summary = "reports a quote introduced by a listed reporting verb, in any inflection"
    keys = (
        Key("verbs", "strings", required=True, help="verbs in any form (claim, claimed: the same)"),
        Key("prefer", "string", default="said", help="the verb to use instead (for the message)"),
    )
    placeholders = ("verb", "lemma", "prefer", "speaker")
    default_message = "“{verb}” characterizes the statement; use “{prefer}”"
    fix_advice = "Use the neutral verb the rule prefers, unless the fact the verb asserts is itself reported."

    def __init__(self, settings):
        super().__init__(settings)
        self.verbs = [(v, compile_regex("verbs", verb_forms(v), re.I, entry=v)) for v in settings["verbs"]]

    def describe(self):
        return (f"Reports a quote whose reporting verb is {listing(self.settings['verbs'])} "
                f"(in any inflection), where “{self.settings['prefer']}” would do.")

    def hits(self, doc) -> Iterator[Hit]:
        seen = set()
        for q in doc.quotes:
            att = q.attribution
            if att.cue_start is None or not att.cue or att.cue_start in seen:
                continue
            seen.add(att.cue_start)
            for verb, regex in self.verbs:
                m = regex.match(doc.text, att.cue_start)
                if m:
                    yield Hit(m.start(), m.end(), {"verb": m.group(0), "lemma": verb,
                                                   "prefer": self.settings["prefer"], "speaker": att.speaker or ""},
                              quote=q, speaker=att.speaker)
                    break


# --- first-reference ----------------------------------------------------------------

# Role words that say who someone is, beyond the courtesy and office titles of
# quotecheck.cues.TITLES: "ministry adviser Vadim Denisenko", "Ana Ruiz, a retired teacher".
ROLES = frozenset("""
adviser advisor aide analyst economist professor lecturer researcher scientist historian
expert lawyer barrister solicitor founder owner executive ceo cfo manager head boss
president chair chairman chairwoman member official officer commander soldier spokesman
spokeswoman spokesperson resident farmer teacher student doctor nurse engineer worker
activist organizer organiser volunteer coach player author editor writer reporter journalist
correspondent columnist producer director partner investor banker trader consultant
strategist pollster diplomat envoy negotiator prosecutor investigator detective inspector
constable firefighter paramedic surgeon physician pharmacist priest imam rabbi
vicar minister mayor governor secretary senator lawmaker legislator candidate nominee
councillor councilor chief principal dean mother father wife husband son daughter brother
sister neighbour neighbor witness survivor victim shopkeeper driver pilot captain master
supervisor foreman planner architect curator librarian clerk treasurer
""".split())

# Courtesy titles say how to address someone, not who they are: "Mr. Hunt" has no role.
COURTESY = frozenset({"mr", "mrs", "ms", "miss", "mx"})

_DETERMINER_AFTER = re.compile(
    r"\s*,\s*(?:\d{1,3},\s*)?(?:(?:the|a|an|his|her|their|its)\s+)?(?P<words>(?:[\w’'.-]+\s+){0,6}[\w’'.-]+)")
_PARTY = re.compile(r"\s*,?\s*\(?[RDI]-[A-Z]")
_WHO_ROLE = re.compile(r"\s*,\s*who\s+(?:is|was|has\s+been|runs|ran|leads|led|heads|headed|owns|works|"
                       r"worked|chairs|manages|directs|teaches|represents|serves|served)\b", re.I)


class FirstReference(RuleType):
    name = "first-reference"
    summary = "the first mention of each quoted person gives the full name (and a title or role)"
    keys = (
        Key("require_title", "bool", default=False,
            help="also require a title or role: before the name or in an apposition after it"),
        Key("titles", "strings", default=sorted(TITLES | ROLES),
            help="title and role words (quotecheck's own lists by default; extend-titles adds to them)"),
    )
    placeholders = ("name", "mention", "missing")
    default_message = "first reference to {name} (“{mention}”) needs the {missing}"
    fix_advice = "Give the full name at the first mention, with the person's title or role."

    def __init__(self, settings):
        super().__init__(settings)
        # Courtesy titles are never part of a name, whatever the titles list says.
        self.roles = COURTESY | {t.lower() for t in settings["titles"]}

    def describe(self):
        what = "the full name and a title or role" if self.settings["require_title"] else "the full name"
        return ("The first time the document names a person it quotes, the mention must give "
                f"{what}; reported at that mention.")

    def hits(self, doc) -> Iterator[Hit]:
        for person in _quoted_people(doc):
            if all(self._is_role(w) for w in person.name.split()):
                continue  # "the Chancellor": a role, not a name
            start, written = first_mention(doc, person)
            if start is None:
                continue
            name_words = [w for w in written.split() if not self._is_role(w)]
            missing = []
            if len(name_words) < 2:
                missing.append("full name")
            if self.settings["require_title"] and not (self._has_title(doc.text, start, written)
                                                       or _mention_adds_words(doc, person, start, written)):
                missing.append("title or role")
            if missing:
                q = regions(doc).by_person[id(person)][0]
                yield Hit(start, start + len(written),
                          {"name": person.name, "mention": written, "missing": " and ".join(missing)},
                          quote=q, speaker=person.name)

    def _is_role(self, word: str) -> bool:
        """A title or role word: not part of the name."""
        w = word.lower().strip(",").rstrip(".")
        return w in self.roles or w + "." in self.roles

    def _gives_role(self, word: str) -> bool:
        """A title or role word that says who the person is (not "Mr.")."""
        return self._is_role(word) and word.lower().strip(",").rstrip(".") not in COURTESY

    def _has_title(self, text: str, start: int, written: str) -> bool:
        if any(self._gives_role(w) for w in written.split()):
            return True  # "Mayor Ana Ruiz" as recorded
        before = text[max(0, start - 120):start]
        words_before = re.findall(r"[\w’'.-]+", before)
        if words_before and self._gives_role(words_before[-1]) and not re.search(r"[,;:]\s*$", before):
            return True  # "ministry adviser Vadim Denisenko"
        lead = re.search(r"(?:^|[.;:!?\"“”‘’\n(])\s*([^.;:!?\"“”\n(]*),\s*$", before)
        if lead and any(self._gives_role(w) for w in lead.group(1).split()[-12:]):
            return True  # "the adviser to the Interior Ministry, Vadim Denisenko"
        after = text[start + len(written):start + len(written) + 120]
        if _PARTY.match(after) or _WHO_ROLE.match(after):
            return True  # "Ted Cruz, R-Texas"; "Jane Roe, who runs the bakery"
        m = _DETERMINER_AFTER.match(after)
        if m:
            clause = re.split(r"[,;.]", m.group("words"))[0]
            return any(self._gives_role(w) for w in clause.split())  # "Vadim Denisenko, the ministry adviser"
        return False


def _mention_adds_words(doc: Document, person: Person, start: int, written: str) -> bool:
    """Whether attribution recorded a longer speaker mention around this first
    mention ("harbour master Marek Ostrowski", "Ana Ruiz, 54, who runs the
    bakery"): the words it took with the name describe the person."""
    end = start + len(written)
    for q in regions(doc).by_person.get(id(person), []):
        att = q.attribution
        if att.mention and att.mention_start is not None:
            m_start, m_end = att.mention_start, att.mention_start + len(att.mention)
            extra = (doc.text[m_start:start] + " " + doc.text[end:m_end]).strip(" ,")
            if m_start <= start and end <= m_end and re.search(r"[a-z]{3,}", extra):
                return True
    return False


def _quoted_people(doc: Document) -> list[Person]:
    return [qs[0].attribution.person for qs in regions(doc).by_person.values()
            if not qs[0].attribution.person.is_group and qs[0].attribution.person.name]


def first_mention(doc: Document, person: Person) -> tuple[int | None, str]:
    """Where the document first names ``person``, and the words as written there:
    the earliest of the mentions attribution recorded and of the plain-text
    occurrences of the full name or of the bare surname (a surname preceded by
    another capitalised word belongs to someone else's name)."""
    candidates = [(off, written) for off, written in person.mentions if off >= 0 and written]
    # Only the earliest place counts: no search goes past the first mention recorded.
    limit = min((off for off, _ in candidates), default=len(doc.text)) + len(person.name)
    for m in _occurrences(doc, person.name, limit):
        candidates.append((m.start(), m.group(0)))
        break
    surname = person.surname
    if surname and surname != person.name and surname[:1].isupper() and _unique_surname(doc, person):
        for m in _occurrences(doc, surname, limit):
            previous = re.search(r"([\w.’'-]+)\s+$", doc.text[max(0, m.start() - 40):m.start()])
            if previous and previous.group(1)[:1].isupper() and previous.group(1).rstrip(".").lower() not in TITLES:
                continue
            candidates.append((m.start(), m.group(0)))
            break
    if not candidates:
        return None, ""
    start = min(off for off, _ in candidates)
    # Prefer the longest words recorded at that place ("Mayor Ana Ruiz" over "Ana Ruiz"),
    # in the document's own letters (a transcript label: HALVORSEN).
    written = max((w for off, w in candidates if off == start), key=len)
    as_written = doc.text[start:start + len(written)]
    return start, as_written if as_written.lower() == written.lower() else written


def _occurrences(doc: Document, name: str, limit: int):
    """The whole-word occurrences of ``name`` (as ``whole_words`` matches it)
    starting before ``limit``, in order. A match begins where a run of word
    characters begins, the name's first one: those places are looked up in a
    table of the document's word runs (built once) and the name is matched only
    there, so no search reads the document again for every person."""
    pattern = re.compile(whole_words(name))
    first = re.match(r"\w+", name)
    if first is None:  # a name opening with a symbol: the plain search
        yield from (m for m in pattern.finditer(doc.text, 0, len(doc.text)) if m.start() < limit)
        return
    for start in _word_runs(doc).get(first.group(), ()):
        if start >= limit:
            return
        m = pattern.match(doc.text, start)
        if m is not None:
            yield m


def _word_runs(doc: Document) -> dict[str, list[int]]:
    """Where each run of word characters starts in the document, by run."""
    reg = regions(doc)
    if "_word_runs" not in reg.__dict__:
        index: dict[str, list[int]] = {}
        for m in re.finditer(r"\w+", doc.text):
            index.setdefault(m.group(), []).append(m.start())
        reg.__dict__["_word_runs"] = index
    return reg.__dict__["_word_runs"]


def _unique_surname(doc: Document, person: Person) -> bool:
    reg = regions(doc)
    if "_surnames" not in reg.__dict__:
        reg.__dict__["_surnames"] = Counter(p.surname for p in _quoted_people(doc))
    return reg.__dict__["_surnames"][person.surname] <= 1


# --- second-hand ----------------------------------------------------------------------

SECOND_HAND_SIGNALS = ["was quoted as saying", "were quoted as saying", "reportedly", "told reporters",
                       "in an interview with", "wrote in", "said in a post", "posted on", "told local media"]
NOT_OUTLETS = frozenset("""
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday i
""".split())
# "told Reuters", "in an interview with the BBC", "wrote in The Atlantic", "for The Guardian"
_OUTLET = re.compile(r"(?<!\w)(?:told|with|in|for|on|to|by)\s+(?:the\s+)?((?:[A-Z][\w&’'.-]*)(?:\s+(?:of\s+)?[A-Z][\w&’'.-]*)*)")


class SecondHand(RuleType):
    name = "second-hand"
    summary = "a quote the writer did not hear first-hand must name the outlet it came from"
    keys = (
        Key("signals", "strings", default=SECOND_HAND_SIGNALS,
            help="words in the cue or the quote's sentence that mark a relayed quote"),
        Key("outlets", "strings", help="outlet names that always count as naming the source"),
    )
    placeholders = ("signal", "speaker")
    default_message = "“{signal}”: a relayed quote must name the outlet it came from"
    fix_advice = "Name the outlet (“…, he told Reuters”, “according to The Kyiv Independent”)."

    def __init__(self, settings):
        super().__init__(settings)
        self.signals = _phrases("signals", settings["signals"])
        outlets = settings.get("outlets")
        self.outlets = _phrases("outlets", outlets) if outlets else None

    def describe(self):
        return (f"Reports a quote whose cue or sentence says it is relayed ({listing(self.settings['signals'])}) "
                "when neither the attribution (“according to …”) nor the sentence names the outlet "
                "(a capitalised name after “told”, “with”, “in”, “for”, “on”, “to” or “by”).")

    def hits(self, doc) -> Iterator[Hit]:
        reported = set()
        narration = regions(doc).narration
        for q in _spoken(doc):
            sentence = quote_sentence(doc, q)
            where = clip(narration, *sentence)
            signal = next(find_in(self.signals, doc.text, where), None)
            # Quotes sharing a signal (a cue carried to the next quote) are reported once.
            if signal is None or signal.start() in reported or self._names_outlet(doc, q, sentence, where):
                continue
            reported.add(signal.start())
            yield Hit(signal.start(), signal.end(), {"signal": signal.group(0), "speaker": q.speaker or ""},
                      quote=q, speaker=q.speaker)

    def _names_outlet(self, doc, q, sentence, where) -> bool:
        via = regions(doc).via_marks  # a quote in the sentence names its outlet
        i = bisect.bisect_left(via, sentence[0])
        if i < len(via) and via[i] < sentence[1]:
            return True
        if self.outlets is not None and next(find_in(self.outlets, doc.text, where), None):
            return True
        return any(m.group(1).split()[0].lower() not in NOT_OUTLETS for m in find_in(_OUTLET, doc.text, where))


# --- anonymous-source -------------------------------------------------------------------

ANONYMOUS_PHRASES = ["a source", "sources", "insiders", "an insider", "a person familiar with",
                     "people familiar with", "a person close to", "people close to", "an official who",
                     "officials who", "who asked not to be named", "who declined to be named",
                     "who requested anonymity", "who spoke on condition of anonymity"]

# How newsrooms write an unnamed source, as patterns rather than exact strings,
# so that "a senior official", "two senior administration officials" and "one
# Pentagon official" are one pattern. Matched case-insensitively, in the quote's
# speaker mention and the narration of its sentence. Each pattern names the
# source by what it is not: a role with no name after it.
_COUNT = r"(?:an?|one|two|three|four|five|several|some|many|other|more|multiple|few|the\s+same)"
# Up to three words describing the source: "senior administration", "Whitehall", "U.S.".
_QUALIFIERS = r"(?:(?!(?:and|or|but|said|says|told|according|who)\b)[\w.’'-]+\s+){0,3}?"
# Who an unnamed source is, in the words the copy uses for them.
_ROLES = (r"(?:officials?|sources?|insiders?|aides?|diplomats?|staffers?|advis[eo]rs?|executives?|"
          r"employees?|officers?|investigators?|lawmakers?|legislators?|negotiators?|members?\s+of\s+staff|"
          r"spokespeople|people|persons?|individuals?|someone)")
_SPEAKS = (r"(?:said|say|says|saying|told|tell|tells|added|adds|confirmed|confirms|insisted|warned|"
           r"stressed|noted|acknowledged|cautioned|explained|described|disclosed|revealed)")
# A name right after the role makes it a named source: "…, said a city official, Ana Ruiz".
_NOT_A_NAME_NEXT = r"(?!(?-i:,?\s+[A-Z][\w’'-]+\s+[A-Z][\w’'-]+))"
# What makes an unnamed source worth quoting: "familiar with", "close to", "with knowledge of".
_KNOWING = (r"(?:(?:who\s+(?:is|are|was|were)|directly)\s+)?(?:familiar\s+with|close\s+to|"
            r"with\s+(?:direct\s+|first-?hand\s+|detailed\s+)?knowledge\s+of|knowledgeable\s+about|"
            r"briefed\s+on|(?:involved|participating)\s+in)")
ANONYMOUS_PATTERNS = [
    # "officials said", "a senior official said", "one insider said", "two U.S. officials told"
    rf"\b(?:{_COUNT}\s+)?{_QUALIFIERS}{_ROLES}(?=\s+(?:(?:have|has|had|also)\s+)?{_SPEAKS}\b)",
    # "said a senior official", "according to two people familiar with", "told by a source"
    rf"\b(?:said|says|according\s+to|told\s+by)\s+(?:{_COUNT}\s+){_QUALIFIERS}{_ROLES}\b"
    rf"(?:\s+{_KNOWING}\b|{_NOT_A_NAME_NEXT})",
    # "people familiar with the matter", "a source close to the minister",
    # "a person with direct knowledge of", "officials briefed on the talks"
    rf"\b(?:{_COUNT}\s+)?{_ROLES}\s+{_KNOWING}\b",
    # "according to a person who attended", "a person who saw the letter"
    # "officials who were at the meeting"
    rf"\b(?:(?:according\s+to\s+)?{_COUNT}\s+{_QUALIFIERS}(?:persons?|people|individuals?|someone|"
    r"officials?|sources?|insiders?|aides?|employees?)|officials|sources|insiders|aides)\s*,?\s+who\b",
    # "sources said", "sources say", "government sources", "a Whitehall source", "one source"
    rf"(?<![\w-])(?:{_COUNT}\s+{_QUALIFIERS})?sources?\b(?!\s+of\b)",
    r"\binsiders?\b",
    # "who spoke on condition of anonymity", "speaking on the condition that she not be named",
    # "an aide, who spoke anonymously"
    r"\b(?:who|speaking|spoke|talking)\s+(?:\w+\s+){0,3}?(?:on\s+(?:the\s+)?condition\s+(?:of\s+anonymity|"
    r"that\s+\w+\s+(?:not\s+be|remain\s+un)\s*(?:named|identified))|anonymously|on\s+background)",
    # "who asked not to be named", "who declined to be identified", "who requested anonymity",
    # "who asked to remain anonymous", "who did not want to be named"
    r"\bwho\s+(?:asked|requested|declined|refused|wished|preferred|(?:did\s+not|didn[’']t)\s+(?:want|wish))"
    r"\s+(?:for\s+)?(?:not\s+)?(?:to\s+(?:be|remain|stay)\s+)?(?:named|identified|anonymous|anonymity|unnamed)\b",
    r"\bwho\s+asked\s+that\s+(?:his|her|their|the\s+\w+['’]s)\s+name\s+(?:not\s+be|be\s+withheld)",
    r"\bon\s+condition\s+of\s+anonymity\b",
]
_LEAD = re.compile(r"(?:said|says|told\s+by)\s+", re.I)
ANONYMITY_REASONS = ["on condition of anonymity", "because", "not authorized to", "not authorised to",
                     "for fear of", "fearing", "to discuss", "to speak freely"]


class AnonymousSource(RuleType):
    name = "anonymous-source"
    summary = "reports wording that hides a quote's source (and, if asked, one given no reason)"
    keys = (
        Key("phrases", "strings", default=ANONYMOUS_PHRASES,
            help="words that hide a source, looked for in the attribution and the quote's sentence"),
        Key("patterns", "strings",
            help="the pack's own regular expressions for the same (case-insensitive), besides the phrases"),
        Key("require_reason", "bool", default=False,
            help="report only when the sentence (or paragraph) gives no reason for the anonymity"),
        Key("reasons", "strings", default=ANONYMITY_REASONS, help="words that give the reason"),
        Key("within", "string", default="sentence", choices=("sentence", "paragraph"),
            help="where the reason must be: the quote's sentence or its paragraph"),
    )
    placeholders = ("phrase",)
    default_message = "anonymous source (“{phrase}”) without a reason for the anonymity"
    fix_advice = "Say why the source was granted anonymity, or name the source."

    def __init__(self, settings):
        super().__init__(settings)
        phrases, patterns = settings["phrases"], settings.get("patterns", [])
        if not phrases and not patterns:
            raise PackError("phrases", "phrases is empty and there are no patterns: the rule would never report")
        for pattern in patterns:
            compile_regex("patterns", pattern, re.I, entry=pattern)  # names the bad one
        # The default phrases stand for quotecheck's patterns, which find each of
        # them and their variants ("a senior official said"): they come with the
        # default phrases (kept, or extended), and go when phrases replaces them.
        self.builtin = all(p in phrases for p in ANONYMOUS_PHRASES)
        if self.builtin:
            own = [p for p in phrases if p not in ANONYMOUS_PHRASES]
            patterns = [*patterns, *ANONYMOUS_PATTERNS]
        else:
            own = phrases
        # the pack's own wording first: it is what the message quotes when both match at one place
        alternatives = [whole_words(p) for p in own] + [f"(?:{p})" for p in patterns]
        self.phrases = compile_regex("patterns", "|".join(alternatives), re.I)
        self.reasons = _phrases("reasons", settings["reasons"])

    def describe(self):
        phrases = self.settings["phrases"]
        if self.builtin:
            own = [p for p in phrases if p not in ANONYMOUS_PHRASES]
            wording = ("quotecheck's patterns for unnamed sources: “officials said”, “a senior official said”, "
                       "“one insider said”, “people familiar with the matter”, “a source close to …”, "
                       "“according to a person who …”, “who spoke on condition of anonymity” …")
            wording += f"; and {listing(own)}" if own else ""
        else:
            wording = listing(phrases)
        if self.settings.get("patterns"):
            wording += f"; and the pack's {len(self.settings['patterns'])} pattern(s)"
        what = f"Reports a quote whose attribution or sentence hides the source ({wording})"
        if self.settings["require_reason"]:
            what += (f" and whose {self.settings['within']} gives no reason for it "
                     f"({listing(self.settings['reasons'])})")
        return what + "."

    def hits(self, doc) -> Iterator[Hit]:
        reg = regions(doc)
        reported = set()
        for q in _spoken(doc):
            sentence = quote_sentence(doc, q)
            where = merge(clip(reg.narration, *sentence) + _own_mention(doc, q))
            phrase = next(find_in(self.phrases, doc.text, where), None)
            if phrase is None or phrase.start() in reported:
                continue
            if self.settings["require_reason"]:
                unit = quote_unit(doc, q, self.settings["within"])
                unit_text = clip(reg.narration, min(unit[0], phrase.start()), max(unit[1], phrase.end()))
                if next(find_in(self.reasons, doc.text, unit_text), None) is not None:
                    continue
            reported.add(phrase.start())
            # "said a senior official" is reported at "a senior official"
            lead = _LEAD.match(phrase.group(0))
            start = phrase.start() + (lead.end() if lead else 0)
            yield Hit(start, phrase.end(), {"phrase": doc.text[start:phrase.end()]}, quote=q, speaker=q.speaker)


def _own_mention(doc: Document, q: Quote) -> list[tuple[int, int]]:
    """The quote's speaker mention, also when it stands outside the quote's sentence."""
    att = q.attribution
    if att.mention_start is None or not att.mention or not doc.text.startswith(att.mention, att.mention_start):
        return []
    return [(att.mention_start, att.mention_start + len(att.mention))]


TYPES = (AttributionVerb, FirstReference, SecondHand, AnonymousSource)
