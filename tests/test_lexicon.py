"""The first-name gender lexicon (quotecheck/references/lexicon.py): its
verdicts on clear and ambiguous names, and its derived-table cache."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quotecheck.references import lexicon as lx

HAVE_DATA = importlib.util.find_spec("nomquamgender") is not None
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="nomquamgender is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The table derived once from the real data (about 1.5 s), in a directory
    of its own; each test gets a copy of its cache file."""
    if not HAVE_DATA:
        return None
    directory = tmp_path_factory.mktemp("lexicon-cache")
    lexicon = lx.Lexicon.load(directory)
    assert lexicon.origin == "data" and lexicon.cache_path is not None
    return lexicon


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch, built):
    """Never the user's cache: QUOTECHECK_CACHE_DIR is this test's tmp_path,
    seeded with the module's derived table, and the process lexicon is reset."""
    cache = tmp_path / "cache"
    cache.mkdir()
    if built is not None:
        shutil.copy(built.cache_path, cache / built.cache_path.name)
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(cache))
    lx.reset_lexicon()
    yield cache
    lx.reset_lexicon()


CLEAR = {"John": "he", "Donald": "he", "Vadim": "he", "George": "he", "Jose": "he",
         "Maria": "she", "Hillary": "she", "Ines": "she", "Zoe": "she", "Karen": "she", "Jane": "she"}
AMBIGUOUS = ["Jordan", "Kim", "Leslie", "Andrea", "Nicola", "Ali", "Jean", "Robin", "Sasha",
             "Morgan", "Taylor", "Alex", "Lindsey", "Jamie", "Casey"]


@needs_data
@pytest.mark.parametrize("name, expected", sorted(CLEAR.items()))
def test_clear_names(name, expected):
    assert lx.first_name_gender(name) == expected


@needs_data
@pytest.mark.parametrize("name", AMBIGUOUS)
def test_ambiguous_names_are_none(name):
    assert lx.first_name_gender(name) is None


@needs_data
@pytest.mark.parametrize("name, expected", [
    ("JOHN", "he"), ("maria", "she"), ("Inès", "she"), ("INÈS", "she"), ("Zoë", "she"),
    ("Søren", "he"), ("Łukasz", "he"), ("  Vadim ", "he"), ("John Smith", "he"),
])
def test_case_and_accents_folded(name, expected):
    assert lx.first_name_gender(name) == expected


@needs_data
@pytest.mark.parametrize("name", ["J.", "J", "j", "M.", "J.-P.", "J-P", "", "   ", "-", "."])
def test_initials_and_empty_are_none(name):
    assert lx.first_name_gender(name) is None


@needs_data
@pytest.mark.parametrize("name, expected", [
    ("Jean-Pierre", "he"),      # known as a whole, though Jean alone is ambiguous
    ("Jean\u2013Claude", "he"), # en dash
    ("Anne-Marie", "she"),
    ("Marie-Solène", "she"),    # not known as a whole: judged by Marie
    ("John-Xqzvw", "he"),
    ("Jean-Xqzvw", None),       # by Jean: ambiguous
    ("Marie-Joseph", None),     # known as a whole and ambiguous: no fallback to Marie
])
def test_hyphenated(name, expected):
    assert lx.first_name_gender(name) == expected


@needs_data
@pytest.mark.parametrize("name", ["Xqzvwtk", "Владимир", "123", "Joef"])
def test_unknown_is_none(name):
    # Joef: 21,318 people but one source, below MIN_SOURCES.
    assert lx.first_name_gender(name) is None


@needs_data
def test_available_and_source():
    assert lx.lexicon_available()
    assert "nomquamgender" in lx.LEXICON_SOURCE and "MIT" in lx.LEXICON_SOURCE
    assert "0.1.4" in lx.LEXICON_SOURCE
    lexicon = lx.get_lexicon()
    assert lexicon is lx.get_lexicon()          # one per process
    assert lexicon.available and len(lexicon) > 10_000


@needs_data
def test_cache_round_trip(built, isolated_cache):
    path = isolated_cache / built.cache_path.name
    assert path.is_file() and built.version in path.name
    cached = json.loads(path.read_text(encoding="utf-8"))
    assert cached["version"] == built.version and set(cached["names"].values()) <= {"m", "f", "u"}
    lexicon = lx.get_lexicon()
    assert lexicon.origin == "cache" and lexicon.cache_path == path
    assert len(lexicon) == len(built)
    for name in [*CLEAR, *AMBIGUOUS, "Jean-Pierre", "Marie-Joseph", "J."]:
        assert lexicon.gender(name) == built.gender(name)


