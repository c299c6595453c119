"""Does ``quotecheck check --source`` catch a misquote? Mutation benchmark on a
PolNeAR split.

usage: python benchmarks/mutation_eval.py SOURCES_SPLIT_DIR [--per-type N] [--controls N]
           [--seed S] [--baseline-python PATH] [--workdir DIR] [--keep] [--model NAME]

Each draft is a copy of one real article of the split with exactly ONE quote
mutated (a word substituted, dropped or inserted, a number changed, a negation
added or removed, the quote given to another person of the article, the cue
pronoun flipped), or left unchanged (controls). The drafts are checked against the
split's own text directory, which holds the original of every draft: the wire copy
a draft is written from. A mutation counts as detected when a finding of the
expected rule overlaps the mutated quote (or the changed attribution words).
Controls must get no ``quote-altered`` / ``quote-misattributed`` finding.

Side by side, the PyPI package ``quotecheck`` 0.1.0 (an unrelated project with the
same import name; it answers "is this phrase in that source?") is asked whether
each altered quote is in its original article. It runs from its own virtualenv.

Drafts live in a temporary work directory, deleted at the end unless --keep:
the corpus text never enters this repository. Prints a table, then one JSON line.
"""
from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import mutations as M  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchmarks/_common.py
from _common import code_version  # noqa: E402

ALTERATIONS = ["substitute", "drop", "insert", "number", "negation"]
TYPES = ALTERATIONS + ["misattribute", "pronoun"]
EXPECTED_RULE = {**{t: "quote-altered" for t in ALTERATIONS},
                 "misattribute": "quote-misattributed", "pronoun": "pronoun-mismatch"}
EXPECTED_SEVERITY = {"number": "error", "negation": "error"}
FALSE_ALARM_RULES = ("quote-altered", "quote-misattributed")
INFO_RULES = ("quote-unverified", "quote-variant")
MIN_WORDS = 6  # quotes that get a word mutation
MIN_WORDS_ATTRIBUTION = 3  # quotes that get another speaker or pronoun: a word or two
                           # ("deplorables") cannot be tied to one place in a source
BASELINE_SPEC = "quotecheck==0.1.0"
# Runs the baseline's CLI; -I keeps this checkout (and its own quotecheck) off sys.path.
BASELINE_MAIN = "import sys; from quotecheck.cli import main; sys.exit(main())"


def fail(message: str) -> None:
    sys.exit(f"mutation_eval: error: {message}")




