"""Dependency-parse helpers for attribution: subjects of cues, names in noun
phrases, and the spans of mentions. Each works around a known failure of the
small English model where news text trips it (see the comments)."""
from __future__ import annotations

from ..cues import CUE_FORMS, inflections
from ..people import strip_titles

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
INVERTED_SUBJECT_DEPS = {"dobj", "attr", "npadvmod", "appos", "oprd", "dep", "nsubj"}
GROUP_ENTS = {"ORG", "NORP", "GPE", "FAC"}
# Verbs whose object is the one who speaks in the clause after ("prompted the
# board to state", "urged voters to say"); "used this question to demand" is not one.
OBJECT_CONTROL_FORMS = {f for v in ("prompt", "urge", "ask", "lead", "force", "push", "press", "invite",
                                    "encourage", "tell", "allow", "cause", "get", "inspire", "challenge")
                        for f in inflections(v)} | {"led", "told", "got"}


# No sentence of prose is this deep: a parse that is (of a run of marks or
# symbols, a chain) is not walked further up, so no walk grows with the text.
MAX_DEPTH = 64


def is_ancestor(tok, node) -> bool:
    """Whether ``tok`` is above ``node`` in the parse tree (within MAX_DEPTH levels)."""
    for _ in range(MAX_DEPTH):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.i == tok.i:
            return True
    return False


NOT_SPEAKERS = {"nobody", "noone", "nothing", "everyone", "everybody",
                "anyone", "anybody", "everything", "something", "anything", "none", "it", "this", "that"}


def subject(verb, inside):
    if listener_passive(verb):
        return None  # "Trump was asked, “…?”": the quote is the asker's
    subj = grammatical_subject(verb, inside)
    if subj is None and CUE_FORMS.get(verb.lower_):
        subj = nearest_person_before(verb, inside)
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


def possessor(noun, inside):
    """The person who owns a speech noun: "Trump's claim", "Obama's promise"."""
    for c in noun.children:
        if c.dep_ == "poss" and c.i not in inside and (c.pos_ == "PROPN" or c.ent_type_ in ("PERSON", "ORG")):
            return c
    return None


def listener_passive(verb) -> bool:
    return verb.lower_ in ("told", "asked") and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def grammatical_subject(verb, inside):
    if verb.dep_ == "compound" and verb.head.pos_ == "PROPN" and verb.i < verb.head.i:
        return verb.head  # sentence-initial "Said Ellis: …", parsed as part of the name
    # Passive: "known by some Republicans as a “hug”" — the agent is the source.
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None:
        by_obj = next((c for c in agent.children if c.dep_ == "pobj" and c.i not in inside), None)
        if by_obj is not None:
            return by_obj
    # The parser can give a verb two subjects ("…in Berea, OH, after winning
    # Ohio, Gov. John Kasich said"): a person first, then the one nearest the verb.
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i not in inside]
    if subjects:
        subj = min(subjects, key=lambda c: (c.ent_type_ != "PERSON", abs(verb.i - c.i)))
        # "Reporting from Lagos, the network's Tomi Adeyemi said": the opener
        # parsed as the subject, with the real subject hung inside it.
        if subj.tag_ in ("VBG", "VBN") and subj.i < verb.i:
            names = [t for t in subj.subtree if t.dep_ == "appos" and t.i not in inside and
                     (t.pos_ == "PROPN" or t.ent_type_ == "PERSON" or t.pos_ == "NOUN")]
            if names:
                return names[-1]
        return subj
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
    if verb.dep_ == "xcomp" and verb.head.lower_ in OBJECT_CONTROL_FORMS:
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None and obj.i not in inside:
            return obj
    # "footage of Hillary Clinton asking, “…”": a participle right after a named
    # object is that person speaking, whatever the parser hung it on.
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if verb.tag_ == "VBG" and before is not None and before.ent_type_ == "PERSON" and \
            before.dep_ in ("pobj", "dobj") and before.i not in inside:
        return before
    # "Blige sings to Clinton before asking her, “…”": a clause under "before",
    # "after", "while" … has the main clause's subject.
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX") \
            and verb.head.head.i not in inside:
        return grammatical_subject(verb.head.head, inside)
    # "X smiled and said", "X hit back, saying …": the subject of the verb it hangs on.
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i not in inside and verb.head.i != verb.i:
        return grammatical_subject(verb.head, inside)
    # "Aaron Kall, the director of debate …, compared Trump to …" parsed as a
    # clause hung on the name: the name is the subject.
    if verb.dep_ == "acl" and verb.head.i < verb.i and verb.head.ent_type_ == "PERSON" \
            and verb.head.i not in inside:
        return verb.head
    # "Trump issued a statement saying …": the subject of the verb governing the noun.
    if verb.dep_ == "acl" and verb.head.dep_ in ("dobj", "pobj") and verb.head.head.pos_ in ("VERB", "ADP"):
        governor = verb.head.head if verb.head.head.pos_ == "VERB" else verb.head.head.head
        if governor.i not in inside and governor.i != verb.i:
            return grammatical_subject(governor, inside)
    return None


