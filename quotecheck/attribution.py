"""Stage 3c: name the speaker of every quote.

For each quote, in document order, the attributor tries in turn:

1. a reporting cue in the quote's own sentence(s), outside the quote marks:
   the verb's subject ("X said", inverted "said X", "X told Y"), "according to X",
   a colon introduction ("X said:"), a trailing dash ("— X");
2. the colon-ended paragraph right before the quote;
3. news convention: a quote that continues a multi-paragraph quote, or a quote
   paragraph with no cue, keeps the speaker of the quote before it.

Mentions are then resolved: titles and appositions give way to the name, a
surname to the full name introduced earlier, a pronoun to the person it refers
to. Groups ("Russian officials", "the Kremlin") stay groups.
"""
from __future__ import annotations

import re

from .cues import PHRASAL_CUES, PRONOUN_GENDER, REPORTING_VERBS, TITLES
from .model import Attribution, Document, Quote
from .people import PeopleIndex, gender_of, strip_titles

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
INVERTED_SUBJECT_DEPS = {"dobj", "attr", "npadvmod", "appos", "oprd", "dep", "nsubj"}
GROUP_ENTS = {"ORG", "NORP", "GPE", "FAC"}
_ROLE_WORDS = "|".join(sorted(w for w in TITLES | {"aide", "adviser", "advisor", "strategist", "analyst",
                                                      "campaign", "manager", "press", "secretary"}
                               if w.isalpha() and w.islower()))
# A name, with the role words news puts inside it ("Rubio spokesman Alex Conant").
_NAME = r"(?:[A-Z][\w’'\-]*\.?)(?:\s(?:[A-Z][\w’'\-]*\.?|of|de|van|von|(?:" + _ROLE_WORDS + r")(?=\s[A-Z]))){0,6}"
# An apposition after the name: "…, an economist who …," / "…, 58, a student …".
_APPOS = r",\s(?:an?|the|his|her|their|its|[A-Z0-9])(?:[^“”\"\n.]|\.(?=\S)){0,120}?(?=,\s*[“\"]|[.;]\s|[.;]?$|,\s*(?:who|and)\b)"
ADJACENT_INVERTED_RE = re.compile(
    r"\s*,?\s*(?P<verb>[a-z]+)\s+(?P<who>" + _NAME + r")(?P<appos>" + _APPOS + r")?")
ADJACENT_RE = re.compile(r"\s*,?\s*(?P<who>" + _NAME + r")\s+(?P<verb>[a-z]+)\b")
LABEL_BEFORE_RE = re.compile(r"(?:^(?:[-–—•*][ \t]+)?(?:(?:Said|Stated|Added|Wrote|Asked)[ \t]+)?|(?<=[.!?”\"]\s)|(?<=\n)|(?<= [-–—] )|(?<=Said )|(?<=Stated )|(?<=Added )|(?<=Wrote )|(?<=Asked ))(?P<label>[A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*){0,3}):\s*$", re.M)
NOT_LABELS = {"Q", "A", "Note", "Update", "Editor", "Correction", "Related", "Watch", "Read", "From", "Source"}
LABEL_RE = re.compile(r"(?P<label>[A-Z][A-Z.'’\- ]{1,30}[A-Z]|(?:Mr|Mrs|Ms|Dr)\. [A-Z][a-z]+):\s")
DASH_RE = re.compile(r"[ \t\u00a0]*[—–―]+[ \t\u00a0]*(?P<who>[A-Z][^\n;“”\"]{1,80}?)[.,]?[ \t\u00a0]*(?=\n|$)")
VIA_CUES = ("according to",)


