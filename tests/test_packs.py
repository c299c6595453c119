"""Rule packs: every rule type fires on its fixture and stays quiet on clean copy,
every loader error names file:line and the key, the shipped packs load and
document themselves, and pack rules run through the same plugin path as the
built-in rules."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from quotecheck.config import ConfigError
from quotecheck.engine import analyze
from quotecheck.model import Document
from quotecheck.packs import BUILTIN_PACKS, RULE_TYPES, load_pack, pack_plugin, resolve_pack
from quotecheck.plugins import build_manager, collect_rules
from quotecheck.rules.runner import run_rules

PACK_FIXTURES = Path(__file__).parent / "fixtures" / "packs"
SECTIONS = ("What it does:", "Why:", "Example:", "Fix:")


@pytest.fixture(scope="session")
def article(nlp):
    """``article("name")``: tests/fixtures/packs/name.txt, analysed once per session
    (rules only read a document, so tests can share it)."""
    cache: dict[str, Document] = {}

    def _article(name: str) -> Document:
        if name not in cache:
            path = PACK_FIXTURES / f"{name}.txt"
            cache[name] = analyze([Document(str(path), path.read_text(encoding="utf-8"))])[0]
        return cache[name]

    return _article


def write_pack(tmp_path: Path, body: str, name: str = "house.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def one_rule(tmp_path: Path, rule_type: str, settings: str) -> Path:
    """A pack of one rule of ``rule_type`` with the given TOML lines."""
    return write_pack(tmp_path, f'name = "house"\n\n[[rule]]\ncode = "HS001"\nname = "house-rule"\n'
                                f'type = "{rule_type}"\n{textwrap.dedent(settings).strip()}\n')


def run_pack(pack_path: Path, doc: Document):
    """The pack's findings on ``doc``, through the plugin path built-in rules take."""
    pack = load_pack(str(pack_path))
    pm = build_manager(entry_points=False)
    pm.register(pack_plugin(pack), name=f"pack:{pack.name}")
    findings, errors = run_rules(doc, collect_rules(pm), context={})
    assert errors == []
    codes = {r.code for r in pack.rules}
    return [f for f in findings if f.code in codes]


def texts(doc: Document, findings) -> list[str]:
    return [doc.text[f.start:f.end] for f in findings]


def apply_fixes(text: str, findings) -> str:
    fixes = sorted((fx for f in findings for fx in f.fixes), key=lambda fx: fx.start, reverse=True)
    for fx in fixes:
        text = text[:fx.start] + fx.replacement + text[fx.end:]
    return text


def in_quote(doc: Document, finding) -> bool:
    return any(q.start <= finding.start and finding.end <= q.end for q in doc.quotes)


# --- existence --------------------------------------------------------------------------

@pytest.mark.parametrize("scope, inside_quotes", [("text", [False]), ("quote", [True]), ("any", [False, True])])
def test_existence_scope_decides_inside_or_outside_quotes(tmp_path, article, scope, inside_quotes):
    doc = article("existence")
    found = run_pack(one_rule(tmp_path, "existence", f'tokens = ["slammed"]\nscope = "{scope}"'), doc)
    assert texts(doc, found) == ["slammed"] * len(inside_quotes)
    assert [in_quote(doc, f) for f in found] == inside_quotes
    assert all(f.message == "“slammed” is not house style" for f in found)


def test_existence_attribution_scope_reads_the_speaker_mention(tmp_path, article):
    doc = article("existence")
    found = run_pack(one_rule(tmp_path, "existence", 'tokens = ["finance committee", "budget"]\n'
                                                     'scope = "attribution"'), doc)
    assert texts(doc, found) == ["finance committee"]  # "budget" is narration, not attribution


def test_existence_pattern_and_quiet_on_clean_copy(tmp_path, article):
    pack = one_rule(tmp_path, "existence", 'pattern = "\\\\bslam\\\\w*"\nscope = "quote"\nmessage = "{match}!"')
    assert [f.message for f in run_pack(pack, article("existence"))] == ["slammed!"]
    assert run_pack(pack, article("attribution_verb_clean")) == []


# --- substitution -----------------------------------------------------------------------

SWAP = 'swap = { "Kiev" = "Kyiv", "Kharkov" = "Kharkiv" }'


def test_substitution_reaches_into_quotes_without_offering_a_fix(tmp_path, article):
    doc = article("substitution")
    found = run_pack(one_rule(tmp_path, "substitution", SWAP), doc)
    assert texts(doc, found) == ["KIEV", "Kharkov", "Kiev"]
    assert [f.message for f in found] == ["use “KYIV”, not “KIEV”", "use “Kharkiv”, not “Kharkov”",
                                          "use “Kyiv”, not “Kiev”"]
    assert found[2].quote is not None and found[2].speaker == "Olena Martyniuk"
    assert all(f.fixes == [] for f in found)