def nearest_person_before(verb, inside):
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
    doc = verb.doc
    # Back to the sentence start (at most NEAREST_REACH tokens: "right before it").
    for j in range(verb.i - 1, max(-1, verb.i - 1 - NEAREST_REACH), -1):
        tok = doc[j]
        if tok.i in inside or (tok.pos_ == "VERB" and tok.ent_type_ == "" and tok.dep_ not in ("amod", "compound")):
            break
        if tok.ent_type_ == "PERSON":
            return tok
        if tok.is_sent_start:
            break
    return None


NEAREST_REACH = 60


def person_like(tok) -> bool:
    """A subject that is a person: a person's name or a personal pronoun. Only
    such subjects make a non-reporting verb a cue ("Clinton cited … “…”")."""
    return tok.ent_type_ == "PERSON" or tok.lower_ in ("he", "she") or \
        any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in tok.children)


def source_like(tok) -> bool:
    """A subject that can be a source though it is no person: an organisation,
    a group, a document ("the report", "the team", "the protesters")."""
    return tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT",
                                                                   "CARDINAL", "QUANTITY")


def name_token(subj):
    if subj.pos_ == "PROPN" or subj.ent_type_ == "PERSON":
        return subj
    # "the adviser, Vadim Denisenko" — the parser may hang the apposition on a
    # noun deeper in the phrase ("the adviser to the Interior Ministry, …").
    for c in subj.subtree:
        if c.dep_ == "appos" and (c.pos_ == "PROPN" or c.ent_type_ == "PERSON"):
            return c
    return None


def propn_run(tok) -> list[str]:
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
    words = _run_words(doc[i:j + 1])
    # A multi-word title the run stopped inside: "Secretary of State Mara Lind",
    # "Chief of Staff Peter Okoye" (the parser leaves "Secretary of" out of the run).
    best = strip_titles(words)
    k = i
    while k > 0 and i - k < 6 and (doc[k - 1].lower_ in ("of", "for", "the", "and") or
                                   doc[k - 1].pos_ == "PROPN" and doc[k - 1].text[:1].isupper()):
        k -= 1
        if doc[k].pos_ == "PROPN" and any(t.lower_ in ("of", "for") for t in doc[k:i]):
            longer = strip_titles(_run_words(doc[k:j + 1]))
            if len(longer) < len(best):
                best = longer
    return best


def _run_words(tokens) -> list[str]:
    words = []
    for t in tokens:
        if t.text in ("'s", "’s") or t.is_punct and t.text != "-":
            continue
        if words and (t.text == "-" or words[-1].endswith("-")):
            words[-1] += t.text  # Holtz-Eakin, Crouse-Mays
        else:
            words.append(t.text)
    return words


def entity_text(tok) -> str:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            words = [t.text for t in ent if t.lower_ not in ("the",)]
            return " ".join(words)
    return tok.text


def span_text(text: str, base: int, tok, inside, stop: int | None = None) -> str:
    """The words of ``tok``'s phrase as the document writes them (the parser saw
    blanked datelines and markup), outside quotes, without trailing punctuation."""
    # A clause under the name that holds the quote itself ("Kall …, compared
    # Trump to … “…”" misparsed as a clause on "Kall") is not part of the mention.
    # A relative clause is part of the source ("Ted Cruz, who has surged in Iowa,"),
    # and so is a title quoted inside it; it stops at the quote being attributed
    # (``stop``, a character offset in the parsed paragraph).
    cut = {t.i for c in tok.children if c.dep_ == "acl" and any(d.i in inside for d in c.subtree)
           for t in c.subtree}
    toks = [t for t in tok.subtree if t.i not in inside and t.i not in cut and not t.is_space
            and (stop is None or tok.idx >= stop or t.idx < stop)]
    if not toks:
        return tok.text
    a, b = toks[0], toks[-1]
    while b.i > a.i and (b.is_punct or b.dep_ == "cc"):
        b = tok.doc[b.i - 1]
    words = text[base + a.idx:base + b.idx + len(b.text)]
    if words.count("(") > words.count(")"):  # keep "(R-N.H.)" whole
        close = text.find(")", base + b.idx + len(b.text), base + b.idx + len(b.text) + 3)
        if close >= 0:
            words = text[base + a.idx:close + 1]
    return " ".join(words.split())