def _inflections(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    if re.search(r"[^aeiou][aeiou][bdglmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "written": "write", "went": "go",
             "gone": "go", "began": "begin", "begun": "begin", "spoke": "speak", "spoken": "speak",
             "read": "read", "put": "put", "thought": "think", "felt": "feel", "shot": "shoot",
             "cried": "cry", "replied": "reply", "denied": "deny", "testified": "testify",
             "hit": "hit", "quipped": "quip", "says": "say", "saying": "say"}
CUE_FORMS = {form: lemma for lemma in REPORTING_VERBS for form in _inflections(lemma)}
CUE_FORMS.update({k: v for k, v in IRREGULAR.items() if v in REPORTING_VERBS or v == "say"})


def cue_lemma(token) -> str | None:
    """The reporting lemma of a token, or None; works without a lemmatizer."""
    if not token.tag_.startswith("VB"):
        return None
    lemma = CUE_FORMS.get(token.lower_)
    if lemma in PHRASAL_CUES:
        if not any(c.dep_ == "prt" and c.lower_ == PHRASAL_CUES[lemma] for c in token.children):
            return None
    return lemma


class Attributor:
    def __init__(self, doc: Document, extra_verbs: frozenset[str] = frozenset()):
        self.doc = doc
        self.people = PeopleIndex(doc)
        self.extra = {f: v for v in extra_verbs for f in _inflections(v)}
        self._quote_tokens: dict[int, set[int]] = {}

    # -- driver -----------------------------------------------------------
    def run(self) -> None:
        doc = self.doc
        for i, q in enumerate(doc.quotes):
            if q.kind == "nested":
                continue
            if is_title(doc, q):
                q.kind = "title"
                continue
            att = self._from_label(q) or self._from_label_before(q) or self._from_cue(q)
            if att is None:
                att = self._from_adjacent_cue(q)
            if att is None and q.continues is not None:
                att = _copy(doc.quotes[q.continues].attribution, "continuation")
            if att is None:
                att = self._from_previous(i, q)
            if att is None:
                att = self._from_narrative_before(q)
            if att is not None:
                q.attribution = att
            q.kind = _kind(doc, q)

    # -- 1/2: reporting cues ---------------------------------------------
    def _from_cue(self, q: Quote) -> Attribution | None:
        dash = self._from_dash(q)  # "“…” ― Ana Ruiz" at a line end is unambiguous
        if dash is not None:
            return dash
        parsed = self.doc.parses.get(q.paragraph)
        if parsed is None:
            return None
        base = self.doc.paragraphs[q.paragraph].start
        lo = q.outer_start - base
        hi = q.outer_end - base
        inside = self._inside_quotes(q.paragraph, parsed, base)
        sents = [s for s in parsed.sents if s.start_char < hi and s.end_char > lo]
        if not sents:
            return None
        context = list(sents)
        # A cue sentence split off after the quote: `“….” He said.`, or
        # `“Perpetual motion!” Rep. Glenn Thompson, R-Pa., said of the …` where
        # the parser ended the sentence at the “!”.
        last = sents[-1]
        if last.end < len(parsed):
            nxt = parsed[last.end].sent
            short = len([t for t in nxt if not t.is_punct]) <= 6 and not any(t.i in inside for t in nxt)
            follows = nxt.start_char - hi <= 2 and \
                any(cue_lemma(t) for t in nxt[:12] if t.i not in inside)
            if short or follows:
                context.append(nxt)
        q_tokens = {t.i for s in sents for t in s if lo <= t.idx < hi}
        best = self._best_cue(parsed, context, q_tokens, inside, base, lo, hi)
        if best is not None:
            return best
        # "…, Schiff said. “The other factor …”": the cue closes the sentence before.
        first = sents[0]
        if first.start > 0 and first.start_char >= lo - 2:
            before = parsed[first.start - 1].sent
            if not any(t.i in inside for t in before):
                best = self._best_cue(parsed, [before], set(), inside, base, lo, hi, colon=True)
                if best is not None:
                    best.method = "sentence-before"
                    return best
        # A colon introduction in the paragraph before.
        prev = q.paragraph - 1
        if (q.start - base) <= 2 and prev in self.doc.parses and \
                self.doc.paragraph_text(prev).rstrip().endswith(":"):
            pparsed = self.doc.parses[prev]
            pbase = self.doc.paragraphs[prev].start
            last_sent = list(pparsed.sents)[-1]
            return self._best_cue(pparsed, [last_sent], set(), self._inside_quotes(prev, pparsed, pbase),
                                  pbase, len(pparsed.text), len(pparsed.text), colon=True)
        return None

    def _inside_quotes(self, pindex, parsed, base) -> set[int]:
        if pindex not in self._quote_tokens:
            spans = [(q.outer_start - base,
                      q.outer_end - base)
                     for q in self.doc.quotes if q.paragraph == pindex]
            self._quote_tokens[pindex] = {t.i for t in parsed for a, b in spans if a <= t.idx < b}
        return self._quote_tokens[pindex]

    def _best_cue(self, parsed, context, q_tokens, inside, base, lo, hi, colon=False):
        candidates = []
        colon_before = parsed.text[:lo].rstrip().endswith(":")
        for sent in context:
            for tok in sent:
                if tok.i in inside:
                    continue
                if tok.lower_ == "according" and tok.i + 1 < len(parsed) and parsed[tok.i + 1].lower_ == "to":
                    obj = next((c for c in parsed[tok.i + 1].children if c.dep_ == "pobj"), None)
                    if obj is not None and obj.i not in inside:
                        candidates.append((self._distance(tok, lo, hi, base=0), 1, "according to", tok, obj))
                    continue
                if tok.lower_ in SPEECH_NOUNS and tok.pos_ == "NOUN":
                    owner = _possessor(tok, inside)
                    if owner is not None:  # "Trump's assertion that “thousands” …"
                        governs = bool(q_tokens) and any(_is_ancestor(tok, parsed[i]) or
                                                         _is_ancestor(tok.head, parsed[i]) for i in q_tokens)
                        candidates.append((self._distance(tok, lo, hi, base=0), 0 if governs else 1,
                                           tok.text, tok, owner))
                    continue
                lemma = cue_lemma(tok) or self.extra.get(tok.lower_)
                dominates = bool(q_tokens) and any(_is_ancestor(tok, parsed[i]) for i in q_tokens)
                # "Clinton released the following statement: “…”" — a colon
                # introduction makes the verb before it a cue, whatever the verb.
                introduces = tok.pos_ == "VERB" and (colon or tok.idx < lo and colon_before)
                if lemma is None and not ((dominates or introduces) and tok.pos_ == "VERB"):
                    continue
                subj = _subject(tok, inside)
                if subj is None:
                    continue
                if lemma is None and not (_person_like(subj) or self._known_person(subj, base) or _source_like(subj)):
                    continue
                dist = self._distance(tok, lo, hi, base=0)
                # Rank: a reporting verb governing the quote, then any reporting
                # verb, then another verb governing it ("X cited Y as “…”").
                rank = 0 if dominates and lemma else (1 if lemma else (2 if _person_like(subj) else 3))
                candidates.append((dist, rank, tok.text, tok, subj))
        if not candidates:
            return None
        # Prefer a cue that governs the quote, then the nearest one.
        # "Clinton cited Trump's references to her as “Miss Piggy”": a speech
        # noun under another cue gives way to that cue (the outer source).
        cue_tokens = [c[3] for c in candidates if c[3].lower_ not in SPEECH_NOUNS and c[1] <= 2]
        candidates = [c for c in candidates if c[3].lower_ not in SPEECH_NOUNS or
                      not any(_is_ancestor(t, c[3]) for t in cue_tokens)]
        if not candidates:
            return None
        candidates.sort(key=lambda c: (c[1], c[0]))
        # Of reporting verbs that both govern the quote ("Trump said Romney
        # would have “dropped to his knees”"), the outermost is the source.
        governing = [c for c in candidates if c[1] == 0]
        for c in governing:
            if all(c is o or _is_ancestor(c[3], o[3]) for o in governing):
                candidates.remove(c)
                candidates.insert(0, c)
                break
        dist, _, cue, cue_tok, subj = candidates[0]
        if dist > 40 and not colon:
            return None
        att = self._speaker_from(subj, parsed, inside, base)
        att.cue = "according to" if cue == "according to" else cue_tok.text
        att.cue_start = base + cue_tok.idx
        att.method = "colon" if colon else ("according-to" if cue == "according to" else "cue")
        # "X said …, according to The Times": the outlet is a second-hand source.
        if cue != "according to":
            via = next((c for c in candidates if c[2] == "according to"), None)
            if via is not None:
                att.via = _span_text(parsed, via[4], inside)
        return att

    @staticmethod
    def _distance(tok, lo, hi, base) -> int:
        if tok.idx >= hi:
            return len(tok.doc.text[hi:tok.idx].split())
        if tok.idx < lo:
            return len(tok.doc.text[tok.idx:lo].split())
        return 0

    def _from_label(self, q: Quote) -> Attribution | None:
        """A transcript turn quoted whole: “PENCE: Well, look, …”."""
        m = LABEL_RE.match(q.text)
        if not m:
            return None
        label = m.group("label").strip()
        name = label.title() if label.isupper() else label
        person = self.people.resolve_name(name, q.start)
        return Attribution(speaker=person.name, mention=label, mention_start=q.start, cue=":",
                           cue_start=q.start + m.end("label"), method="label", person=person)

    def _from_label_before(self, q: Quote) -> Attribution | None:
        """“Clinton: “Our goal is …”” — a name and a colon right before the mark."""
        para = self.doc.paragraphs[q.paragraph]
        lo, hi = max(para.start, q.outer_start - 60), q.outer_start
        if q.outer_start == para.start and q.paragraph > 0:  # "Stated Stone:" ¶ “…”
            prev = self.doc.paragraphs[q.paragraph - 1]
            lo, hi = max(prev.start, prev.end - 60), prev.end
        m = LABEL_BEFORE_RE.search(self.doc.text, lo, hi)
        if not m or m.group("label").split()[0] in NOT_LABELS:
            return None
        label = m.group("label")
        person = self.people.known(label, m.start("label"))
        if person is None and not label.isupper():
            return None
        person = person or self.people.resolve_name(label.title(), m.start("label"))
        return Attribution(speaker=person.name, mention=label, mention_start=m.start("label"), cue=":",
                           cue_start=m.end("label"), method="label", person=person)

    def _from_adjacent_cue(self, q: Quote) -> Attribution | None:
        """Surface pattern right after the closing mark, for when the parse failed:
        “…,” said Skelly, explaining … / “…,” Rubio spokesman Alex Conant tweeted."""
        if q.mark_end is None:
            return None
        para_end = self.doc.paragraphs[q.paragraph].end
        tail = self.doc.text[q.mark_end:min(para_end, q.mark_end + 200)]
        m = ADJACENT_INVERTED_RE.match(tail) or ADJACENT_RE.match(tail)
        if not m or CUE_FORMS.get(m.group("verb").lower()) is None:
            return None
        who = m.group("who").strip()
        start = q.mark_end + m.start("who")
        if who.lower() in PRONOUN_GENDER:
            return None  # the parse handles pronouns; a miss there is no name here
        if who.endswith(".") and not re.search(r"\b(?:[A-Z]|Jr|Sr)\.$", who):
            who = who[:-1]  # the sentence's full stop, not an abbreviation
        words = who.split()
        # "Rubio spokesman Alex Conant": the name is the capitalised run at the end.
        last_lower = max((i for i, w in enumerate(words) if w.islower()), default=-1)
        name = " ".join(strip_titles(words[last_lower + 1:])) or who
        mention = who + (m.group("appos") or "") if "appos" in m.groupdict() else who
        person = self.people.resolve_name(name, start)
        return Attribution(speaker=person.name, mention=mention.rstrip(" ,"), mention_start=start,
                           cue=m.group("verb"), cue_start=q.mark_end + m.start("verb"),
                           method="adjacent", person=person)

    def _from_dash(self, q: Quote) -> Attribution | None:
        if q.mark_end is None:
            return None
        para_end = self.doc.paragraphs[q.paragraph].end
        m = DASH_RE.match(self.doc.text, q.mark_end, para_end)
        if not m:
            return None
        who = m.group("who").strip().rstrip(",")
        name = who.split(",")[0].strip()
        person = self.people.resolve_name(name, m.start("who"))
        return Attribution(speaker=person.name, mention=who, mention_start=m.start("who"),
                           cue="—", cue_start=m.start(), method="dash", person=person)

    # -- 3: news convention -------------------------------------------------
    def _from_previous(self, i: int, q: Quote) -> Attribution | None:
        doc = self.doc
        prev = next((p for p in reversed(doc.quotes[:i]) if p.kind not in ("nested", "title")), None)
        if prev is None or prev.attribution.speaker is None and prev.attribution.mention is None:
            return None
        if prev.paragraph == q.paragraph:
            # `“…,” he said. “More words.”` — but not a scare quote further on.
            between = doc.text[prev.outer_end:q.outer_start]
            if _is_full_quote(doc, q) or not re.search(r"[.!?]", between):
                return _copy(prev.attribution, "same-paragraph")
            return None
        para = doc.paragraphs[q.paragraph]
        quoted = sum(x.end - x.start for x in doc.quotes if x.paragraph == q.paragraph)
        if q.paragraph - prev.paragraph <= 2 and quoted >= 0.6 * (para.end - para.start) \
                and all(_is_quote_paragraph(doc, p) for p in range(prev.paragraph + 1, q.paragraph)):
            return _copy(prev.attribution, "continuation")
        return None

    def _from_narrative_before(self, q: Quote) -> Attribution | None:
        """A quote paragraph with no cue after a narrative paragraph about someone
        ("Valastro praised the governor's leadership." / “We need someone …”)
        belongs to the last person that paragraph made its subject."""
        doc = self.doc
        para = doc.paragraphs[q.paragraph]
        prev = q.paragraph - 1
        if prev < 0 or q.outer_start != para.start or prev not in doc.parses \
                or not _is_quote_paragraph(doc, q.paragraph) or _is_quote_paragraph(doc, prev):
            return None
        parsed = doc.parses[prev]
        base = doc.paragraphs[prev].start
        inside = self._inside_quotes(prev, parsed, base)
        last = list(parsed.sents)[-1]
        for tok in reversed(list(last)):
            if tok.dep_ in ("nsubj",) and tok.i not in inside and tok.head.pos_ == "VERB" and \
                    (tok.ent_type_ == "PERSON" or self._known_person(tok, base)):
                att = self._speaker_from(tok, parsed, inside, base)
                att.method = "narrative-before"
                return att
        return None

    # -- resolving a mention ------------------------------------------------
    def _speaker_from(self, subj, parsed, inside, base) -> Attribution:
        if subj.lower_ in ("who", "which", "that") and subj.head.dep_ == "relcl":
            subj = subj.head.head  # "Smith, who told reporters …": the antecedent
        mention = _span_text(parsed, subj, inside)
        start = base + min((t.idx for t in subj.subtree if t.i not in inside and not t.is_space),
                           default=subj.idx)
        att = Attribution(mention=mention, mention_start=start)
        low = subj.lower_
        if subj.pos_ == "PRON" or low in PRONOUN_GENDER:
            pron = PRONOUN_GENDER.get(low)
            att.pronoun = pron or low
            if pron in ("he", "she"):
                person = self._same_sentence_subject(subj, base) or self._resolve_pronoun(pron, base + subj.idx)
                if person is not None:
                    person.pronouns.append((base + subj.idx, pron))
                    att.person, att.speaker = person, person.name
            elif pron == "they":
                group = self._group_before(subj, base)
                prev = self._previous_speaker(base + subj.idx)
                if group is not None:
                    att.person, att.speaker = group, group.name
                elif prev is not None and prev.is_group:
                    att.person, att.speaker = prev, prev.name
            return att
        name_tok = _name_token(subj)
        if name_tok is None and subj.text[:1].isupper() and self.people.known(subj.text, base + subj.idx):
            name_tok = subj  # a name the tagger took for a common noun
        if name_tok is not None:
            words = _propn_run(name_tok)
            known = self.people.known(" ".join(words), base + name_tok.idx)
            if known is None and name_tok.ent_type_ in GROUP_ENTS:
                ent = _entity_text(name_tok)
                att.speaker = ent
                att.person = self.people.add(ent, start, mention, is_group=True)
                return att
            person = known or self.people.resolve_name(" ".join(words), base + name_tok.idx)
            att.person, att.speaker = person, person.name
            return att
        # A description or a group: "the Kremlin", "Russian officials", "a spokesman".
        words = [t.text for t in subj.subtree if t.i not in inside and t.dep_ not in ("punct",)]
        if subj.i - min(t.i for t in subj.subtree) <= 3:
            core = [t.text for t in subj.subtree if t.i <= subj.i and t.i not in inside]
            while core and core[0].lower() in {"the", "a", "an"}:
                core = core[1:]
            phrase = " ".join(core) or " ".join(words)
        else:
            phrase = " ".join(words)
        att.speaker = phrase
        if subj.tag_ in ("NNS", "NNPS") or subj.ent_type_ in GROUP_ENTS:
            att.person = self.people.add(phrase, start, mention, is_group=True)
        return att

    def _group_before(self, pron_tok, base):
        """"Local officials said … “…,” they said": the nearest plural or
        organisation subject before the pronoun in its paragraph."""
        for tok in reversed(pron_tok.doc[:pron_tok.i]):
            if tok.dep_ in SUBJECT_DEPS and (tok.tag_ in ("NNS", "NNPS") or tok.ent_type_ in GROUP_ENTS):
                words = [t.text for t in tok.subtree if t.i <= tok.i and t.dep_ != "punct"]
                while words and words[0].lower() in ("the", "a", "an", "some", "many"):
                    words = words[1:]
                phrase = " ".join(words)
                return self.people.add(phrase, base + tok.idx, phrase, is_group=True)
        return None

    def _known_person(self, tok, base) -> bool:
        if tok.pos_ != "PROPN":
            return False
        person = self.people.known(" ".join(_propn_run(tok)), base + tok.idx)
        return person is not None and not person.is_group

    def _same_sentence_subject(self, pron_tok, base):
        """"Clinton says she …": a named subject earlier in the pronoun's sentence."""
        for tok in pron_tok.sent:
            if tok.i >= pron_tok.i:
                break
            if tok.dep_ in SUBJECT_DEPS and (tok.ent_type_ == "PERSON" or tok.pos_ == "PROPN"):
                person = self.people.known(" ".join(_propn_run(tok)), base + tok.idx)
                if person is not None and not person.is_group and \
                        gender_of(person) in (None, PRONOUN_GENDER[pron_tok.lower_]):
                    return person
        return None

    def _previous_speaker(self, offset):
        for q in reversed(self.doc.quotes):
            if q.start < offset and q.attribution.person is not None:
                return q.attribution.person
        return None

    def _resolve_pronoun(self, pron: str, offset: int):
        recent = self.people.recent(offset)
        prev = self._previous_speaker(offset)
        # News convention: a pronoun cue right after a quote by the same person
        # refers to that person whatever the pronoun says (that is the mismatch
        # the pronoun-mismatch rule reports).
        if prev is not None and recent and recent[0] is prev:
            return prev
        for person in recent:
            g = gender_of(person)
            if g is None or g == pron:
                return person
        return prev


def _copy(att: Attribution, method: str) -> Attribution:
    return Attribution(speaker=att.speaker, mention=att.mention, mention_start=att.mention_start,
                       cue=att.cue, cue_start=att.cue_start, via=att.via, pronoun=att.pronoun,
                       method=method, person=att.person)


def _is_full_quote(doc: Document, q: Quote) -> bool:
    """A quote that stands as its own sentence(s), not a phrase inside one."""
    before = doc.text[doc.paragraphs[q.paragraph].start:q.outer_start].rstrip()
    return (not before or before[-1] in ".!?:") and q.text.lstrip(". …-—[(")[:1].isupper()


TITLE_SMALL = {"a", "an", "the", "and", "of", "in", "on", "for", "to", "at", "with", "or", "is"}
TITLE_CONTEXT = re.compile(r"(?:['’]s|\b(?:on|in|book|show|film|movie|song|album|article|column|op-ed|"
                           r"titled|entitled|program|programme|series|episode|documentary|headline))[\s,]*$",
                           re.I)


def is_title(doc: Document, q: Quote) -> bool:
    """“Face the Nation”, MSNBC’s “Morning Joe”: a work's title, not a quotation."""
    words = q.text.rstrip(".,!?").split()
    if not words or len(words) > 7:
        return False
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in TITLE_SMALL for w in words):
        return False
    before = doc.text[max(0, (q.outer_start) - 30):q.outer_start]
    return bool(TITLE_CONTEXT.search(before))


