"""Finding mention candidates (the "match" half of the reference layer).

Reads the parse of every paragraph and proposes what may refer to a person or
a group: proper-name runs (with the titles before them), role and description
noun phrases after "the", and third-person pronouns. Nothing here decides who
is who: :mod:`.sieves` and :mod:`.salience` do, in that order.

Each candidate keeps its token, so the deciding stages can read roles and
clauses without parsing again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..cues import CUE_FORMS, FEMALE_NOUNS, MALE_NOUNS, ORGANISATION_WORDS, PRONOUN_FORMS, ROLE_NOUNS
from ..cues import TITLE_KEYS as _TITLE_WORDS
from ..language import sentence_index
from ..model import Document, Mention
from ..people import NOT_NAMES, POSSESSIVE_RE, fold, strip_titles

# spaCy entity labels that are never a person, whatever else a name run shows.
NOT_PERSON_ENTS = frozenset({"GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW",
                             "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL",
                             "CARDINAL"})
# Labels that say a run is surely no one's name (the small model's other labels
# often land on person names).
PLACE_AND_NUMBER_ENTS = frozenset({"GPE", "LOC", "NORP", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY",
                                   "ORDINAL", "CARDINAL"})
# Lower-case words that may sit inside a name ("Charles de Gaulle", "bin Salman").
NAME_PARTICLES = frozenset({"de", "del", "der", "van", "von", "bin", "al", "la", "le", "da", "dos", "di",
                            "du", "des", "den", "ter", "el", "ibn", "y"})
# Determiners a personal name does not take ("the French Open", "a Grand Slam").
ARTICLES = frozenset({"the", "a", "an", "this", "that", "these", "those", "every", "each", "another"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "attr", "oprd"})


@dataclass
class Candidate:
    """A mention with what the deciding stages read from its parse."""

    mention: Mention
    token: object  # the head token (spaCy Token)
    words: list[str] = field(default_factory=list)  # name words, titles stripped
    titles: list[str] = field(default_factory=list)  # title words written before the name
    ent: str = ""  # the entity label the recogniser gave the run ("" for none)
    head: str = ""  # head noun of a role/description, lower case
    gender: str | None = None  # "he"/"she" a gendered title or noun in the mention says
    cue_subject: bool = False  # subject of a reporting verb
    who: bool = False  # has a relative clause with "who" ("Ines Barros, who runs the cafe")
    roles: set[str] = field(default_factory=set)  # role nouns attached to a name (apposition, predicate)
    age: str | None = None  # "43" from "X, 43," or "the 43-year-old"
    plural: bool = False
    definite: bool = False  # a name run after an article, no title between ("the French Open")


def _role(tok) -> str:
    dep = tok.dep_
    if dep in SUBJECT_DEPS:
        return "subject"
    if dep in OBJECT_DEPS:
        return "object"
    if dep == "pobj" or dep == "agent":
        return "oblique"
    if dep in ("compound", "flat", "appos", "conj") and tok.head.i != tok.i:
        return _role(tok.head)  # "Gov. John Kasich": the run's role is its head's
    return "other"


def _is_cue_subject(tok) -> bool:
    head = tok.head
    return tok.dep_ in ("nsubj",) and CUE_FORMS.get(head.lower_) is not None and head.tag_.startswith("VB")


def quote_token_sets(doc: Document) -> dict[int, set[int]]:
    """Per parsed paragraph, the indices of the tokens inside quote marks."""
    return {p: quote_tokens(doc, p) for p in doc.parses}


def quote_tokens(doc: Document, p: int) -> set[int]:
    """The indices of paragraph ``p``'s tokens inside quote marks (its quotes'
    spans, marks included, looked up in the sentence index's token offsets)."""
    base = doc.paragraphs[p].start
    spans = sorted((q.outer_start - base, q.outer_end - base) for q in doc.quotes_in(p))
    inside: set[int] = set()
    if spans:
        index = sentence_index(doc, p)
        reach = -1  # tokens already covered by an earlier (maybe enclosing) span
        for a, b in spans:
            first = max(index.token_at(a), reach)
            last = index.token_at(b)
            inside.update(range(first, last))
            reach = max(reach, last)
    return inside


