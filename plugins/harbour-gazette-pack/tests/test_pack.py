"""How a newsroom tests a pack it ships: load it through the hook, as
quotecheck does, and run each rule on a short article written for it.

Run from this directory: ``python -m pytest`` (the package is imported from
here; see ``pythonpath`` in ``pyproject.toml``).
"""
from __future__ import annotations

import pytest

from quotecheck.engine import analyze
from quotecheck.model import Document
from quotecheck.packs import load_pack, pack_plugin
from quotecheck.plugins import build_manager, collect_rules
from quotecheck.rules.runner import run_rules

from harbour_gazette_pack import plugin


@pytest.fixture(scope="module")
def pack():
    [file] = plugin.quotecheck_rule_packs().values()
    return load_pack(file)


def findings(pack, text: str) -> list[tuple[str, str]]:
    doc = Document("draft.txt", text)
    analyze([doc])
    pm = build_manager(entry_points=False)
    pm.register(pack_plugin(pack), name=f"pack:{pack.name}")
    found, errors = run_rules(doc, collect_rules(pm), context={})
    assert errors == []
    return [(f.code, doc.text[f.start:f.end]) for f in found if f.code.startswith("HG")]


def test_the_hook_offers_the_pack_by_name(pack):
    assert list(plugin.quotecheck_rule_packs()) == ["harbour-gazette"]
    assert pack.name == "harbour-gazette"
    assert [r.code for r in pack.rules] == ["HG001", "HG002", "HG003"]


def test_town_name_and_verb(pack):
    text = "“Marlow Bay has waited long enough,” Mayor Ana Ruiz insisted.\n"
    assert findings(pack, text) == [("HG001", "Marlow Bay"), ("HG002", "insisted")]
    assert findings(pack, "“Marlowe Bay has waited long enough,” Mayor Ana Ruiz said.\n") == []


def test_unnamed_sources_need_a_reason(pack):
    # quotecheck's own wording for unnamed sources (extend-phrases keeps it) ...
    assert findings(pack, "“The money is already spent,” a senior official said.\n") == [
        ("HG003", "a senior official")]
    # ... and the Gazette's own
    assert findings(pack, "“The ferry will be sold,” said someone at the town hall.\n") == [
        ("HG003", "someone at the town hall")]
    assert findings(pack, "“The ferry will be sold,” said someone at the town hall, who was not "
                          "authorised to speak about the sale.\n") == []