def _is_quote_paragraph(doc: Document, p: int) -> bool:
    para = doc.paragraphs[p]
    quoted = sum(q.end - q.start for q in doc.quotes if q.paragraph == p)
    return quoted >= 0.6 * (para.end - para.start)


def _is_ancestor(tok, node) -> bool:
    while node.head.i != node.i:
        node = node.head
        if node.i == tok.i:
            return True
    return False


NOT_SPEAKERS = {"nobody", "noone", "nothing", "everyone", "everybody",
                "anyone", "anybody", "everything", "something", "anything", "none", "it", "this", "that"}


def _subject(verb, inside):
    if _listener_passive(verb):
        return None  # "Trump was asked, “…?”": the quote is the asker's
    subj = _grammatical_subject(verb, inside)
    if subj is None and CUE_FORMS.get(verb.lower_):
        subj = _nearest_person_before(verb, inside)
    if subj is not None and subj.lower_ in NOT_SPEAKERS:
        return None
    return subj


LISTENER_VERBS = {"told", "tell", "tells", "telling", "asked", "ask", "asks", "asking"}


SPEECH_NOUNS = frozenset("""
claim claims assertion assertions statement statements remark remarks comment comments promise
promises pledge words warning warnings accusation accusations argument description quip tweet
tweets message declaration response answer insistence suggestion vow charge prediction demand
call calls complaint complaints boast slogan phrase dictum mantra insult insults attack attacks
""".split())


