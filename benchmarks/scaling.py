"""How each stage's time grows with the size of its input: the growth exponent.

usage: python benchmarks/scaling.py [--families news,paragraph,...] [--sizes 10000,20000,40000,80000]
           [--repeat 1] [--json]

For every input family and size it builds a draft of that many characters
(generated here from invented text, nothing read from disk), runs the
pipeline's stages one after another on it — read, find quotes, furniture,
parse, references, attribute, finish references, rules, the shipped rule
packs' rules, suppressions, report —
timing each, and fits ``time = c · size^k`` by least squares on the log-log
points. ``k`` near 1 is linear; near 2, quadratic. A stage whose time stays
below the noise floor (``--floor``, default 5 ms at the largest size) gets no
exponent ("-"): there is nothing to fit.

The families (each a phenomenon of real files, pushed to size):

- ``news``: invented news paragraphs, quotes and cues, a growing cast of names
  (so name lookups and the name-variant check see more names as it grows);
- ``paragraph``: the same prose as one long paragraph with no line break;
- ``unbalanced``: opening quote marks that never close, in one paragraph;
- ``straight``: straight double marks only (``"`` repeated, as a broken export);
- ``nested``: marks nested ever deeper (“a ‘b “a ‘b … c’ d” c’ d”);
- ``singles``: single marks and apostrophes (‘ ’ ' in words and around them);
- ``lines``: one short quote-bearing line a paragraph (wire copy), no blank line.

This is a benchmark, not a test: it prints figures and asserts nothing. The
last line of stdout is JSON: ``{"families": {family: {stage: exponent}},
"seconds": {family: {stage: [seconds per size]}}, "sizes": [...]}``.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # benchmarks/_common.py
from _common import code_version  # noqa: E402

FIRST = ["Ana", "Tomas", "Ines", "Oleg", "Mara", "Jonas", "Ada", "Piotr", "Lena", "Vadim", "Rosa",
         "Emeka", "Sofia", "Karl", "Nadia", "Hugo", "Amara", "Felix", "Irene", "Dario"]
LAST = ["Keller", "Reyes", "Marlow", "Berg", "Lind", "Okafor", "Ruiz", "Paju", "Denisenko", "Varga",
        "Moreau", "Halloran", "Achterberg", "Nakamura", "Ibarra", "Castellano", "Whitlock", "Marchuk",
        "Ferreira", "Adeyemi"]
PLACES = ["Port Ellis", "the harbour", "the council chamber", "the old mill", "the bridge"]
SAY = ["said", "told reporters", "added", "warned", "wrote in a statement", "insisted"]


def _person(rng: random.Random, n: int) -> tuple[str, str]:
    """The n-th invented person: first name, surname (with a numeral suffix
    past the lists, so the cast keeps growing)."""
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    extra = n // (len(FIRST) * len(LAST))
    return first, last + ("" if extra == 0 else "-" + "abcdefghij"[extra % 10] * (1 + extra // 10))


def news_paragraphs(rng: random.Random):
    """Endless invented news paragraphs: narrative, quotes with cues, a
    pronoun cue, a surname alone, a partial quote."""
    n = 0
    while True:
        first, last = _person(rng, n)
        other_first, other_last = _person(rng, n + 7)
        place = rng.choice(PLACES)
        yield f"{first} {last}, a spokeswoman for the harbour authority, spoke at {place} on Tuesday."
        yield f"“We have waited long enough for the money and the engineers,” {last} {rng.choice(SAY)}."
        yield (f"She added that the vote would come “within weeks, not months,” and that "
               f"{other_first} {other_last} had agreed.")
        yield f"“It is time to start,” said {other_first} {other_last}, who runs a shop near {place}."
        yield f"{other_last} said the council “cannot wait another year.” He did not say more."
        n += 1


def build(family: str, size: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    if family in ("news", "paragraph", "lines"):
        sep = {"news": "\n\n", "paragraph": " ", "lines": "\n"}[family]
        out, total = [], 0
        for para in news_paragraphs(rng):
            out.append(para)
            total += len(para) + len(sep)
            if total >= size:
                break
        return sep.join(out)[:size]
    if family == "unbalanced":
        unit = "“This is an opening mark with no close, Reyes said. "
    elif family == "straight":
        unit = '"'
    elif family == "singles":
        unit = "Reyes’ ‘word’ isn't the soldiers’ 'own' ’90s ‘quote "
    elif family == "nested":
        pairs = size // 16 + 1  # “a ‘b … c’ d” : 16 characters a level pair
        return ("“a ‘b " * pairs + "c’ d” " * pairs)[:size]
    else:
        raise SystemExit(f"scaling: unknown family {family!r}")
    return (unit * (size // len(unit) + 1))[:size]


def stages(text: str, nlp) -> dict[str, float]:
    """Seconds per stage for one draft, run in pipeline order."""
    from quotecheck.attribution import attribute
    from quotecheck.furniture import mark_furniture
    from quotecheck.language import parse_documents
    from quotecheck.model import Document
    from quotecheck.plugins import build_manager, collect_rules
    from quotecheck.quotes import find_quotes
    from quotecheck.reading import decode
    from quotecheck.references import finish_references, resolve_references
    from quotecheck.reporting import findings_json, people_json, quotes_json
    from quotecheck.rules.runner import run_rules
    from quotecheck.suppression import apply_suppressions

    from quotecheck.packs import load_pack, pack_plugin, resolve_pack

    rules = collect_rules(build_manager(entry_points=False))
    pm = build_manager(entry_points=False)
    for name in ("us-wire", "british"):  # the shipped packs: every declarative rule type
        pack = load_pack(resolve_pack(name, "."))
        pm.register(pack_plugin(pack), name=f"pack:{pack.name}")
    packs = [r for r in collect_rules(pm) if r.plugin.startswith("pack:")]
    data = text.encode("utf-8")
    seconds: dict[str, float] = {}
    state: dict = {}

    def step(name, fn):
        start = time.perf_counter()
        fn()
        seconds[name] = time.perf_counter() - start

    step("read", lambda: state.update(doc=Document("scaling.txt", decode(data, "scaling.txt"))))
    doc = state["doc"]
    step("quotes", lambda: find_quotes(doc))
    step("furniture", lambda: mark_furniture(doc))
    step("parse", lambda: parse_documents([doc], nlp))
    step("references", lambda: resolve_references(doc))
    step("attribute", lambda: attribute(doc))
    step("finish", lambda: finish_references(doc))
    step("rules", lambda: state.update(findings=run_rules(doc, rules, {})[0]))
    step("packs", lambda: run_rules(doc, packs, {}))
    step("suppress", lambda: apply_suppressions(doc, state["findings"], {r.name for r in rules}))
    step("report", lambda: (quotes_json([doc]), people_json([doc]), findings_json([(doc, state["findings"])])))
    return seconds


def exponent(sizes: list[int], times: list[float], floor: float) -> float | None:
    """Least-squares slope of log(time) on log(size); None under the noise floor."""
    if max(times) < floor or len(sizes) < 2:
        return None
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="news,paragraph,lines,unbalanced,straight,nested,singles")
    ap.add_argument("--sizes", default="10000,20000,40000,80000", help="characters, comma-separated")
    ap.add_argument("--repeat", type=int, default=1, help="runs per point; the fastest counts")
    ap.add_argument("--floor", type=float, default=0.005, help="seconds: below this, no exponent")
    ap.add_argument("--model", help="spaCy pipeline name (as quotecheck --model)")
    args = ap.parse_args(argv)
    try:
        sizes = sorted(int(s) for s in args.sizes.split(","))
    except ValueError:
        ap.error("--sizes: comma-separated whole numbers of characters")
    if args.repeat < 1 or any(s < 1 for s in sizes):
        ap.error("--repeat and --sizes must be positive")
    from quotecheck.language import load_pipeline

    nlp = load_pipeline(args.model)
    print(f"scaling: code {code_version()}, sizes {sizes} characters", flush=True)
    result: dict = {"sizes": sizes, "families": {}, "seconds": {}}
    for family in args.families.split(","):
        per_stage: dict[str, list[float]] = {}
        for size in sizes:
            text = build(family, size)
            best: dict[str, float] = {}
            for _ in range(args.repeat):
                for name, t in stages(text, nlp).items():
                    best[name] = min(t, best.get(name, math.inf))
            for name, t in best.items():
                per_stage.setdefault(name, []).append(t)
            print(f"  {family:<10} {size:>9,} chars: total {sum(best.values()):7.2f} s "
                  f"(slowest: {max(best, key=best.get)} {max(best.values()):.2f} s)", flush=True)
        exps = {name: exponent(sizes, ts, args.floor) for name, ts in per_stage.items()}
        result["families"][family] = {k: (round(v, 2) if v is not None else None) for k, v in exps.items()}
        result["seconds"][family] = {k: [round(t, 4) for t in ts] for k, ts in per_stage.items()}
    names = list(next(iter(result["seconds"].values())).keys()) if result["seconds"] else []
    print("\ngrowth exponent per stage (1 = linear, 2 = quadratic; - = under the noise floor)")
    print(f"{'family':<11}" + "".join(f"{n:>11}" for n in names))
    for family, exps in result["families"].items():
        print(f"{family:<11}" + "".join(f"{('-' if exps[n] is None else f'{exps[n]:.2f}'):>11}" for n in names))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
