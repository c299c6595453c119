"""The language server (``quotecheck lsp``): positions in every encoding, the
settings, the parse cache, diagnostics, each code action's edit, the hover —
and the real thing end to end: ``python -m quotecheck lsp`` driven over stdio
by pygls's own LSP client."""
from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from lsprotocol import types

from quotecheck.language import ParseCache, load_pipeline
from quotecheck.lsp import features as F
from quotecheck.lsp.positions import UTF8, UTF16, UTF32, LineIndex, apply_change, choose_encoding, units
from quotecheck.lsp.settings import Settings, SettingsError, read_settings
from quotecheck.model import Document
from quotecheck.registry import PeopleRegistry
from quotecheck.reporting import finding_record, people_record, quote_record
from quotecheck.session import Session
from quotecheck.suppression import find_directives

FIXTURES = Path(__file__).parent / "fixtures" / "lsp"
REPO = Path(__file__).resolve().parent.parent


# -- positions -------------------------------------------------------------------------------

ASTRAL = "a😀b\r\n“c”𝄞d\re\n\nlast"  # an emoji and a musical symbol: two UTF-16 units, four UTF-8 bytes


def test_positions_count_astral_characters_in_each_encoding():
    lines = LineIndex(ASTRAL)
    b = ASTRAL.index("b")
    assert lines.position(b, UTF32) == (0, 2)
    assert lines.position(b, UTF16) == (0, 3)
    assert lines.position(b, UTF8) == (0, 5)
    d = ASTRAL.index("d")  # after “ c ” 𝄞 on the second line
    assert lines.position(d, UTF32) == (1, 4)
    assert lines.position(d, UTF16) == (1, 5)
    assert lines.position(d, UTF8) == (1, 3 + 1 + 3 + 4)
    for encoding in (UTF8, UTF16, UTF32):
        for offset in range(len(ASTRAL) + 1):
            if ASTRAL[offset - 1:offset + 1] == "\r\n" and offset:
                continue  # between \r and \n: not a place an editor can name
            assert lines.offset(*lines.position(offset, encoding), encoding) == offset, (encoding, offset)


def test_lines_end_at_crlf_cr_and_lf_only():
    text = "one\r\ntwo\rthree\nfour\x0cstill four\u2028and this"
    lines = LineIndex(text)
    assert lines.line_count == 4
    assert lines.position(text.index("two"), UTF16) == (1, 0)
    assert lines.position(text.index("three"), UTF16) == (2, 0)
    assert lines.position(text.index("and this"), UTF16)[0] == 3  # form feed and U+2028 do not end a line
    assert lines.offset(0, 99, UTF16) == 3  # past the end of the line: its end, before \r\n
    assert lines.offset(9, 0, UTF16) == len(text)
    assert lines.position(4, UTF16) == (0, 3)  # inside \r\n: the end of the line


def test_half_a_surrogate_pair_is_the_code_point_start():
    lines = LineIndex("x😀y")
    assert lines.offset(0, 2, UTF16) == 1
    assert lines.offset(0, 3, UTF16) == 2
    assert lines.offset(0, 3, UTF8) == 1


def test_incremental_changes_after_astral_characters_and_crlf():
    text = "😀 “one”\r\n𝄞 two\r\n"
    lines = LineIndex(text)
    # Replace "two" on the second line: UTF-16 columns 3..6 (𝄞 is two units).
    new = apply_change(text, lines, (1, 3), (1, 6), "three", UTF16)
    assert new == "😀 “one”\r\n𝄞 three\r\n"
    new = apply_change(new, LineIndex(new), (0, 0), (0, 2), "", UTF16)
    assert new == " “one”\r\n𝄞 three\r\n"
    assert apply_change(new, LineIndex(new), None, None, "all new", UTF16) == "all new"
    assert units("😀“", UTF16) == 3 and units("😀“", UTF8) == 7 and units("😀“", UTF32) == 2


def test_the_encoding_is_utf32_or_utf8_when_offered_else_utf16():
    assert choose_encoding(None) == UTF16
    assert choose_encoding(["utf-16"]) == UTF16
    assert choose_encoding(["utf-16", "utf-8"]) == UTF8
    assert choose_encoding([types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32]) == UTF32