def _possessor(noun, inside):
    """The person who owns a speech noun: "Trump's claim", "Obama's promise"."""
    for c in noun.children:
        if c.dep_ == "poss" and c.i not in inside and (c.pos_ == "PROPN" or c.ent_type_ in ("PERSON", "ORG")):
            return c
    return None


def _listener_passive(verb) -> bool:
    return verb.lower_ in ("told", "asked") and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _grammatical_subject(verb, inside):
    if verb.dep_ == "compound" and verb.head.pos_ == "PROPN" and verb.i < verb.head.i:
        return verb.head  # sentence-initial "Said Ellis: …", parsed as part of the name
    # Passive: "known by some Republicans as a “hug”" — the agent is the source.
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None:
        by_obj = next((c for c in agent.children if c.dep_ == "pobj" and c.i not in inside), None)
        if by_obj is not None:
            return by_obj
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS and c.i not in inside:
            return c
    # A misparse can hang the name on the verb as a modifier ("…,” Beck joked).
    for c in verb.children:
        if c.dep_ in ("compound", "npadvmod", "nmod") and c.i < verb.i and c.i not in inside and \
                c.pos_ == "PROPN" and c.ent_type_ not in ("DATE", "TIME", "GPE"):
            return c
    # Inverted: "…,” said Oleg Nikolenko. (Not after "told"/"asked": there the
    # name after the verb is the listener, "…,” Ramos told AFP.)
    for c in verb.children:
        if verb.lower_ in LISTENER_VERBS or not CUE_FORMS.get(verb.lower_):
            break  # only a reporting verb inverts ("endorsed Clinton": Clinton is the object)
        if c.dep_ in INVERTED_SUBJECT_DEPS and c.i > verb.i and c.i not in inside and \
                (c.ent_type_ in ("PERSON", "ORG") or c.pos_ == "PROPN" and c.ent_type_ not in ("DATE", "TIME")
                 or c.lower_ in ("he", "she", "they")):
            return c
    # "That record prompted the Atlas to state, “…”": the object is the subject.
    if verb.dep_ == "xcomp":
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None and obj.i not in inside:
            return obj
    # "X smiled and said", "X hit back, saying …": the subject of the verb it hangs on.
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i not in inside and verb.head.i != verb.i:
        return _grammatical_subject(verb.head, inside)
    # "Trump issued a statement saying …": the subject of the verb governing the noun.
    if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj") and verb.head.head.pos_ in ("VERB", "ADP"):
        governor = verb.head.head if verb.head.head.pos_ == "VERB" else verb.head.head.head
        if governor.i not in inside and governor.i != verb.i:
            return _grammatical_subject(governor, inside)
    return None