def run_quotecheck(cmd: list[str], out_path: Path) -> tuple[dict, float]:
    """Run a quotecheck command whose stdout is JSON; exit 0 and 1 are normal
    (1 = findings), anything else is a failure."""
    with open(out_path, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        fail(f"exit status {proc.returncode} from: {' '.join(cmd[:7])} ...\n{proc.stderr[-3000:]}")
    try:
        return json.loads(out_path.read_text(encoding="utf-8")), seconds
    except json.JSONDecodeError as exc:
        fail(f"{' '.join(cmd[:6])} ... did not print JSON ({exc}); its output is in {out_path}")


def eligible(q: dict, min_words: int) -> bool:
    return q["kind"] in ("direct", "partial") and bool(q["speaker"]) and len(q["text"].split()) >= min_words


class Article:
    def __init__(self, path: str, quotes: list[dict]):
        self.path = path
        self.name = Path(path).stem
        self.text = Path(path).read_text(encoding="utf-8")
        self.quotes = quotes
        for q in quotes:  # the contract: text == file_text[start:end]
            if self.text[q["start"]:q["end"]] != q["text"]:
                fail(f"{path}: quote offsets {q['start']}-{q['end']} do not give its text {q['text'][:40]!r}")
        self._pool = None

    @property
    def pool(self) -> list[str]:
        if self._pool is None:
            self._pool = [m.group() for m in M.WORD.finditer(self.text)]
        return self._pool

    def people(self) -> list[str]:
        """Speakers of the article's quotes who are named people."""
        return sorted({q["speaker"] for q in self.quotes
                       if q["kind"] in ("direct", "partial") and M.is_person_name(q["speaker"])})


def mutate(kind: str, article: Article, q: dict, rng: random.Random) -> M.Edit | None:
    if kind in M.QUOTE_MUTATIONS:
        if not eligible(q, MIN_WORDS):
            return None
        fn = M.QUOTE_MUTATIONS[kind]
        done = fn(q["text"], rng, article.pool) if kind == "substitute" else fn(q["text"], rng)
        if done is None or done[0] == q["text"]:
            return None
        return M.replace_quote(article.text, q["start"], q["end"], *done)
    if not eligible(q, MIN_WORDS_ATTRIBUTION):
        return None
    if kind == "pronoun":
        if q.get("pronoun") not in ("he", "she"):
            return None
        return M.flip_pronoun(article.text, q["start"], q["end"], q["pronoun"], q.get("cue") or "")
    if kind == "misattribute":
        mention = q.get("speaker_mention") or ""
        if not M.is_person_name(q["speaker"]) or mention.lower() in ("", "he", "she", "they", "i", "we"):
            return None
        others = [p for p in article.people() if p != q["speaker"]
                  and not (M.name_tokens(p) & M.name_tokens(q["speaker"]))]
        rng.shuffle(others)
        for other in others:
            edit = M.misattribute(article.text, q["start"], q["end"], mention, q["speaker"], other)
            if edit is not None:
                return edit
    return None


def build_drafts(articles: list[Article], per_type: int, controls: int, seed: int,
                 drafts_dir: Path) -> list[dict]:
    """Up to ``per_type`` drafts of each type, spread over the articles (round robin
    over a shuffled article order), and ``controls`` unchanged copies."""
    drafts = []
    for kind in TYPES:
        rng = random.Random(f"{seed}:{kind}")
        order = list(articles)
        rng.shuffle(order)
        queues = {a.path: rng.sample(range(len(a.quotes)), len(a.quotes)) for a in order}
        made = 0
        while made < per_type and any(queues.values()):
            for article in order:
                if made >= per_type:
                    break
                edit = None
                while queues[article.path] and edit is None:
                    index = queues[article.path].pop()
                    q = article.quotes[index]
                    edit = mutate(kind, article, q, rng)
                if edit is None:
                    continue
                path = drafts_dir / kind / f"{article.name}__{index}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(edit.text, encoding="utf-8")
                line = edit.text.count("\n", 0, edit.quote_start) + 1
                zone = M.paragraph_span(edit.text, edit.quote_start)
                drafts.append({
                    "type": kind, "path": str(path), "article": article.path, "line": line,
                    "speaker": q["speaker"], "quote": q["text"],
                    "draft_quote": edit.text[edit.quote_start:edit.quote_end],
                    "quote_start": edit.quote_start, "quote_end": edit.quote_end,
                    "changed_start": edit.changed_start, "changed_end": edit.changed_end,
                    "paragraph_start": zone[0], "paragraph_end": zone[1],
                    "new_speaker": (edit.text[edit.changed_start:edit.changed_end]
                                    if kind == "misattribute" else None),
                    "mutation": edit.description, "expected_rule": EXPECTED_RULE[kind],
                    "expected_severity": EXPECTED_SEVERITY.get(kind),
                })
                made += 1
    rng = random.Random(f"{seed}:control")
    for article in rng.sample(articles, min(controls, len(articles))):
        path = drafts_dir / "control" / f"{article.name}__control.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(article.path, path)
        drafts.append({"type": "control", "path": str(path), "article": article.path})
    return drafts


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1]:  # a point
        return b[0] <= a[0] <= b[1]
    return max(a[0], b[0]) < min(a[1], b[1])


def finding_spans(f: dict) -> list[tuple[int, int]]:
    spans = [(f["start"], f["end"])]
    if f.get("quote"):
        spans.append((f["quote"]["start"], f["quote"]["end"]))
    return spans


def targets(d: dict) -> list[tuple[int, int]]:
    spans = [(d["quote_start"], d["quote_end"])]
    if d["type"] in ("misattribute", "pronoun"):
        spans.append((d["changed_start"], d["changed_end"]))
    return spans


