"""Reporting cues: the words that introduce who said a quote.

Plugins add to these through the ``quotecheck_reporting_cues`` hook; the sets here
are the built-in defaults, as lemmas.
"""
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
""".split())

# Verbs that report only with a particle ("pointed out", "went on").
PHRASAL_CUES = {"point": "out", "go": "on", "weigh": "in", "chime": "in", "fire": "back",
                "hit": "back", "spell": "out", "lash": "out", "sum": "up"}

# Nouns that carry attribution in "in a statement", "his words", etc. are not cues;
# these multiword cues are matched on the raw text.
ACCORDING_TO = ("according to",)

TITLES = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. sen sen. rep rep. gov gov. gen gen. lt lt. col col.
sgt sgt. capt capt. adm adm. prof prof. rev rev. gen. president vice senator
representative governor mayor secretary minister prime chancellor judge justice
chairman chairwoman chair sheriff officer spokesman spokeswoman spokesperson
director ambassador general lieutenant colonel attorney pastor father sister
former retired acting deputy maj maj. cmdr cmdr. del del. assistant chief candidate nominee leader speaker commissioner
congressman congresswoman councillor councilor councilman councilwoman
alderman alderwoman assemblyman assemblywoman mp king queen prince princess pope archbishop bishop
""".split())

MALE_TITLES = frozenset({"mr", "mr.", "king", "prince", "father", "congressman", "spokesman",
                         "chairman", "sir", "lord"})
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "queen", "princess", "sister",
                           "congresswoman", "spokeswoman", "chairwoman", "lady", "dame"})

PRONOUN_GENDER = {"he": "he", "him": "he", "his": "he", "himself": "he",
                  "she": "she", "her": "she", "hers": "she", "herself": "she",
                  "they": "they", "them": "they", "their": "they"}