def _nearest_person_before(verb, inside):
    """A misparse can leave a reporting verb without a subject (“…,” Tulsa police
    Chief Chuck Jordan said; At the hearing, the judge, Miriam Achterberg, said:):
    take the person named right before it, not crossing a quote or another verb."""
    # "Sanders, who sits at zero endorsements, said …" parsed with Sanders as the
    # subject of the relative clause's verb, hung before the reporting verb.
    for c in verb.children:
        if c.i < verb.i and c.dep_ in ("ccomp", "parataxis", "advcl"):
            subj = next((g for g in c.children if g.dep_ == "nsubj" and g.i < c.i and g.i not in inside
                         and (g.ent_type_ == "PERSON" or g.pos_ == "PROPN")), None)
            if subj is not None:
                return subj
    for tok in reversed(verb.doc[verb.sent.start:verb.i]):
        if tok.i in inside or (tok.pos_ == "VERB" and tok.ent_type_ == "" and tok.dep_ not in ("amod", "compound")):
            break
        if tok.ent_type_ == "PERSON":
            return tok
    return None


def _person_like(tok) -> bool:
    """A subject that is a person: a person's name or a personal pronoun. Only
    such subjects make a non-reporting verb a cue ("Clinton cited … “…”")."""
    return tok.ent_type_ == "PERSON" or tok.lower_ in ("he", "she") or \
        any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in tok.children)


