"""The local service under load: latency, throughput, errors and memory.

usage: python benchmarks/service_load.py [--requests 500] [--clients 50] [--words 1000]
           [--warm-up 20] [--with-source] [--source PATH]... [--model NAME] [--time-limit SECONDS]

It starts ``python -m quotecheck serve`` on 127.0.0.1 on a free port (the
local address only; nothing else is contacted), waits for ``/v1/health``,
and reads the server's resident memory (RSS, from /proc). A warm-up round
then sends ``--warm-up`` requests one after another (the latency of one check
alone, and the caches filled: spaCy's string store, the aligner's and the word
differ's small LRU caches, the first-name table); then ``--clients`` client
threads, each with its own keep-alive connection, send ``--requests``
requests in all, as fast as they are answered, to ``POST /v1/check``. Every
request carries the same invented draft of about ``--words`` words (built by
``scaling.py``'s ``news_paragraphs``), so every answer must be the same as
the warm-up's: an answer that differs counts as an error, as do a status
other than 200 and a failed connection. With ``--with-source`` every request
also carries an invented transcript holding the draft's quotes (loaded into a
temporary store for that request, then removed): the server's open files and
the temporary stores left behind are counted before and after.

Printed: p50 / p95 / max latency, requests per second, errors, and the RSS at
start, after the warm-up, at its peak during the run (sampled every 50 ms) and
after. The server is then stopped with SIGTERM and its exit status reported.
This is a benchmark, not a test: it prints figures and asserts nothing. The
last line of stdout is JSON with every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import httpx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchmarks/_common.py, scaling.py
from _common import code_version  # noqa: E402
from scaling import news_paragraphs  # noqa: E402


def draft(words: int, seed: int = 0) -> str:
    """Invented news paragraphs, at least ``words`` words."""
    out, n = [], 0
    for paragraph in news_paragraphs(random.Random(seed)):
        out.append(paragraph)
        n += len(paragraph.split())
        if n >= words:
            return "\n\n".join(out) + "\n"
    raise AssertionError("unreachable")


def transcript_of(text: str, quotes: int = 12) -> str:
    """An invented interview transcript holding the draft's first quotes, word
    for word, as labelled turns (so every request's source is matched)."""
    import re

    turns = list(dict.fromkeys(q.rstrip(",.") for q in re.findall(r"“([^”]+)”", text)))[:quotes]
    return "Interview transcript, harbour authority\n\n" + "\n\n".join(
        f"Q: What did you say?\n\nSPOKESWOMAN: {turn}." for turn in turns) + "\n"


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def temp_stores(directory: str) -> int:
    """Temporary source stores (quotecheck-index-*) the server left in its temporary directory."""
    return sum(1 for name in os.listdir(directory) if name.startswith("quotecheck-index-"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--warm-up", type=int, default=20)
    parser.add_argument("--source", action="append", default=[], metavar="PATH",
                        help="passed to quotecheck serve --source")
    parser.add_argument("--model")
    parser.add_argument("--time-limit", type=float, help="passed to quotecheck serve --time-limit")
    parser.add_argument("--with-source", action="store_true",
                        help="send an invented transcript holding the draft's quotes with every request "
                             "(each request's sources are loaded into a temporary store, then removed)")
    args = parser.parse_args()
    if not os.path.isdir("/proc"):
        sys.exit("service_load.py: needs /proc (Linux) to read the server's memory")

    text = draft(args.words)
    request = {"text": text, "path": "load/draft.txt"}
    if args.with_source:
        request["sources"] = [{"name": "interview.txt", "text": transcript_of(text)}]
    body = json.dumps(request).encode("utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "quotecheck", "serve", "--port", str(port)]
    for source in args.source:
        cmd += ["--source", source]
    if args.model:
        cmd += ["--model", args.model]
    if args.time_limit:
        cmd += ["--time-limit", str(args.time_limit)]
    print(f"code: {code_version()}")
    print(f"draft: {len(text.split())} words, {len(text)} characters, {len(body)} bytes of JSON")
    log = tempfile.TemporaryFile("w+", encoding="utf-8")
    private = tempfile.TemporaryDirectory(prefix="service-load-")  # the server's TMPDIR: its temporary stores
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": private.name}
    started = time.perf_counter()
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        figures = run(args, server, base, body, started, private.name)
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    log.seek(0)
    server_log = log.read()
    figures["server_exit_status"] = server.returncode
    figures["server_tracebacks"] = server_log.count("Traceback")
    print(f"server stopped: exit status {server.returncode}, {figures['server_tracebacks']} traceback(s) in its log")
    if figures.get("failed"):
        print(server_log[-3000:], file=sys.stderr)
    figures["temporary_stores_after_stop"] = temp_stores(private.name)
    private.cleanup()
    print(json.dumps(figures))


def run(args, server: subprocess.Popen, base: str, body: bytes, started: float, tmp: str) -> dict:
    headers = {"content-type": "application/json"}
    deadline = time.monotonic() + 300
    while True:
        if server.poll() is not None:
            return {"failed": f"the server exited with status {server.returncode} before it was healthy"}
        try:
            health = httpx.get(f"{base}/v1/health", timeout=5)
            if health.status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            return {"failed": "the server was not healthy within 300 s"}
        time.sleep(0.1)
    ready = time.perf_counter() - started
    info = health.json()
    rss_start = rss_mib(server.pid)
    print(f"server: {info['model']['name']} {info['model']['version']}, ready in {ready:.1f} s, "
          f"{info['sources']['files']} source file(s); RSS {rss_start:.1f} MiB")

    # Warm-up: one request at a time (one check's latency alone; the caches filled).
    alone, expected = [], None
    with httpx.Client(timeout=120) as client:
        for _ in range(args.warm_up):
            t = time.perf_counter()
            r = client.post(f"{base}/v1/check", content=body, headers=headers)
            alone.append(time.perf_counter() - t)
            if r.status_code != 200:
                return {"failed": f"warm-up request answered {r.status_code}: {r.text[:300]}"}
            expected = expected or r.content
    rss_warm = rss_mib(server.pid)
    files_warm, stores_warm = open_files(server.pid), temp_stores(tmp)
    findings = len(json.loads(expected)["files"][0]["findings"])
    print(f"warm-up: {args.warm_up} requests one at a time, median {statistics.median(alone) * 1000:.0f} ms "
          f"({findings} findings each); RSS {rss_warm:.1f} MiB")

    # The load: N clients, M requests in all.
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    left = [args.requests]
    peak = [rss_warm]
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                peak[0] = max(peak[0], rss_mib(server.pid))
            except OSError:
                return
            done.wait(0.05)

    def client_thread():
        with httpx.Client(timeout=300) as client:
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                t = time.perf_counter()
                try:
                    r = client.post(f"{base}/v1/check", content=body, headers=headers)
                    problem = (None if r.status_code == 200 and r.content == expected else
                               f"{r.status_code}: {r.text[:200]}" if r.status_code != 200 else "a different answer")
                except httpx.HTTPError as exc:
                    problem = f"{exc.__class__.__name__}: {exc}"
                elapsed = time.perf_counter() - t
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        errors.append(problem)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=client_thread) for _ in range(args.clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    rss_after = rss_mib(server.pid)
    time.sleep(0.5)  # the last answers' connections closing
    files_after, stores_after = open_files(server.pid), temp_stores(tmp)
    health = httpx.get(f"{base}/v1/health", timeout=5).json()
    figures = {
        "requests": len(latencies), "clients": args.clients, "words": len(json.loads(body)["text"].split()),
        "errors": len(errors), "seconds": round(wall, 2), "requests_per_second": round(len(latencies) / wall, 2),
        "latency_p50_ms": round(percentile(latencies, 0.50) * 1000),
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000),
        "latency_max_ms": round(max(latencies) * 1000),
        "one_check_alone_ms": round(statistics.median(alone) * 1000),
        "ready_seconds": round(ready, 1),
        "rss_start_mib": round(rss_start, 1), "rss_after_warm_up_mib": round(rss_warm, 1),
        "rss_peak_mib": round(peak[0], 1), "rss_after_mib": round(rss_after, 1),
        "server_checks_done": health["checks"]["done"], "server_timed_out": health["checks"]["timed_out"],
        "server_dropped": health["checks"]["dropped"],
        "open_files_after_warm_up": files_warm, "open_files_after": files_after,
        "temporary_stores_after_warm_up": stores_warm, "temporary_stores_after": stores_after,
        "request_sources": bool(args.with_source),
        "model": f"{info['model']['name']} {info['model']['version']}",
    }
    print(f"load: {figures['requests']} requests from {args.clients} clients in {wall:.1f} s = "
          f"{figures['requests_per_second']} requests/s; errors {len(errors)}")
    print(f"latency: p50 {figures['latency_p50_ms']} ms, p95 {figures['latency_p95_ms']} ms, "
          f"max {figures['latency_max_ms']} ms")
    print(f"RSS: start {rss_start:.1f} MiB, after warm-up {rss_warm:.1f}, peak {peak[0]:.1f}, "
          f"after the load {rss_after:.1f} (growth after warm-up {rss_after - rss_warm:+.1f} MiB)")
    print(f"open files: {files_warm} after warm-up, {files_after} after; temporary source stores: "
          f"{stores_warm} after warm-up, {stores_after} after")
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}")
    return figures


if __name__ == "__main__":
    main()