def test_every_attribution_method_has_words_for_the_hover():
    from quotecheck.vocab import METHODS

    assert set(F.METHOD_TEXT) == set(METHODS)


# -- settings ----------------------------------------------------------------------------------

def test_settings_read_relative_paths_from_the_folder_and_refuse_bad_values(tmp_path):
    s = read_settings({"debounce": 40, "sources": ["wire"], "people": "people.toml", "packs": ["us-wire", "desk.toml"],
                       "codeLens": False}, root=str(tmp_path))
    assert s.debounce == 40 and s.code_lens is False
    assert s.sources == [str(tmp_path / "wire")] and s.people == str(tmp_path / "people.toml")
    assert s.packs == ["us-wire", str(tmp_path / "desk.toml")]
    assert read_settings({"debounce": None}, base=s).debounce == 40  # null keeps the value
    assert read_settings(None).debounce == Settings().debounce == 250
    with pytest.raises(SettingsError, match="quotecheck.debounce"):
        read_settings({"debounce": "fast"})
    with pytest.raises(SettingsError, match="unknown setting quotecheck.sorces"):
        read_settings({"sorces": []})


def test_a_draft_belongs_to_its_innermost_workspace_folder(tmp_path):
    from quotecheck.lsp.server import QuotecheckServer

    server = QuotecheckServer()
    outer, inner = tmp_path / "news", tmp_path / "news" / "sport"
    server.folders = {outer.as_uri(): str(outer), inner.as_uri(): str(inner)}
    server.folder_settings = {outer.as_uri(): Settings(debounce=100), inner.as_uri(): Settings(debounce=5)}
    assert server.folder_of(str(inner / "match.txt")) == inner.as_uri()
    assert server.folder_of(str(outer / "sportsday.txt")) == outer.as_uri()  # a prefix of the name is not a folder
    assert server.settings_for(str(inner / "match.txt")).debounce == 5
    assert server.settings_for(str(tmp_path / "elsewhere.txt")) is server.global_settings
    server.executor.shutdown()


# -- the people registry and suppressions: text only ------------------------------------------------

def test_a_registry_entry_appended_keeps_the_file_and_loads(tmp_path):
    existing = '# the desk\'s people\n[[person]]\nname = "Ana Ruiz"\npronoun = "she"'
    entry = F.registry_entry('Tomas "Tom" Kowalczyk', ["Kowalczik"], "he")
    edit = F.appended(existing, entry)
    text = existing[:edit.start] + edit.new_text + existing[edit.end:]
    assert text.startswith(existing)
    path = tmp_path / "people.toml"
    path.write_text(text, encoding="utf-8")
    registry = PeopleRegistry.load(str(path))
    assert [p.name for p in registry.persons] == ["Ana Ruiz", 'Tomas "Tom" Kowalczyk']
    assert registry.lookup("Kowalczik").name == 'Tomas "Tom" Kowalczyk'
    assert F.appended("", entry).new_text == entry


def test_the_registry_plan_names_a_new_registry_in_the_configuration(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.quotecheck]\nselect = ["QC"]\n', encoding="utf-8")
    plan = F.registry_plan(None, str(pyproject), str(tmp_path), lambda p: Path(p).read_text(encoding="utf-8"))
    text = pyproject.read_text(encoding="utf-8")
    new = text[:plan.config_edit.start] + plan.config_edit.new_text + text[plan.config_edit.end:]
    assert tomllib.loads(new)["tool"]["quotecheck"] == {"select": ["QC"], "people": "people.toml"}
    assert plan.registry == str(tmp_path / "people.toml")
    assert F.registry_plan("/desk/people.toml", str(pyproject), None, lambda p: None).registry == "/desk/people.toml"
    bare = tmp_path / "other" / "pyproject.toml"
    bare.parent.mkdir()
    bare.write_text('[project]\nname = "y"\n', encoding="utf-8")
    assert F.registry_plan(None, str(bare), None, lambda p: Path(p).read_text(encoding="utf-8")) is None
    plan = F.registry_plan(None, None, str(tmp_path), lambda p: None)
    assert plan.create_config and plan.config_file == str(tmp_path / "quotecheck.toml")