def test_substitution_fix_only_when_fixable_and_text_scope_spares_quotes(tmp_path, article):
    doc = article("substitution")
    found = run_pack(one_rule(tmp_path, "substitution", f'{SWAP}\nscope = "text"\nfixable = true'), doc)
    assert texts(doc, found) == ["KIEV", "Kharkov"]
    fixed = apply_fixes(doc.text, found)
    assert fixed.startswith("KYIV, Ukraine — The trains from Kharkiv")
    assert '"Kiev has waited' in fixed


def test_substitution_regex_keys_and_clean_copy(tmp_path, article):
    pack = one_rule(tmp_path, "substitution", """
        regex = true
        ignorecase = true
        [rule.swap]
        '(?<![Cc]hicken )\\bKiev\\b' = "Kyiv"
        """)
    assert texts(article("substitution"), run_pack(pack, article("substitution"))) == ["KIEV", "Kiev"]
    assert run_pack(pack, article("substitution_clean")) == []  # chicken Kiev is a dish


# --- attribution-verb -------------------------------------------------------------------

def test_attribution_verb_matches_any_inflection_of_the_cue(tmp_path, article):
    pack = one_rule(tmp_path, "attribution-verb", 'verbs = ["claim", "conceding", "insisted"]')
    doc = article("attribution_verb")
    found = run_pack(pack, doc)
    assert texts(doc, found) == ["claimed", "conceded", "insists"]
    assert found[0].message == "“claimed” characterizes the statement; use “said”"
    assert found[1].speaker == "Tomas Rehak"
    # "the claim" is a noun in narration, not a cue.
    assert run_pack(pack, article("attribution_verb_clean")) == []


# --- first-reference --------------------------------------------------------------------

def test_first_reference_reports_the_first_mention(tmp_path, article):
    doc = article("first_reference")
    found = run_pack(one_rule(tmp_path, "first-reference", "require_title = true"), doc)
    assert texts(doc, found) == ["Ostrowski", "Hanna Lindqvist", "Sandoval"]
    assert found[0].start == doc.text.index("Ostrowski")  # the surname-only first mention
    assert [f.message for f in found] == [
        "first reference to Marek Ostrowski (“Ostrowski”) needs the full name and title or role",
        "first reference to Hanna Lindqvist (“Hanna Lindqvist”) needs the title or role",
        "first reference to Sandoval (“Sandoval”) needs the full name and title or role"]  # "Mr." is no role


def test_first_reference_title_is_optional(tmp_path, article):
    doc = article("first_reference")
    found = run_pack(one_rule(tmp_path, "first-reference", "require_title = false"), doc)
    assert texts(doc, found) == ["Ostrowski", "Sandoval"]


def test_first_reference_accepts_title_before_and_apposition_after(tmp_path, article):
    pack = one_rule(tmp_path, "first-reference", "require_title = true")
    assert run_pack(pack, article("first_reference_clean")) == []
    assert run_pack(pack, article("mark_style")) == []  # "Mayor Dana Whitfield"


# --- quote-punctuation: marks -----------------------------------------------------------

def test_mark_fixes_turn_curly_into_straight_and_change_nothing_else(tmp_path, article):
    # The two fixtures differ in their marks only: the apostrophes (We’re, town’s) are curly in both.
    doc = article("mark_style")
    found = run_pack(one_rule(tmp_path, "quote-punctuation", 'marks = "straight"\nouter = "double"'), doc)
    assert len(found) == 3  # two quotes and the quote within the second
    assert apply_fixes(doc.text, found) == (PACK_FIXTURES / "mark_style_straight.txt").read_text(encoding="utf-8")


def test_mark_fixes_turn_straight_into_curly_and_change_nothing_else(tmp_path, article):
    doc = article("mark_style_straight")
    found = run_pack(one_rule(tmp_path, "quote-punctuation", 'marks = "curly"'), doc)
    assert [f.message for f in found][:1] == ["quote marks: \"…\" should be “…”"]
    assert apply_fixes(doc.text, found) == (PACK_FIXTURES / "mark_style.txt").read_text(encoding="utf-8")


def test_british_marks_swap_the_levels(tmp_path, article):
    doc = article("mark_style")
    found = run_pack(one_rule(tmp_path, "quote-punctuation", 'marks = "curly"\nouter = "single"'), doc)
    fixed = apply_fixes(doc.text, found)
    assert fixed == ("‘We’re not closing the library,’ said Mayor Dana Whitfield. "
                     "‘People call it “the town’s living room” and they’re right.’\n")


