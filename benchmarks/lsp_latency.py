"""How long the editor waits for diagnostics while someone types in a long draft.

A 1,500-word invented draft (``scaling.news_paragraphs``) is opened in the real
server (``python -m quotecheck lsp``) through a real LSP client (pygls's), then
edited 20 times, one paragraph at a time (a word inserted into a different
paragraph each time, as a reporter revising a story does). For each edit it
records:

- **after the debounce** (the figure the target is about): from the moment the
  server's debounce ended to the moment it handed the diagnostics to the
  transport, both stamped by the server (``quotecheck/timing``, sent because
  the benchmark sets ``timing = true``);
- **seen by the client**: from sending ``didChange`` to receiving
  ``publishDiagnostics``, minus the configured debounce (transport and
  scheduling included; a cross-check of the first).

The same edits are then made in a second server started with
``parse_cache = 0``: every check parses the whole draft again, which is the
full re-check the parse cache is measured against. Medians and 90th
percentiles are printed, then one JSON line.

    python benchmarks/lsp_latency.py [--words 1500] [--edits 20] [--debounce 250]

Target (issue 11): a median of 300 ms or less after the debounce. Nothing is
asserted: a benchmark prints what it measured.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import code_version  # noqa: E402
from scaling import news_paragraphs  # noqa: E402

TARGET_MS = 300


def draft(words: int, seed: int) -> list[str]:
    """Invented news paragraphs, at least ``words`` words in all."""
    rng = random.Random(seed)
    out, total = [], 0
    for para in news_paragraphs(rng):
        out.append(para)
        total += len(para.split())
        if total >= words:
            return out
    return out


def edits(paragraphs: list[str], n: int, seed: int) -> list[tuple[int, str]]:
    """``n`` one-paragraph edits: (paragraph index, its new text), each in a
    paragraph not edited before, a word inserted after its third word."""
    rng = random.Random(seed + 1)
    order = rng.sample(range(len(paragraphs)), min(n, len(paragraphs)))
    out = []
    for i in order:
        words = paragraphs[i].split(" ")
        k = min(3, len(words) - 1)
        out.append((i, " ".join(words[:k] + ["reportedly"] + words[k:])))
    return out


def plain(value):
    """A notification's parameters as dicts (pygls gives an unknown
    method's objects as named tuples)."""
    if hasattr(value, "_asdict"):
        value = value._asdict()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


async def run(paragraphs: list[str], changes: list[tuple[int, str]], debounce: int, parse_cache: int | None,
              workdir: Path) -> dict:
    published: dict[int, float] = {}
    timing: dict[int, dict] = {}
    client = LanguageClient("lsp-latency", "1")

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params):
        published[params.version] = time.time()

    @client.feature("quotecheck/timing")
    def on_timing(params):
        params = plain(params)
        timing[params["version"]] = params

    options = {"debounce": debounce, "timing": True, "code_lens": False}
    if parse_cache is not None:
        options["parse_cache"] = parse_cache
    await client.start_io(sys.executable, "-m", "quotecheck", "lsp", cwd=str(workdir))
    drain = asyncio.create_task(_drain(client._server.stderr))
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=workdir.as_uri(), process_id=os.getpid(),
        initialization_options=options))
    client.initialized(types.InitializedParams())
    path = workdir / "draft.txt"
    uri = path.as_uri()
    text = "\n\n".join(paragraphs) + "\n"
    path.write_text(text, encoding="utf-8")
    start = time.time()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)))
    await until(lambda: 1 in published, 300)
    first = published[1] - start
    current = list(paragraphs)
    after_debounce, seen = [], []
    for n, (i, new) in enumerate(changes, start=2):
        line = sum(p.count("\n") + 2 for p in current[:i])  # paragraphs are separated by a blank line
        old = current[i]
        current[i] = new
        sent = time.time()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=n),
            [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, 0), types.Position(line, len(old))), text=new)]))
        await until(lambda: n in published and n in timing, 120)
        t = timing[n]
        after_debounce.append((t["published"] - t["debounceEnd"]) * 1000)
        seen.append((published[n] - sent) * 1000 - debounce)
        await asyncio.sleep(0.05)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    drain.cancel()
    return {"first_check_s": round(first, 2), "after_debounce_ms": after_debounce, "client_ms": seen,
            "parse_cache": timing[len(changes) + 1].get("parseCache")}


async def _drain(stream) -> None:
    """Read the server's standard error, so a full pipe never stalls it."""
    while await stream.read(4096):
        pass


async def until(predicate, timeout: float) -> None:
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise SystemExit("lsp_latency: the server did not answer in time")
        await asyncio.sleep(0.005)


def summary(values: list[float]) -> dict:
    return {"median_ms": round(statistics.median(values), 1), "p90_ms": round(percentile(values, 90), 1),
            "min_ms": round(min(values), 1), "max_ms": round(max(values), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--debounce", type=int, default=250, help="ms (the server's default)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paragraphs = draft(args.words, args.seed)
    words = sum(len(p.split()) for p in paragraphs)
    changes = edits(paragraphs, args.edits, args.seed)
    results = {}
    with tempfile.TemporaryDirectory(prefix="qc-lsp-latency-") as tmp:
        for name, cache in (("parse cache", None), ("full re-check (parse_cache = 0)", 0)):
            workdir = Path(tmp) / ("cached" if cache is None else "full")
            workdir.mkdir()
            results[name] = asyncio.run(run(paragraphs, changes, args.debounce, cache, workdir))
    print(f"draft: {words} words, {len(paragraphs)} paragraphs; {len(changes)} one-paragraph edits; "
          f"debounce {args.debounce} ms; code {code_version()}")
    out = {"benchmark": "lsp_latency", "words": words, "paragraphs": len(paragraphs), "edits": len(changes),
           "debounce_ms": args.debounce, "target_median_ms": TARGET_MS, "code": code_version()}
    for name, r in results.items():
        after, seen = summary(r["after_debounce_ms"]), summary(r["client_ms"])
        print(f"{name}: after the debounce (server-stamped) median {after['median_ms']} ms, "
              f"p90 {after['p90_ms']} ms (min {after['min_ms']}, max {after['max_ms']}); "
              f"seen by the client minus the debounce: median {seen['median_ms']} ms, p90 {seen['p90_ms']} ms; "
              f"first check after opening (model load included) {r['first_check_s']} s"
              + (f"; parse cache {r['parse_cache']}" if r["parse_cache"] and r["parse_cache"]["size"] else ""))
        key = "cached" if name == "parse cache" else "full"
        out[key] = {"after_debounce": after, "client_minus_debounce": seen, "first_check_s": r["first_check_s"]}
    speedup = out["full"]["after_debounce"]["median_ms"] / max(out["cached"]["after_debounce"]["median_ms"], 0.1)
    out["speedup"] = round(speedup, 2)
    out["target_met"] = out["cached"]["after_debounce"]["median_ms"] <= TARGET_MS
    print(f"the parse cache makes a re-check {speedup:.1f}x faster; target median ≤ {TARGET_MS} ms after the "
          f"debounce: {'met' if out['target_met'] else 'NOT met'}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
