"""Reporting cues: the words that introduce who said a quote, and how a token is
recognised as one without a lemmatizer.

Plugins add to these through the ``quotecheck_reporting_cues`` hook; the sets here
are the built-in defaults, as lemmas.
"""
import re

REPORTING_VERBS = frozenset("""
say tell add write insist warn explain state note claim argue declare announce
assert ask answer reply respond recall remark comment observe suggest acknowledge
admit concede confirm deny complain contend counter predict promise vow pledge
stress emphasize emphasise caution urge tweet post quip joke laugh shout yell
scream cry whisper mutter continue conclude testify report describe call dub
label brand characterize characterise term recount reveal disclose maintain
reiterate repeat charge accuse allege blast slam criticize criticise attack
praise thank boast brag lament concur agree disagree object protest retort
wonder muse speculate estimate calculate mention point tout hail decry demand
question challenge quote read go put offer opine proclaim snap
sneer scoff fume rail rage thunder chide scold mock tease plead beg pray
bark growl gush rave marvel exclaim holler chant assure reassure crow gloat grumble whine
interject interrupt intone posit theorize surmise confide confess divulge reminisce rebut
implore advise instruct preach lecture taunt jeer heckle murmur mumble stammer drawl
inform notify affirm aver attest swear vouch ridicule deride downplay laud commend applaud
echo underscore clarify elaborate inquire forecast threaten guarantee compare liken
""".split())

# Verbs that report only with a particle ("pointed out", "went on").
PHRASAL_CUES = {"point": "out", "go": "on", "weigh": "in", "chime": "in", "fire": "back",
                "hit": "back", "spell": "out", "lash": "out", "sum": "up"}