# -- with the language model -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def session():
    load_pipeline()
    with Session() as s:
        yield s


def checked_of(session, text: str, path: str = "/desk/draft.txt", language: str = "plaintext") -> F.Checked:
    result = session.check_one(Document(path, text))
    return F.Checked("file://" + path, path, 1, text, LineIndex(text), result, language, F.rule_urls(session))


def applied(text: str, edits: list[F.Edit]) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:e.start] + e.new_text + text[e.end:]
    return text


def records(result) -> tuple:
    doc = result.document
    return ([quote_record(doc, q) for q in doc.quotes], [finding_record(doc, f) for f in result.findings],
            people_record(doc))


PARAGRAPHS = [
    "Mayor Ana Ruiz said on Monday that the ferry would return before the summer.",
    "“We have hired six new crew members and the engine is repaired,” Ruiz said.",
    "Councillor Tomas Kowalczyk opposed the plan. “The budget does not cover the fuel,” Kowalczyk said.",
    "“It is a vanity project,” he added, “and the town will pay for it.”",
    "Ruiz said the vote would come “within weeks, not months.” She did not say more.",
]


def test_the_parse_cache_gives_identical_results_and_cached_parses_are_never_written_to(session):
    text = "\n\n".join(PARAGRAPHS) + "\n"
    edited = text.replace("the vote would come", "the council vote would come")
    cache = ParseCache(100)
    plain = [records(session.check_one(Document("draft.txt", t))) for t in (text, edited)]
    session.parse_cache = cache
    try:
        first = records(session.check_one(Document("draft.txt", text)))
        snapshot = {key: doc.to_bytes() for key, doc in cache._parses.items()}
        hits = cache.hits
        second = records(session.check_one(Document("draft.txt", edited)))
        assert cache.hits - hits == len(PARAGRAPHS) - 1  # only the edited paragraph was parsed again
        again = records(session.check_one(Document("draft.txt", text)))  # every paragraph from the cache
        assert {key: doc.to_bytes() for key, doc in cache._parses.items() if key in snapshot} == snapshot
    finally:
        session.parse_cache = None
    assert [first, second] == plain
    assert again == plain[0]


def test_the_parse_cache_is_bounded_least_recently_used_first(nlp):
    cache = ParseCache(2)
    docs = list(nlp.pipe(["One.", "Two.", "Three."]))
    for text, doc in zip(["One.", "Two.", "Three."], docs):
        cache.lookup(nlp, [text])
        cache.store(nlp, text, doc)
    assert len(cache) == 2
    assert cache.lookup(nlp, ["One.", "Two.", "Three."]) == [None, docs[1], docs[2]]


def test_a_diagnostic_covers_its_quote_from_mark_to_mark_across_lines(session):
    text = ("The ferry returns in June.\r\n\r\n“We have hired six new crew members\r\nand the engine is repaired "
            "now.” 😀\r\n")
    checked = checked_of(session, text)
    [f] = [f for f in checked.findings if f.rule == "unattributed-quote"]
    d = F.diagnostic(checked, f, UTF16)
    assert (d.range.start.line, d.range.start.character) == (2, 0)
    assert (d.range.end.line, d.range.end.character) == (3, text.split("\r\n")[3].index("”") + 1)
    assert d.code == "QC102" and d.source == "quotecheck"
    assert d.code_description.href.endswith("quotecheck/rules/unattributed_quote.py")


def test_related_information_points_at_the_source_passage(session, tmp_path):
    source = tmp_path / "interview.txt"
    shutil.copy(FIXTURES / "sources" / "ruiz_interview.txt", source)
    text = (FIXTURES / "draft.txt").read_text(encoding="utf-8")
    with Session(sources=[str(source)]) as s:
        checked = checked_of(s, text, str(tmp_path / "draft.txt"))
    [f] = [f for f in checked.findings if f.rule == "quote-altered"]
    source_text = source.read_text(encoding="utf-8")
    d = F.diagnostic(checked, f, UTF16, lambda p: (Path(p).as_uri(), LineIndex(source_text)))
    [related] = d.related_information
    assert related.location.uri == source.resolve().as_uri()
    start = related.location.range.start
    line = source_text.splitlines()[start.line]
    assert line[start.character:].startswith(f.evidence[0].text)
    # The quote's whole span, marks included.
    q = f.quote
    assert F.finding_span(f) == (q.outer_start, q.outer_end)


