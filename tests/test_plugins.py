"""The plugin host: local plugin modules named in a configuration, their errors,
and the isolation of a plugin that raises (in a rule or in any other hook)."""
from __future__ import annotations

import textwrap

import pytest

from quotecheck.hookspecs import hookimpl
from quotecheck.model import Document, SourceFile
from quotecheck.plugins import (BUILTIN_PLUGINS, PluginError, build_manager, collect_rules,
                                load_errors, load_local_plugin, register_local_plugins, safe_hook_results)
from quotecheck.quotes import find_quotes
from quotecheck.rules import Rule
from quotecheck.rules.runner import run_rules

# A newsroom's own rule, as it would sit in its repository: it needs no parse,
# so these tests only find quotes.
NO_COMMENT_PLUGIN = '''
"""no-comment-quoted (DESK1)

What it does:
    Reports a quote that is only "no comment".
Why:
    The desk paraphrases refusals.
Example:
    “No comment,” the mayor said.
Fix:
    The mayor declined to comment.
"""
from quotecheck.hookspecs import hookimpl
from quotecheck.rules import rule


@rule("no-comment-quoted", "DESK1", "info")
def NO_COMMENT(doc, context):
    for q in doc.quotes:
        if q.text.strip(" ,.").lower() == "no comment":
            yield NO_COMMENT.finding("paraphrase the refusal", q.start, q.end, quote=q)


@hookimpl
def quotecheck_rules():
    return [NO_COMMENT]
'''


def write(directory, relative: str, source: str):
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def draft(text: str) -> Document:
    """A text with its quotes found (no parse: the rules here need none)."""
    doc = Document("draft.txt", text)
    find_quotes(doc)
    return doc


# -- local plugins ------------------------------------------------------------------

def test_local_plugin_file_fires_its_rule(tmp_path):
    write(tmp_path, "newsroom/rules.py", NO_COMMENT_PLUGIN)
    pm = build_manager(entry_points=False)
    assert register_local_plugins(pm, ["newsroom/rules.py"], tmp_path) == ["local:newsroom/rules.py"]
    rules = collect_rules(pm)
    [desk] = [r for r in rules if r.code == "DESK1"]
    assert desk.plugin == "local:newsroom/rules.py"
    assert "What it does" in desk.doc
    doc = draft("“No comment,” the mayor said.\n")
    findings, errors = run_rules(doc, rules, context={})
    assert errors == []
    assert [doc.text[f.start:f.end] for f in findings if f.code == "DESK1"] == ["No comment,"]


def test_two_local_files_with_one_name_do_not_shadow_each_other(tmp_path):
    write(tmp_path, "a/rules.py", "X = 1\n")
    write(tmp_path, "b/rules.py", "X = 2\n")
    first, second = load_local_plugin("a/rules.py", tmp_path), load_local_plugin("b/rules.py", tmp_path)
    assert (first.X, second.X) == (1, 2)
    assert first.__name__ != second.__name__


def test_local_plugin_as_dotted_module(tmp_path):
    write(tmp_path, "desk_plugins_dotted/__init__.py", "")
    write(tmp_path, "desk_plugins_dotted/rules.py", NO_COMMENT_PLUGIN)
    pm = build_manager(entry_points=False)
    register_local_plugins(pm, ["desk_plugins_dotted.rules"], tmp_path)
    assert "DESK1" in [r.code for r in collect_rules(pm)]


def test_missing_local_plugin_names_spec_and_path(tmp_path):
    with pytest.raises(PluginError) as err:
        load_local_plugin("newsroom/missing.py", tmp_path)
    assert "'newsroom/missing.py'" in str(err.value)
    assert str(tmp_path / "newsroom" / "missing.py") in str(err.value)
    assert "file not found" in str(err.value)
    with pytest.raises(PluginError, match="no module 'desk_no_such_module'"):
        load_local_plugin("desk_no_such_module", tmp_path)


def test_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "newsroom/rules.py", """\
        from quotecheck.hookspecs import hookimpl

        def quotecheck_rules(:
            return []
        """)
    with pytest.raises(PluginError) as err:
        load_local_plugin("newsroom/rules.py", tmp_path)
    message = str(err.value)
    assert message.startswith("local plugin 'newsroom/rules.py': ")
    assert f"{path}:3: syntax error" in message


def test_import_error_names_file_line_and_reason(tmp_path):
    path = write(tmp_path, "rules.py", """\
        import os

        import newsroom_style_guide_not_installed
        """)
    with pytest.raises(PluginError) as err:
        load_local_plugin("rules.py", tmp_path)
    message = str(err.value)
    assert f"{path}:3: import failed: ModuleNotFoundError" in message
    assert "newsroom_style_guide_not_installed" in message


def test_local_plugin_without_hooks_is_refused(tmp_path):
    write(tmp_path, "undecorated.py", "def quotecheck_rules():\n    return []\n")
    write(tmp_path, "misspelt.py", """\
        from quotecheck.hookspecs import hookimpl

        @hookimpl
        def quotecheck_rule():
            return []
        """)
    pm = build_manager(entry_points=False)
    with pytest.raises(PluginError, match="implements no quotecheck hook .*@hookimpl"):
        register_local_plugins(pm, ["undecorated.py"], tmp_path)
    with pytest.raises(PluginError, match="quotecheck_rule is not a quotecheck hook"):
        register_local_plugins(pm, ["misspelt.py"], tmp_path)
    assert not any(name.startswith("local:") for name, _ in pm.list_name_plugin())