def test_marks_quiet_when_already_in_house_style(tmp_path, article):
    pack = one_rule(tmp_path, "quote-punctuation", 'marks = "straight"\nouter = "double"')
    assert run_pack(pack, article("mark_style_straight")) == []


# --- quote-punctuation: placement -------------------------------------------------------

def test_punctuation_inside_moves_comma_and_period_in(tmp_path, article):
    doc = article("punctuation_inside")
    pack = one_rule(tmp_path, "quote-punctuation", 'punctuation = "inside"')
    found = run_pack(pack, doc)
    assert texts(doc, found) == ['",', '".']
    fixed = apply_fixes(doc.text, found)
    assert '"a mistake," and' in fixed and '"far from finished."' in fixed
    assert run_pack(pack, article("punctuation_outside")) == []


def test_punctuation_outside_judges_partial_quotes_only(tmp_path, article):
    doc = article("punctuation_outside")
    pack = one_rule(tmp_path, "quote-punctuation", 'punctuation = "outside"')
    found = run_pack(pack, doc)
    # Not the full quotation ‘We will vote again,’ nor the second half of a split one (‘and we got one.’).
    assert texts(doc, found) == [",’", ".’"]
    fixed = apply_fixes(doc.text, found)
    assert "‘a mistake’, and" in fixed and "‘far from finished’." in fixed
    assert "‘We will vote again,’" in fixed
    assert run_pack(pack, article("punctuation_inside")) == []


# --- second-hand ------------------------------------------------------------------------

def test_second_hand_needs_an_outlet(tmp_path, article):
    pack = one_rule(tmp_path, "second-hand", "")
    doc = article("second_hand")
    found = run_pack(pack, doc)
    # "told reporters" once, though two quotes share it
    assert texts(doc, found) == ["was quoted as saying", "reportedly", "told reporters"]
    assert run_pack(pack, article("second_hand_clean")) == []  # told Reuters; according to (via)


# --- anonymous-source -------------------------------------------------------------------

def test_anonymous_source_reported_without_a_reason(tmp_path, article):
    pack = one_rule(tmp_path, "anonymous-source", "require_reason = true")
    doc = article("anonymous_source")
    # "one of the sources": the default patterns report the whole unnamed source
    assert texts(doc, run_pack(pack, doc)) == ["a person familiar with", "one of the sources"]
    assert run_pack(pack, article("anonymous_source_clean")) == []  # "not authorized to"


def test_anonymous_source_reported_once_for_quotes_sharing_an_attribution(tmp_path, article):
    doc = article("anonymous_source")
    found = run_pack(one_rule(tmp_path, "anonymous-source", ""), doc)
    assert texts(doc, found) == ["a person familiar with", "one of the sources"]  # not again for "Nobody will say so yet."


def test_anonymous_source_without_require_reason_reports_every_one(tmp_path, article):
    pack = one_rule(tmp_path, "anonymous-source", 'phrases = ["a person familiar with"]')
    doc = article("anonymous_source_clean")
    assert texts(doc, run_pack(pack, doc)) == ["a person familiar with"]


# --- partial-quote-length ---------------------------------------------------------------

@pytest.mark.parametrize("limit, expected", [(12, 1), (15, 0)])
def test_partial_quote_length(tmp_path, article, limit, expected):
    doc = article("partial_quote")
    found = run_pack(one_rule(tmp_path, "partial-quote-length", f"max_words = {limit}"), doc)
    assert len(found) == expected
    if found:
        assert found[0].message == "partial quote of 15 words (at most 12)"
        assert doc.text[found[0].start:found[0].end].startswith("protect every family")


# --- conditional ------------------------------------------------------------------------

@pytest.mark.parametrize("within, expected", [("sentence", ["posted"]), ("paragraph", ["posted"])])
def test_conditional_requires_then_in_the_same_unit(tmp_path, article, within, expected):
    doc = article("conditional")
    found = run_pack(one_rule(tmp_path, "conditional", f"""
        if = '\\bposted\\b'
        then = '\\b(?:Telegram|Facebook)\\b'
        within = "{within}"
        """), doc)
    assert texts(doc, found) == expected
    assert found[0].start < doc.text.index("\n")  # the first paragraph, not the one naming Telegram


def test_conditional_quiet_when_then_matches(tmp_path, article):
    pack = one_rule(tmp_path, "conditional", "if = 'minister'\nthen = 'posted'")
    assert run_pack(pack, article("conditional")) == []


