"""Rule packs offered by name through the ``quotecheck_rule_packs`` hook, the
``extend-`` list options of the pack rule types, and the anonymous-source
defaults.

The example package ``plugins/harbour-gazette-pack`` is installed for real (a
wheel built offline, installed with pip into a temporary directory on the
``quotecheck`` subprocess's PYTHONPATH only), so this environment never changes.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from plugin_packages import builds_offline

from quotecheck.config import ConfigError
from quotecheck.engine import analyze
from quotecheck.model import Document
from quotecheck.packs import BUILTIN_PACKS, load_pack, pack_plugin, resolve_pack
from quotecheck.packs.attributions import ANONYMOUS_PATTERNS, ANONYMOUS_PHRASES
from quotecheck.packs.offers import SHIPPED_PLUGIN, pack_offers
from quotecheck.plugins import PluginError, build_manager, collect_rules, register_local_plugins
from quotecheck.rules.runner import run_rules
from quotecheck.session import Session

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "plugins" / "harbour-gazette-pack"

OFFER = '''
from pathlib import Path
from quotecheck.hookspecs import hookimpl

@hookimpl
def quotecheck_rule_packs():
    return {NAME: Path(__file__).parent / "desk.toml"}
'''

DESK_PACK = '''
name = "desk-style"

[[rule]]
code = "DS001"
name = "desk-said"
type = "attribution-verb"
verbs = ["insist"]
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def offering_plugin(folder: Path, pack_name: str) -> Path:
    """A local plugin module in ``folder`` offering ``folder/desk.toml`` as ``pack_name``."""
    write(folder / "desk.toml", DESK_PACK)
    return write(folder / "offer.py", OFFER.replace("NAME", repr(pack_name)))


def manager_with(tmp_path: Path, *plugins: tuple[str, str]):
    """A plugin manager with the built-ins and local plugins offering packs: (folder, pack name)."""
    pm = build_manager(entry_points=False)
    for folder, name in plugins:
        offering_plugin(tmp_path / folder, name)
        register_local_plugins(pm, [f"{folder}/offer.py"], tmp_path)
    return pm


# --- the hook --------------------------------------------------------------------------

def test_shipped_packs_are_offered_through_the_hook():
    offers = pack_offers(build_manager(entry_points=False))
    assert {"us-wire", "british"} <= set(offers)
    for name in ("us-wire", "british"):
        [offer] = offers[name]
        assert offer.plugin == SHIPPED_PLUGIN and offer.provider == "quotecheck"
        assert str(offer.file) == BUILTIN_PACKS[name]


def test_a_plugin_pack_is_used_by_name_from_the_configuration(nlp, tmp_path):
    offering_plugin(tmp_path / "house", "desk-style")
    write(tmp_path / "quotecheck.toml", '''
        plugins = ["house/offer.py"]
        packs = ["desk-style", "us-wire"]
    ''')
    session = Session.from_config(tmp_path / "quotecheck.toml")
    rules = {r.code: r.plugin for r in session.rule_info()}
    assert rules["DS001"] == "pack:desk-style" and rules["UW001"] == "pack:us-wire"
    result = session.check_one(Document("draft.txt", "“We are ready,” Mayor Ana Ruiz insisted.\n"))
    assert [f.code for f in result.findings if f.code.startswith("DS")] == ["DS001"]


def test_a_name_two_plugins_offer_is_an_error_naming_both(tmp_path):
    pm = manager_with(tmp_path, ("news", "house-style"), ("sport", "house-style"))
    with pytest.raises(PluginError, match=r"'house-style' is offered by both local plugin 'sport/offer.py' "
                                          r"and local plugin 'news/offer.py'"):
        resolve_pack("house-style", tmp_path, pm)


def test_a_plugin_cannot_quietly_take_over_a_shipped_name(tmp_path):
    pm = manager_with(tmp_path, ("news", "us-wire"))
    with pytest.raises(PluginError, match=r"'us-wire' is offered by both (local plugin 'news/offer.py' and quotecheck|quotecheck and local plugin 'news/offer.py');"):
        resolve_pack("us-wire", tmp_path, pm)
    # another name still works: a clash stops only the runs that use the name
    assert resolve_pack("british", tmp_path, pm) == BUILTIN_PACKS["british"]


def test_an_unknown_name_lists_the_packs_on_offer_and_who_offers_them(tmp_path):
    pm = manager_with(tmp_path, ("news", "desk-style"))
    with pytest.raises(ConfigError) as caught:
        resolve_pack("harbor-gazette", tmp_path, pm)
    message = str(caught.value)
    assert "rule pack 'harbor-gazette'" in message
    assert "british (quotecheck)" in message
    assert "desk-style (local plugin 'news/offer.py')" in message
    assert "us-wire (quotecheck)" in message


def test_a_file_path_still_works(tmp_path):
    pm = build_manager(entry_points=False)
    own = write(tmp_path / "ours.toml", DESK_PACK)
    assert resolve_pack("ours.toml", tmp_path, pm) == str(own)


@pytest.mark.parametrize("body, words", [
    ("return ['us-wire']", "returned list, not a dict {name: file}"),
    ("return {'House Style': __file__}", "offers a pack named 'House Style'; a pack name is kebab-case"),
    ("return {'house': 42}", "gives pack 'house' as int"),
    ("raise KeyError('desk')", "raised KeyError: 'desk' in hook quotecheck_rule_packs"),
    ("return {'house': '/nowhere/house.toml'}", "rule pack 'house' from local plugin 'bad.py': no such file"),
])
def test_a_bad_hook_result_names_the_plugin(tmp_path, body, words):
    write(tmp_path / "bad.py", f'''
        from quotecheck.hookspecs import hookimpl

        @hookimpl
        def quotecheck_rule_packs():
            {body}
    ''')
    pm = build_manager(entry_points=False)
    register_local_plugins(pm, ["bad.py"], tmp_path)
    with pytest.raises(PluginError) as caught:
        resolve_pack("house", tmp_path, pm)
    assert words in str(caught.value)
    assert "bad.py" in str(caught.value)


def test_a_pack_inside_a_zip_is_read_through_importlib_resources(tmp_path):
    """A package imported from a zip gives files() / "x.toml" as a zipfile.Path,
    not a file on disk: it is offered and loaded all the same."""
    import zipfile

    with zipfile.ZipFile(tmp_path / "house.zip", "w") as archive:
        archive.writestr("house/desk.toml", textwrap.dedent(DESK_PACK))
    write(tmp_path / "zipped.py", f'''
        import zipfile
        from quotecheck.hookspecs import hookimpl

        @hookimpl
        def quotecheck_rule_packs():
            return {{"desk-style": zipfile.Path({str(tmp_path / "house.zip")!r}, "house/desk.toml")}}
    ''')
    pm = build_manager(entry_points=False)
    register_local_plugins(pm, ["zipped.py"], tmp_path)
    file = resolve_pack("desk-style", tmp_path, pm)
    assert isinstance(file, zipfile.Path)
    pack = load_pack(file)
    assert (pack.name, [r.code for r in pack.rules]) == ("desk-style", ["DS001"])
    assert pack.path.endswith("house.zip/house/desk.toml")


# --- list options: plain replaces, extend- adds -------------------------------------------

def one_rule(tmp_path: Path, rule_type: str, settings: str) -> Path:
    return write(tmp_path / "house.toml",
                 f'name = "house"\n\n[[rule]]\ncode = "HS001"\nname = "house-rule"\ntype = "{rule_type}"\n'
                 f'{textwrap.dedent(settings).strip()}\n')


def run(pack_file: Path, text: str) -> list[str]:
    doc = analyze([Document("draft.txt", text)])[0]
    pm = build_manager(entry_points=False)
    pm.register(pack_plugin(load_pack(str(pack_file))), name="pack:house")
    found, errors = run_rules(doc, collect_rules(pm), context={})
    assert errors == []
    return [doc.text[f.start:f.end] for f in found if f.code == "HS001"]


COUNCIL = "“The money is already spent,” a council source said. “It was,” officials said.\n"


def test_phrases_replaces_the_defaults(nlp, tmp_path):
    found = run(one_rule(tmp_path, "anonymous-source", 'phrases = ["a council source"]'), COUNCIL)
    assert found == ["a council source"]  # "officials said" is a default, replaced


def test_extend_phrases_adds_to_the_defaults(nlp, tmp_path):
    text = "“The vote is fixed,” said someone at the town hall. “It was,” officials said.\n"
    assert run(one_rule(tmp_path, "anonymous-source", ""), text) == ["officials"]
    found = run(one_rule(tmp_path, "anonymous-source", 'extend-phrases = ["someone at the town hall"]'), text)
    assert found == ["someone at the town hall", "officials"]


def test_phrases_and_extend_phrases_together(nlp, tmp_path):
    pack = one_rule(tmp_path, "anonymous-source", '''
        phrases = ["a council source"]
        extend-phrases = ["officials"]
    ''')
    assert load_pack(str(pack)).rules[0].check.rule_type.settings["phrases"] == ["a council source", "officials"]
    assert run(pack, COUNCIL) == ["a council source", "officials"]


def test_patterns_are_the_packs_own_regexes(nlp, tmp_path):
    pack = one_rule(tmp_path, "anonymous-source", '''
        phrases = []
        patterns = ['\\bat\\s+the\\s+town\\s+hall\\b']
    ''')
    text = "“The vote is fixed,” said a clerk at the town hall. “It was,” officials said.\n"
    assert run(pack, text) == ["at the town hall"]


def test_reasons_replace_and_extend(nlp, tmp_path):
    text = "“The vote is fixed,” a source said, who had been told to keep quiet.\n"
    assert run(one_rule(tmp_path, "anonymous-source", "require_reason = true"), text) == ["a source"]
    extended = one_rule(tmp_path, "anonymous-source", '''
        require_reason = true
        extend-reasons = ["told to keep quiet"]
    ''')
    assert run(extended, text) == []
    # "because" is a default reason; replacing the reasons drops it
    because = "“The vote is fixed,” a source said, because the council forbade comment.\n"
    assert run(one_rule(tmp_path, "anonymous-source", "require_reason = true"), because) == []
    replaced = one_rule(tmp_path, "anonymous-source", '''
        require_reason = true
        reasons = ["told to keep quiet"]
    ''')
    assert run(replaced, because) == ["a source"]


TITLED = "Wharfinger Tomas Varga opened the meeting.\n\n“We will rebuild,” Varga said.\n"


def test_titles_replace_and_extend_titles_adds(nlp, tmp_path):
    def settings(extra):
        return f"require_title = true\n{extra}"

    assert run(one_rule(tmp_path, "first-reference", settings("")), TITLED) == ["Wharfinger Tomas Varga"]
    assert run(one_rule(tmp_path, "first-reference", settings('extend-titles = ["wharfinger"]')), TITLED) == []
    # titles replaces quotecheck's lists: "Mayor" is no longer a title ...
    mayor = "Mayor Ana Ruiz opened the meeting.\n\n“We will rebuild,” Ruiz said.\n"
    assert run(one_rule(tmp_path, "first-reference", settings("")), mayor) == []
    assert run(one_rule(tmp_path, "first-reference", settings('titles = ["wharfinger"]')), mayor) != []
    # ... and a courtesy title is still never part of a name
    courtesy = "“We will rebuild,” said Mr. Varga.\n"
    assert run(one_rule(tmp_path, "first-reference", 'titles = ["wharfinger"]'), courtesy) == ["Varga"]
    assert run(one_rule(tmp_path, "first-reference", ""), courtesy) == ["Varga"]


def test_extend_signals_adds_to_the_second_hand_defaults(nlp, tmp_path):
    text = "“We will not retreat,” the general said on the evening bulletin.\n"
    assert run(one_rule(tmp_path, "second-hand", ""), text) == []
    assert run(one_rule(tmp_path, "second-hand", 'extend-signals = ["on the evening bulletin"]'),
               text) == ["on the evening bulletin"]


def test_extend_satisfies_a_required_list_key(nlp, tmp_path):
    pack = one_rule(tmp_path, "attribution-verb", 'extend-verbs = ["insist"]')
    assert run(pack, "“We are ready,” Mayor Ana Ruiz insisted.\n") == ["insisted"]


@pytest.mark.parametrize("settings, words", [
    ("extend-require_title = true", "unknown key 'extend-require_title' for type first-reference"),
    ('extend-phrases = "a source"', "extend-phrases must be a non-empty list of strings"),
    ("phrases = []", "phrases is empty and there are no patterns"),
    ("patterns = ['(unclosed']", "patterns entry '(unclosed': bad regex"),
])
def test_list_option_errors_name_the_key(tmp_path, settings, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_pack(str(one_rule(tmp_path, "anonymous-source" if "title" not in settings else "first-reference",
                               settings)))


# --- anonymous-source defaults --------------------------------------------------------------

UNNAMED = [
    ("“The port will close in May,” officials said.", "officials"),
    ("“The budget is gone,” a senior official said.", "a senior official"),
    ("“Nobody trusts the board,” one insider said.", "one insider"),
    ("“The vote is fixed,” said people familiar with the matter.", "people familiar with"),
    ("“He will resign by Friday,” a source close to the minister said.", "a source close to"),
    ("“They knew in March,” according to a person who attended the meeting.", "according to a person"),
    ("“It is over,” sources said.", "sources"),
    ("“We were never told,” said an aide, who spoke on condition of anonymity.", "an aide"),
    ("“The deal is off,” two senior administration officials told reporters.",
     "two senior administration officials"),
    ("“The money was moved,” said a person with direct knowledge of the accounts.",
     "a person with direct knowledge of"),
    ("“It was a mistake,” said one official, who asked not to be named.", "one official"),
    ("“The inquiry is stalled,” a Whitehall source said.", "a Whitehall source"),
    ("“The ferry will be sold,” said a harbour board member who asked to remain anonymous.",
     "who asked to remain anonymous"),
    ("“The rent will double,” said a tenant, speaking on condition that she not be named.",
     "speaking on condition that she not be named"),
]

NAMED = [
    "“The ferry is late again,” Mayor Ana Ruiz said.",
    "“We will rebuild,” said Ana Ruiz, a city official.",
    "“The harbour needs dredging,” said city engineer Tomas Varga.",
    "“Prices will rise,” the bank said in a statement citing its own sources of data.",
    "“It was a fair result,” said a spokeswoman for the club, Irene Vasquez.",
]


@pytest.mark.parametrize("text, phrase", UNNAMED)
def test_defaults_find_how_newsrooms_write_unnamed_sources(nlp, tmp_path, text, phrase):
    assert run(one_rule(tmp_path, "anonymous-source", ""), text + "\n") == [phrase]


@pytest.mark.parametrize("text", NAMED)
def test_defaults_leave_named_sources_alone(nlp, tmp_path, text):
    assert run(one_rule(tmp_path, "anonymous-source", ""), text + "\n") == []


def test_the_default_patterns_find_every_default_phrase():
    """The default phrases are kept for the documentation and to tell a pack
    that kept them from one that replaced them; the patterns do the finding."""
    every = re.compile("|".join(f"(?:{p})" for p in ANONYMOUS_PATTERNS), re.I)
    for phrase in ANONYMOUS_PHRASES:
        assert every.search(phrase), phrase


def test_shipped_packs_use_the_new_defaults(nlp):
    doc = "“The budget is gone,” a senior official said.\n"
    for name, code in (("us-wire", "UW006"), ("british", "BR010")):
        analysed = analyze([Document("draft.txt", doc)])[0]
        pm = build_manager(entry_points=False)
        pm.register(pack_plugin(load_pack(BUILTIN_PACKS[name])), name=f"pack:{name}")
        found, errors = run_rules(analysed, collect_rules(pm), context={})
        assert errors == []
        assert [(f.code, doc[f.start:f.end]) for f in found if f.code == code] == [(code, "a senior official")]


# --- the example package, installed ----------------------------------------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The example package built into a wheel offline and installed with pip
    into a temporary directory (``--target``); that directory is returned."""
    if importlib.util.find_spec("pip") is None or not builds_offline():
        pytest.skip("pip, or a setuptools that builds wheels offline, is missing here")
    assert not any(ep.value.startswith("harbour_gazette_pack")
                   for ep in metadata.entry_points(group="quotecheck")), (
        "harbour-gazette-pack is installed in this environment; pip uninstall it to run this test")
    work = tmp_path_factory.mktemp("gazette")
    source = work / "harbour-gazette-pack"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    quiet = ["--quiet", "--disable-pip-version-check", "--no-deps", "--no-index"]
    wheels = work / "wheels"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", *quiet, "--no-build-isolation",
                           "--wheel-dir", str(wheels), str(source)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    [wheel] = wheels.glob("harbour_gazette_pack-*.whl")
    target = work / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", *quiet, "--target", str(target), str(wheel)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert (target / "harbour_gazette_pack" / "harbour-gazette.toml").is_file()  # package data shipped
    return target