def on_target(f: dict, d: dict) -> bool:
    return any(overlaps(s, t) for s in finding_spans(f) for t in targets(d))


def consequence(f: dict, d: dict) -> bool:
    """A finding away from the mutated quote that the mutation itself explains: another
    quote of the same paragraph, or a later quote that now hangs on the new name."""
    zone = (d["paragraph_start"], d["paragraph_end"])
    return (any(overlaps(s, zone) for s in finding_spans(f))
            or (d.get("new_speaker") is not None and f.get("speaker") == d["new_speaker"]))


def short(f: dict) -> dict:
    return {"rule": f["rule"], "severity": f["severity"], "line": f["line"], "message": f["message"]}


def score(drafts: list[dict], findings: dict[str, list[dict]]) -> tuple[dict, dict, list, list, list]:
    per_type: dict[str, dict] = {}
    misses, stray = [], []
    for kind in TYPES:
        rows = [d for d in drafts if d["type"] == kind]
        detected = severity_ok = other_rule = 0
        for d in rows:
            fs = findings.get(os.path.realpath(d["path"]), [])
            hits = [f for f in fs if f["rule"] == d["expected_rule"] and on_target(f, d)]
            d["detected"] = bool(hits)
            detected += bool(hits)
            if d["expected_severity"] and any(f["severity"] == d["expected_severity"] for f in hits):
                severity_ok += 1
            near = [f for f in fs if on_target(f, d)]
            if not hits:
                other_rule += bool(near)
                misses.append({k: d[k] for k in ("type", "path", "line", "speaker", "quote",
                                                 "draft_quote", "mutation")}
                              | {"reported_here": [short(f) for f in near],
                                 "reported_elsewhere": [short(f) for f in fs if f not in near]})
            for f in fs:
                if f["rule"] in FALSE_ALARM_RULES and not on_target(f, d):
                    stray.append({"path": d["path"], "type": kind} | short(f)
                                 | {"consequence": consequence(f, d)})
        n = len(rows)
        per_type[kind] = {"n": n, "detected": detected, "recall": round(detected / n, 3) if n else None,
                          "other_rule_on_target": other_rule}
        if kind in EXPECTED_SEVERITY:
            per_type[kind]["severity_ok"] = severity_ok
            per_type[kind]["severity_ok_share"] = round(severity_ok / detected, 3) if detected else None
    ctrl = [d for d in drafts if d["type"] == "control"]
    counts: collections.Counter = collections.Counter()
    alarms, pronouns = [], []
    flagged_articles = set()
    for d in ctrl:
        for f in findings.get(os.path.realpath(d["path"]), []):
            counts[f["rule"]] += 1
            if f["rule"] == "pronoun-mismatch":
                # "(sources)" evidence: the sources' pronoun tally took part in the verdict
                pronouns.append({"path": d["path"]} | short(f)
                                | {"from_sources": any(e.get("path") == "(sources)" for e in f.get("evidence", []))})
            if f["rule"] in FALSE_ALARM_RULES:
                flagged_articles.add(d["path"])
                alarms.append({"path": d["path"], "article": d["article"]} | short(f)
                              | {"quote": (f.get("quote") or {}).get("text"),
                                 "evidence": [{k: e.get(k) for k in ("path", "line", "text", "speaker", "note")}
                                              for e in f.get("evidence", [])][:3]})
    controls = {"n": len(ctrl), **{r: counts[r] for r in FALSE_ALARM_RULES + INFO_RULES + ("pronoun-mismatch",)},
                "articles_with_false_alarm": len(flagged_articles),
                "pronoun_mismatch_with_source_evidence": sum(p["from_sources"] for p in pronouns),
                "pronoun_mismatches": pronouns,
                "all_rules": dict(sorted(counts.items()))}
    return per_type, controls, misses, alarms, stray


# --- baseline: PyPI quotecheck 0.1.0, in its own virtualenv -------------------------

