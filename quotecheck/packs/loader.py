"""Load a rule pack (a TOML file of declarative rules) into ordinary
:class:`quotecheck.rules.Rule` objects, and register it as a pluggy plugin.

A pack rule is indistinguishable from a built-in one once loaded: same ``Rule``
class, same hook (``quotecheck_rules``), same runner, and a ``doc`` with the
sections *What it does*, *Why*, *Example*, *Fix*. Loading is all or nothing:
the first problem raises :class:`~quotecheck.config.ConfigError` as
``path:line: message`` naming the key, and no rule of the file is used.
"""
from __future__ import annotations

import re
import string
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import quotecheck

from ..config import ConfigError
from ..hookspecs import hookimpl
from ..model import SEVERITIES, Document
from ..rules import Rule
from .base import Key, PackError, RuleType, check_value
from .locate import PackText
from .types import RULE_TYPES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

PACK_KEYS = ("name", "description", "rule")

# Keys every rule has, whatever its type.
COMMON_KEYS = (
    Key("code", "string", required=True, help="unique code, letters then digits (UW001); QC is quotecheck's own"),
    Key("name", "string", required=True, help="unique kebab-case name (loaded-attribution-verb)"),
    Key("type", "string", required=True, help="one of the rule types"),
    Key("severity", "string", default="warning", choices=SEVERITIES, help="error, warning or info"),
    Key("message", "string", help="the finding's message; {placeholders} per type"),
    Key("description", "string", help="What it does (generated from the settings when missing)"),
    Key("why", "string", help="Why the house has this rule"),
    Key("example", "string", help="copy the rule reports"),
    Key("fix", "string", help="how to correct it"),
)
# Every list-valued key KEY of a rule type also has an ``extend-KEY``: KEY
# replaces the default list, extend-KEY adds to it (to KEY when both are given),
# like ruff's select / extend-select.
EXTEND = "extend-"
LIST_KINDS = ("strings", "groups")
_CODE = re.compile(r"^[A-Z]+[0-9]+$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass
class RulePack:
    name: str  # from the file's ``name = "..."``, else the file stem
    path: str
    rules: list[Rule] = field(default_factory=list)
    description: str = ""


@dataclass
class PackCheck:
    """A pack rule's ``check``: the rule type's hits, as findings with the
    rule's message filled in."""

    rule_type: RuleType
    message: str
    rule: Rule | None = None

    def __call__(self, doc: Document, context: dict):
        for hit in self.rule_type.hits(doc):
            yield self.rule.finding(self.message.format_map(hit.fields), hit.start, hit.end,
                                    quote=hit.quote, speaker=hit.speaker,
                                    evidence=hit.evidence, fixes=hit.fixes)


def load_pack(path) -> RulePack:
    """Read and check a whole pack file; raise ConfigError at its first problem.

    ``path``: a file path, or an importlib.resources Traversable (a pack a
    plugin package ships as package data, see :mod:`quotecheck.packs.offers`)."""
    file = path if hasattr(path, "read_text") else Path(path)
    path = str(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read rule pack: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    where = PackText(text)

    def fail(line: int, message: str):
        raise ConfigError(f"{path}:{line}: {message}") from None

    for key, value in data.items():
        if key not in PACK_KEYS:
            fail(where.top_level_line(key), f"unknown key {key!r} (known: {', '.join(PACK_KEYS)}; "
                                            "rules go in [[rule]] tables)")
        if key in ("name", "description") and not (isinstance(value, str) and value.strip()):
            fail(where.top_level_line(key), f"{key} must be a string")
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        fail(where.top_level_line("rule"), "a rule pack needs one or more [[rule]] tables")
    pack = RulePack(name=data.get("name") or Path(path).stem, path=path,
                    description=data.get("description", ""))
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for index, table in enumerate(tables):
        try:
            rule = _build_rule(table, pack)
        except PackError as exc:
            fail(where.rule_line(index, exc.key, exc.entry), str(exc))
        for seen, key, value in ((codes, "code", rule.code), (names, "name", rule.name)):
            if value in seen:
                fail(where.rule_line(index, key), f"duplicate {key} {value!r} (also rule {seen[value] + 1} "
                                                  f"at line {where.rule_line(seen[value], key)})")
            seen[value] = index
        pack.rules.append(rule)
    return pack


def _build_rule(table: dict[str, Any], pack: RulePack) -> Rule:
    """One [[rule]] table as a Rule; PackError names the key at fault."""
    label = f"rule {table['code']!r}" if isinstance(table.get("code"), str) else "rule"
    if "type" not in table:
        raise PackError("type", f"{label} has no type (one of: {', '.join(RULE_TYPES)})")
    kind = table["type"]
    if kind not in RULE_TYPES:
        raise PackError("type", f"unknown rule type {kind!r} (known: {', '.join(RULE_TYPES)})")
    rule_type = RULE_TYPES[kind]
    allowed = {k.name: k for k in (*COMMON_KEYS, *rule_type.keys)}
    extending = {EXTEND + k.name: k for k in rule_type.keys if k.kind in LIST_KINDS}
    for key in table:
        if key not in allowed and key not in extending:
            known = sorted([*allowed, *extending])
            raise PackError(key, f"unknown key {key!r} for type {kind} (known: {', '.join(known)})")
    settings: dict[str, Any] = {}
    for key in allowed.values():
        extra = EXTEND + key.name
        if key.name in table:
            settings[key.name] = check_value(key, table[key.name])
        elif key.required and extra not in table:
            raise PackError(key.name, f"{label} misses required key {key.name!r} (type {kind})")
        elif key.default is not None:
            settings[key.name] = key.default
        if extra in table:  # a list key: extend-KEY adds to KEY as given, else to its default
            added = check_value(Key(extra, key.kind), table[extra])
            settings[key.name] = [*settings.get(key.name, []), *(v for v in added
                                                                 if v not in settings.get(key.name, []))]
    code, name = settings["code"], settings["name"]
    if not _CODE.match(code):
        raise PackError("code", f"code {code!r} must be capital letters then digits (like UW001)")
    if code.startswith("QC"):
        raise PackError("code", f"code {code!r}: the QC prefix belongs to quotecheck's built-in rules")
    if not _NAME.match(name):
        raise PackError("name", f"name {name!r} must be kebab-case (lower-case words joined by -)")
    message = settings.get("message", rule_type.default_message)
    _check_placeholders(message, rule_type)
    typed = rule_type({k: v for k, v in settings.items() if k in {t.name for t in rule_type.keys}})
    checker = PackCheck(typed, message)
    rule = Rule(name=name, code=code, severity=settings["severity"], check=checker,
                doc=_documentation(settings, typed, pack), plugin=f"pack:{pack.name}")
    checker.rule = rule
    return rule


def _check_placeholders(message: str, rule_type: type[RuleType]) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(message) if f is not None]
    except ValueError as exc:
        raise PackError("message", f"message: {exc} (write {{{{ and }}}} for literal braces)") from None
    allowed = rule_type.placeholders
    for f in fields:
        if f not in allowed:
            known = ", ".join("{" + p + "}" for p in allowed)
            raise PackError("message", f"message: unknown placeholder {{{f}}} for type {rule_type.name} "
                                       f"(known: {known})")


def _documentation(settings: dict[str, Any], typed: RuleType, pack: RulePack) -> str:
    """The rule's doc in the built-in rules' format, for ``quotecheck explain``."""
    sections = (
        ("What it does", settings.get("description") or typed.describe()),
        ("Why", settings.get("why") or pack.description or f"House style of the {pack.name} rule pack."),
        ("Example", settings.get("example") or "(the pack gives no example)"),
        ("Fix", settings.get("fix") or typed.fix_advice),
    )
    body = "\n\n".join(f"{title}:\n{_indent(text)}" for title, text in sections)
    return (f"{settings['name']} ({settings['code']})\n\n{body}\n\n"
            f"Rule pack {pack.name} ({pack.path}), type {typed.name}.")


def _indent(text: str) -> str:
    """Four spaces in; a line too long for a terminal (a one-line TOML value) wrapped."""
    lines = []
    for line in text.strip().splitlines():
        lines += textwrap.wrap(line, 76, break_long_words=False, break_on_hyphens=False) if len(line) > 80 else [line]
    return "\n".join(("    " + line) if line.strip() else "" for line in lines)


class PackPlugin:
    """A loaded pack as a pluggy plugin: it provides its rules through the same
    ``quotecheck_rules`` hook as the built-in rule modules."""

    def __init__(self, pack: RulePack):
        self.pack = pack

    @hookimpl
    def quotecheck_rules(self):
        return list(self.pack.rules)

    def __repr__(self) -> str:
        return f"<rule pack {self.pack.name} ({self.pack.path})>"


def pack_plugin(pack: RulePack) -> PackPlugin:
    return PackPlugin(pack)


def _pack_dirs() -> list[Path]:
    """Where the shipped packs are: the repository's ``rules/`` in a checkout or
    an editable install (recognised by its pyproject.toml, so an unrelated
    ``site-packages/rules`` is never read), then the copy an installed wheel
    holds in ``quotecheck/packs/data/``."""
    root = Path(quotecheck.__file__).resolve().parent.parent
    dirs = []
    if (root / "pyproject.toml").is_file():
        dirs.append(root / "rules")
    dirs.append(Path(__file__).resolve().parent / "data")
    return [d for d in dirs if d.is_dir()]


def _builtin_packs() -> dict[str, str]:
    packs: dict[str, str] = {}
    for directory in _pack_dirs():
        for file in sorted(directory.glob("*.toml")):
            packs.setdefault(file.stem, str(file))
    return packs


BUILTIN_PACKS: dict[str, str] = _builtin_packs()


def _is_path(spec: str) -> bool:
    """A pack given as a file (``house.toml``, ``style/house``), not a name."""
    return spec.endswith(".toml") or "/" in spec or "\\" in spec


def resolve_pack(spec: str, base: Path, pm=None):
    """The file of a pack named in configuration or on the command line: an
    existing file when ``spec`` looks like one (``house.toml``, ``style/x``,
    relative to ``base``); else a pack offered by name (``us-wire``, or
    ``harbour-gazette`` from an installed plugin package, through the
    ``quotecheck_rule_packs`` hook of ``pm``'s plugins); else a file after all.

    Without ``pm``, only quotecheck's shipped packs are known by name. Returns
    a path string, or the Traversable a plugin gave (both are what
    :func:`load_pack` reads). A name two plugins offer raises
    :class:`~quotecheck.plugins.PluginError` naming both; a name nobody
    offers that is not a file either raises ConfigError listing every pack on
    offer and who offers it."""
    from .offers import SHIPPED_PLUGIN, PackOffer, find_offer, on_offer, pack_offers

    candidate = Path(spec).expanduser()
    if not candidate.is_absolute():
        candidate = Path(base) / candidate
    if _is_path(spec) and candidate.is_file():
        return str(candidate)  # a file: no plugin is asked
    if pm is not None:
        offers = pack_offers(pm)
    else:
        offers = {name: [PackOffer(name, file, SHIPPED_PLUGIN)] for name, file in BUILTIN_PACKS.items()}
    offer = find_offer(spec, offers)
    if offer is not None:
        return offer.file if not isinstance(offer.file, Path) else str(offer.file)
    if candidate.is_file():
        return str(candidate)
    raise ConfigError(f"rule pack {spec!r}: no such file {candidate} and no pack of that name on offer "
                      f"(on offer: {on_offer(offers)}; a plugin package offers packs through the "
                      "quotecheck_rule_packs hook)")