def quotecheck(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "quotecheck", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=180)


def test_installed_package_pack_is_listed_by_name(installed):
    done = quotecheck(installed, "rules", "--pack", "harbour-gazette", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {r["code"]: r for r in json.loads(done.stdout)["rules"]}
    assert {"HG001", "HG002", "HG003"} <= set(rows)
    assert rows["HG003"] == {"code": "HG003", "name": "gazette-council-sources", "severity": "warning",
                             "plugin": "pack:harbour-gazette"}
    text = quotecheck(installed, "rules", "--pack", "harbour-gazette")
    assert re.search(r"^HG002\s+gazette-said\s+info\s+pack:harbour-gazette$", text.stdout, re.M), text.stdout


def test_installed_package_pack_checks_a_desk_draft(installed, tmp_path):
    write(tmp_path / "quotecheck.toml", 'packs = ["harbour-gazette"]\n')
    write(tmp_path / "draft.txt", "“The money is already spent,” a senior official said.\n")
    done = quotecheck(installed, "check", "draft.txt", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    [line] = done.stdout.splitlines()
    assert line.startswith("draft.txt:1:31: HG003 [gazette-council-sources]")
    assert line.endswith("unnamed source (“a senior official”): say why the Gazette did not name them")


def test_unknown_name_names_the_installed_package(installed):
    done = quotecheck(installed, "rules", "--pack", "harbor-gazette")
    assert done.returncode == 2
    assert ("harbour-gazette (plugin harbour_gazette of package harbour-gazette-pack)" in done.stderr), done.stderr
    assert "british (quotecheck)" in done.stderr


def test_a_pack_given_as_a_file_asks_no_plugin(tmp_path):
    """A broken plugin cannot stop a desk that names its pack by file path."""
    write(tmp_path / "bad.py", '''
        from quotecheck.hookspecs import hookimpl

        @hookimpl
        def quotecheck_rule_packs():
            raise RuntimeError("broken")
    ''')
    pm = build_manager(entry_points=False)
    register_local_plugins(pm, ["bad.py"], tmp_path)
    own = write(tmp_path / "style" / "ours.toml", DESK_PACK)
    assert resolve_pack("style/ours.toml", tmp_path, pm) == str(own)
    with pytest.raises(PluginError, match="broken"):
        resolve_pack("us-wire", tmp_path, pm)