def _source_like(tok) -> bool:
    """A subject that can be a source though it is no person: an organisation,
    a group, a document ("the report", "the team", "the protesters")."""
    return tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT",
                                                                   "CARDINAL", "QUANTITY")


def _name_token(subj):
    if subj.pos_ == "PROPN" or subj.ent_type_ == "PERSON":
        return subj
    # "the adviser, Vadim Denisenko" — the parser may hang the apposition on a
    # noun deeper in the phrase ("the adviser to the Interior Ministry, …").
    for c in subj.subtree:
        if c.dep_ == "appos" and (c.pos_ == "PROPN" or c.ent_type_ == "PERSON"):
            return c
    return None


def _propn_run(tok) -> list[str]:
    """The run of proper-noun tokens ending at ``tok``: "President Barack Obama"."""
    doc = tok.doc
    i = tok.i
    while i > 0 and (doc[i - 1].pos_ == "PROPN" or (doc[i - 1].text.endswith(".") and len(doc[i - 1]) <= 4
                                                     and doc[i - 1].text[:1].isupper())
                     or doc[i - 1].text == "-" and not doc[i - 1].whitespace_ and i > 1):
        i -= 1
    j = tok.i
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].dep_ in ("flat", "compound", "appos") \
            and doc[j + 1].head.i == tok.i and doc[j + 1].ent_type_ == tok.ent_type_ and tok.ent_type_:
        j += 1
    words = []
    for t in doc[i:j + 1]:
        if t.text in ("'s", "’s") or t.is_punct and t.text != "-":
            continue
        if words and (t.text == "-" or words[-1].endswith("-")):
            words[-1] += t.text  # Holtz-Eakin, Crouse-Mays
        else:
            words.append(t.text)
    return strip_titles(words)