TITLES = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. sen sen. rep rep. gov gov. gen gen. lt lt. col col.
sgt sgt. capt capt. adm adm. prof prof. rev rev. gen. president vice senator
representative governor mayor secretary minister prime chancellor judge justice
chairman chairwoman chair sheriff officer spokesman spokeswoman spokesperson
director ambassador general lieutenant colonel attorney pastor father sister
former retired acting deputy maj maj. cmdr cmdr. del del. assistant chief candidate nominee leader speaker commissioner
congressman congresswoman councillor councilor councilman councilwoman
alderman alderwoman assemblyman assemblywoman mp king queen prince princess pope archbishop bishop
democrat republican democratic independent
""".split()) | frozenset(
    # Multi-word titles, removed whole before a name: "Secretary of State Mara
    # Lind", "Minister of Foreign Affairs Jonas Berg", "Chief of Staff Peter Okoye".
    f"{head} {prep} {portfolio.replace('+', ' ')}"
    for head in """secretary minister chief director chairman chairwoman chair speaker commissioner
                   undersecretary""".split()
    for prep in ("of", "for", "of the", "for the")
    for portfolio in """state defense defence treasury homeland+security health health+and+human+services
        education energy labor labour commerce agriculture interior transportation transport justice
        veterans+affairs housing housing+and+urban+development foreign+affairs home+affairs internal+affairs
        finance economy economic+affairs trade industry culture environment foreign+affairs+and+trade
        staff house national+intelligence national+security army navy air+force europe immigration
        public+safety joint+chiefs+of+staff federal+reserve police development social+affairs""".split()
)
# The titles without their full stops, as names are compared ("Gov." and "Gov").
TITLE_KEYS = frozenset(t.rstrip(".") for t in TITLES)

PRONOUN_GENDER = {"he": "he", "him": "he", "his": "he", "himself": "he",
                  "she": "she", "her": "she", "hers": "she", "herself": "she",
                  "they": "they", "them": "they", "their": "they"}


def inflections(lemma: str) -> set[str]:
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
             "hit": "hit", "quipped": "quip", "says": "say", "saying": "say", "swore": "swear",
             "sworn": "swear", "forecast": "forecast", "taught": "teach"}
CUE_FORMS = {form: lemma for lemma in REPORTING_VERBS | PHRASAL_CUES.keys() for form in inflections(lemma)}
CUE_FORMS.update({k: v for k, v in IRREGULAR.items() if v in REPORTING_VERBS or v == "say"})


def cue_lemma(token) -> str | None:
    """The reporting lemma of a token, or None; works without a lemmatizer."""
    if not token.tag_.startswith("VB"):
        return None
    lemma = CUE_FORMS.get(token.lower_)
    if lemma in PHRASAL_CUES:
        if not any(c.dep_ in ("prt", "advmod") and c.lower_ == PHRASAL_CUES[lemma] for c in token.children):
            return None
    return lemma


# -- the reference layer's word lists ------------------------------------------

# Role nouns that, after "the", name one person the article introduced with
# that role ("Governor Olena Marchuk … the governor", "Alex Conant, a spokesman
# … the spokesman"). Titles count too (``TITLES``).
ROLE_NOUNS = frozenset("""
aide adviser advisor strategist analyst manager secretary spokesman spokeswoman spokesperson
president governor mayor senator minister chancellor premier judge justice chairman chairwoman
chair sheriff officer director ambassador general colonel lieutenant captain attorney pastor
commissioner councillor councilor congressman congresswoman lawmaker legislator candidate nominee
leader speaker executive founder owner coach manager player striker goalkeeper captain author
professor teacher doctor surgeon nurse scientist researcher economist lawyer prosecutor detective
inspector superintendent commander chief head envoy negotiator official diplomat activist
organizer organiser protester student resident farmer worker driver pilot witness victim
survivor suspect defendant plaintiff ceo cfo coo chairperson president-elect actor actress singer artist writer novelist poet journalist
reporter editor photographer historian architect engineer designer entrepreneur billionaire
businessman businesswoman banker investor chef priest bishop rabbi imam monk nun king queen
prince princess emperor prime
""".split())

# Nouns that say a person is a man or a woman, as titles, roles or descriptions.
MALE_NOUNS = frozenset("""
mr mr. sir lord king prince father son brother husband uncle nephew grandfather
congressman spokesman chairman councilman assemblyman alderman businessman sportsman
actor waiter steward monk priest duke earl baron emperor boyfriend widower man boy gentleman
""".split())
FEMALE_NOUNS = frozenset("""
mrs mrs. ms ms. miss madam madame dame lady queen princess mother daughter sister wife aunt niece
grandmother congresswoman spokeswoman chairwoman councilwoman assemblywoman alderwoman
businesswoman sportswoman actress waitress stewardess nun duchess countess baroness empress
girlfriend widow woman girl
""".split())

# Every form of a third-person pronoun, with its gender/number ("it" for an
# organisation). First and second person are never mentions of a third party.
PRONOUN_FORMS = {"he": "he", "him": "he", "his": "he", "himself": "he",
                 "she": "she", "her": "she", "hers": "she", "herself": "she",
                 "they": "they", "them": "they", "their": "they", "theirs": "they", "themselves": "they",
                 "it": "it", "its": "it", "itself": "it"}
REFLEXIVES = frozenset({"himself", "herself", "themselves", "itself"})

# Head nouns of organisations ("the Harbour Authority … the authority"; a
# statement "by the Ministry of Defence" names no person).
ORGANISATION_WORDS = frozenset("""
ministry department office council committee commission government party agency service union
association foundation institute university inc ltd llc plc company corporation group kremlin
embassy mission administration parliament court bank fund organisation organization bureau board
authority press secretariat cabinet house police army forces navy command team campaign club
federation league center centre network coalition alliance school college academy society corp
co services hospital church museum orchestra studios records airlines airways trust caucus
""".split())

# Last words of the names of events, prizes and days: "the Worcester
# Festival", "the French Open", "Dan Bailey Fishing Day" are no one.
EVENT_WORDS = frozenset("""
festival award awards prize cup open championship championships games olympics day week tournament
trophy marathon derby classic grand prix
""".split())