# --- consistency ------------------------------------------------------------------------

def test_consistency_reports_later_spellings_with_the_first_as_evidence(tmp_path, article):
    doc = article("consistency")
    found = run_pack(one_rule(tmp_path, "consistency", 'either = [["OK", "okay"]]'), doc)
    assert texts(doc, found) == ["okay", "okay"]  # in the quote, then in the text
    assert found[0].message == "“okay”, but “OK” earlier in the document"
    assert found[0].evidence[0].text == "OK"
    text_only = run_pack(one_rule(tmp_path, "consistency", 'either = [["OK", "okay"]]\nscope = "text"'), doc)
    assert len(text_only) == 1 and not in_quote(doc, text_only[0])


def test_consistency_quiet_with_one_spelling(tmp_path, article):
    pack = one_rule(tmp_path, "consistency", 'either = [["percent", "per cent"], ["OK", "okay"]]')
    assert run_pack(pack, article("existence")) == []


# --- loader errors ----------------------------------------------------------------------

GOOD_RULE = '[[rule]]\ncode = "HS001"\nname = "first"\ntype = "existence"\ntokens = ["x"]\n'

BAD_PACKS = [
    # (pack text, line of the error, words the message must hold)
    ('name = "h"\ncolour = "red"\n' + GOOD_RULE, 2, ["unknown key 'colour'"]),
    (GOOD_RULE + '\n[[rule]]\ncode = "HS002"\nname = "second"\ntype = "existance"\n', 10,
     ["unknown rule type 'existance'", "existence"]),
    (GOOD_RULE + '\n[[rule]]\ncode = "HS002"\nname = "second"\ntype = "existence"\ntokenz = ["y"]\n', 11,
     ["unknown key 'tokenz'"]),
    (GOOD_RULE + '\n[[rule]]\ncode = "HS002"\nname = "second"\ntype = "attribution-verb"\n', 7,
     ["'verbs'", "HS002"]),
    (GOOD_RULE + '\n[[rule]]\ncode = "HS002"\nname = "second"\ntype = "existence"\npattern = "(unclosed"\n', 11,
     ["pattern", "bad regex", "missing ), unterminated subpattern"]),
    (GOOD_RULE + '\n[[rule]]\ncode = "HS002"\nname = "second"\ntype = "substitution"\nregex = true\n'
                 '[rule.swap]\n"Kiev" = "Kyiv"\n"K[iy" = "Kyiv"\n', 14, ["swap", "'K[iy'", "bad regex"]),
    (GOOD_RULE + '\n[[rule]]\ncode = "HS001"\nname = "second"\ntype = "existence"\ntokens = ["y"]\n', 8,
     ["duplicate code 'HS001'"]),
    (GOOD_RULE + '\n[[rule]]\ncode = "HS002"\nname = "first"\ntype = "existence"\ntokens = ["y"]\n', 9,
     ["duplicate name 'first'"]),
    (GOOD_RULE + 'severity = "fatal"\n', 6, ["severity must be one of error, warning, info"]),
    (GOOD_RULE + 'message = "{word} again"\n', 6, ["message", "unknown placeholder {word}", "{match}"]),
    (GOOD_RULE.replace('type = "existence"\ntokens = ["x"]', 'type = "partial-quote-length"\nmax_words = "12"'),
     5, ["max_words must be a positive whole number"]),
    (GOOD_RULE.replace("HS001", "QC900"), 2, ["code 'QC900'", "built-in"]),
    (GOOD_RULE.replace('"first"', '"First Rule"'), 3, ["name 'First Rule'", "kebab-case"]),
    (GOOD_RULE.replace('type = "existence"\n', ""), 1, ["has no type"]),
    (GOOD_RULE + 'scope = "quotes"\n', 6, ["scope must be one of quote, attribution, text, any"]),
    ('name = "empty"\n', 1, ["[[rule]]"]),
]


@pytest.mark.parametrize("body, line, words", BAD_PACKS)
def test_loader_errors_name_file_line_and_key(tmp_path, body, line, words):
    path = write_pack(tmp_path, body)
    with pytest.raises(ConfigError) as raised:
        load_pack(str(path))
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: "), message
    for w in words:
        assert w in message, message


def test_toml_syntax_error_names_the_file(tmp_path):
    path = write_pack(tmp_path, 'name = "unclosed\n' + GOOD_RULE)
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}: .*line 1"):
        load_pack(str(path))


# --- sentences ------------------------------------------------------------------------