def _entity_text(tok) -> str:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            words = [t.text for t in ent if t.lower_ not in ("the",)]
            return " ".join(words)
    return tok.text


def _span_text(parsed, tok, inside) -> str:
    toks = [t for t in tok.subtree if t.i not in inside and not t.is_space]
    if not toks:
        return tok.text
    a, b = toks[0], toks[-1]
    while b.i > a.i and (b.is_punct or b.dep_ == "cc"):
        b = parsed[b.i - 1]
    return parsed.text[a.idx:b.idx + len(b.text)]


def _kind(doc: Document, q: Quote) -> str:
    if q.kind == "nested":
        return "nested"
    words = q.text.split()
    attributed = q.attribution.speaker is not None or q.attribution.mention is not None
    if not attributed:
        return "scare" if len(words) <= 4 else "direct"
    first = q.text.lstrip("[(…. ")[:1]
    before = doc.text[doc.paragraphs[q.paragraph].start:q.outer_start].rstrip()
    sentence_start = not before or before[-1] in ".:!?\"”,—"
    return "direct" if first.isupper() and sentence_start or len(words) > 12 and sentence_start else "partial"


def attribute(doc: Document, extra_verbs: frozenset[str] = frozenset()) -> None:
    """Fill the attribution of every quote of ``doc`` (after the language stage)."""
    Attributor(doc, extra_verbs).run()
