"""docs/reference.md, the reference for plugin authors, is generated from the
code by scripts/plugin_reference.py. These tests fail when a hook, a hook's
argument or a field of a type a hook receives or returns is missing from the
page, when a field or member has no comment saying what it holds, when an
example does not build its type, and when the committed page differs from
what the script writes now (as datasette's documentation tests do): a new
hook or field is documented by commenting it in the code and running

    python scripts/plugin_reference.py docs/reference.md
"""
from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
import types
from pathlib import Path

import pluggy
import pytest

from quotecheck import hookspecs
from quotecheck.model import Document
from quotecheck.plugins import BUILTIN_PLUGINS
from quotecheck.session import Session
from quotecheck.vocab import QUOTE_KINDS, SEVERITIES

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "reference.md"
REGENERATE = "python scripts/plugin_reference.py docs/reference.md"


def _load_generator():
    spec = importlib.util.spec_from_file_location("plugin_reference", ROOT / "scripts" / "plugin_reference.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["plugin_reference"] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

# The types the issue names; the generator documents these and every type
# reachable from them (tested separately below).
NAMED_TYPES = ("Document", "Quote", "Attribution", "Person", "Mention", "Finding", "Evidence", "Fix",
               "SourceFile", "SourcePassage", "SourceMatch", "WordEdit", "RuleContext", "FileResult",
               "Report", "Problem", "RuleInfo", "RunInfo", "Rule", "SourceFormat")


@pytest.fixture(scope="module")
def page() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def section(page: str, heading: str) -> str:
    """The text under ``### heading`` up to the next heading of level 2 or 3."""
    m = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^#{{2,3}} |\Z)", page, re.M | re.S)
    assert m, f"docs/reference.md has no section '### {heading}'; run {REGENERATE}"
    return m.group(1)


def hook_specs() -> dict[str, list[str]]:
    """Every hook pluggy itself finds in quotecheck.hookspecs, with its arguments."""
    pm = pluggy.PluginManager("quotecheck")
    pm.add_hookspecs(hookspecs)
    return {name: list(caller.spec.argnames) for name, caller in vars(pm.hook).items()
            if getattr(caller, "spec", None) is not None}


def test_the_page_is_what_the_generator_writes_now(page):
    text, _ = gen.render()
    assert page == text, f"docs/reference.md is out of date: run {REGENERATE}"


def test_nothing_the_page_shows_is_undocumented_in_the_code():
    _, missing = gen.render()
    assert missing == [], "add a comment or docstring in the code for: " + "; ".join(missing)


def test_every_hook_and_every_argument_is_documented(page):
    specs = hook_specs()
    assert "quotecheck_rules" in specs and "quotecheck_check_quote" in specs  # the reading works
    for name, args in specs.items():
        body = section(page, name)
        assert f"def {name}(" in body
        for arg in args:
            assert f"`{arg}`" in body, f"{name}: argument {arg} is not documented"
        firstresult = hookspecs.__dict__[name].quotecheck_spec["firstresult"]
        assert ("**firstresult:** yes" in body) == firstresult, name
        row = next(ln for ln in page.splitlines() if ln.startswith(f"| [`{name}`]"))
        assert row.rstrip().endswith("| yes |" if firstresult else "| no |")


def _fields_of(cls) -> list[str]:
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls)]
    return [k for k in vars(Document("x.txt", "Words.\n")) if not k.startswith("_")] + ["paragraphs"]


def test_every_field_of_every_documented_type_is_on_the_page(page):
    documented = {t.name: t.cls for t in gen.documented_types()}
    assert set(NAMED_TYPES) <= set(documented), set(NAMED_TYPES) - set(documented)
    for name, cls in documented.items():
        body = section(page, name)
        assert f"`{cls.__module__}.{name}`" in body
        for field in _fields_of(cls):
            row = re.search(rf"^\| `{field}` \| (.+?) \| (.+) \|$", body, re.M)
            assert row, f"{name}.{field} is not documented; run {REGENERATE}"
            assert "(undocumented)" not in row.group(2), f"{name}.{field}: no comment in the code"


def test_closed_vocabularies_are_listed_from_vocab(page):
    kind = re.search(r"^\| `kind` \| .*$", section(page, "Quote"), re.M).group(0)
    assert all(f"`{k}`" in kind for k in QUOTE_KINDS) and "vocab.QuoteKind" in kind
    severity = re.search(r"^\| `severity` \| .*$", section(page, "Finding"), re.M).group(0)
    assert all(f"`{s}`" in severity for s in SEVERITIES)