def test_use_the_source_wording_replaces_the_words_and_keeps_the_draft_punctuation(session, tmp_path):
    source = tmp_path / "interview.txt"
    shutil.copy(FIXTURES / "sources" / "ruiz_interview.txt", source)
    text = (FIXTURES / "draft.txt").read_text(encoding="utf-8")
    with Session(sources=[str(source)]) as s:
        checked = checked_of(s, text, str(tmp_path / "draft.txt"))
        [f] = [f for f in checked.findings if f.rule == "quote-altered"]
        edit = F.source_wording_edit(checked, f)
        new = applied(text, [edit])
        assert "“We have hired six new crew members and the engine is repaired,” Ruiz said." in new
        assert new.replace("six", "nine", 1) == text
        again = checked_of(s, new, str(tmp_path / "draft.txt"))
    assert not [f for f in again.findings if f.rule == "quote-altered"]
    assert all(F.source_wording_edit(checked, g) is None for g in checked.findings if g.rule != "quote-altered")


def test_use_the_name_as_first_written(session):
    text = (FIXTURES / "draft.txt").read_text(encoding="utf-8")
    checked = checked_of(session, text)
    [f] = [f for f in checked.findings if f.rule == "speaker-name-inconsistent"]
    new = applied(text, [F.first_name_edit(checked, f)])
    assert "Kowalczyk later said" in new and "Kowalczik" not in new
    assert not [f for f in checked_of(session, new).findings if f.rule == "speaker-name-inconsistent"]


@pytest.mark.parametrize("language, path", [("plaintext", "/desk/draft.txt"), ("markdown", "/desk/draft.md")])
def test_suppress_here_writes_a_directive_that_suppresses_exactly_that_finding(session, language, path):
    text = (FIXTURES / "draft.txt").read_text(encoding="utf-8") + \
        "\nThe ferry service began in 1952.\n\n“The ferry is the town's lifeline.”\n"
    checked = checked_of(session, text, path, language)
    targets = [f for f in checked.findings if f.rule in ("speaker-name-inconsistent", "unattributed-quote")]
    assert {f.rule for f in targets} == {"speaker-name-inconsistent", "unattributed-quote"}
    for f in targets:
        edits, title = F.suppression_edits(checked, f)
        new = applied(text, edits)
        directives = find_directives(new)
        assert directives and all(f.code in d.rules for d in directives)
        assert F.REASON_PLACEHOLDER in new
        assert ("<!--" in new) == (language == "markdown")
        after = checked_of(session, new, path, language)
        assert not [g for g in after.findings if g.rule == f.rule], title
        assert not [g for g in after.findings if g.code == "QC001"]  # the directive is read and used
        # Nothing else changed: the other findings are the same.
        others = sorted((g.rule, g.message) for g in checked.findings if g.rule != f.rule)
        assert sorted((g.rule, g.message) for g in after.findings if g.rule != f.rule) == others


def test_fix_all_makes_every_safe_fix_and_nothing_else(tmp_path):
    text = "The mayor said the plan was “a good start”, then left.\n\n“We will vote,” she said.\n"
    with Session(packs=["us-wire"]) as s:
        checked = checked_of(s, text)
        fixable = [f for f in checked.findings if f.fixes]
        assert fixable
        edits = F.fix_all_edits(checked)
        assert applied(text, edits) == checked.result.fixed_text() != text
        for f in fixable:
            assert applied(text, F.fix_edits(f)) != text
        assert checked.rule_urls["UW002"] == F.SHIPPED_PACK_URL.format(pack="us-wire")
        # Fixes that overlap another wait for the next round, as with --fix.
        for _ in range(3):
            text = applied(text, edits)
            after = checked_of(s, text)
            edits = F.fix_all_edits(after)
            if not edits:
                break
    assert not [f for f in after.findings if f.fixes]
    assert "“" not in text and "”" not in text


