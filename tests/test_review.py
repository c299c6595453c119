"""The review page (quotecheck report, quotecheck/web/review.py): the HTML
itself, the command, and the page opened in headless Chromium.

The fixture (tests/fixtures/review/) is a short invented story checked against
an invented interview transcript: one verified quote, one altered (a number
changed), one misattributed (the librarian's words given to a councillor) and
one unverified (found in no source, with ``<script>`` in it)."""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES

from quotecheck import __version__
from quotecheck.cli import main
from quotecheck.model import Document, WordEdit
from quotecheck.session import FileResult, Problem, Session
from quotecheck.status import quote_statuses
from quotecheck.vocab import QUOTE_STATUSES
from quotecheck.web import review
from quotecheck.web.review import render_review

DRAFT = FIXTURES / "review" / "library_draft.txt"
SOURCES = FIXTURES / "review" / "sources"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


# -- a small DOM, to ask the page questions ---------------------------------------------

VOID = {"meta", "input", "br", "img", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, (tag, cls, attrs)
        return found[0]


class Tree(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#document", {})
        self.feed(page)
        self.close()
        assert self.node is self.root, f"unclosed <{self.node.tag}>"

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, attrs, self.node))

    def handle_endtag(self, tag):
        assert self.node.tag == tag, f"</{tag}> closes <{self.node.tag}>"
        self.node = self.node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def dom(page: str) -> Node:
    return Tree(page).root


# -- the checked fixture ------------------------------------------------------------------

@pytest.fixture(scope="module")
def checked(nlp):
    with Session(sources=[str(SOURCES)]) as session:
        result = session.check_one(Document(str(DRAFT), DRAFT.read_text(encoding="utf-8")))
        rules = session.rule_info()
    assert result.problems == []
    return result, rules


@pytest.fixture(scope="module")
def page(checked):
    result, rules = checked
    return render_review(result, rules=rules)


def statuses(result) -> Counter:
    return Counter(s.status for s in quote_statuses(result))


def test_the_fixture_has_the_four_statuses(checked):
    result, _ = checked
    counts = statuses(result)
    for status in ("verified", "altered", "misattributed", "unverified"):
        assert counts[status] >= 1, counts


# -- the HTML -------------------------------------------------------------------------------

