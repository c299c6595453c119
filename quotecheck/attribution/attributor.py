"""Stage 3c: name the speaker of every quote (the driver).

For each quote, in document order, the attributor tries in turn:

1. labels: a transcript turn quoted whole ("PENCE: Well, …") or a name and a
   colon right before the mark (`Okafor: “…”`, "Stated Okafor:" ¶ “…”);
2. a dash attribution at the line end (“…” ― Ana Ruiz);
3. a cue in the parse of the quote's sentence(s), outside the marks: a reporting
   verb and its subject ("X said", "said X", "X told Y"), "according to X", a
   possessive speech noun ("Trump's claim that …"), a verb introducing the quote
   with a colon, another verb governing the quote with a person or source as
   subject; then the sentence before ("…, Schiff said. “…”") and a colon-ended
   paragraph before;
4. the surface pattern right after the closing mark, for when the parse failed;
5. news convention: a multi-paragraph quote, a second quote in the paragraph, or
   a cue-less quote paragraph keeps the previous quote's speaker; a quote
   paragraph after a narrative paragraph belongs to that paragraph's subject.

Mentions are then resolved: titles and appositions give way to the name, a
surname to the full name introduced earlier, a pronoun to the person it refers
to. Groups ("Russian officials", "the Kremlin") stay groups.
"""
from __future__ import annotations

import bisect
import re

from ..cues import CUE_FORMS, PRONOUN_GENDER, cue_lemma, inflections
from ..furniture import is_heading_label
from ..language import sentence_index
from ..model import Attribution, Document, Quote
from ..people import strip_titles
from ..references import References
from ..references.mentions import quote_tokens
from ..references.gender import gender as gender_of
from .kinds import is_full_quote, is_quote_paragraph, is_title, kind_of
from .patterns import (ADJACENT_INVERTED_RE, ADJACENT_RE, APPOS_RE, DASH_RE, LABEL_BEFORE_RE,
                       LABEL_RE, NOT_LABELS, PARTY_TAG_RE)
from .syntax import (GROUP_ENTS, MAX_DEPTH, SPEECH_NOUNS, SUBJECT_DEPS, entity_text, is_ancestor, name_token,
                     person_like, possessor, propn_run, source_like, span_text, subject)