def test_registry_candidates_are_the_people_the_registry_does_not_know(session, tmp_path):
    text = (FIXTURES / "draft.txt").read_text(encoding="utf-8")
    checked = checked_of(session, text)
    [f] = [f for f in checked.findings if f.rule == "speaker-name-inconsistent"]
    [c] = F.registry_candidates(checked, f.start, f.end, None)
    assert c.name == "Tomas Kowalczyk" and c.spellings == ["Kowalczik"] and c.pronoun == "he"
    people = tmp_path / "people.toml"
    people.write_text(F.registry_entry(c.name, c.spellings, c.pronoun), encoding="utf-8")
    registry = PeopleRegistry.load(str(people))
    assert F.registry_candidates(checked, f.start, f.end, registry) == []
    quote = text.index("“We have hired")
    assert [c.name for c in F.registry_candidates(checked, quote, quote, registry)] == ["Ana Ruiz"]


def test_the_hover_says_who_how_the_status_and_the_word_diff(session, tmp_path):
    source = tmp_path / "interview.txt"
    shutil.copy(FIXTURES / "sources" / "ruiz_interview.txt", source)
    text = (FIXTURES / "draft.txt").read_text(encoding="utf-8")
    with Session(sources=[str(source)]) as s:
        checked = checked_of(s, text, str(tmp_path / "draft.txt"))
    q = F.quote_at(checked, text.index("nine"))
    hover = F.hover_text(checked, q)
    assert "**Ana Ruiz**" in hover and "`cue`" in hover and "Status: **altered**" in hover
    assert "`six → nine`" in hover and "`interview.txt:5`" in hover
    assert F.summary(checked).startswith("2 quotes")


# -- end to end: the real server over stdio -----------------------------------------------------

class Recorder:
    """What the client received from the server."""

    def __init__(self):
        self.published: list[types.PublishDiagnosticsParams] = []
        self.progress: list = []
        self.registrations: list[types.Registration] = []
        self.messages: list[str] = []
        self.stderr = bytearray()


def make_client(recorder: Recorder, settings: dict):
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("quotecheck-test", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params):
        recorder.published.append(params)

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def configuration(params):
        return [settings if item.section == "quotecheck" else None for item in params.items]

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def create_progress(params):
        return None

    @client.feature(types.PROGRESS)
    def progress(params):
        recorder.progress.append(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):
        recorder.registrations.extend(params.registrations)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def show(params):
        recorder.messages.append(params.message)

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def lens_refresh(params):
        return None

    return client


CAPABILITIES = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    window=types.WindowClientCapabilities(work_done_progress=True),
    workspace=types.WorkspaceClientCapabilities(
        configuration=True,
        workspace_edit=types.WorkspaceEditClientCapabilities(
            document_changes=True, resource_operations=[types.ResourceOperationKind.Create]),
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
        did_change_configuration=types.DidChangeConfigurationClientCapabilities(dynamic_registration=True)),
    text_document=types.TextDocumentClientCapabilities(
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        code_action=types.CodeActionClientCapabilities()),
)


async def until(predicate, what: str, timeout: float = 90.0, info=None):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}" + (f": {info()}" if info else ""))
        await asyncio.sleep(0.02)


def apply_workspace_edit(text: str, uri: str, edit: types.WorkspaceEdit) -> tuple[str, int | None]:
    """The test client's own applier (every character of these drafts is in
    the Basic Multilingual Plane, so UTF-16 units are code points)."""
    assert all(ord(c) <= 0xFFFF for c in text)
    [change] = edit.document_changes
    assert change.text_document.uri == uri
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    spans = []
    for e in change.edits:
        a = starts[e.range.start.line] + e.range.start.character
        b = starts[e.range.end.line] + e.range.end.character
        spans.append((a, b, e.new_text))
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text, change.text_document.version


def test_end_to_end_over_stdio(tmp_path):
    desk = tmp_path / "desk"
    shutil.copytree(FIXTURES, desk)
    asyncio.run(_end_to_end(desk))