@needs_data
def test_fresh_directory_is_created_and_filled(tmp_path, monkeypatch):
    # With the real data: no cache yet, so the table is derived and written.
    target = tmp_path / "new" / "dir"
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(target))
    lexicon = lx.Lexicon.load()
    assert lexicon.origin == "data" and lexicon.cache_path.parent == target
    assert [p.name for p in target.iterdir()] == [lexicon.cache_path.name]  # no temp file left
    assert lx.Lexicon.load().origin == "cache"


@needs_data
@pytest.mark.parametrize("garbage", [b"", b"{not json", b"\xff\xfe\x00", b"[]",
                                     b'{"format": 1, "names": {"john": "x"}}'])
def test_corrupt_cache_is_rebuilt(isolated_cache, built, garbage, monkeypatch):
    path = isolated_cache / built.cache_path.name
    path.write_bytes(garbage)
    # Feed the rebuild a small table so that the five cases stay fast.
    monkeypatch.setattr(lx, "_data_file", lambda: _tiny_data(isolated_cache.parent))
    lexicon = lx.get_lexicon()
    assert lexicon.origin == "data"
    assert lx.first_name_gender("John") == "he"
    assert lx.Lexicon.load().origin == "cache"   # and the cache was rewritten


@needs_data
def test_version_mismatch_is_rebuilt(isolated_cache, built, monkeypatch):
    path = isolated_cache / built.cache_path.name
    cached = json.loads(path.read_text(encoding="utf-8"))
    cached["version"] = "0.0.1"
    path.write_text(json.dumps(cached), encoding="utf-8")
    monkeypatch.setattr(lx, "_data_file", lambda: _tiny_data(isolated_cache.parent))
    assert lx.Lexicon.load().origin == "data"


def _tiny_data(directory: Path) -> Path:
    path = directory / "name_data.json"
    path.write_text(json.dumps({
        "john": [33, 5737119, 0.001, 3], "maria": [34, 1944793, 0.953, 3],
        "jordan": [31, 662830, 0.108, [0, 0, 3]],
        "rare": [5, 150, 0.0, 3],            # too few people
        "joef": [2, 21318, 0.0, 3],          # too few sources
        "o'neil": [10, 95000, 0.0, 3],       # not a clean key
        "&gt;basti": [3, 5000, 0.0, 3],
        "jean-marie": [17, 92657, 0.198, [2, 2]],
        "broken": [3, "many", 0.0],
        "short": [3],
    }), encoding="utf-8")
    return path


@needs_data
def test_derived_table_keeps_only_clean_strong_names(tmp_path):
    table = lx._derive(json.loads(_tiny_data(tmp_path).read_text(encoding="utf-8")))
    assert table == {"john": "m", "maria": "f", "jean-marie": "u"}


@needs_data
def test_unwritable_cache_dir_keeps_table_in_memory(tmp_path, monkeypatch):
    # A regular file where the directory should be: mkdir fails even as root.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(blocker / "quotecheck"))
    monkeypatch.setattr(lx, "_data_file", lambda: _tiny_data(tmp_path))
    lexicon = lx.get_lexicon()
    assert lexicon.origin == "data" and lexicon.cache_path is None
    assert lx.first_name_gender("Maria") == "she" and lx.lexicon_available()
    assert blocker.read_text() == "not a directory"


def test_without_the_package_everything_is_none(monkeypatch):
    monkeypatch.setattr(lx, "_installed_version", lambda: None)
    assert not lx.lexicon_available()
    assert lx.first_name_gender("John") is None
    assert lx.get_lexicon().origin == "none" and not lx.get_lexicon().available


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert lx.cache_dir() == tmp_path / "a"
    monkeypatch.delenv("QUOTECHECK_CACHE_DIR")
    assert lx.cache_dir() == tmp_path / "x" / "quotecheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert lx.cache_dir() == tmp_path / "home" / ".cache" / "quotecheck"


@needs_data
def test_warm_load_reads_neither_the_module_nor_pandas(isolated_cache):
    code = ("import sys, time\n"
            "t = time.perf_counter()\n"
            "from quotecheck.references.lexicon import get_lexicon\n"
            "lexicon = get_lexicon()\n"
            "print(lexicon.origin, lexicon.gender('Hillary'), 'pandas' in sys.modules,\n"
            "      'nomquamgender' in sys.modules, time.perf_counter() - t)\n")
    env = {**os.environ, "QUOTECHECK_CACHE_DIR": str(isolated_cache)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[:4] == ["cache", "she", "False", "False"], out