def find_candidates(doc: Document, inside: dict[int, set[int]]) -> list[Candidate]:
    """Every candidate mention of the document, in offset order."""
    out, used, sentences, story = _scan(doc, inside)
    # The tagger takes a surname for a common noun at a sentence start ("Reyes
    # told the council"): a capitalised word that is a word of a full name the
    # document gives elsewhere is a name too.
    _untagged_full_names(doc, out, used, sentences, inside)
    name_words = {fold(w) for c in out if len(c.words) >= 2 for w in (c.words[0], c.words[-1])}
    if name_words:
        for p in sorted(doc.parses):
            parsed = doc.parses[p]
            base = doc.paragraphs[p].start
            for tok in parsed:
                if (p, tok.i) in used or not tok.text[:1].isupper() or tok.pos_ == "PROPN":
                    continue
                word = POSSESSIVE_RE.sub("", tok.text)
                if word in NOT_NAMES or fold(word) not in name_words or doc.in_furniture(base + tok.idx):
                    continue
                m = Mention(base + tok.idx, base + tok.idx + len(word), word, "surname", p,
                            sentences[p][tok.i], _role(tok), None, tok.i in inside.get(p, ()))
                out.append(Candidate(m, tok, words=[word], ent=tok.ent_type_, cue_subject=_is_cue_subject(tok)))
        out.sort(key=lambda c: c.mention.start)
    for c in out:
        c.mention.story_sentence = story.get(c.mention.sentence, -1)
    return out


def _untagged_full_names(doc, out, used, sentences, inside) -> None:
    """A full name the tagger did not see as one ("Aminata N’Diaye" tagged as an
    adjective and a noun): capitalised words whose first is a gendered first
    name, outside every candidate found so far."""
    from .lexicon import first_name_gender

    # Capitalised words that are the subject of a reporting cue somewhere ("…,”
    # N’Diaye said): a surname, whatever the tagger made of it.
    speaking = {fold(POSSESSIVE_RE.sub("", t.text)) for parsed in doc.parses.values() for t in parsed
                if t.text[:1].isupper() and _is_cue_subject(t)}
    for p in sorted(doc.parses):
        parsed = doc.parses[p]
        base = doc.paragraphs[p].start
        i = 0
        while i < len(parsed) - 1:
            a, b = parsed[i], parsed[i + 1]
            if (p, i) in used or (p, i + 1) in used or a.pos_ == "PROPN" or not a.is_title or not b.text[:1].isupper() \
                    or not a.is_alpha or a.text in NOT_NAMES or b.text in NOT_NAMES \
                    or first_name_gender(a.text) is None and fold(POSSESSIVE_RE.sub("", b.text)) not in speaking \
                    or a.ent_type_ in PLACE_AND_NUMBER_ENTS or doc.in_furniture(base + a.idx):
                i += 1
                continue
            word = POSSESSIVE_RE.sub("", b.text)
            m = Mention(base + a.idx, base + b.idx + len(word), doc.text[base + a.idx:base + b.idx + len(word)],
                        "name", p, sentences[p][b.i], _role(b), None, b.i in inside.get(p, ()))
            out.append(Candidate(m, b, words=[a.text, word], ent="PERSON", cue_subject=_is_cue_subject(b)))
            used.update({(p, i), (p, i + 1)})
            i += 2
    out.sort(key=lambda c: c.mention.start)


def _scan(doc: Document, inside: dict[int, set[int]]):
    out: list[Candidate] = []
    used_all: set[tuple[int, int]] = set()
    sentences: dict[int, dict[int, int]] = {}  # paragraph -> token index -> document-wide sentence
    story: dict[int, int] = {}  # document-wide sentence -> story sentence (quoted ones not counted)
    sentence = told = 0
    for p in sorted(doc.parses):
        parsed = doc.parses[p]
        base = doc.paragraphs[p].start
        quoted = inside.get(p, set())
        sent_of = sentences[p] = {}
        for s in sentence_index(doc, p).spans:
            for t in s:
                sent_of[t.i] = sentence
            if any(t.i not in quoted and t.is_alpha for t in s):
                told += 1
            story[sentence] = told
            sentence += 1
        used: set[int] = set()
        for tok in parsed:
            if tok.i in used or tok.is_space:
                continue
            if doc.in_furniture(base + tok.idx) is not None:
                continue
            low = tok.lower_
            if low in PRONOUN_FORMS and tok.pos_ in ("PRON", "DET") or low in PRONOUN_FORMS and tok.tag_ == "PRP$":
                m = Mention(base + tok.idx, base + tok.idx + len(tok.text), tok.text, "pronoun", p,
                            sent_of[tok.i], _role(tok), PRONOUN_FORMS[low], tok.i in quoted)
                out.append(Candidate(m, tok))
                continue
            if tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON" and tok.text[:1].isupper():
                run = _name_run(parsed, tok)
                used.update(t.i for t in run)
                cand = _name_candidate(doc, parsed, run, base, p, sent_of, quoted)
                if cand is not None:
                    out.append(cand)
                continue
            if tok.pos_ == "NOUN" and tok.tag_ in ("NN", "NNS") or tok.lower_ == "old" and tok.pos_ == "ADJ":
                cand = _description(doc, parsed, tok, base, p, sent_of, quoted)
                if cand is not None:
                    out.append(cand)
        used_all.update((p, i) for i in used)
    return out, used_all, sentences, story