async def _end_to_end(desk: Path):
    recorder = Recorder()
    settings = {"debounce": 30, "packs": ["us-wire"]}
    client = make_client(recorder, settings)
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    await client.start_io(sys.executable, "-m", "quotecheck", "lsp", cwd=str(desk), env=env)
    drain = asyncio.create_task(_drain(client, recorder))
    folder = desk.as_uri()
    draft = desk / "draft.txt"
    uri = draft.as_uri()
    try:
        result = await client.initialize_async(types.InitializeParams(
            capabilities=CAPABILITIES, root_uri=folder, process_id=os.getpid(),
            workspace_folders=[types.WorkspaceFolder(uri=folder, name="desk")],
            initialization_options={"debounce": 30}))
        assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
        assert types.CodeActionKind.QuickFix in result.capabilities.code_action_provider.code_action_kinds
        client.initialized(types.InitializedParams())
        text = draft.read_text(encoding="utf-8")
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)))
        # The first check (version 1) is under way once its progress begins:
        # an edit now makes its result stale, and it must never be published.
        await until(lambda: recorder.progress, "the progress of the first check")
        end = types.Position(8, len(text.splitlines()[8]))
        text = text[:-1] + "\nThe ferry company did not comment.\n" + text[-1:]
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [types.TextDocumentContentChangePartial(
                range=types.Range(end, end),
                text="\nThe ferry company did not comment.\n")]))
        await until(lambda: any(p.version == 2 for p in recorder.published), "diagnostics of version 2")
        assert [p.version for p in recorder.published] == [2]  # none from the stale version 1
        kinds = [getattr(p.value, "kind", None) or p.value.get("kind") for p in recorder.progress]
        assert kinds[0] == "begin" and kinds[-1] == "end"
        diagnostics = {d.code: d for d in recorder.published[-1].diagnostics}
        assert {"QC201", "QC104", "UW002"} <= set(diagnostics)
        altered = diagnostics["QC201"]
        line4 = text.splitlines()[4]
        assert (altered.range.start.line, altered.range.start.character) == (4, 0)
        assert (altered.range.end.line, altered.range.end.character) == (4, line4.index("”") + 1)
        assert altered.code_description.href.endswith("quote_altered.py")
        [related] = altered.related_information
        assert related.location.uri == (desk / "sources" / "ruiz_interview.txt").resolve().as_uri()
        assert related.location.range.start.line == 4
        # The registration of the file watcher (dynamic).
        await until(lambda: any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
                                for r in recorder.registrations), "the watcher's registration")

        # Hover on the altered quote.
        hover = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(4, 20)))
        assert "Ana Ruiz" in hover.contents.value and "altered" in hover.contents.value
        assert "six → nine" in hover.contents.value
        lens = await client.text_document_code_lens_async(types.CodeLensParams(types.TextDocumentIdentifier(uri)))
        assert lens[0].command.title.startswith("2 quotes")

        # A code action: the source's wording, applied as the editor would.
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), altered.range,
            types.CodeActionContext(diagnostics=[altered])))
        titles = [a.title for a in actions]
        assert any(t.startswith("Suppress QC201") for t in titles), titles
        assert any(t.startswith("Add “Ana Ruiz” to the people registry") for t in titles), titles
        [wording] = [a for a in actions if a.title.startswith("Use the source's wording")]
        text, version = apply_workspace_edit(text, uri, wording.edit)
        assert version == 2 and "hired six new" in text
        edits = wording.edit.document_changes[0].edits
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            [types.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]))
        await until(lambda: recorder.published[-1].version == 3, "diagnostics of version 3")
        codes = {d.code for d in recorder.published[-1].diagnostics}
        assert "QC201" not in codes and "QC104" in codes

        # Fix all (safe fixes only: the straight marks of us-wire), asked for as a source action.
        fix_all = await client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), types.Range(types.Position(0, 0), types.Position(0, 0)),
            types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])))
        assert [a.kind for a in fix_all] == [F.FIX_ALL_KIND]
        fixed, _ = apply_workspace_edit(text, uri, fix_all[0].edit)
        assert "“" not in fixed and "\"We have hired six" in fixed
        assert fixed.replace('"', "") == text.replace("“", "").replace("”", "")

        # The configuration file changes on disk: the sessions are rebuilt.
        config = desk / "quotecheck.toml"
        config.write_text(config.read_text(encoding="utf-8") + 'ignore = ["QC104"]\n', encoding="utf-8")
        count = len(recorder.published)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            [types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
        await until(lambda: len(recorder.published) > count, "diagnostics after the configuration changed")
        codes = {d.code for d in recorder.published[-1].diagnostics}
        assert "QC104" not in codes and "UW002" in codes
        assert recorder.published[-1].version == 3

        # The editor's settings change: they are read again, per folder.
        settings["ignore"] = ["UW"]
        count = len(recorder.published)
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await until(lambda: len(recorder.published) > count, "diagnostics after the settings changed")
        codes = {d.code for d in recorder.published[-1].diagnostics}
        assert "UW002" not in codes and "QC204" in codes

        # Closing the draft clears its diagnostics.
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
        await until(lambda: len(recorder.published[-1].diagnostics) == 0, "the diagnostics cleared",
                    info=lambda: [(p.version, len(p.diagnostics)) for p in recorder.published])
        await client.shutdown_async(None)
        client.exit(None)
        await asyncio.wait_for(client._server.wait(), 30)
        assert client._server.returncode == 0
    except BaseException:
        sys.stderr.write(recorder.stderr.decode("utf-8", "replace"))
        raise
    finally:
        if client._server.returncode is None:
            client._server.kill()
        drain.cancel()
        await client.stop()


async def _drain(client, recorder: Recorder):
    """Read the server's standard error (a full pipe would stall it)."""
    stream = client._server.stderr
    while True:
        chunk = await stream.read(4096)
        if not chunk:
            return
        recorder.stderr += chunk


def test_end_to_end_positions_in_the_negotiated_encoding(tmp_path):
    asyncio.run(_encoding_run(tmp_path))


async def _encoding_run(folder: Path):
    recorder = Recorder()
    client = make_client(recorder, {"debounce": 10})
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    await client.start_io(sys.executable, "-m", "quotecheck", "lsp", cwd=str(folder), env=env)
    drain = asyncio.create_task(_drain(client, recorder))
    text = "😀 Port Ellery news.\r\n\r\n😀 “The ferry is the town's lifeline.”\r\n"
    uri = (folder / "draft.txt").as_uri()
    try:
        capabilities = types.ClientCapabilities(general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8]))
        result = await client.initialize_async(types.InitializeParams(
            capabilities=capabilities, root_uri=folder.as_uri(), process_id=os.getpid()))
        assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
        client.initialized(types.InitializedParams())
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)))
        await until(lambda: recorder.published, "the diagnostics")
        [d] = [d for d in recorder.published[-1].diagnostics if d.code == "QC102"]
        assert (d.range.start.line, d.range.start.character) == (2, len("😀 ".encode("utf-8")))
        line = text.split("\r\n")[2]
        assert d.range.end.character == len(line[:line.index("”") + 1].encode("utf-8"))
        hover = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(2, d.range.start.character + 8)))
        assert "none found" in hover.contents.value
        await client.shutdown_async(None)
        client.exit(None)
        await asyncio.wait_for(client._server.wait(), 30)
    except BaseException:
        sys.stderr.write(recorder.stderr.decode("utf-8", "replace"))
        raise
    finally:
        if client._server.returncode is None:
            client._server.kill()
        drain.cancel()
        await client.stop()


def test_a_change_to_an_extended_configuration_rebuilds_the_sessions(tmp_path):
    """A desk's quotecheck.toml that ``extends`` the newsroom's file: the
    newsroom's file (whatever its name) is watched too."""
    from quotecheck.lsp.server import QuotecheckServer
    from quotecheck.session import Session

    (tmp_path / "newsroom.toml").write_text('ignore = ["QC204"]\n', encoding="utf-8")
    desk = tmp_path / "sports"
    desk.mkdir()
    (desk / "quotecheck.toml").write_text('extends = "../newsroom.toml"\nextend-ignore = ["QC203"]\n',
                                          encoding="utf-8")
    server = QuotecheckServer()
    try:
        session = Session.discover(desk)
        server.sessions[id(session)] = session
        assert server.matters(str(tmp_path / "newsroom.toml"))
        assert not server.matters(str(tmp_path / "unrelated.toml"))
    finally:
        server.executor.shutdown(wait=False)
