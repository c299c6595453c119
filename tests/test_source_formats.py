"""Source formats as a registry: built-in and plugin formats declared the same
way, every registered suffix offered when a folder is walked, a file no format
reads counted and reported, a loader's wrong path named with its plugin."""
from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest

from quotecheck.config import load_config
from quotecheck.hookspecs import hookimpl
from quotecheck.index.update import unknown_format_messages, walk_sources
from quotecheck.model import Document, SourceFile, SourcePassage
from quotecheck.plugins import build_manager
from quotecheck.session import Session
from quotecheck.sources import SourceLoader
from quotecheck.sources.formats import detect_kind
from quotecheck.sources.formats import BUILTIN_REGISTRY, FormatRegistry, SourceFormat, collect_formats

GAZETTE_MODULE = Path(__file__).resolve().parent.parent / "plugins" / "gazette-loader" / \
    "quotecheck_gazette_loader" / "gazette.py"

GAZETTE = ("GAZETTE: Harbour Town Council\nSITTING: 4 March 2026\n===\n"
           "ANA RUIZ: The ferry budget will not rise this year.\nWe have made our choices.\n\n"
           "TOM BRIGGS: This budget fails the east ward.\n")
DRAFT = ("Harbour Town will keep ferry fares flat.\n\n"
         "“The ferry budget will not rise this month,” Ana Ruiz said on Tuesday.\n")