def test_every_type_has_an_example_that_builds_it(page):
    namespace: dict = {}
    imports = re.search(r"The examples run with these imports:\n\n```python\n(.*?)```", page, re.S).group(1)
    exec(imports, namespace)
    for t in gen.documented_types():
        body = section(page, t.name)
        blocks = re.findall(r"```python\n(.*?)```", body, re.S)
        assert blocks, f"{t.name}: no example"
        value = eval(blocks[-1], dict(namespace))
        assert isinstance(value, t.cls), (t.name, value)


def test_the_analyze_example_runs(page):
    block = re.search(r"^## Which analyze to call\n.*?```python\n(.*?)```", page, re.M | re.S).group(1)
    from quotecheck.rules import Rule
    seen = []
    namespace = {"MY_RULE": Rule("probe", "ZZ001", "info", lambda doc, context: seen.append(doc) or [])}
    exec(block, namespace)
    assert namespace["findings"] == [] and seen and seen[0].quotes


def test_the_codes_table_lists_every_built_in_rule(page):
    table = page.split("## Rules quotecheck ships", 1)[1]
    rows = re.findall(r"^\| (\w+) \| `([\w-]+)` \| (\w+) \| (.+) \|$", table, re.M)
    with Session() as session:
        builtin = [r for r in session.rule_info() if r.plugin in BUILTIN_PLUGINS]
    assert builtin and [(c, n, s) for c, n, s, _ in rows] == [(r.code, r.name, r.severity) for r in builtin]
    assert all(summary.strip() and summary != name for _, name, _, summary in rows)


def test_the_rules_package_points_to_the_table_instead_of_keeping_one():
    import quotecheck.rules
    doc = quotecheck.rules.__doc__
    assert "docs/reference.md" in doc
    assert not re.search(r"\|\s*QC\d{3}", doc), "the rules package keeps a codes table of its own again"


def test_the_other_docs_link_to_the_one_place_analyze_is_explained():
    for name in ("plugins.md", "hooks.md", "api.md"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert "reference.md#which-analyze-to-call" in text, name


def test_a_new_hook_is_picked_up_and_asks_for_its_types(monkeypatch):
    @hookspecs.hookspec(firstresult=True)
    def quotecheck_desk_probe(doc, headline):
        """Return a probe's verdict."""

    monkeypatch.setattr(hookspecs, "quotecheck_desk_probe", quotecheck_desk_probe, raising=False)
    text, missing = gen.render()
    body = section(text, "quotecheck_desk_probe")
    assert "`headline`" in body and "**firstresult:** yes" in body and "Return a probe's verdict." in body
    assert any("quotecheck_desk_probe" in m and "headline" in m for m in missing)
    assert any("quotecheck_desk_probe" in m and "RETURN_TYPES" in m for m in missing)
    assert text != REFERENCE.read_text(encoding="utf-8")  # so the staleness test fails until regenerated


def test_a_new_field_without_a_comment_is_reported(monkeypatch, tmp_path):
    (tmp_path / "desk_probe_model.py").write_text(
        "from dataclasses import dataclass\n\n\n"
        "@dataclass\nclass DeskNote:\n"
        '    """A note a desk attaches."""\n\n'
        "    text: str  # the note as written\n"
        "    author: str\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "quotecheck.desk_probe_model",
                        importlib.import_module("desk_probe_model"))
    monkeypatch.setattr(gen, "ROOTS", gen.ROOTS + ("quotecheck.desk_probe_model.DeskNote",))
    monkeypatch.setitem(gen.EXAMPLES, "DeskNote", 'DeskNote("check the spelling", "night desk")')
    text, missing = gen.render()
    body = section(text, "DeskNote")
    assert "| `text` | str | the note as written |" in body
    assert missing == ["DeskNote.author: no comment says what it holds"]


def test_the_script_checks_and_writes(tmp_path, capsys):
    out = tmp_path / "reference.md"
    out.write_text("stale\n", encoding="utf-8")
    assert gen.main([str(out), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert gen.main([str(out)]) == 0
    assert gen.main([str(out), "--check"]) == 0
    assert out.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8")