class Attributor:
    def __init__(self, doc: Document, extra_verbs: frozenset[str] = frozenset()):
        self.doc = doc
        self.people: References = doc.references if doc.references is not None else References(doc)
        self.extra = {f: v for v in extra_verbs for f in inflections(v)}
        # The tokens inside quote marks, per paragraph: the reference layer
        # computed them from the same parses and quotes.
        self._quote_tokens: dict[int, set[int]] = dict(self.people.inside)
        # Per (paragraph, sentence): its words that are not punctuation (counted
        # up to 7) and whether a token of it is inside quote marks.
        self._sentence_facts: dict[tuple[int, int], tuple[int, bool]] = {}
        self._starts = [q.start for q in doc.quotes]  # the quotes are in start order
        self._outer_marks: dict[int, tuple[list[int], list[Quote]]] = {}

    # -- driver -----------------------------------------------------------
    def run(self) -> None:
        doc = self.doc
        previous = None  # the last quote attributed so far that is neither nested nor a title
        for q in doc.quotes:
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
                att = self._from_previous(previous, q)
            if att is None:
                att = self._from_narrative_before(q)
            if att is not None:
                q.attribution = att
            q.kind = kind_of(doc, q)
            previous = q

    # -- 1/2: reporting cues ---------------------------------------------
    def _from_cue(self, q: Quote) -> Attribution | None:
        dash = self._from_dash(q)  # "“…” ― Ana Ruiz" at a line end is unambiguous
        if dash is not None:
            return dash
        from .kinds import is_so_called  # (local: the module's imports are another engineer's)

        if is_so_called(self.doc, q):
            return Attribution()  # the writer's scare quote: no speaker, and no fallback either
        parsed = self.doc.parses.get(q.paragraph)
        if parsed is None:
            return None
        base = self.doc.paragraphs[q.paragraph].start
        lo = q.outer_start - base
        hi = q.outer_end - base
        inside = self._inside_quotes(q.paragraph, parsed, base)
        index = sentence_index(self.doc, q.paragraph)
        sents = index.overlapping(lo, hi)
        if not sents:
            return None
        context = list(sents)
        # A cue sentence split off after the quote: `“….” He said.`, or
        # `“Perpetual motion!” Rep. Glenn Thompson, R-Pa., said of the …` where
        # the parser ended the sentence at the “!”.
        last = sents[-1]
        if last.end < len(parsed):
            nxt = index.sentence_of(last.end)
            words, quoted = self._facts(q.paragraph, index.of_token[last.end], nxt, inside)
            short = words <= 6 and not quoted
            # Only a quote that does not end its own sentence ("…!" / "…?" / "…,"):
            # after "… campaign.” Ohio Gov. John Kasich said he …" a new story starts.
            open_ended = q.text.rstrip()[-1:] in (",", "!", "?", "—", "–", "-")
            follows = open_ended and nxt.start_char - hi <= 2 and \
                any(cue_lemma(t) for t in nxt[:12] if t.i not in inside)
            if short or follows:
                context.append(nxt)
        # Every token in [lo, hi) lies in one of the sentences overlapping it.
        q_tokens = set(range(index.token_at(lo), index.token_at(hi)))
        best = self._best_cue(parsed, context, q_tokens, inside, base, lo, hi)
        if best is not None:
            return best
        # "…, Schiff said. “The other factor …”": the cue closes the sentence before.
        first = sents[0]
        if first.start > 0 and first.start_char >= lo - 2:
            before = index.sentence_of(first.start - 1)
            if not self._facts(q.paragraph, index.of_token[first.start - 1], before, inside)[1]:
                best = self._best_cue(parsed, [before], set(), inside, base, lo, hi, colon=True)
                if best is not None:
                    best.method = "sentence-before"
                    return best
        # `The plan would “cut waiting lists in half.” It would also “end the
        # winter crisis,” Ana Ruiz said.`: one cue after the next sentence's
        # partial quote closes a passage of partial quotes.
        if last.end < len(parsed) and not is_full_quote(self.doc, q):
            nxt = index.sentence_of(last.end)
            after = self._first_quote_in(q.paragraph, base + nxt.start_char, base + nxt.end_char)
            if after is not None and not is_full_quote(self.doc, after):
                lo2, hi2 = after.outer_start - base, after.outer_end - base
                q2 = set(range(max(index.token_at(lo2), nxt.start), min(index.token_at(hi2), nxt.end)))
                best = self._best_cue(parsed, [nxt], q2, inside, base, lo2, hi2)
                if best is not None and best.cue_start - base >= hi2:
                    best.method = "sentence-after"
                    return best
        # A colon introduction in the paragraph before.
        prev = q.paragraph - 1
        if (q.start - base) <= 2 and prev in self.doc.parses and \
                self.doc.paragraph_text(prev).rstrip().endswith(":"):
            pparsed = self.doc.parses[prev]
            pbase = self.doc.paragraphs[prev].start
            last_sent = sentence_index(self.doc, prev).spans[-1]
            return self._best_cue(pparsed, [last_sent], set(), self._inside_quotes(prev, pparsed, pbase),
                                  pbase, len(pparsed.text), len(pparsed.text), colon=True)  # once a paragraph
        return None

    def _facts(self, p: int, k: int, sent, inside: set[int]) -> tuple[int, bool]:
        """Sentence ``k`` of paragraph ``p``: its words that are not
        punctuation (counting stops at 7) and whether a token of it is inside
        quote marks, worked out once per sentence."""
        key = (p, k)
        facts = self._sentence_facts.get(key)
        if facts is None:
            words = 0
            for t in sent:
                if not t.is_punct:
                    words += 1
                    if words > 6:
                        break
            quoted = any(i in inside for i in range(sent.start, sent.end)) if inside else False
            facts = self._sentence_facts[key] = (words, quoted)
        return facts

    def _first_quote_in(self, p: int, start: int, end: int) -> Quote | None:
        """The first quote of paragraph ``p`` (not a nested one) whose opening
        mark lies in ``[start, end)``. Quotes that are not nested never overlap,
        so in document order their marks are in offset order too."""
        marks = self._outer_marks.get(p)
        if marks is None:
            main = [o for o in self.doc.quotes_in(p) if o.kind != "nested"]
            marks = self._outer_marks[p] = ([o.outer_start for o in main], main)
        i = bisect.bisect_left(marks[0], start)
        return marks[1][i] if i < len(marks[1]) and marks[0][i] < end else None

    def _inside_quotes(self, pindex, parsed, base) -> set[int]:
        if pindex not in self._quote_tokens:
            self._quote_tokens[pindex] = quote_tokens(self.doc, pindex)
        return self._quote_tokens[pindex]

    def _best_cue(self, parsed, context, q_tokens, inside, base, lo, hi, colon=False):
        candidates = []
        index = sentence_index(self.doc, self.doc.paragraph_at(base))
        colon_before = index.last_before(lo) == ":"
        # Every ancestor of a quoted token, once: a token "dominates" the quote
        # when it is one (no walk up the tree from each quoted token per candidate).
        above = _ancestors(parsed, q_tokens)
        words = index.words
        # Only the tokens within CUE_WINDOW tokens of the quote are candidates:
        # a cue further off is past the 40 words any cue may stand from it.
        near_lo = index.token_at(lo) - CUE_WINDOW
        near_hi = index.token_at(hi) + CUE_WINDOW
        for sent in context:
            for i in range(max(sent.start, near_lo), min(sent.end, near_hi)):
                if i in inside:
                    continue
                tok = parsed[i]
                if tok.lower_ == "according" and tok.i + 1 < len(parsed) and parsed[tok.i + 1].lower_ == "to":
                    obj = next((c for c in parsed[tok.i + 1].children if c.dep_ == "pobj"), None)
                    if obj is not None and obj.i not in inside:
                        candidates.append((_distance(words, tok, lo, hi), 1, "according to", tok, obj))
                    continue
                if tok.lower_ in SPEECH_NOUNS and tok.pos_ == "NOUN":
                    owner = possessor(tok, inside)
                    if owner is not None:  # "Trump's assertion that “thousands” …"
                        governs = bool(q_tokens) and (tok.i in above or tok.head.i in above)
                        candidates.append((_distance(words, tok, lo, hi), 0 if governs else 1,
                                           tok.text, tok, owner))
                    continue
                lemma = cue_lemma(tok) or self.extra.get(tok.lower_)
                dominates = bool(q_tokens) and tok.i in above
                # "Clinton released the following statement: “…”" — a colon
                # introduction makes the verb before it a cue, whatever the verb.
                introduces = tok.pos_ == "VERB" and (colon or tok.idx < lo and colon_before)
                if lemma is None and not ((dominates or introduces) and tok.pos_ == "VERB"):
                    continue
                subj = subject(tok, inside)
                if subj is None:
                    continue
                if lemma is None and not (person_like(subj) or self._known_person(subj, base) or source_like(subj)):
                    continue
                dist = _distance(words, tok, lo, hi)
                # Rank: a reporting verb governing the quote, then any reporting
                # verb, then another verb governing it ("X cited Y as “…”").
                # A verb whose clause ends in the colon right before the quote
                # introduces it ("Rubio fired back forcefully: “…”").
                rank = 0 if (dominates or introduces and dist <= 3) and lemma else \
                    (1 if lemma else (2 if person_like(subj) else 3))
                candidates.append((dist, rank, tok.text, tok, subj))
        if not candidates:
            return None
        # Prefer a cue that governs the quote, then the nearest one.
        # "Clinton cited Trump's references to her as “Miss Piggy”": a speech
        # noun under another cue gives way to that cue (the outer source).
        cue_tokens = [c[3] for c in candidates if c[3].lower_ not in SPEECH_NOUNS and c[1] <= 2]
        candidates = [c for c in candidates if c[3].lower_ not in SPEECH_NOUNS or
                      not any(is_ancestor(t, c[3]) for t in cue_tokens)]
        if not candidates:
            return None
        candidates.sort(key=lambda c: (c[1], c[0]))
        # Of reporting verbs that both govern the quote ("Trump said Romney
        # would have “dropped to his knees”"), the outermost is the source.
        governing = [c for c in candidates if c[1] == 0]
        for c in governing:
            if all(c is o or is_ancestor(c[3], o[3]) for o in governing):
                candidates.remove(c)
                candidates.insert(0, c)
                break
        dist, _, cue, cue_tok, subj = candidates[0]
        if dist > 40 and not colon:
            return None
        att = self._speaker_from(subj, parsed, inside, base, stop=lo)
        if att.person is None and att.pronoun is None and subj.pos_ in ("NOUN", "ADJ"):
            # "the governor said": the person the reference layer found the
            # description names ("Governor Olena Marchuk" earlier).
            entity_at = getattr(self.people, "entity_at", None)
            person = entity_at(base + subj.idx) if entity_at is not None else None
            if person is not None:
                att.person, att.speaker = person, person.name
        att.cue = "according to" if cue == "according to" else cue_tok.text
        att.cue_start = base + cue_tok.idx
        att.method = "colon" if colon else ("according-to" if cue == "according to" else "cue")
        # "X said …, according to The Times": the outlet is a second-hand source.
        if cue != "according to":
            via = next((c for c in candidates if c[2] == "according to"), None)
            if via is not None:
                att.via = span_text(self.doc.text, base, via[4], inside)
        return att

    def _from_label(self, q: Quote) -> Attribution | None:
        """A transcript turn quoted whole: “PENCE: Well, look, …”."""
        m = LABEL_RE.match(q.text)
        if not m:
            return None
        label = m.group("label").strip()
        name = label.title() if label.isupper() else label
        return self._named(name, label, q.start, ":", q.start + m.end("label"), "label")

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
        furniture = self.doc.in_furniture(m.start("label"))
        if is_heading_label(m.group("label")) or furniture is not None and furniture.kind == "label":
            return None  # "EDITOR'S NOTE:", "FAST FACTS:": a heading, not a speaker
        label = m.group("label")
        person = self.people.known(label, m.start("label"))
        if person is None and not label.isupper():
            return None
        return self._named(label.title(), label, m.start("label"), ":", m.end("label"), "label", person)

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
        if q.text.rstrip()[-1:] in (".", "…") and not SHORT_CUE_END_RE.match(tail, m.end()):
            return None  # “… rushed.” Whitlock said she would …: a new sentence, not a cue
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
        tag = PARTY_TAG_RE.match(tail, m.end("who"))
        if tag and not m.groupdict().get("appos"):  # "…,” said Elijah Cummings (D-Md.)."
            mention += tag.group()
        return self._named(name, mention.rstrip(" ,"), start, m.group("verb"), q.mark_end + m.start("verb"),
                           "adjacent")

    def _from_dash(self, q: Quote) -> Attribution | None:
        if q.mark_end is None:
            return None
        para_end = self.doc.paragraphs[q.paragraph].end
        m = DASH_RE.match(self.doc.text, q.mark_end, para_end)
        if not m:
            return None
        who = m.group("who").strip().rstrip(",")
        return self._named(who.split(",")[0].strip(), who, m.start("who"), "—", m.start(), "dash")

    def _named(self, name, mention, mention_start, cue, cue_start, method, person=None) -> Attribution:
        """An attribution found on the surface text: resolve the name it gives."""
        person = person or self.people.resolve_name(name, mention_start)
        return Attribution(speaker=person.name, mention=mention, mention_start=mention_start,
                           cue=cue, cue_start=cue_start, method=method, person=person)

    # -- 3: news convention -------------------------------------------------
    def _from_previous(self, prev: Quote | None, q: Quote) -> Attribution | None:
        """``prev``: the quote before ``q`` that is neither nested nor a title."""
        doc = self.doc
        if prev is None or prev.attribution.speaker is None and prev.attribution.mention is None:
            return None
        if prev.paragraph == q.paragraph:
            # `“…,” he said. “More words.”` — but not a scare quote further on.
            between = doc.text[prev.outer_end:q.outer_start]
            if is_full_quote(doc, q) or not re.search(r"[.!?]", between):
                return _copy(prev.attribution, "same-paragraph")
            return None
        if q.paragraph - prev.paragraph <= 2 and \
                all(is_quote_paragraph(doc, p) for p in range(prev.paragraph + 1, q.paragraph + 1)):
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
                or not is_quote_paragraph(doc, q.paragraph) or is_quote_paragraph(doc, prev):
            return None
        parsed = doc.parses[prev]
        base = doc.paragraphs[prev].start
        inside = self._inside_quotes(prev, parsed, base)
        last = sentence_index(doc, prev).spans[-1]
        for tok in reversed(last):
            if tok.dep_ in ("nsubj",) and tok.i not in inside and tok.head.pos_ == "VERB" and \
                    (tok.ent_type_ == "PERSON" or self._known_person(tok, base)):
                att = self._speaker_from(tok, parsed, inside, base)
                att.method = "narrative-before"
                return att
        return None

    # -- resolving a mention ------------------------------------------------
    def _speaker_from(self, subj, parsed, inside, base, stop: int | None = None) -> Attribution:
        if subj.lower_ in ("who", "which", "that") and subj.head.dep_ == "relcl":
            subj = subj.head.head  # "Smith, who told reporters …": the antecedent
        mention = span_text(self.doc.text, base, subj, inside, stop)
        if subj.i > subj.head.i and subj.head.pos_ == "VERB":
            # "said Megan Greene, chief economist at Manulife": the parser may hang
            # the apposition on the verb; the surface pattern keeps it.
            end = base + subj.idx + len(subj.text)
            appos = APPOS_RE.match(self.doc.text, end, self.doc.paragraphs[self.doc.paragraph_at(end)].end)
            if appos and mention.endswith(subj.text):
                mention += appos.group().rstrip(" ,")
        start = base + min((t.idx for t in subj.subtree if t.i not in inside and not t.is_space),
                           default=subj.idx)
        att = Attribution(mention=mention, mention_start=start)
        low = subj.lower_
        if subj.pos_ == "PRON" or low in PRONOUN_GENDER:
            pron = PRONOUN_GENDER.get(low)
            att.pronoun = pron or low
            if pron in ("he", "she"):
                person = self._pronoun_speaker(pron, base + subj.idx)
                if person is not None:
                    self.people.assign(base + subj.idx, person)
                    att.person, att.speaker = person, person.name
            elif pron == "they":
                group = self.people.entity_at(base + subj.idx) or self._group_before(subj, base)
                prev = self._previous_speaker(base + subj.idx)
                if group is not None and group.is_group:
                    att.person, att.speaker = group, group.name
                elif prev is not None and prev.is_group:
                    att.person, att.speaker = prev, prev.name
            return att
        name_tok = name_token(subj)
        if name_tok is None and subj.text[:1].isupper() and self.people.known(subj.text, base + subj.idx):
            name_tok = subj  # a name the tagger took for a common noun
        if name_tok is not None:
            words = propn_run(name_tok)
            known = self._person_at(name_tok, base)
            if known is None and name_tok.ent_type_ in GROUP_ENTS:
                ent = entity_text(name_tok)
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
        organisation subject before the pronoun in its paragraph (within
        GROUP_REACH tokens)."""
        for tok in reversed(pron_tok.doc[max(0, pron_tok.i - GROUP_REACH):pron_tok.i]):
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
        person = self._person_at(tok, base)
        return person is not None and not person.is_group

    def _person_at(self, tok, base):
        """The introduced person a name token (with its proper-noun run) refers to."""
        return self.people.known(" ".join(propn_run(tok)), base + tok.idx)

    def _previous_quote(self, offset):
        """The last quote starting before ``offset`` that has a speaker, among
        those starting within PREVIOUS_REACH characters of it."""
        quotes = self.doc.quotes
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0 and offset - quotes[i].start <= PREVIOUS_REACH:
            if quotes[i].attribution.person is not None:
                return quotes[i]
            i -= 1
        return None

    def _quote_before(self, offset):
        """The last quote (in document order) that closes at or before ``offset``."""
        quotes = self.doc.quotes
        # A quote starting at or after offset closes after it; of those before,
        # only the ones holding offset are passed over.
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0 and quotes[i].outer_end > offset:
            i -= 1
        return quotes[i] if i >= 0 else None

    def _previous_speaker(self, offset):
        q = self._previous_quote(offset)
        return q.attribution.person if q is not None else None

    def _pronoun_speaker(self, pron: str, offset: int):
        """The person a cue pronoun ("…,” she said") names: the reference
        layer's answer (salience, with gender agreement), except for the news
        convention that a pronoun cue right after a quote keeps that quote's
        speaker when nobody else came into the story in between — whatever
        the pronoun says, which is the mismatch pronoun-mismatch reports."""
        resolved = self.people.entity_at(offset)
        prev_q = self._previous_quote(offset)
        # Nobody calls themself by name in the third person: “To Hillary
        # Clinton, the officials don't matter,” he wrote — not Clinton.
        quote = self._quote_before(offset)

        # Nor is a cue pronoun the person its own sentence names after it
        # ("She asked Sanders about the “2 million-plus” deported").
        later = self.people.named_later_in_sentence(offset)

        def named_inside(person) -> bool:
            return person in later or \
                quote is not None and self.people.named_in(person, quote.outer_start, quote.outer_end)

        if prev_q is not None:
            prev = prev_q.attribution.person
            near = self.doc.paragraph_at(offset) - prev_q.paragraph <= 1
            since = prev_q.attribution.mention_start if prev_q.attribution.mention_start is not None \
                else prev_q.outer_start
            since = min(since, prev_q.outer_start)
            # A bare surname two people share ("Clinton said") is no firm speaker to keep.
            shared = prev_q.attribution.mention is not None and \
                self.people.entities.ambiguous(prev_q.attribution.mention)
            if near and not prev.is_group and not shared and not named_inside(prev) and \
                    not self.people.named_between(since, offset, exclude=prev) and \
                    (resolved is None or resolved is prev or not self.people.mentioned_between(resolved, since, offset)):
                return prev
        if resolved is not None and not resolved.is_group and not named_inside(resolved):
            return resolved
        here = self.doc.paragraph_at(offset)
        named_before = self.people.recent(offset)
        recent = [p for p in named_before if not named_inside(p)
                  and here - self.doc.paragraph_at(p.index().last_before(offset) or 0) <= 2]
        for person in recent:
            g = gender_of(person)
            if g is None or g == pron:
                return person
        # Nobody the pronoun agrees with is in the story: it is the person
        # named last (a flipped pronoun, which pronoun-mismatch weighs) —
        # unless the story already speaks of someone unnamed with this pronoun
        # ("she yells …", "when she gets nearer"), or someone it agrees with
        # was ruled out above (named in the quote or after the pronoun): then
        # the pronoun is not a flipped one, and its person is not known.
        if self.people.unnamed_before(pron, offset):
            return None
        if any(named_inside(p) and gender_of(p) == pron for p in named_before):
            return None
        return recent[0] if recent else None


SHORT_CUE_END_RE = re.compile(r"(?:[\s,]+[\w’']+){0,3}\s*[.!?;]")


# How far attribution looks, so that no quote's work grows with the paragraph:
# tokens on each side of a quote among which its cue is looked for; tokens back
# from a "they" to the group it may stand for; characters back from a pronoun
# cue to the quote whose speaker it may keep (news keeps it only right after).
CUE_WINDOW = 200
GROUP_REACH = 400
PREVIOUS_REACH = 20_000


def _distance(words, tok, lo, hi) -> int:
    """Words between a token and the quote (0 inside it); ``words(a, b)``
    counts the words of the parsed text between two offsets."""
    if tok.idx >= hi:
        return words(hi, tok.idx)
    if tok.idx < lo:
        return words(tok.idx, lo)
    return 0


def _ancestors(parsed, tokens) -> set[int]:
    """The indices of every token above one of ``tokens`` in the parse tree
    (within MAX_DEPTH levels, as :func:`is_ancestor` sees it)."""
    above: dict[int, int] = {}  # token -> fewest levels above a quoted token
    for i in tokens:
        node, level = parsed[i], 0
        while node.head.i != node.i and level < MAX_DEPTH:
            node, level = node.head, level + 1
            if above.get(node.i, MAX_DEPTH + 1) <= level:
                break  # reached before, at least as near: what lies above is known
            above[node.i] = level
    return set(above)


def _copy(att: Attribution, method: str) -> Attribution:
    return Attribution(speaker=att.speaker, mention=att.mention, mention_start=att.mention_start,
                       cue=att.cue, cue_start=att.cue_start, via=att.via, pronoun=att.pronoun,
                       method=method, person=att.person)