def _name_run(parsed, tok) -> list:
    """The proper-name run starting at ``tok``: proper nouns, person-tagged
    words, initials, particles between names, hyphens and apostrophes without
    spaces ("N'Diaye", "Holtz-Eakin", "Mohammed bin Salman")."""
    run = [tok]
    j = tok.i + 1
    while j < len(parsed):
        t = parsed[j]
        prev = parsed[j - 1]
        if t.pos_ == "PROPN" and t.text[:1].isupper() or t.ent_type_ == "PERSON" and t.text[:1].isupper():
            pass
        elif not prev.whitespace_ and t.text in ("-", "'", "’") and j + 1 < len(parsed) and \
                not t.whitespace_ and parsed[j + 1].text[:1].isupper():
            pass
        elif not prev.whitespace_ and prev.text in ("-", "'", "’") and t.text[:1].isupper():
            pass
        elif t.lower_ in NAME_PARTICLES and t.text.islower() and j + 1 < len(parsed) and \
                (parsed[j + 1].pos_ == "PROPN" and parsed[j + 1].text[:1].isupper() or
                 not t.whitespace_ and parsed[j + 1].text == "-" or  # "bin Salman", "al-Sisi"
                 parsed[j + 1].lower_ in NAME_PARTICLES and j + 2 < len(parsed)
                 and parsed[j + 2].text[:1].isupper()):  # "van der Berg"
            pass
        else:
            break
        run.append(t)
        j += 1
    return run


def _join(run) -> str:
    return "".join(t.text + t.whitespace_ for t in run).strip()


def _name_candidate(doc, parsed, run, base, p, sent_of, quoted) -> Candidate | None:
    # Titles and role words written before the name ("Gov. John Kasich",
    # "Prime Minister Ana Keller", "Secretary of State Mara Lind").
    toks = [t for t in run if t.text not in ("'s", "’s")]
    titles = []
    # Everything up to the last title or role word is the title ("Wells Fargo
    # CEO John Stumpf", "Navy Capt. Jeff Moravec").
    last = max((k for k, t in enumerate(toks[:-1]) if t.lower_.rstrip(".") in _TITLE_WORDS or t.lower_ in ROLE_NOUNS),
               default=-1)
    titles += [t.text for t in toks[:last + 1]]
    toks = toks[last + 1:]
    # A lower-case title right before the run ("the adviser Vadim", "spokesman Alex Conant").
    first = run[0]
    if first.i > 0:
        before = parsed[first.i - 1]
        if before.lower_.rstrip(".") in _TITLE_WORDS | ROLE_NOUNS and before.pos_ in ("NOUN", "PROPN", "ADJ"):
            titles.insert(0, before.text)
    while toks and (POSSESSIVE_RE.sub("", toks[0].text) in NOT_NAMES or not toks[0].text[:1].isalpha()):
        toks.pop(0)
    while toks and (POSSESSIVE_RE.sub("", toks[-1].text) in NOT_NAMES or toks[-1].is_punct):
        toks.pop()
    if not toks:
        return None
    words = [POSSESSIVE_RE.sub("", w) for w in _join(toks).split()]
    words = [w for w in words if w]
    # A title of several words before the run ("Minister of Foreign Affairs
    # Jonas Berg", "Secretary of State Mara Lind") is removed whole.
    sentence_start = sentence_index(doc, p).sentence_of(run[0].i).start
    pre = [t.text for t in parsed[max(sentence_start, run[0].i - 5):run[0].i]]
    stripped = strip_titles(pre + words) if words else words
    if len(" ".join(stripped).split()) < len(words):
        cut = len(words) - len(" ".join(stripped).split())
        titles += [t.text for t in toks[:cut]]
        toks = toks[cut:]
        words = [w for w in (POSSESSIVE_RE.sub("", w) for w in _join(toks).split()) if w]
    words = strip_titles(words) if len(words) > 1 else words
    if not words or not any(c.isalpha() for c in words[-1]):
        return None
    head = toks[-1]
    the = None if titles else _article_before(parsed, toks[0], head)
    definite = the is not None
    if len(words) == 1 and words[0].lower().rstrip(".") in _TITLE_WORDS:
        # "Governor of Montana", "the Minister": a title used alone names no one
        # by itself; after "the" it is a description the description sieve reads.
        if the is None or the.lower_ != "the":
            return None
        low = words[0].lower().rstrip(".")
        start, end = base + the.idx, base + head.idx + len(head.text)
        m = Mention(start, end, doc.text[start:end], "title", p, sent_of[head.i], _role(head), None, head.i in quoted)
        return Candidate(m, head, head=low, gender="he" if low in MALE_NOUNS else ("she" if low in FEMALE_NOUNS else None),
                         cue_subject=_is_cue_subject(head))
    ents = {t.ent_type_ for t in toks if t.ent_type_}
    ent = "PERSON" if "PERSON" in ents else (sorted(ents)[0] if ents else "")
    start, end = base + toks[0].idx, base + toks[-1].idx + len(toks[-1].text)
    text = doc.text[start:end]
    m = Mention(start, end, text, "name" if len(words) > 1 else "surname", p, sent_of[head.i],
                _role(head), None, head.i in quoted)
    gender = None
    for t in titles:
        low = t.lower()
        if low in MALE_NOUNS:
            gender = "he"
        elif low in FEMALE_NOUNS:
            gender = "she"
    cand = Candidate(m, head, words=words, titles=titles, ent=ent, gender=gender,
                     cue_subject=_is_cue_subject(head))
    cand.plural = head.tag_ == "NNPS"
    cand.definite = definite
    cand.who = any(c.dep_ == "relcl" and any(g.lower_ in ("who", "whom", "whose") for g in c.children)
                   for c in head.children)
    _attach_roles(cand, head)
    return cand