# -- a plugin that raises -----------------------------------------------------------

def _raising_rule(doc, context):
    raise ValueError("desk rule bug")


class RaisingRulePlugin:
    @hookimpl
    def quotecheck_rules(self):
        return [Rule(name="desk-broken", code="DESK9", severity="warning", check=_raising_rule)]


def test_raising_rule_is_reported_by_name_and_other_rules_still_run(analyzed):
    pm = build_manager(entry_points=False)
    pm.register(RaisingRulePlugin(), name="desk_broken_plugin")
    findings, errors = run_rules(analyzed("orphan_quote"), collect_rules(pm), context={})
    assert errors == ["rule desk-broken (desk_broken_plugin) raised ValueError: desk rule bug"]
    assert [f.code for f in findings] == ["QC102"]  # the built-in rule still reports the orphan


class Cues:
    def __init__(self, *verbs):
        self.verbs = verbs

    @hookimpl
    def quotecheck_reporting_cues(self):
        return list(self.verbs)


class RaisingCues:
    @hookimpl
    def quotecheck_reporting_cues(self):
        raise RuntimeError("verb list not found")


def test_safe_hook_results_isolates_a_raising_implementation():
    pm = build_manager(builtins=(), entry_points=False)
    pm.register(Cues("aver"), name="desk_cues")
    pm.register(RaisingCues(), name="broken_cues")
    pm.register(Cues("opine"), name="more_cues")
    results, errors = safe_hook_results(pm, "quotecheck_reporting_cues")
    assert results == [["opine"], ["aver"]]  # pluggy's order: last registered first
    assert errors == ["plugin broken_cues raised RuntimeError: verb list not found "
                      "in hook quotecheck_reporting_cues"]


class LazyRules:
    """A generator implementation: its exception happens while it is consumed."""

    @hookimpl
    def quotecheck_rules(self):
        yield Rule(name="desk-lazy", code="DESK2", severity="info", check=lambda doc, context: [])
        raise KeyError("lazy")


def test_safe_hook_results_consumes_iterators_inside_the_isolation():
    pm = build_manager(builtins=("quotecheck.rules.unattributed_quote",), entry_points=False)
    pm.register(LazyRules(), name="lazy_rules")
    results, errors = safe_hook_results(pm, "quotecheck_rules")
    assert [[r.code for r in rules] for rules in results] == [["QC102"]]
    assert errors == ["plugin lazy_rules raised KeyError: 'lazy' in hook quotecheck_rules"]


class Loader:
    def __init__(self, result=None, error=None):
        self.result, self.error = result, error

    @hookimpl
    def quotecheck_load_source(self, path, text):
        if self.error:
            raise self.error
        return self.result


def test_safe_hook_results_firstresult_falls_through_a_raising_loader():
    claimed = SourceFile(path="wire.xml", kind="desk-wire")
    pm = build_manager(builtins=(), entry_points=False)
    pm.register(Loader(result=SourceFile(path="wire.xml", kind="never-reached")), name="fallback")
    pm.register(Loader(result=claimed), name="desk_wire")
    pm.register(Loader(error=OSError("bad header")), name="broken_loader")
    results, errors = safe_hook_results(pm, "quotecheck_load_source", path="wire.xml", text="<wire/>")
    assert results == [claimed]
    assert errors == ["plugin broken_loader raised OSError: bad header in hook quotecheck_load_source"]


def test_safe_hook_results_refuses_a_call_missing_an_argument():
    pm = build_manager(builtins=(), entry_points=False)
    pm.register(Loader(), name="loader")
    with pytest.raises(Exception, match="called without text"):
        safe_hook_results(pm, "quotecheck_load_source", path="wire.xml")


# -- built-in plugins are ordinary plugins ------------------------------------------

def test_removing_a_builtin_plugin_removes_its_rules(analyzed):
    without = tuple(m for m in BUILTIN_PLUGINS if m != "quotecheck.rules.unattributed_quote")
    rules = collect_rules(build_manager(builtins=without, entry_points=False))
    every = collect_rules(build_manager(entry_points=False))
    assert len(rules) == len(every) - 1
    assert "unattributed-quote" not in [r.name for r in rules]
    findings, errors = run_rules(analyzed("orphan_quote"), rules, context={})
    assert (findings, errors) == ([], [])


def test_installed_plugin_that_fails_to_import_is_named_and_left_out(tmp_path, monkeypatch, capsys):
    """An installed package (a dist-info with an entry point) whose module
    raises on import: the run goes on without it, names it, and exits 2."""
    site = tmp_path / "site"
    info = site / "broken_desk_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-desk-plugin\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text("[quotecheck]\nbroken_desk = broken_desk_rules\n", encoding="utf-8")
    (site / "broken_desk_rules.py").write_text("raise ImportError('needs the desk database')\n",
                                               encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    pm = build_manager()
    [message] = load_errors(pm)
    assert message == ("plugin broken_desk (package broken-desk-plugin) could not be loaded: "
                       "ImportError: needs the desk database")
    assert collect_rules(pm)  # the built-in rules are all there
    from quotecheck.cli import main
    draft = tmp_path / "d.txt"
    draft.write_text("Nothing quoted here.\n", encoding="utf-8")
    code = main(["check", str(draft)])
    assert code == 2 and "plugin broken_desk (package broken-desk-plugin)" in capsys.readouterr().err