def test_sentences_keep_a_quote_with_its_cue_and_ignore_abbreviations(article):
    from quotecheck.packs.regions import quote_sentence, regions

    doc = article("sentences")
    sentences = [doc.text[s:e] for s, e in regions(doc).sentences]
    assert sentences == ['"We have the money. We have the engineers," Sen. Ana Ruiz said on Monday.',
                         "The vote is on Friday.", "The bridge closed in 2019.", '"It will reopen," she said.']
    last = doc.quotes[-1]
    assert doc.text[slice(*quote_sentence(doc, last))] == '"It will reopen," she said.'


# --- shipped packs ----------------------------------------------------------------------

@pytest.mark.parametrize("name, prefix", [("us-wire", "UW0"), ("british", "BR0")])
def test_shipped_pack_loads_and_documents_each_rule(name, prefix):
    pack = load_pack(BUILTIN_PACKS[name])
    assert pack.name == name and len(pack.rules) >= 10
    for rule in pack.rules:
        assert rule.code.startswith(prefix)
        assert rule.doc.startswith(f"{rule.name} ({rule.code})")
        positions = [rule.doc.index(s) for s in SECTIONS]
        assert positions == sorted(positions), rule.code
    assert {t for t in RULE_TYPES} >= {r.doc.rsplit("type ", 1)[1].rstrip(".") for r in pack.rules}


def test_shipped_packs_cover_every_rule_type_and_register_together():
    pm = build_manager(entry_points=False)
    for name in ("us-wire", "british"):
        pm.register(pack_plugin(load_pack(BUILTIN_PACKS[name])), name=f"pack:{name}")
    rules = collect_rules(pm)  # raises on a name or code defined twice
    used = {r.doc.rsplit("type ", 1)[1].rstrip(".") for r in rules if r.plugin.startswith("pack:")}
    assert used == set(RULE_TYPES)
    assert {r.plugin for r in rules if r.code.startswith("UW")} == {"pack:us-wire"}
    assert any(r.code == "QC102" for r in rules)  # built-ins are still there


def test_us_wire_on_a_draft_alongside_builtin_rules(article):
    doc = article("first_reference")
    pm = build_manager(entry_points=False)
    pm.register(pack_plugin(load_pack(resolve_pack("us-wire", Path.cwd()))), name="pack:us-wire")
    findings, errors = run_rules(doc, collect_rules(pm), context={})
    assert errors == []
    assert [(f.code, doc.text[f.start:f.end]) for f in findings if f.code.startswith("UW")] == [
        ("UW004", "Ostrowski"), ("UW004", "Hanna Lindqvist"), ("UW004", "Sandoval")]


def test_british_pack_on_a_british_draft(article):
    doc = article("punctuation_outside")
    found = run_pack(Path(BUILTIN_PACKS["british"]), doc)
    assert [f.code for f in found] == ["BR003", "BR003"]


def test_wheel_packaging_lists_every_package_and_the_shipped_packs():
    """The wheel ships rules/*.toml as quotecheck.packs.data (package-dir mapping),
    which needs an explicit package list: a package missing from it would be
    missing from the wheel."""
    from quotecheck.config import tomllib  # tomli on Python 3.10

    root = Path(__file__).resolve().parent.parent
    setuptools_table = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = setuptools_table.get("packages")
    if not isinstance(listed, list):
        pytest.skip("pyproject.toml still finds packages; rules/*.toml is not mapped into the wheel yet")
    on_disk = {".".join(p.parent.relative_to(root).parts) for p in (root / "quotecheck").rglob("__init__.py")}
    assert on_disk | {"quotecheck.packs.data"} <= set(listed)
    assert setuptools_table["package-dir"]["quotecheck.packs.data"] == "rules"
    assert "*.toml" in setuptools_table["package-data"]["quotecheck.packs.data"]


def test_generated_documentation_when_keys_are_missing(tmp_path):
    pack = load_pack(str(one_rule(tmp_path, "partial-quote-length", "max_words = 9")))
    doc = pack.rules[0].doc
    assert "Reports a partial quote of more than 9 words." in doc
    assert all(s in doc for s in SECTIONS)


def test_resolve_pack(tmp_path):
    assert resolve_pack("british", tmp_path) == BUILTIN_PACKS["british"]
    own = write_pack(tmp_path, GOOD_RULE, "ours.toml")
    assert resolve_pack("ours.toml", tmp_path) == str(own)
    with pytest.raises(ConfigError, match="'nowhere.toml'.*us-wire"):
        resolve_pack("nowhere.toml", tmp_path)
    assert load_pack(resolve_pack("ours.toml", tmp_path)).name == "ours"  # no name = file stem