def _article_before(parsed, first, head):
    """The article that stands right before the run and belongs to it ("the
    French Open", "the Kremlin", "a Grand Slam"), or None. A personal name
    takes no article in news English; "the Rev. Ann Lowe" and "the actor
    Tom Reyes" have a title, "the late Tom Reyes" an adjective between. A year
    or an ordinal may stand between ("the 2003 French Open")."""
    j = first.i - 1
    while j >= 0 and parsed[j].lower_ not in ARTICLES and (parsed[j].like_num or parsed[j].ent_type_ in ("DATE", "ORDINAL")):
        j -= 1
    if j >= 0 and parsed[j].lower_ in ARTICLES and parsed[j].head.i == head.i:
        return parsed[j]
    return None


def _attach_roles(cand: Candidate, head) -> None:
    """Role nouns and ages the text attaches to a name: "Ines Marlow, a
    professor of …", "Tom Reyes, 43,", "Reyes is the city's mayor"."""
    for c in head.children:
        if c.dep_ == "appos":
            if c.like_num:
                cand.age = c.text
            elif c.pos_ == "NOUN":
                cand.roles.add(c.lower_)
                _noun_gender(cand, c.lower_)
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":  # "the adviser, Vadim Denisenko"
        cand.roles.add(head.head.lower_)
        _noun_gender(cand, head.head.lower_)
    if head.dep_ == "nsubj" and head.head.lower_ in ("is", "was", "are", "were", "'s", "became", "becomes"):
        for c in head.head.children:
            if c.dep_ == "attr" and c.pos_ == "NOUN":
                cand.roles.add(c.lower_)
                _noun_gender(cand, c.lower_)
    for t in cand.titles:
        cand.roles.add(t.lower().rstrip("."))


def _noun_gender(cand: Candidate, noun: str) -> None:
    if cand.gender is None:
        cand.gender = "he" if noun in MALE_NOUNS else ("she" if noun in FEMALE_NOUNS else None)


def _description(doc, parsed, tok, base, p, sent_of, quoted) -> Candidate | None:
    """ "the governor", "the professor", "the 43-year-old": a definite noun
    phrase whose head a role or an earlier introduction may give."""
    det = next((c for c in tok.children if c.dep_ == "det"), None)
    if det is None or det.lower_ != "the" or tok.dep_ in ("compound", "poss"):
        return None
    if any(c.dep_ in ("appos",) and c.pos_ == "PROPN" for c in tok.children):
        return None  # "the adviser, Vadim Denisenko": the name is the mention
    if tok.i + 1 < len(parsed) and parsed[tok.i + 1].pos_ == "PROPN":
        return None  # "the spokesman Alex Conant": part of a name run
    low = tok.lower_
    age = None
    left = parsed[det.i:tok.i + 1]
    text_left = "".join(t.text_with_ws for t in left).strip()
    if low == "old" and "year" in text_left:
        nums = [t.text for t in left if t.like_num]
        if not nums:
            return None
        age, low = nums[0], "year-old"
    elif low not in ROLE_NOUNS and low not in ORGANISATION_WORDS and \
            not (low.endswith("er") or low.endswith("or") or low.endswith("ist")):
        return None
    start, end = base + det.idx, base + tok.idx + len(tok.text)
    kind = "title" if low in _TITLE_WORDS else "description"
    m = Mention(start, end, doc.text[start:end], kind, p, sent_of[tok.i], _role(tok),
                None, tok.i in quoted)
    gender = "he" if low in MALE_NOUNS else ("she" if low in FEMALE_NOUNS else None)
    return Candidate(m, tok, head=low, gender=gender, cue_subject=_is_cue_subject(tok), age=age,
                     plural=tok.tag_ == "NNS")