def baseline_python(args, workdir: Path) -> tuple[str | None, str]:
    """The baseline's interpreter and a note; None (with the reason) to skip it."""
    if args.baseline_python:
        python = args.baseline_python
    else:
        venv = workdir / "baseline-venv"
        python = str(venv / "bin" / "python")
        for cmd in ([sys.executable, "-m", "venv", str(venv)],
                    [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", BASELINE_SPEC]):
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                return None, (f"baseline skipped: `{' '.join(cmd[-3:])}` failed: "
                              f"{(proc.stderr or proc.stdout).strip()[-300:]}")
    proc = subprocess.run([python, "-I", "-c", "import quotecheck, quotecheck.batch; print(quotecheck.__version__)"],
                          capture_output=True, text=True, cwd=workdir)
    if proc.returncode != 0 or proc.stdout.strip() != "0.1.0":
        message = (f"{python} does not have {BASELINE_SPEC} (the PyPI project; got "
                   f"{proc.stdout.strip() or proc.stderr.strip()[-200:]!r})")
        if args.baseline_python:
            fail(message)
        return None, "baseline skipped: " + message
    return python, f"{BASELINE_SPEC} from {python}"


def baseline_key(text: str) -> str:
    """The quotation as the baseline's --batch reads it back from a `> ` line."""
    return text.strip().strip("“”\"")


def run_baseline(python: str, drafts: list[dict], articles: dict[str, Article], workdir: Path) -> dict:
    """One process per source article: every asked quote of that article goes into a
    Markdown note as a `> ` line, checked with `quotecheck SOURCE --batch NOTE --json`.
    Its batch mode reads only quotations of six words or more, which is the length of
    every word-mutated quote; control quotes are the same population (direct or
    partial, with a speaker, at least six words)."""
    asks: dict[str, list[dict]] = collections.defaultdict(list)
    for d in drafts:
        if d["type"] in ALTERATIONS:
            asks[d["article"]].append({"draft": d, "text": d["draft_quote"]})
        elif d["type"] == "control":
            for q in articles[d["article"]].quotes:
                if eligible(q, MIN_WORDS):
                    asks[d["article"]].append({"draft": d, "text": q["text"], "line": q["line"]})
    notes = workdir / "baseline-notes"
    notes.mkdir(exist_ok=True)
    env = dict(os.environ, PYTHONUTF8="1")

    def ask(cmd: list[str], what: str) -> list[dict]:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, env=env)
        if proc.returncode not in (0, 1):
            fail(f"baseline exit status {proc.returncode} on {what}:\n{proc.stderr[-2000:]}")
        return json.loads(proc.stdout)

    start = time.perf_counter()
    processes = 0
    for source, items in sorted(asks.items()):
        # --batch reads quotations of six words or more; a dropped word can leave
        # five, asked one by one with the phrase on the command line.
        batched = [i for i in items if len(i["text"].split()) >= MIN_WORDS]
        single = [i for i in items if len(i["text"].split()) < MIN_WORDS]
        status: dict[str, str] = {}
        if batched:
            note = notes / f"{Path(source).stem}.md"
            note.write_text("".join(f"> {' '.join(i['text'].split())}\n\n" for i in batched), encoding="utf-8")
            answers = ask([python, "-I", "-c", BASELINE_MAIN, source, "--batch", str(note), "--json"],
                          f"{source} with {note}")
            processes += 1
            status.update({r["quote"]: r["status"] for r in answers})
        for i in single:
            phrase = " ".join(i["text"].split())
            answers = ask([python, "-I", "-c", BASELINE_MAIN, "--json", source, phrase], f"{source} {phrase!r}")
            processes += 1
            status[baseline_key(phrase)] = answers[0]["status"]
        for i in items:
            key = baseline_key(" ".join(i["text"].split()))
            if key not in status:
                fail(f"baseline gave no answer for {key[:60]!r} in the note for {source}")
            i["status"] = status[key]
    seconds = time.perf_counter() - start
    result: dict = {"processes": processes, "seconds": round(seconds, 2), "types": {}}
    for kind in ALTERATIONS:
        items = [i for its in asks.values() for i in its if i["draft"]["type"] == kind]
        found = sum(i["status"] not in ("found", "interleaved") for i in items)
        for i in items:
            i["draft"]["baseline"] = i["status"]
        result["types"][kind] = {"n": len(items), "detected": found,
                                 "recall": round(found / len(items), 3) if items else None,
                                 "statuses": dict(collections.Counter(i["status"] for i in items))}
    ctrl = [i for its in asks.values() for i in its if i["draft"]["type"] == "control"]
    alarms = [i for i in ctrl if i["status"] not in ("found", "interleaved")]
    result["controls"] = {"quotes": len(ctrl), "not_found": len(alarms),
                          "articles_with_false_alarm": len({i["draft"]["path"] for i in alarms}),
                          "statuses": dict(collections.Counter(i["status"] for i in ctrl)),
                          "examples": [{"article": i["draft"]["article"], "line": i["line"],
                                        "status": i["status"], "quote": i["text"][:120]} for i in alarms[:10]]}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="Mutation benchmark of quotecheck check --source on a PolNeAR split.")
    parser.add_argument("split_dir", metavar="SOURCES_SPLIT_DIR")
    parser.add_argument("--per-type", type=int, default=40, help="drafts of each mutation type (default 40)")
    parser.add_argument("--controls", type=int, help="unchanged drafts (default: every article of the split, "
                        "at most as many as all mutated drafts together)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-python", metavar="PATH",
                        help=f"python of a virtualenv with {BASELINE_SPEC} (default: make one in the workdir)")
    parser.add_argument("--workdir", metavar="DIR", help="where drafts and outputs go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the workdir (drafts, JSON outputs)")
    parser.add_argument("--model", help="spaCy pipeline name (passed to quotecheck as --model)")
    args = parser.parse_args()

    split = Path(args.split_dir)
    text_dir = split / "text"
    if not split.is_dir():
        fail(f"split directory not found: {split}")
    texts = sorted(glob.glob(str(text_dir / "*.txt")))
    if not texts:
        fail(f"no text files in {text_dir} (expected SOURCES_SPLIT_DIR/text/*.txt)")
    if args.per_type < 1:
        fail("--per-type must be at least 1")
    if args.baseline_python and not Path(args.baseline_python).is_file():
        fail(f"--baseline-python not found: {args.baseline_python}")
    if args.workdir:
        workdir = Path(args.workdir)
        if workdir.exists() and any(workdir.iterdir()):
            fail(f"--workdir must be empty or new: {workdir}")
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="quotecheck-mutation-"))
    workdir = workdir.resolve()
    try:
        return evaluate(args, split, text_dir, texts, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def evaluate(args, split: Path, text_dir: Path, texts: list[str], workdir: Path) -> int:
    qc = [sys.executable, "-m", "quotecheck"]
    model = ["--model", args.model] if args.model else []
    code = code_version()

    quotes_json, quotes_s = run_quotecheck([*qc, "quotes", "--format", "json", *model, *texts],
                                           workdir / "quotes.json")
    by_path = {os.path.realpath(f["path"]): f["quotes"] for f in quotes_json["files"]}
    articles = []
    for t in texts:
        if os.path.realpath(t) not in by_path:
            fail(f"quotecheck quotes gave no entry for {t}")
        articles.append(Article(t, by_path[os.path.realpath(t)]))
    controls = args.controls if args.controls is not None else min(len(articles), args.per_type * len(TYPES))
    drafts = build_drafts(articles, args.per_type, controls, args.seed, workdir / "drafts")

    findings: dict[str, list[dict]] = {}
    seconds = {}
    for kind in TYPES + ["control"]:
        paths = [d["path"] for d in drafts if d["type"] == kind]
        if not paths:
            continue
        cmd = [*qc, "check", "--format", "json", *model, "--source", str(text_dir), *paths]
        out, seconds[kind] = run_quotecheck(cmd, workdir / f"check-{kind}.json")
        for f in out["files"]:
            findings[os.path.realpath(f["path"])] = f["findings"]
        for p in paths:
            if os.path.realpath(p) not in findings:
                fail(f"quotecheck check gave no entry for {p} (output in {workdir / f'check-{kind}.json'})")

    per_type, ctrl, misses, alarms, stray = score(drafts, findings)

    python, baseline_note = baseline_python(args, workdir)
    baseline = run_baseline(python, drafts, {a.path: a for a in articles}, workdir) if python else None
    if not python:
        print(f"  {baseline_note}", file=sys.stderr)

    end_code = code_version()
    if end_code != code:
        code += f" at start, {end_code} at end"
    n_drafts = len(drafts)
    print(f"Mutation benchmark on PolNeAR {split.resolve().name}: {len(articles)} articles, "
          f"{n_drafts} drafts (seed {args.seed}), code {code}")
    print(f"  quotecheck check --source {text_dir}: {sum(seconds.values()):.1f} s in {len(seconds)} processes "
          f"({', '.join(f'{k} {s:.1f}' for k, s in seconds.items())}); quotes pass {quotes_s:.1f} s")
    print(f"  baseline: {baseline_note}"
          + (f"; {baseline['processes']} processes, {baseline['seconds']:.1f} s" if baseline else ""))
    print()
    print(f"  {'type':<13}{'n':>4}  {'quotecheck recall':<19}{'severity ok':<16}{'baseline recall':<16}")

    def frac(a, b):
        return f"{a / b:.3f} ({a}/{b})" if b else "—"

    for kind in TYPES:
        row = per_type[kind]
        sev = frac(row["severity_ok"], row["detected"]) if "severity_ok" in row else "—"
        base = baseline["types"].get(kind) if baseline else None
        base_s = frac(base["detected"], base["n"]) if base else "n/a"
        print(f"  {kind:<13}{row['n']:>4}  {frac(row['detected'], row['n']):<19}{sev:<16}{base_s:<16}")
    print()
    print(f"  controls: {ctrl['n']} unchanged articles; quotecheck false alarms: "
          f"{ctrl['quote-altered']} quote-altered, {ctrl['quote-misattributed']} quote-misattributed "
          f"({ctrl['articles_with_false_alarm']} articles); for information: "
          f"{ctrl['quote-unverified']} quote-unverified, {ctrl['quote-variant']} quote-variant, "
          f"{ctrl['pronoun-mismatch']} pronoun-mismatch "
          f"({ctrl['pronoun_mismatch_with_source_evidence']} with the sources' pronoun tally as evidence)")
    if baseline:
        b = baseline["controls"]
        print(f"  controls, baseline: {b['not_found']} of {b['quotes']} quotes not FOUND "
              f"({b['articles_with_false_alarm']} articles) {b['statuses']}")
    for a in alarms:
        print(f"    false alarm {a['path']}:{a['line']}: [{a['rule']}] {a['message']}")
    for p in ctrl["pronoun_mismatches"]:
        print(f"    pronoun-mismatch on a control {p['path']}:{p['line']}: {p['message']}"
              + (" [sources' tally]" if p["from_sources"] else ""))
    if stray:
        explained = [s for s in stray if s["consequence"]]
        print(f"  quote-altered/misattributed on mutated drafts away from the mutated quote: {len(stray)} "
              f"({len(explained)} explained by the mutation: same paragraph, or the new name's later quotes)")
        for s in stray:
            if not s["consequence"]:
                print(f"    {s['type']} {s['path']}:{s['line']}: [{s['rule']}] {s['message']}")
    if misses:
        print(f"  misses: {len(misses)}")
        for m in misses:
            said = "; ".join(f"[{f['rule']}] {f['message']}" for f in m["reported_here"]) or "nothing on that quote"
            print(f"    {m['type']} {m['path']}:{m['line']}: {m['mutation']} in “{m['draft_quote'][:80]}” "
                  f"→ {said}")
    if args.keep:
        (workdir / "drafts.json").write_text(json.dumps(drafts, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"  kept: {workdir} (drafts.json lists every draft and its mutation)")

    result = {"split": split.resolve().name, "articles": len(articles), "seed": args.seed,
              "per_type": args.per_type, "drafts": n_drafts, "code": code,
              "types": per_type, "controls": ctrl, "false_alarms": alarms, "stray_alarms": stray,
              "misses": misses, "check_seconds": {k: round(s, 2) for k, s in seconds.items()},
              "baseline": baseline if baseline else {"skipped": baseline_note}}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
