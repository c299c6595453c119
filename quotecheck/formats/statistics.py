"""``check --statistics``: how many findings each rule raised, and for the
cross-source rules, for whom."""
from __future__ import annotations

from collections import Counter

# Rules about what a person said, where the count per speaker helps a desk.
CROSS_SOURCE = ("quote-altered", "quote-misattributed", "quote-variant", "quote-unverified")


class Tally:
    """Counts of findings per rule (and per speaker for the cross-source
    rules), added to as results come."""

    def __init__(self) -> None:
        self.by_rule: Counter = Counter()
        self.names: dict[str, str] = {}
        self.speakers: dict[str, Counter] = {}

    def add(self, findings) -> None:
        for f in findings:
            self.by_rule[f.code] += 1
            self.names[f.code] = f.rule
            if f.rule in CROSS_SOURCE:
                self.speakers.setdefault(f.code, Counter())[f.speaker or "(no speaker)"] += 1

    def statistics(self) -> dict:
        rows = [{"code": code, "name": self.names[code], "count": n,
                 **({"speakers": dict(sorted(self.speakers[code].items(), key=lambda kv: (-kv[1], kv[0])))}
                    if code in self.speakers else {})}
                for code, n in sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))]
        return {"rules": rows, "total": sum(self.by_rule.values())}


def statistics(report) -> dict:
    """``{"rules": [{"code", "name", "count", "speakers": {name: n}}], "total": n}``
    (``report``: a Report, or a :class:`Tally`)."""
    if isinstance(report, Tally):
        return report.statistics()
    tally = Tally()
    for _, findings in report:
        tally.add(findings)
    return tally.statistics()


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