def test_nothing_is_fetched_from_anywhere(page):
    assert not re.search(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""",
                         page, re.I), "an attribute points outside the page"
    assert not re.search(r"\b(?:https?|ftp|wss?):", page, re.I)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    tree = dom(page)
    scripts = tree.find_all("script")
    assert len(scripts) == 1 and "src" not in scripts[0].attrs
    # The Content-Security-Policy forbids every request and allows only this script and this style.
    policy = tree.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert "default-src 'none'" in policy and "form-action 'none'" in policy

    def digest(text):
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
    assert digest(scripts[0].text()) in policy
    assert digest(tree.find("style").text()) in policy
    assert tree.find("meta", name="generator").attrs["content"] == f"quotecheck report {__version__}"


def test_every_quote_is_highlighted_with_its_status_label_and_speaker(checked, page):
    result, _ = checked
    tree = dom(page)
    marked = tree.find("article", cls="draft").find_all(cls="q")
    states = quote_statuses(result)
    assert len(marked) == len(states) == len(result.quotes) == 4
    for el, state in zip(marked, states):
        assert el.attrs["data-status"] == state.status
        assert f"st-{state.status}" in el.classes
        tag = el.find(cls="tag").text()
        assert review.label(state.status) in tag and review.SYMBOLS[state.status] in tag
        assert (state.quote.attribution.speaker or "no speaker") in tag
        assert state.quote.text in el.text()
        # reachable and selectable from the keyboard
        assert el.attrs["role"] == "button" and el.attrs["tabindex"] == "0"
        assert el.attrs["aria-controls"] == "details"
    by_status = Counter(el.attrs["data-status"] for el in marked)
    assert by_status == statuses(result)


def test_the_draft_is_escaped_not_run(checked, page):
    result, _ = checked
    assert "<script>alert(1)</script>" in result.document.text
    assert page.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = dom(page)
    draft_text = tree.find("article", cls="draft").text()
    assert "<script>alert(1)</script>" in draft_text  # shown as the words it is


def test_hostile_names_stay_inside_their_attributes(nlp):
    text = ("“The harbour will never close <img src=x onerror=alert(1)>,” said Aoife O'Brien\" onfocus=\"alert(2).\n\n"
            "“We said it twice & we meant it,” O'Brien said.\n")
    result = Session().check(text, path="hostile <draft>.txt")
    page = render_review(result, title="<b>bold</b> title")
    tree = dom(page)
    assert "<b>bold</b> title" in tree.find("h1").text() and "<b>" not in page
    assert "<img" not in page and not tree.find_all("img")
    assert not [(n.tag, k) for n in tree.iter() for k in n.attrs if k.startswith("on")]  # no handler got in
    assert "close <img src=x onerror=alert(1)>," in tree.find("article", cls="draft").text()
    speakers = {el.attrs["data-speaker"] for el in tree.find_all(cls="q")}
    assert any("O'Brien" in s for s in speakers), speakers
    assert "twice &amp; we" in page


def test_findings_are_grouped_by_rule_and_by_speaker(checked, page):
    result, rules = checked
    tree = dom(page)
    by_rule = tree.find("section", id="findings-by-rule")
    heads = [" ".join(h.text().split()) for h in by_rule.find_all("h4")]
    codes = Counter((f.code, f.rule) for f in result.findings)
    assert heads == [f"{code} {rule} ({n})" for (code, rule), n in sorted(codes.items())]
    summaries = {r.name: r.summary for r in rules}
    assert review._plain(summaries["quote-altered"]) in by_rule.text()
    by_speaker = tree.find("section", id="findings-by-speaker")
    groups = {" ".join(g.find("h4").text().split()): g for g in by_speaker.find_all("section", cls="group")}
    brandt = next(g for name, g in groups.items() if name.startswith("Tomas Brandt"))
    assert "QC202 quote-misattributed" in " ".join(brandt.text().split())
    # every finding is listed once in each grouping, as a button selecting its quote or flag
    for section in (by_rule, by_speaker):
        buttons = section.find_all("button", cls="finding")
        assert len(buttons) == len(result.findings)
        for b in buttons:
            assert tree.find_all(id=b.attrs["data-target"]), b.attrs["data-target"]


def test_the_altered_quote_shows_its_word_diff(checked, page):
    result, _ = checked
    tree = dom(page)
    altered = next(i for i, s in enumerate(quote_statuses(result), 1) if s.status == "altered")
    detail = tree.find("article", id=f"quote-{altered}-detail")
    table = detail.find("table", cls="diff")
    draft_cell, source_cell = table.find_all("td")
    assert [n.text() for n in draft_cell.find_all("ins")] == ["four"]
    assert [n.text() for n in source_cell.find_all("del")] == ["three"]
    assert "three hundred people" in source_cell.text()
    edits = " ".join(detail.find("ul", cls="edits").text().split())
    assert "three" in edits and "four" in edits and "changes a number" in edits
    where = detail.find(cls="where-src").text()
    assert "okafor_interview.txt" in where and "line 5" in where and "Helen Okafor" in where


def test_the_misattributed_quote_names_both_speakers(checked, page):
    result, _ = checked
    i = next(i for i, s in enumerate(quote_statuses(result), 1) if s.status == "misattributed")
    detail = " ".join(dom(page).find("article", id=f"quote-{i}-detail").text().split())
    assert "Said by Tomas Brandt" in detail and "said by Helen Okafor" in detail
    assert "The same words as the source" in detail


def test_the_cast_list(checked, page):
    result, _ = checked
    cast = dom(page).find("ul", cls="cast")
    names = [" ".join(h.text().split()) for h in cast.find_all("h3")]
    assert len(names) == len(result.document.entities)
    assert any(n.startswith("Helen Okafor (person, “she”)") for n in names), names
    assert any(n.startswith("Tomas Brandt") for n in names), names
    okafor = next(li for li in cast.find_all("li") if li.find("h3").text().startswith("Helen Okafor"))
    assert "Okafor" in okafor.find(cls="forms").text()
    assert "2 quotes" in okafor.find(cls="quoted").text()


def test_legend_names_every_status_in_words():
    assert set(review.SYMBOLS) == set(review.EXPLANATIONS) == set(QUOTE_STATUSES)
    assert len(set(review.SYMBOLS.values())) == len(QUOTE_STATUSES)  # one symbol each
    result = FileResult(Document("empty.txt", "No quotes here.\n"))
    tree = dom(render_review(result))
    legend = tree.find("section", cls="legend")
    for status in QUOTE_STATUSES:
        assert review.label(status) in legend.text()
    assert "found no quotations" in tree.find("article", cls="draft").text()
    assert "No findings" in tree.find("section", id="findings-by-rule").text()


def test_problems_are_said_on_the_page():
    result = FileResult(Document("d.txt", "“Hello there, everyone here,” she said.\n"),
                        problems=[Problem("cannot read: Permission denied", path="wire/locked.txt")])
    banner = dom(render_review(result)).find(cls="problems")
    assert "incomplete" in banner.text() and "wire/locked.txt: cannot read: Permission denied" in banner.text()


def test_a_warning_is_said_without_calling_the_check_incomplete():
    warning = Problem("1 file with no known format: *.gzt (is a plugin missing?)", path="sources/",
                      severity="warning")
    result = FileResult(Document("d.txt", "“Hello there, everyone here,” she said.\n"), problems=[warning])
    tree = dom(render_review(result))
    assert not tree.find_all(cls="problems")
    assert "no known format: *.gzt" in tree.find(cls="notes").text()


def test_paste_box_page():
    page = render_review(None, paste_box=True)
    tree = dom(page)
    form = tree.find("form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", "/review")
    assert tree.find("textarea").attrs["name"] == "text"
    assert "form-action 'self'" in tree.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert not tree.find_all("article", cls="draft")
    with pytest.raises(ValueError):
        render_review(None)


def test_paste_box_with_a_result(checked):
    result, _ = checked
    tree = dom(render_review(result, paste_box=True))
    assert tree.find("details", cls="paste-box").find("form").attrs["action"] == "/review"
    assert tree.find_all("article", cls="draft")


def test_flags_stand_beside_quotes_never_inside_them():
    """Findings about no quote get a flag at their place: wrapping their words
    when those touch no quote, else a lone flag just before or after the
    quote (never inside its button), and on a paragraph even when their
    offset falls between two."""
    from quotecheck.model import Finding, Quote

    text = "Headline\n\n“We cannot wait,” he said. Zelenskyy said.\n\n“Hi there you all,” said X.\n"
    doc = Document("d.txt", text)
    quotes = []
    for words in ("We cannot wait", "Hi there you all"):
        s = text.index(words)
        e = s + len(words)
        quotes.append(Quote(s, e, words, "“", "”", doc.paragraph_at(s), mark_start=s - 1, mark_end=e + 2))
    doc.quotes = quotes
    z, hi = text.index("Zelenskyy"), text.index("Hi")
    findings = [Finding("speaker-name-inconsistent", "QC104", "warning", "spelled <two> ways", z, z + 9),
                Finding("unbalanced-quote-marks", "QC101", "warning", "stray", hi - 1, hi - 1),
                Finding("house-style", "QC901", "info", "inside", hi + 3, hi + 5),
                Finding("end-rule", "QC902", "error", "between", len(text) - 1, len(text))]
    tree = dom(render_review(FileResult(doc, findings)))
    draft = tree.find("article", cls="draft")
    flags = draft.find_all(cls="flagged")
    assert [f.attrs["data-key"] for f in flags] == [f"finding-{k}" for k in range(1, 5)]
    for q in draft.find_all(cls="q"):
        assert not q.find_all(cls="flagged")
    assert flags[0].text().startswith("Zelenskyy")  # its words, wrapped
    assert flags[0].attrs["title"] == "QC104 speaker-name-inconsistent: spelled <two> ways"
    paragraphs = draft.find_all("p")
    last = paragraphs[-1].children
    kinds = [c.attrs.get("data-key") for c in last if isinstance(c, Node)]
    assert kinds == ["finding-2", "quote-2", "finding-3", "finding-4"]


# -- the word diff, placed from the matcher's edits ------------------------------------------

def test_diff_marks_a_replacement_an_insertion_and_a_deletion():
    draft, source = review._diff_html("We cannot wait another year, not at all", "We cannot wait another two years",
                                      [WordEdit("replace", "year", "two years"), WordEdit("insert", "not at all", "")])
    assert draft == "We cannot wait another <ins>year</ins>, <ins>not</ins> <ins>at</ins> <ins>all</ins>"
    assert source == "We cannot wait another <del>two</del> <del>years</del>"
    draft, source = review._diff_html("the ice takes the pillars", "the ice takes a little more of the pillars",
                                      [WordEdit("delete", "", "a little more of")])
    assert draft.startswith("the ice takes<span class=\"gap\"") and draft.endswith("</span> the pillars")
    assert source == "the ice takes <del>a</del> <del>little</del> <del>more</del> <del>of</del> the pillars"


def test_diff_places_a_repeated_word_at_the_right_place():
    draft, source = review._diff_html("the bridge and the ferry", "the bridge and the harbour ferry",
                                      [WordEdit("delete", "", "harbour")])
    assert source == "the bridge and the <del>harbour</del> ferry"
    assert draft.index("gap") > draft.index("and the")
    draft, source = review._diff_html("no and no", "no and yes", [WordEdit("replace", "no", "yes")])
    assert draft == "no and <ins>no</ins>" and source == "no and <del>yes</del>"


def test_diff_leaves_an_edit_it_cannot_place_unmarked():
    draft, source = review._diff_html("alpha beta", "alpha gamma", [WordEdit("replace", "delta", "gamma")])
    assert "<ins>" not in draft and "<del>" not in source and draft == "alpha beta"


# -- the command ----------------------------------------------------------------------------

def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_writes_the_page(nlp, capsys, tmp_path):
    out = tmp_path / "review.html"
    code, stdout, err = run(capsys, "report", DRAFT, "--source", SOURCES, "-o", out, "--no-cache")
    assert code == 0, err
    assert err == ""
    assert stdout.startswith(f"{out}: ") and "altered" in stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "quote-altered" in page
    assert f"Checked against: {review._shown(str(SOURCES))}</p>" in page
    assert "<h1>library_draft.txt</h1>" in page
    assert [p.name for p in tmp_path.iterdir()] == ["review.html"]  # no temporary file left
    # Run again: its own page is replaced.
    out.write_text(page.replace("Valley council", "Stale council"), encoding="utf-8")
    assert run(capsys, "report", DRAFT, "--source", SOURCES, "-o", out)[0] == 0
    assert "Stale council" not in out.read_text(encoding="utf-8")


def test_report_to_standard_output(nlp, capsys):
    code, stdout, err = run(capsys, "report", DRAFT, "-o", "-", "--title", "Library story")
    assert code == 0, err
    assert stdout.startswith("<!DOCTYPE html>") and "<h1>Library story</h1>" in stdout
    assert "No sources were given" in stdout


def test_report_asks_for_a_file_rather_than_print_html_on_a_terminal(capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, stdout, err = run(capsys, "report", DRAFT)
    assert code == 2 and stdout == "" and "name it with -o FILE" in err


def test_report_never_writes_over_the_draft_or_a_source(capsys, tmp_path):
    draft = tmp_path / "draft.txt"
    shutil.copy(DRAFT, draft)
    before = draft.read_bytes()
    link = tmp_path / "link.html"
    os.symlink(draft, link)
    for target in (draft, link):
        code, stdout, err = run(capsys, "report", draft, "-o", target)
        assert code == 2 and stdout == ""
        assert err.count("\n") == 1 and f"{target}: that is {draft}" in err
    source = tmp_path / "source.txt"
    shutil.copy(SOURCES / "okafor_interview.txt", source)
    code, _, err = run(capsys, "report", draft, "--source", source, "-o", source)
    assert code == 2 and "which the report reads" in err
    code, _, err = run(capsys, "report", draft, "--source", tmp_path, "-o", tmp_path / "review.html")
    assert code == 2 and "inside the source directory" in err
    assert not (tmp_path / "review.html").exists()
    notes = tmp_path / "notes.html"
    notes.write_text("my notes", encoding="utf-8")
    code, _, err = run(capsys, "report", draft, "-o", notes)
    assert code == 2 and "not a review page quotecheck wrote" in err
    assert draft.read_bytes() == before and notes.read_text(encoding="utf-8") == "my notes"


def test_report_on_a_draft_that_cannot_be_read(capsys, tmp_path):
    out = tmp_path / "review.html"
    missing = tmp_path / "missing.txt"
    code, stdout, err = run(capsys, "report", missing, "-o", out)
    assert code == 2 and stdout == ""
    assert err == f"quotecheck: error: {missing}: no such file\n"
    bad = tmp_path / "latin1.txt"
    bad.write_bytes('"Caf\xe9 prices will rise," she said.\n'.encode("latin-1"))
    code, _, err = run(capsys, "report", bad, "-o", out)
    assert code == 2 and err.startswith(f"quotecheck: error: {bad}:1:") and "UTF-8" in err
    code, _, err = run(capsys, "report", tmp_path, "-o", out)
    assert code == 2 and "a directory" in err
    assert not out.exists()


# -- in a browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        message = ("headless Chromium test skipped: /usr/bin/chromium and chromedriver not installed "
                   "(apt-get install chromium chromium-driver)")
        if os.environ.get("QUOTECHECK_REQUIRE_BROWSER"):  # .ci/run installs them: there, a skip is a failure
            pytest.fail(message.replace("skipped", "required (QUOTECHECK_REQUIRE_BROWSER)"))
        pytest.skip(message)
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="quotecheck-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def opened(browser, checked, page, tmp_path):
    path = tmp_path / "review.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    return browser


def test_in_chromium_quotes_by_status_and_the_diff(opened, checked):
    from selenium.webdriver.common.by import By

    driver = opened
    result, _ = checked
    assert driver.execute_script("return document.documentElement.className") == "js"
    found = Counter(el.get_attribute("data-status")
                    for el in driver.find_elements(By.CSS_SELECTOR, ".draft .q[data-status]"))
    assert found == statuses(result)
    assert all(el.is_displayed() for el in driver.find_elements(By.CSS_SELECTOR, ".draft .q .tag"))
    # Nothing selected yet: no evidence shown.
    assert not [d for d in driver.find_elements(By.CSS_SELECTOR, ".detail") if d.is_displayed()]
    altered = driver.find_element(By.CSS_SELECTOR, ".draft .q.st-altered")
    altered.click()
    assert altered.get_attribute("aria-current") == "true"
    shown = [d for d in driver.find_elements(By.CSS_SELECTOR, ".detail") if d.is_displayed()]
    assert [d.get_attribute("id") for d in shown] == [altered.get_attribute("id") + "-detail"]
    diff = shown[0].find_element(By.CSS_SELECTOR, "table.diff")
    assert diff.is_displayed()
    assert [e.text for e in diff.find_elements(By.CSS_SELECTOR, "td:first-child ins")] == ["four"]
    assert [e.text for e in diff.find_elements(By.CSS_SELECTOR, "td:last-child del")] == ["three"]
    assert "okafor_interview.txt" in shown[0].text
    # The <script> of the draft is text, and nothing broke the page's own script or its policy.
    assert driver.execute_script("return document.scripts.length") == 1
    assert "<script>alert(1)</script>" in driver.find_element(By.CSS_SELECTOR, ".draft").text
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_in_chromium_keyboard_filters_and_findings(opened, checked):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = opened
    result, _ = checked

    def press(*keys):
        ActionChains(driver).send_keys(*keys).perform()
        return driver.switch_to.active_element

    quotes = driver.find_elements(By.CSS_SELECTOR, ".draft [data-key]")
    # Tab from the top: the skip link, then the first quote; Enter selects it; j goes on.
    assert press(Keys.TAB).get_attribute("class") == "skip"
    active = press(Keys.TAB)
    assert active.get_attribute("id") == quotes[0].get_attribute("id")
    assert active.value_of_css_property("outline-style") != "none"  # the focus is visible
    press(Keys.ENTER)
    assert quotes[0].get_attribute("aria-current") == "true"
    assert driver.find_element(By.ID, quotes[0].get_attribute("id") + "-detail").is_displayed()
    active = press("j")
    assert active.get_attribute("id") == quotes[1].get_attribute("id")
    assert active.get_attribute("aria-current") == "true" and quotes[0].get_attribute("aria-current") is None
    assert press("k").get_attribute("id") == quotes[0].get_attribute("id")
    press(Keys.ARROW_DOWN)
    press(Keys.SPACE)
    assert driver.find_element(By.ID, quotes[1].get_attribute("id") + "-detail").is_displayed()
    press(Keys.ESCAPE)
    assert not [d for d in driver.find_elements(By.CSS_SELECTOR, ".detail") if d.is_displayed()]
    # A finding in the list selects its quote.
    misattributed = driver.find_element(By.CSS_SELECTOR, ".draft .q.st-misattributed")
    button = driver.find_element(By.CSS_SELECTOR,
                                 f"#findings-by-rule button[data-target='{misattributed.get_attribute('id')}']")
    button.click()
    assert misattributed.get_attribute("aria-current") == "true"
    assert button.get_attribute("aria-current") == "true"
    # Filters: verified quotes unhighlighted and out of the tab order.
    driver.find_element(By.CSS_SELECTOR, "input[data-filter-status='verified']").click()
    for el in driver.find_elements(By.CSS_SELECTOR, ".draft .q.st-verified"):
        assert "dimmed" in el.get_attribute("class") and el.get_attribute("tabindex") == "-1"
    # The tabs: arrow keys move to People.
    tab = driver.find_element(By.ID, "tab-findings")
    tab.send_keys(Keys.ARROW_RIGHT)
    assert driver.find_element(By.ID, "tab-people").get_attribute("aria-selected") == "true"
    assert driver.find_element(By.ID, "tabpanel-people").is_displayed()
    assert not driver.find_element(By.ID, "tabpanel-findings").is_displayed()


def test_in_chromium_print_shows_everything(opened, checked):
    from selenium.webdriver.common.by import By

    driver = opened
    result, _ = checked
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        details = driver.find_elements(By.CSS_SELECTOR, ".detail")
        assert len(details) >= len(result.quotes) and all(d.is_displayed() for d in details)
        assert driver.find_element(By.ID, "tabpanel-people").is_displayed()
        assert driver.find_element(By.ID, "findings-by-speaker").is_displayed()
        for chrome in (".tabs", ".filters", ".pager"):
            assert not driver.find_element(By.CSS_SELECTOR, chrome).is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
