"""Layered configuration (docs/configuration.md): ``extends`` with plain keys
that replace and ``extend-`` keys that add, through chains and pyproject.toml;
paths relative to the file that wrote them; provenance and ``quotecheck
config``; ``[[overrides]]`` with ``[overrides.severity]`` and globs where
``*`` stays in one folder and ``**`` crosses folders."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from quotecheck.cli import main
from quotecheck.config import ConfigError, Origin, glob_matches, load_config
from quotecheck.session import Session

# A newsroom's own rule, written as a desk would: a pack file of one rule.
HOUSE_PACK = '''
name = "harbour-gazette"
[[rule]]
code = "HG001"
name = "gazette-place-names"
type = "substitution"
swap = { "Marlow Bay" = "Marlowe Bay" }
'''
SPORTS_PACK = '''
name = "sports-desk"
[[rule]]
code = "SP001"
name = "stadium-name"
type = "substitution"
swap = { "Harbour Park" = "Harbour Park Stadium" }
'''
DRAFT = "“We are ready for the winter,” Jonas Paju claimed on Monday.\n"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def newsroom(tmp_path):
    """The issue's scenario: a shared newsroom.toml that ignores a rule and
    loads its own pack; a sports desk that extends it, ignores one more rule
    and adds its own pack (both packs relative to the file naming them)."""
    write(tmp_path, "newsroom.toml", '''
        ignore = ["HG002"]
        packs = ["packs/house.toml"]
        ''')
    write(tmp_path, "packs/house.toml", HOUSE_PACK)
    write(tmp_path, "desks/sports/quotecheck.toml", '''
        extends = "../../newsroom.toml"
        extend-ignore = ["QC204"]
        extend-packs = ["packs/sports.toml"]
        ''')
    write(tmp_path, "desks/sports/packs/sports.toml", SPORTS_PACK)
    write(tmp_path, "desks/sports/draft.txt", DRAFT)
    return tmp_path


# -- newsroom -> desk: the acceptance scenario --------------------------------------

def test_desk_adds_to_the_newsrooms_ignores_and_packs(newsroom):
    config = load_config(newsroom / "desks/sports/draft.txt")
    assert config.selection.ignore == ["HG002", "QC204"]
    assert config.packs == [str(newsroom / "packs/house.toml"), str(newsroom / "desks/sports/packs/sports.toml")]
    shared, desk = str(newsroom / "newsroom.toml"), str(newsroom / "desks/sports/quotecheck.toml")
    assert config.origins["ignore"] == [Origin(shared, "ignore"), Origin(desk, "extend-ignore")]
    assert config.origins["packs"] == [Origin(shared, "packs"), Origin(desk, "extend-packs")]
    assert config.files == [shared, desk]


def test_both_packs_load_in_the_desk(capsys, newsroom, monkeypatch):
    monkeypatch.chdir(newsroom / "desks/sports")
    code, out, err = run(capsys, "rules", "--format", "json")
    plugins = {r["code"]: r["plugin"] for r in json.loads(out)["rules"]}
    assert code == 0 and err == ""
    assert plugins["HG001"] == "pack:harbour-gazette" and plugins["SP001"] == "pack:sports-desk"


def test_quotecheck_config_prints_the_scenario_with_provenance(capsys, newsroom, monkeypatch):
    monkeypatch.chdir(newsroom)
    code, out, err = run(capsys, "config", "desks/sports/draft.txt")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "# configuration for desks/sports/draft.txt"
    assert lines[1] == "# read: desks/sports/quotecheck.toml extends newsroom.toml"
    assert 'ignore = ["HG002", "QC204"]  # newsroom.toml ignore + desks/sports/quotecheck.toml extend-ignore' \
        in lines
    assert ('packs = ["packs/house.toml", "desks/sports/packs/sports.toml"]  '
            '# newsroom.toml packs + desks/sports/quotecheck.toml extend-packs') in lines
    assert 'select = ["ALL"]  # default' in lines and "report_unused_suppressions = false  # default" in lines


def test_quotecheck_config_json(capsys, newsroom):
    code, out, _ = run(capsys, "config", newsroom / "desks/sports", "--format", "json")
    data = json.loads(out)
    desk = str(newsroom / "desks/sports/quotecheck.toml")
    assert code == 0 and data["configuration"] == desk
    assert data["settings"]["ignore"] == {
        "value": ["HG002", "QC204"],
        "from": [{"file": str(newsroom / "newsroom.toml"), "key": "ignore"}, {"file": desk, "key": "extend-ignore"}]}
    assert data["settings"]["plugins"] == {"value": [], "from": "default"}
    assert data["files"] == [str(newsroom / "newsroom.toml"), desk] and data["overrides"] == []


def test_quotecheck_config_with_no_configuration_shows_the_defaults(capsys, tmp_path):
    code, out, _ = run(capsys, "config", tmp_path)
    assert code == 0 and "# no configuration file found: defaults" in out
    assert "ignore = []  # default" in out.splitlines()


def test_quotecheck_config_names_a_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "config", tmp_path / "nowhere.txt")
    assert code == 2 and f"{tmp_path / 'nowhere.txt'}: no such file or folder" in err


def test_quotecheck_config_says_which_file_broke(capsys, tmp_path):
    write(tmp_path, "quotecheck.toml", 'extends = "shared.toml"\n')
    write(tmp_path, "shared.toml", 'ignore = ["QC1"]\nextend-ignroe = ["QC2"]\n')
    code, _, err = run(capsys, "config", tmp_path)
    assert code == 2 and f"{tmp_path / 'shared.toml'}:2: unknown key 'extend-ignroe'; did you mean " \
                         f"'extend-ignore'?" in err


# -- plain keys replace, extend- keys add ----------------------------------------------

def test_a_plain_key_still_replaces(newsroom):
    write(newsroom, "desks/sports/quotecheck.toml", '''
        extends = "../../newsroom.toml"
        ignore = ["QC204"]
        packs = ["packs/sports.toml"]
        ''')
    config = load_config(newsroom / "desks/sports")
    desk = str(newsroom / "desks/sports/quotecheck.toml")
    assert config.selection.ignore == ["QC204"]  # HG002 runs again in this desk
    assert config.packs == [str(newsroom / "desks/sports/packs/sports.toml")]
    assert config.origins["ignore"] == [Origin(desk, "ignore")]


def test_plain_then_extend_in_one_file_replaces_then_adds(tmp_path):
    write(tmp_path, "shared.toml", 'ignore = ["A1"]\nselect = ["QC"]\n')
    # written in the "wrong" order: the plain key still applies first
    write(tmp_path, "quotecheck.toml", '''
        extends = "shared.toml"
        extend-ignore = ["C3"]
        ignore = ["B2"]
        extend-select = ["UW", "QC"]
        ''')
    config = load_config(tmp_path)
    assert config.selection.ignore == ["B2", "C3"]
    assert config.selection.select == ["QC", "UW"]  # added once


def test_extend_select_with_every_rule_selected_changes_nothing(tmp_path):
    write(tmp_path, "quotecheck.toml", 'extend-select = ["UW"]\n')
    config = load_config(tmp_path)
    assert config.selection.select is None
    assert config.selection.enabled("anything", "ZZ9")


def test_a_chain_of_three_files_adds_at_every_level(tmp_path):
    write(tmp_path, "group.toml", 'ignore = ["G1"]\nsources = ["wire"]\n')
    write(tmp_path, "newsroom/quotecheck.toml", '''
        extends = "../group.toml"
        extend-ignore = ["N1"]
        extend-sources = ["archive"]
        ''')
    write(tmp_path, "newsroom/desk/quotecheck.toml", '''
        extends = "../quotecheck.toml"
        extend-ignore = ["D1", "G1"]
        extend-sources = ["transcripts"]
        ''')
    config = load_config(tmp_path / "newsroom/desk")
    assert config.selection.ignore == ["G1", "N1", "D1"]
    # each path relative to the file that wrote it
    assert config.sources == [str(tmp_path / "wire"), str(tmp_path / "newsroom/archive"),
                              str(tmp_path / "newsroom/desk/transcripts")]
    assert [o.key for o in config.origins["sources"]] == ["sources", "extend-sources", "extend-sources"]


def test_pyproject_tool_table_in_a_chain(tmp_path):
    write(tmp_path, "newsroom.toml", 'ignore = ["HG002"]\npacks = ["us-wire"]\n')
    write(tmp_path, "desk/pyproject.toml", '''
        [project]
        name = "desk-tools"

        [tool.quotecheck]
        extends = "../newsroom.toml"
        extend-ignore = ["QC204"]
        extend-packs = ["british", "us-wire"]
        ''')
    config = load_config(tmp_path / "desk")
    assert config.selection.ignore == ["HG002", "QC204"]
    assert config.packs == ["us-wire", "british"]  # a pack named twice is loaded once
    assert config.origins["ignore"][1] == Origin(str(tmp_path / "desk/pyproject.toml"),
                                                 "tool.quotecheck.extend-ignore")
    # and a quotecheck.toml can extend a pyproject.toml's table in turn
    write(tmp_path, "desk/sub/quotecheck.toml", 'extends = "../pyproject.toml"\nextend-ignore = ["QC1"]\n')
    assert load_config(tmp_path / "desk/sub").selection.ignore == ["HG002", "QC204", "QC1"]


def test_unknown_key_names_the_file_and_the_key(tmp_path):
    write(tmp_path, "desk/pyproject.toml", '[tool.quotecheck]\nextends = "../n.toml"\n\nextend_ignore = ["QC1"]\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "desk")
    assert str(raised.value).startswith(f"{tmp_path / 'desk/pyproject.toml'}:4: unknown key "
                                        f"'tool.quotecheck.extend_ignore'; did you mean "
                                        f"'tool.quotecheck.extend-ignore'?")


def test_an_extend_key_of_the_wrong_type_names_its_line(tmp_path):
    write(tmp_path, "quotecheck.toml", 'ignore = []\nextend-packs = "us-wire"\n')
    with pytest.raises(ConfigError, match=r"quotecheck\.toml:2: extend-packs must be a list of rule pack files"):
        load_config(tmp_path)


def test_extending_a_pyproject_without_the_table_is_an_error(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "tools"\n')
    write(tmp_path, "desk/quotecheck.toml", 'extends = "../pyproject.toml"\n')
    with pytest.raises(ConfigError, match=r"desk/quotecheck\.toml: extends .*pyproject\.toml, which has no "
                                          r"\[tool\.quotecheck\] table"):
        load_config(tmp_path / "desk")


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ConfigError, match="extends itself"):
        load_config(path=tmp_path / "a.toml")


PLUGIN = '''
from quotecheck.hookspecs import hookimpl
from quotecheck.rules import rule


@rule("{name}", "{code}", "info")
def RULE(doc, context):
    return []


@hookimpl
def quotecheck_rules():
    return [RULE]
'''


def test_extend_plugins_are_relative_to_the_file_naming_them(tmp_path, monkeypatch):
    write(tmp_path, "tools/house.py", PLUGIN.format(name="house-rule", code="HOUSE1"))
    write(tmp_path, "desk/tools/desk.py", PLUGIN.format(name="desk-rule", code="DESKX1"))
    write(tmp_path, "newsroom.toml", 'plugins = ["tools/house.py"]\n')
    write(tmp_path, "desk/quotecheck.toml", 'extends = "../newsroom.toml"\nextend-plugins = ["tools/desk.py"]\n')
    config = load_config(tmp_path / "desk")
    assert config.local_plugins() == [("tools/house.py", tmp_path), ("tools/desk.py", tmp_path / "desk")]
    rules = {r.code: r.plugin for r in Session(config).rule_info()}
    assert rules["HOUSE1"] == "local:tools/house.py" and rules["DESKX1"] == "local:tools/desk.py"


# -- overrides and globs ---------------------------------------------------------------

@pytest.mark.parametrize("pattern, path, hit", [
    ("opinion/*", "opinion/column.txt", True),
    ("opinion/*", "opinion/2024/column.txt", False),  # * stays in one folder
    ("opinion/**", "opinion/2024/column.txt", True),  # ** crosses folders
    ("opinion/**/*.md", "opinion/column.md", True),  # **/ may be no folder at all
    ("**/opinion/*", "desks/sports/opinion/column.txt", True),
    ("*.md", "opinion/column.md", False),
    ("**/*.md", "opinion/2024/column.md", True),
    ("opinion", "opinion/2024/column.txt", True),  # a folder covers everything in it
    ("opinion/", "opinion/column.txt", True),
    ("opinion", "opinions/column.txt", False),
    ("column-??.txt", "column-12.txt", True),
    ("[!o]*/*", "news/column.txt", True),
    ("[!o]*/*", "opinion/column.txt", False),
    ("./news/*", "news/a.txt", True),
])
def test_glob_semantics(pattern, path, hit):
    assert glob_matches(pattern, path) is hit


def test_overrides_with_severity_apply_per_file(tmp_path):
    write(tmp_path, "quotecheck.toml", '''
        ignore = ["HG002"]
        [severity]
        UW = "info"

        [[overrides]]
        path = "opinion/*"
        ignore = ["loaded-attribution-verb"]
        [overrides.severity]
        UW002 = "error"

        [[overrides]]
        path = ["wire/**", "archive"]
        select = ["QC"]
        ''')
    config = load_config(tmp_path)
    column = config.selection_for(str(tmp_path / "opinion/column.txt"))
    assert column.ignore == ["HG002", "loaded-attribution-verb"]
    assert column.severity_of("curly-marks", "UW002", "warning") == "error"
    assert column.severity_of("other", "UW003", "warning") == "info"
    deeper = config.selection_for(str(tmp_path / "opinion/2024/column.txt"))
    assert deeper.ignore == ["HG002"] and deeper.severity_of("curly-marks", "UW002", "warning") == "info"
    wire = config.selection_for(str(tmp_path / "wire/2024/03/story.txt"))
    assert wire.select == ["QC"] and not wire.enabled("loaded-attribution-verb", "UW001")
    assert config.selection_for(str(tmp_path / "archive/old/story.txt")).select == ["QC"]


def test_extended_overrides_match_from_the_desks_directory(tmp_path):
    write(tmp_path, "newsroom.toml", '[[overrides]]\npath = "opinion/*"\nignore = ["UW001"]\n')
    write(tmp_path, "desk/quotecheck.toml", 'extends = "../newsroom.toml"\n')
    config = load_config(tmp_path / "desk")
    assert config.selection_for(str(tmp_path / "desk/opinion/column.txt")).ignore == ["UW001"]
    assert config.selection_for(str(tmp_path / "desk/column.txt")).ignore == []


def test_quotecheck_config_applies_the_overrides_for_a_file(capsys, tmp_path, monkeypatch):
    write(tmp_path, "quotecheck.toml", '''
        extend-ignore = ["HG002"]
        [[overrides]]
        path = "opinion/*"
        ignore = ["UW001"]
        [overrides.severity]
        quote-altered = "error"
        ''')
    write(tmp_path, "opinion/column.txt", DRAFT)
    write(tmp_path, "opinion/2024/column.txt", DRAFT)
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "config", "opinion/column.txt")
    assert 'ignore = ["HG002", "UW001"]  # default + quotecheck.toml extend-ignore + quotecheck.toml ' \
           'overrides[1] ignore' in out.splitlines()
    assert '"quote-altered" = "error"  # quotecheck.toml overrides[1] severity.quote-altered' in out.splitlines()
    assert "[[overrides]]  # quotecheck.toml overrides[1]: applies" in out.splitlines()
    _, out, _ = run(capsys, "config", "opinion/2024/column.txt")
    assert 'ignore = ["HG002"]  # default + quotecheck.toml extend-ignore' in out.splitlines()
    assert "[[overrides]]  # quotecheck.toml overrides[1]: does not apply" in out.splitlines()
    _, out, _ = run(capsys, "config", "opinion", "--format", "json")
    [override] = json.loads(out)["overrides"]
    assert override["applies"] is None and override["severity"] == {"quote-altered": "error"}
    assert override["from"] == {"file": str(tmp_path / "quotecheck.toml"), "key": "overrides[1]"}


def test_star_does_not_cross_folders_when_checking(capsys, nlp, tmp_path):
    """End to end: the override reaches opinion/column.txt, not opinion/2024/column.txt
    (before issue 12, ``*`` crossed folders and reached both)."""
    write(tmp_path, "quotecheck.toml", '''
        packs = ["us-wire"]
        [[overrides]]
        path = "opinion/*"
        ignore = ["loaded-attribution-verb"]
        [overrides.severity]
        UW002 = "error"
        ''')
    write(tmp_path, "opinion/column.txt", DRAFT)
    write(tmp_path, "opinion/2024/column.txt", DRAFT)
    _, out, _ = run(capsys, "check", "--no-cache", "--format", "json", tmp_path / "opinion")
    found = {Path(e["path"]).relative_to(tmp_path).as_posix(): {f["code"]: f["severity"] for f in e["findings"]}
             for e in json.loads(out)["files"]}
    assert "UW001" not in found["opinion/column.txt"] and found["opinion/column.txt"]["UW002"] == "error"
    assert "UW001" in found["opinion/2024/column.txt"] and found["opinion/2024/column.txt"]["UW002"] != "error"


def test_an_index_on_a_database_server_is_kept_as_written_with_its_roles(capsys, tmp_path):
    write(tmp_path, "quotecheck.toml", textwrap.dedent('''
        index = "postgresql://desk:hunter2@db.newsroom.example:5432/archive"
        index_reader = "quotecheck_reader"
        index_writer = "quotecheck_writer"
        '''))
    config = load_config(tmp_path)
    assert config.index == "postgresql://desk:hunter2@db.newsroom.example:5432/archive"  # not a path
    assert (config.index_reader, config.index_writer) == ("quotecheck_reader", "quotecheck_writer")
    assert main(["config", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert 'index = "postgresql://desk:***@db.newsroom.example:5432/archive"' in out
    assert "hunter2" not in out
    assert re.search(r'index_reader = "quotecheck_reader"  # \S*quotecheck.toml index_reader', out)


def test_an_empty_role_name_is_an_error(tmp_path):
    write(tmp_path, "quotecheck.toml", 'index_writer = ""\n')
    with pytest.raises(ConfigError, match=r"quotecheck.toml:1: index_writer must be a PostgreSQL role name"):
        load_config(tmp_path)
