"""``check --statistics``: how many findings each rule raised, and for the
cross-source rules, for whom."""
from __future__ import annotations

from collections import Counter

# Rules about what a person said, where the count per speaker helps a desk.
CROSS_SOURCE = ("quote-altered", "quote-misattributed", "quote-variant", "quote-unverified")


def statistics(report) -> dict:
    """``{"rules": [{"code", "name", "count", "speakers": {name: n}}], "total": n}``."""
    by_rule: Counter = Counter()
    names: dict[str, str] = {}
    speakers: dict[str, Counter] = {}
    for _, findings in report:
        for f in findings:
            by_rule[f.code] += 1
            names[f.code] = f.rule
            if f.rule in CROSS_SOURCE:
                speakers.setdefault(f.code, Counter())[f.speaker or "(no speaker)"] += 1
    rows = [{"code": code, "name": names[code], "count": n,
             **({"speakers": dict(sorted(speakers[code].items(), key=lambda kv: (-kv[1], kv[0])))}
                if code in speakers else {})}
            for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"rules": rows, "total": sum(by_rule.values())}


def statistics_text(report) -> str:
    stats = statistics(report)
    if not stats["rules"]:
        return "0 findings"
    width = max(len(r["name"]) for r in stats["rules"])
    lines = []
    for r in stats["rules"]:
        lines.append(f"{r['count']:>5}  {r['code']:<7} {r['name']:<{width}}")
        for who, n in r.get("speakers", {}).items():
            lines.append(f"{'':>5}  {'':<7}   {n:>4}  {who}")
    lines.append(f"{stats['total']:>5}  total")
    return "\n".join(lines)
