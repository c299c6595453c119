"""The local service (``quotecheck serve``, quotecheck/web/service.py): the JSON
contract over HTTP, sources sent with a draft, the limits and error answers,
health, and a real server started and stopped as a user would.

The request validation and the checking thread's time limits are tested on
their own first (no model); the application through Starlette's TestClient;
the command through a subprocess on a free port."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")
from starlette.requests import Request  # noqa: E402

with warnings.catch_warnings():  # Starlette 1.x prefers httpx2 for its test client; httpx still works
    warnings.filterwarnings("ignore", message=".*httpx2", category=UserWarning)
    from starlette.testclient import TestClient  # noqa: E402

from quotecheck.cli import main  # noqa: E402
from quotecheck.session import Session  # noqa: E402
from quotecheck.web.service import (CheckQueue, ClientGone, ServiceError, ServiceOptions, create_app,  # noqa: E402
                                    parse_request, read_body)

CROSS = Path(__file__).parent / "fixtures" / "crosscheck"
SOURCES = CROSS / "sources"
DRAFTS = CROSS / "drafts"
ALTERED = (DRAFTS / "altered_word.txt").read_text(encoding="utf-8")
BRIEFING = (SOURCES / "briefing.txt").read_text(encoding="utf-8")
LOCAL = "http://127.0.0.1"


def error_of(body: str | bytes, fields=("text", "path", "sources")) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        parse_request(body.encode() if isinstance(body, str) else body, fields)
    return caught.value


# -- requests, without a model -------------------------------------------------------

def test_a_request_with_every_field_is_read():
    r = parse_request(json.dumps({"text": "“Hi,” she said.", "path": "news/a.md", "sources": [
        {"name": "tape.txt", "text": "ANA: Hi."}, {"name": "release.txt", "text": "We agree.", "speaker": "Ana"}]}
    ).encode())
    assert (r.text, r.path) == ("“Hi,” she said.", "news/a.md")
    assert [(s.name, s.text, s.speaker) for s in r.sources] == [("tape.txt", "ANA: Hi.", None),
                                                                ("release.txt", "We agree.", "Ana")]
    assert parse_request(b'{"text": ""}').path == "draft.txt"


@pytest.mark.parametrize("body, status, message", [
    ('{"txt": "x"}', 400, 'unknown field "txt" (expected: text, path, sources)'),
    ('{"text": 12}', 400, 'field "text" must be a string, not a number'),
    ('{"text": "x", "path": ["a"]}', 400, 'field "path" must be a string, not an array'),
    ('{"text": "x", "sources": {"name": "a"}}', 400, 'field "sources" must be an array of objects, not an object'),
    ('{"text": "x", "sources": ["a"]}', 400, 'field "sources[0]" must be an object'),
    ('{"text": "x", "sources": [{"name": "a", "body": "y"}]}', 400,
     'unknown field "sources[0].body" (expected: name, text, speaker)'),
    ('{"text": "x", "sources": [{"name": "a"}]}', 400, 'missing field "sources[0].text"'),
    ('{"text": "x", "sources": [{"name": 3, "text": "y"}]}', 400, 'field "sources[0].name" must be a string, not a number'),
    ('{"text": "x", "sources": [{"name": "a", "text": "y"}, {"name": "a", "text": "z"}]}', 400,
     "field \"sources[1].name\": 'a' names two sources"),
    ('{"text": "x", "sources": [{"name": "draft.txt", "text": "y"}]}', 400, "is also the draft's path"),
    ('{"text": "x", "sources": [{"name": "a", "text": "y", "speaker": true}]}', 400,
     'field "sources[0].speaker" must be a string, not a boolean'),
    ('{"path": "a.txt"}', 400, 'missing field "text"'),
    ('{"text": "x", "text": "y"}', 400, 'field "text" given twice'),
    ('["text"]', 400, "the request body must be a JSON object, not an array"),
    ('{"text": "x",}', 400, "malformed JSON: Expecting property name enclosed in double quotes (line 1, column 14)"),
    ('', 400, "malformed JSON: Expecting value (line 1, column 1)"),
    ('{"text": "a\\ud800b"}', 400, 'field "text" is not valid text: a lone surrogate (\\ud800) at character 2'),
    ('{"text": "a\\u0000"}', 400, 'field "text" holds a NUL character (at character 2)'),
    ('{"text": "x", "path": "a\\nb"}', 400, 'field "path" holds a control character'),
    ('{"text": "x", "path": ""}', 400, 'field "path" is empty'),
])
def test_bad_requests_are_refused_naming_the_field(body, status, message):
    err = error_of(body)
    assert err.status == status
    assert message in err.message


def test_a_body_that_is_not_utf8_is_malformed():
    assert error_of(b'{"text": "\xff"}').message == "malformed JSON: the request body is not UTF-8 text"


def test_the_quotes_endpoint_takes_no_sources():
    err = error_of('{"text": "x", "sources": []}', fields=("text", "path"))
    assert err.message == 'unknown field "sources" (expected: text, path)'


def test_a_draft_too_long_for_one_document_is_413():
    err = error_of(json.dumps({"text": "word " * 50_001}))
    assert err.status == 413 and "250,000 characters" in err.message and "quotecheck check" in err.message


def _request(chunks: list[bytes], headers: dict[str, str]) -> tuple[Request, list[int]]:
    """A Starlette request whose body arrives in ``chunks``; the list counts the chunks read."""
    read = [0]

    async def receive():
        i = read[0]
        read[0] += 1
        return {"type": "http.request", "body": chunks[i], "more_body": i + 1 < len(chunks)}

    scope = {"type": "http", "method": "POST", "path": "/v1/check", "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    return Request(scope, receive), read


def test_an_oversize_body_is_refused_while_it_streams_in():
    request, read = _request([b"x" * 400] * 10, {"content-type": "application/json"})  # no Content-Length
    with pytest.raises(ServiceError) as caught:
        asyncio.run(read_body(request, 1000))
    assert caught.value.status == 413 and "over the limit of 1,000 bytes" in caught.value.message
    assert read[0] == 3  # stopped at the chunk that crossed the limit: the other 7 were never read


def test_an_oversize_content_length_is_refused_before_reading():
    request, read = _request([b"x" * 10], {"content-length": "5000"})
    with pytest.raises(ServiceError) as caught:
        asyncio.run(read_body(request, 1000))
    assert caught.value.status == 413 and "5,000 bytes" in caught.value.message
    assert read[0] == 0


def test_a_body_within_the_limit_is_read_whole():
    request, _ = _request([b"ab", b"cd", b""], {})
    assert asyncio.run(read_body(request, 4)) == b"abcd"


# -- the checking thread, without a model ------------------------------------------------

def test_jobs_run_one_at_a_time_in_order_on_one_thread():
    queue = CheckQueue()
    seen, active, overlap = [], [0], [False]

    def job(i):
        active[0] += 1
        overlap[0] |= active[0] > 1
        time.sleep(0.01)
        seen.append((i, threading.current_thread().name))
        active[0] -= 1
        return i * i

    async def many():
        return await asyncio.gather(*(queue.run(job, i, limit=10) for i in range(8)))

    try:
        assert asyncio.run(many()) == [i * i for i in range(8)]
    finally:
        queue.close()
    assert [i for i, _ in seen] == list(range(8)) and not overlap[0]
    assert len({name for _, name in seen}) == 1 and seen[0][1].startswith("quotecheck-check")


def test_a_check_over_the_time_limit_is_504_and_the_thread_goes_on():
    queue = CheckQueue()
    release = threading.Event()

    async def slow_then_next():
        slow = asyncio.ensure_future(queue.run(release.wait, 5, limit=0.2))
        await asyncio.sleep(0.05)
        # Waiting behind the slow one does not count against the next one's limit.
        after = asyncio.ensure_future(queue.run(lambda: "next", limit=0.2))
        outcome = await asyncio.gather(slow, return_exceptions=True)
        release.set()
        return outcome[0], await after

    try:
        slow, after = asyncio.run(slow_then_next())
        assert isinstance(slow, ServiceError) and slow.status == 504
        assert slow.message == ("the check took longer than the time limit (0.2 s) and was abandoned "
                                "(quotecheck serve --time-limit)")
        assert after == "next" and queue.timed_out == 1
    finally:
        release.set()
        queue.close()


def test_more_waiting_requests_than_allowed_are_503_at_once():
    queue = CheckQueue()
    release = threading.Event()
    ran = []

    async def three():
        first = asyncio.ensure_future(queue.run(release.wait, 5, limit=10, max_waiting=1))
        await asyncio.sleep(0.05)  # running: nobody waits yet
        second = asyncio.ensure_future(queue.run(ran.append, "second", limit=10, max_waiting=1))
        await asyncio.sleep(0.01)
        third = await asyncio.gather(queue.run(ran.append, "third", limit=10, max_waiting=1),
                                     return_exceptions=True)
        release.set()
        return await first, await second, third[0]

    try:
        first, second, third = asyncio.run(three())
        assert first is True and second is None and ran == ["second"]
        assert isinstance(third, ServiceError) and third.status == 503
        assert third.message.startswith("server busy: 1 checks are waiting their turn")
    finally:
        release.set()
        queue.close()


def test_a_waiting_request_whose_client_left_is_never_checked():
    queue = CheckQueue()
    release = threading.Event()
    ran = []

    async def leave():
        left = asyncio.Event()
        first = asyncio.ensure_future(queue.run(release.wait, 5, limit=10))
        await asyncio.sleep(0.05)
        second = asyncio.ensure_future(queue.run(ran.append, "checked", limit=10, gone=left.wait))
        await asyncio.sleep(0.05)
        left.set()  # the client of the second hangs up while it waits
        outcome = await asyncio.gather(second, return_exceptions=True)
        release.set()
        await first
        return outcome[0]

    try:
        outcome = asyncio.run(leave())
        assert isinstance(outcome, ClientGone) and queue.dropped == 1
        assert asyncio.run(queue.run(lambda: "later", limit=5)) == "later"
        assert ran == []
    finally:
        release.set()
        queue.close()


# -- the application --------------------------------------------------------------------

def client_for(session: Session, **options) -> TestClient:
    return TestClient(create_app(session, ServiceOptions(**options)), base_url=LOCAL)


@pytest.fixture(scope="module")
def plain(nlp):
    """A service with no configured sources."""
    with client_for(Session()) as client:
        yield client


@pytest.fixture(scope="module")
def with_sources(nlp):
    """A service checking against the crosscheck sources, as --source does."""
    with client_for(Session(sources=[str(SOURCES)])) as client:
        yield client


def cli_json(capsys, *args) -> str:
    main([*args, "--format", "json", "--no-cache"])
    return capsys.readouterr().out


def test_check_answers_what_the_command_line_prints(with_sources, tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    draft.write_text(ALTERED, encoding="utf-8")
    r = with_sources.post("/v1/check", json={"text": ALTERED, "path": str(draft)})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.text == cli_json(capsys, "check", str(draft), "--source", str(SOURCES))
    findings = r.json()["files"][0]["findings"]
    assert "quote-altered" in {f["rule"] for f in findings}


def test_quotes_answers_what_the_command_line_prints(plain, tmp_path, capsys):
    draft = tmp_path / "story.txt"
    draft.write_text(ALTERED, encoding="utf-8")
    r = plain.post("/v1/quotes", json={"text": ALTERED, "path": str(draft)})
    assert r.status_code == 200
    assert r.text == cli_json(capsys, "quotes", str(draft))
    [quote] = r.json()["files"][0]["quotes"]
    assert quote["speaker"] == "Marta Ilves" and quote["text"].startswith("The talks have substantially")


def test_the_path_names_the_draft_and_defaults_to_draft_txt(plain):
    assert plain.post("/v1/check", json={"text": ALTERED}).json()["files"][0]["path"] == "draft.txt"
    assert plain.post("/v1/check", json={"text": ALTERED, "path": "desk/port.md"}).json()["files"][0]["path"] \
        == "desk/port.md"


def test_the_path_picks_the_configurations_overrides(nlp, tmp_path):
    (tmp_path / "quotecheck.toml").write_text('[[overrides]]\npath = "opinion/*"\nignore = ["quote-altered"]\n',
                                              encoding="utf-8")
    with client_for(Session.from_config(tmp_path / "quotecheck.toml", sources=[str(SOURCES)])) as client:
        def rules(path):
            r = client.post("/v1/check", json={"text": ALTERED, "path": path})
            return {f["rule"] for f in r.json()["files"][0]["findings"]}

        assert "quote-altered" in rules(str(tmp_path / "news" / "port.txt"))
        assert "quote-altered" not in rules(str(tmp_path / "opinion" / "port.txt"))
    assert not (tmp_path / "opinion").exists()  # a name, never a file


def test_sources_sent_with_the_draft_are_checked_against(plain):
    without = plain.post("/v1/check", json={"text": ALTERED}).json()["files"][0]["findings"]
    assert "quote-altered" not in {f["rule"] for f in without}
    r = plain.post("/v1/check", json={"text": ALTERED, "sources": [{"name": "briefing.txt", "text": BRIEFING}]})
    assert r.status_code == 200
    [altered] = [f for f in r.json()["files"][0]["findings"] if f["rule"] == "quote-altered"]
    assert "significantly → substantially" in altered["message"]
    [evidence] = altered["evidence"]
    assert evidence["path"] == "briefing.txt" and evidence["speaker"] == "Marta Ilves" and evidence["line"] == 5
    # Nothing of one request's sources is left for the next.
    again = plain.post("/v1/check", json={"text": ALTERED}).json()["files"][0]["findings"]
    assert again == without


def test_sources_sent_are_checked_in_addition_to_the_configured_ones(nlp):
    with client_for(Session(sources=[str(SOURCES / "wire_port.txt")])) as client:
        r = client.post("/v1/check", json={"text": ALTERED, "sources": [{"name": "briefing.txt", "text": BRIEFING}]})
    [altered] = [f for f in r.json()["files"][0]["findings"] if f["rule"] == "quote-altered"]
    assert {Path(e["path"]).name for e in altered["evidence"]} == {"briefing.txt", "wire_port.txt"}


def test_a_statement_sent_with_its_speaker_decides_who_said_it(plain):
    draft = "The council met on Monday.\n\n“The harbour will reopen in May,” said Piotr Lenz.\n"
    statement = "The harbour will reopen in May. We thank the engineers.\n"
    r = plain.post("/v1/check", json={"text": draft, "sources": [
        {"name": "release.txt", "text": statement, "speaker": "Hanna Vogel"}]})
    [f] = [f for f in r.json()["files"][0]["findings"] if f["rule"] == "quote-misattributed"]
    assert "Hanna Vogel" in f["message"] and "release.txt" in f["message"]


def test_an_oversize_request_is_413_with_a_message(nlp):
    with client_for(Session(), max_request_size=2000) as client:
        r = client.post("/v1/check", json={"text": "word " * 1000})
        assert r.status_code == 413
        assert r.json() == {"error": r.json()["error"]} and "over the limit of 2,000 bytes" in r.json()["error"]
        assert client.post("/v1/check", json={"text": "“Fine,” she said."}).status_code == 200


@pytest.mark.parametrize("body, message", [
    ('{"text": "x"', "malformed JSON: Expecting ',' delimiter (line 1, column 13)"),
    ('{"txt": "x"}', 'unknown field "txt" (expected: text, path, sources)'),
    ('{"text": ["x"]}', 'field "text" must be a string, not an array'),
    ('{"text": "x", "sources": [{"name": "a", "text": 1}]}', 'field "sources[0].text" must be a string, not a number'),
])
def test_malformed_and_wrong_requests_are_400_naming_the_problem(plain, body, message):
    r = plain.post("/v1/check", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json() == {"error": message}


def test_a_body_not_sent_as_json_is_415(plain):
    r = plain.post("/v1/check", content='{"text": "x"}', headers={"content-type": "text/plain"})
    assert r.status_code == 415 and "Content-Type: application/json" in r.json()["error"]


def test_unknown_endpoints_and_methods_answer_json(plain):
    r = plain.get("/v1/nothing")
    assert r.status_code == 404 and r.json()["error"].startswith("no such endpoint: GET /v1/nothing")
    r = plain.get("/v1/check")
    assert r.status_code == 405 and r.json() == {"error": "GET is not allowed on /v1/check"}


def test_a_request_for_another_host_name_is_refused(plain):
    r = plain.get("/v1/health", headers={"host": "attacker.example:8750"})
    assert r.status_code == 403 and "attacker.example" in r.json()["error"]
    assert plain.get("/v1/health", headers={"host": "localhost:8750"}).status_code == 200
    assert plain.get("/v1/health", headers={"host": "[::1]:8750"}).status_code == 200


def test_cors_lets_only_the_named_origin_call_from_a_browser(nlp):
    with client_for(Session(), allow_origins=["https://cms.example.org"]) as client:
        pre = client.options("/v1/check", headers={"origin": "https://cms.example.org",
                                                   "access-control-request-method": "POST",
                                                   "access-control-request-headers": "content-type"})
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://cms.example.org"
        other = client.options("/v1/check", headers={"origin": "https://elsewhere.example",
                                                     "access-control-request-method": "POST"})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers


def test_a_check_over_the_time_limit_is_answered_and_the_server_stays_healthy(nlp):
    app = create_app(Session(), ServiceOptions(time_limit=0.001))
    with TestClient(app, base_url=LOCAL) as client:
        r = client.post("/v1/check", json={"text": ALTERED * 20})
        assert r.status_code == 504
        assert "longer than the time limit (0.001 s)" in r.json()["error"]
        assert client.get("/v1/health").json()["status"] == "ok"
        app.state.service.options.time_limit = 30  # the same server, a generous limit: it still checks
        r = client.post("/v1/check", json={"text": ALTERED})
        assert r.status_code == 200 and r.json()["files"][0]["path"] == "draft.txt"


def test_an_internal_error_names_the_stage_and_shows_no_traceback(plain, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.delenv("QUOTECHECK_DEBUG", raising=False)
    monkeypatch.setattr("quotecheck.session.verify", broken)
    r = plain.post("/v1/check", json={"text": ALTERED, "sources": [{"name": "briefing.txt", "text": BRIEFING}]})
    assert r.status_code == 500
    assert r.json() == {"error": "draft.txt: internal error while matching the quotes against the sources: "
                                 "RuntimeError: a bug (set QUOTECHECK_DEBUG=1 for the traceback)"}
    assert "Traceback" not in r.text


def test_health_says_version_model_and_sources(with_sources, plain):
    from quotecheck import __version__

    h = with_sources.get("/v1/health").json()
    assert h["status"] == "ok" and h["version"] == __version__
    assert h["model"]["name"].startswith("en_core_web_sm") and h["model"]["version"]
    assert h["sources"]["configured"] and h["sources"]["loaded"]
    assert h["sources"]["files"] == len(list(SOURCES.iterdir())) and h["sources"]["passages"] > 0
    assert h["limits"]["max_request_size"] == 2 * 1024 * 1024 and h["problems"] == []
    assert plain.get("/health").json()["sources"] == {"configured": False, "loaded": False, "files": 0,
                                                      "passages": 0, "unread": []}


def test_the_review_page_has_a_paste_box_that_posts_to_review(plain):
    r = plain.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'action="/review"' in r.text and 'name="text"' in r.text


def test_a_draft_pasted_into_the_review_page_is_checked(plain):
    r = plain.post("/review", data={"text": ALTERED})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Marta Ilves" in r.text and "substantially slowed down" in r.text
    assert 'action="/review"' in r.text  # another draft can be pasted from the result


def test_the_review_form_refuses_what_it_did_not_send(plain):
    r = plain.post("/review", data={"text": "x", "extra": "y"})
    assert r.status_code == 400 and "unknown field &quot;extra&quot;" in r.text
    r = plain.post("/review", json={"text": "x"})
    assert r.status_code == 415 and r.headers["content-type"].startswith("text/html")


# -- the real command -----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_quotecheck_serve_answers_and_stops_cleanly(nlp, tmp_path):
    port = free_port()
    cmd = [sys.executable, "-m", "quotecheck", "serve", "--port", str(port), "--source", str(SOURCES)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("QUOTECHECK_DEBUG", None)
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                health = httpx.get(f"{base}/health", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["sources"]["loaded"]
        r = httpx.post(f"{base}/v1/check", json={"text": ALTERED}, timeout=60)
        assert r.status_code == 200
        assert "quote-altered" in {f["rule"] for f in r.json()["files"][0]["findings"]}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    out = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert code == 0, out
    assert "Traceback" not in out and "quotecheck serve: stopped" in out
    assert f"listening on http://127.0.0.1:{port}/" in out


def test_serve_says_when_the_port_is_taken(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "another --port" in err