def plugin(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook, function in hooks.items():
        setattr(module, hook, hookimpl(function))
    return module


def manager(*plugins):
    pm = build_manager(entry_points=False)
    for i, p in enumerate(plugins):
        pm.register(p, name=p.__name__)
    return pm


def one_passage_format(name="memo", suffixes=(".memo",), path_of=lambda path: path):
    def load(path, text):
        return SourceFile(path_of(path), name, [SourcePassage(path_of(path), name, text.strip(), 0,
                                                              len(text.strip()), 1, 1, speaker="Ana Ruiz")])
    return SourceFormat(name, suffixes, lambda text: text.startswith("MEMO"), load)


# -- the registry --------------------------------------------------------------------

def test_builtin_formats_come_through_the_hook_in_detection_order():
    registry, errors = collect_formats(manager())
    assert errors == []
    assert [f.name for f in registry.formats] == ["subtitles", "transcript", "statement", "article"]
    assert all(f.plugin == "quotecheck.sources.formats" for f in registry.formats)
    assert {".vtt", ".srt", ".txt", ".md"} <= registry.suffixes()


def test_plugin_formats_come_before_the_builtin_ones():
    memo = one_passage_format()
    registry, errors = collect_formats(manager(plugin("desk_memos", quotecheck_source_formats=lambda: [memo])))
    assert errors == []
    assert [f.name for f in registry.formats][:2] == ["memo", "subtitles"]
    assert registry.formats[0].plugin == "desk_memos"
    assert ".memo" in registry.suffixes()


def test_format_choice_suffix_then_detector_then_article():
    memo = one_passage_format()
    registry = FormatRegistry([memo, *BUILTIN_REGISTRY.formats])
    assert registry.for_file("a.memo", "MEMO from the mayor").name == "memo"
    # A format's own suffix decides even when the detector says no: its loader reports what is wrong.
    assert registry.for_file("a.memo", "no header").name == "memo"
    # A detector accepts its text under a plain-text suffix too.
    assert registry.for_file("a.txt", "MEMO from the mayor").name == "memo"
    assert registry.for_file("a.vtt", "").name == "subtitles"
    assert registry.for_file("a.txt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n").name == "subtitles"
    assert registry.for_file("a.txt", "The council met on Tuesday.\n").name == "article"


def test_detect_kind_is_the_builtin_registry():
    assert detect_kind("clip.SRT", "") == "subtitles"
    assert detect_kind("notes.txt", "RUIZ: We will not.\n\nBRIGGS: You must.\n\nRUIZ: No.\n") == "transcript"
    assert detect_kind("story.txt", "The council met on Tuesday.\n") == "article"


@pytest.mark.parametrize("declared, wrong", [
    ({"name": "memo"}, "not a quotecheck.sources.formats.SourceFormat"),
    (SourceFormat("memo", ".memo", lambda t: True, lambda p, t: None), "suffixes must be a tuple"),
    (SourceFormat("memo", ("memo",), lambda t: True, lambda p, t: None), "suffixes must be a tuple"),
    (SourceFormat("memo", (".memo",), None, lambda p, t: None), "detect must be a function"),
    (SourceFormat("memo", (".memo",), lambda t: True, None), "load must be a function"),
    (SourceFormat("transcript", (".tr",), lambda t: True, lambda p, t: None),
     "'transcript' is defined by both desk_formats and quotecheck.sources.formats"),
])
def test_a_bad_declaration_is_left_out_naming_the_plugin(declared, wrong):
    registry, errors = collect_formats(manager(plugin("desk_formats", quotecheck_source_formats=lambda: [declared])))
    [error] = errors
    assert error.startswith("plugin desk_formats: quotecheck_source_formats:") and wrong in error
    assert [f.name for f in registry.formats] == ["subtitles", "transcript", "statement", "article"]


def test_a_raising_format_hook_is_named_and_the_builtins_still_load():
    def broken():
        raise RuntimeError("no formats today")
    registry, errors = collect_formats(manager(plugin("desk_formats", quotecheck_source_formats=broken)))
    assert errors == ["plugin desk_formats raised RuntimeError: no formats today in hook quotecheck_source_formats"]
    assert len(registry.formats) == 4


# -- walking source folders -----------------------------------------------------------

def test_walk_offers_registered_suffixes_and_counts_the_rest(tmp_path):
    src = tmp_path / "sources"
    (src / "deep").mkdir(parents=True)
    for name in ("a.txt", "b.gzt", "deep/c.gzt", "d.pdf", ".DS_Store", "index.sqlite", "notes.txt~",
                 "quotecheck.toml"):
        (src / name).write_text("x", encoding="utf-8")
    (src / ".hidden").mkdir()
    (src / ".hidden" / "e.gzt").write_text("x", encoding="utf-8")

    walk = walk_sources([str(src)], BUILTIN_REGISTRY.suffixes())
    assert walk.files == [str(src / "a.txt")]
    assert walk.unknown == {str(src): [str(src / "b.gzt"), str(src / "d.pdf"), str(src / "deep" / "c.gzt")]}
    assert unknown_format_messages(walk.unknown) == [
        (f"{src}/", "3 files with no known format: *.gzt, *.pdf (is a plugin missing?)")]

    walk = walk_sources([str(src)], BUILTIN_REGISTRY.suffixes() | {".gzt"})
    assert walk.files == [str(src / "a.txt"), str(src / "b.gzt"), str(src / "deep" / "c.gzt")]
    assert walk.unknown == {str(src): [str(src / "d.pdf")]}
    assert unknown_format_messages(walk.unknown)[0][1] == "1 file with no known format: *.pdf (is a plugin missing?)"


def test_a_file_named_on_its_own_is_never_unknown(tmp_path):
    named = tmp_path / "council.gzt"
    named.write_text(GAZETTE, encoding="utf-8")
    walk = walk_sources([str(named)], BUILTIN_REGISTRY.suffixes())
    assert walk.files == [str(named)] and walk.unknown == {}


# -- the session: a plugin's format found in a folder, or reported missing --------------

@pytest.fixture
def newsroom(tmp_path, monkeypatch):
    """A project whose sources folder holds a gazette, and a draft that changes its words."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "council.gzt").write_text(GAZETTE, encoding="utf-8")
    (tmp_path / "sources" / ".DS_Store").write_bytes(b"\0\0")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def with_gazette_plugin(root: Path):
    shutil.copy(GAZETTE_MODULE, root / "gazette.py")
    (root / "quotecheck.toml").write_text('plugins = ["gazette.py"]\nsources = ["sources"]\n', encoding="utf-8")
    return Session(load_config(path=root / "quotecheck.toml"))


def test_plugin_format_found_in_a_source_folder_and_checked(newsroom, nlp):
    session = with_gazette_plugin(newsroom)
    result = session.check_one(Document("draft.txt", DRAFT))
    assert session.take_problems() == []
    [altered] = [f for f in result.findings if f.rule == "quote-altered"]
    assert "council.gzt:4 (Ana Ruiz)" in altered.message and "year → month" in altered.message


def test_without_the_plugin_the_folder_reports_its_unknown_files(newsroom, nlp):
    session = Session(sources=["sources"])
    result = session.check_one(Document("draft.txt", DRAFT))
    [problem] = session.take_problems()
    assert str(problem) == "sources/: 1 file with no known format: *.gzt (is a plugin missing?)"
    assert problem.origin == "source" and problem.severity == "warning"  # said; the run is not failed
    assert [f.rule for f in result.findings] == ["quote-unverified"]


def test_index_add_finds_the_plugin_format_and_reports_unknown_ones(newsroom, nlp):
    from quotecheck.index.sqlite import SQLiteStore

    session = with_gazette_plugin(newsroom)
    with SQLiteStore(str(newsroom / "index.sqlite")) as store:
        (newsroom / "sources" / "minutes.docx").write_bytes(b"PK")
        problems = session.update_index(store, ["sources"])
        assert [str(p) for p in problems] == ["sources/: 1 file with no known format: *.docx (is a plugin missing?)"]
        assert session.last_index_report.added == [str((newsroom / "sources" / "council.gzt").resolve())]
        assert store.stats()["by_kind"] == {"council-gazette": 1}


def test_the_unknown_files_are_reported_once_per_run(newsroom, nlp):
    session = Session(sources=["sources"])
    for _ in range(3):
        session.check_one(Document("draft.txt", DRAFT))
    assert len(session.take_problems()) == 1
    assert session.take_problems() == []


# -- a loader's result with the wrong path ------------------------------------------------

def load_pairs(pm, pairs):
    session = Session()
    session.pm = pm
    return session._loader({})(pairs)


def test_format_loader_returning_another_path_names_plugin_and_both_paths():
    memo = one_passage_format(path_of=lambda path: "elsewhere.memo")
    pm = manager(plugin("desk_memos", quotecheck_source_formats=lambda: [memo]))
    [failure] = load_pairs(pm, [("desk/a.memo", "MEMO: the ferry budget will not rise.")])
    assert failure.path == "desk/a.memo"
    assert "plugin desk_memos (format 'memo')" in failure.message
    assert "'elsewhere.memo'" in failure.message and "'desk/a.memo'" in failure.message


def test_passage_with_another_path_is_named_with_its_number():
    def load(path, text):
        return SourceFile(path, "memo", [SourcePassage(path, "memo", "ok", 0, 2, 1, 1),
                                         SourcePassage("other.memo", "memo", "ok", 0, 2, 1, 1)])
    pm = manager(plugin("desk_memos", quotecheck_source_formats=lambda: [
        SourceFormat("memo", (".memo",), lambda text: True, load)]))
    [failure] = load_pairs(pm, [("a.memo", "MEMO")])
    assert failure.message == ("a.memo: plugin desk_memos (format 'memo'): passage 2 has path "
                               "'other.memo': every passage's path must be the file's, 'a.memo'")


def test_load_source_hook_returning_another_path_names_plugin_and_both_paths():
    def quotecheck_load_source(path, text):
        return SourceFile("copy.txt", "memo", [])
    pm = manager(plugin("desk_loader", quotecheck_load_source=quotecheck_load_source))
    [failure] = load_pairs(pm, [("a.txt", "anything")])
    assert failure.message == ("a.txt: plugin desk_loader (quotecheck_load_source): returned a "
                               "SourceFile for 'copy.txt': its path must be the path it was given, 'a.txt'")


def test_plugin_loader_that_raises_is_named_and_the_other_files_load(nlp):
    def load(path, text):
        raise KeyError("speaker")
    pm = manager(plugin("desk_memos", quotecheck_source_formats=lambda: [
        SourceFormat("memo", (".memo",), lambda text: False, load)]))
    failure, loaded = sorted(load_pairs(pm, [("a.memo", "x"), ("b.txt", "RUIZ: Yes.\n\nBRIGGS: No.\n")]),
                             key=lambda item: item.path)
    assert failure.message == "a.memo: plugin desk_memos (format 'memo') raised KeyError: 'speaker'"
    assert loaded.kind == "transcript"


def test_builtin_loader_without_plugins_is_unchanged():
    [source] = SourceLoader()([("t.txt", "RUIZ: Yes.\n\nBRIGGS: No.\n")])
    assert source.kind == "transcript" and [p.speaker_mention for p in source.passages] == ["RUIZ", "BRIGGS"]
