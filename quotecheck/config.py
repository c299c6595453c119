"""Configuration: ``quotecheck.toml``, or ``[tool.quotecheck]`` in ``pyproject.toml``,
found upward from each checked file (the first directory that has either wins;
``quotecheck.toml`` before ``pyproject.toml`` in the same directory).

Paths in a file are relative to that file's directory. ``extends`` names a
shared newsroom configuration that is read first; the file then layers its own
settings on top, as ruff does: a plain key (``ignore``, ``packs``…) replaces
what the extended file gave, an ``extend-`` key (``extend-ignore``,
``extend-packs``…) adds to it. Tables (``[severity]``, ``[speakers]``) merge
key by key and ``[[overrides]]`` accumulate. docs/configuration.md is the
reference.

Every value remembers where it came from (:attr:`Config.origins`), so
``quotecheck config`` can say which file and key set it. An error names the
file, the line and the key, and nothing runs on a configuration that failed to
load.
"""
from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("quotecheck.toml", "pyproject.toml")
DEFAULT_INDEX = Path(".quotecheck") / "index.sqlite"
from .index.store import is_store_url, redact
from .reading import MAX_FILE_SIZE
from .vocab import SEVERITIES


class ConfigError(Exception):
    """A configuration file that cannot be used: the message names file, line and key."""


@dataclass(frozen=True)
class Origin:
    """Where one configured value came from: the file (absolute path) and the
    key as written there (``extend-ignore``, ``tool.quotecheck.packs``,
    ``severity."quote-altered"``, ``overrides[1] ignore``)."""

    file: str
    key: str

    def as_json(self) -> dict:
        return {"file": self.file, "key": self.key}


@dataclass
class Selection:
    """Which rules run and how loud: selectors are rule names, codes or code
    prefixes (``QC2``, ``UW``), or ``ALL``."""

    select: list[str] | None = None  # None: every rule
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # selector -> severity

    def enabled(self, name: str, code: str) -> bool:
        chosen = self.select is None or any(matches(s, name, code) for s in self.select)
        return chosen and not any(matches(s, name, code) for s in self.ignore)

    def severity_of(self, name: str, code: str, default: str) -> str:
        # The most specific selector wins: a name or full code over a prefix.
        hits = [(len(s) if s.lower() != name.lower() else 99, sev) for s, sev in self.severity.items()
                if matches(s, name, code)]
        return max(hits)[1] if hits else default


def matches(selector: str, name: str, code: str) -> bool:
    s = selector.strip()
    return s.upper() == "ALL" or s.lower() == name.lower() or code.upper().startswith(s.upper())


# -- globs ------------------------------------------------------------------------

def glob_regex(pattern: str) -> re.Pattern:
    """A path glob as a regular expression over ``/``-separated relative paths.

    ``*`` and ``?`` stay within one folder (they never match ``/``); ``**`` as
    a whole path segment crosses folders (``opinion/**`` is everything under
    ``opinion``, ``**/opinion/*`` an ``opinion`` folder at any depth);
    ``[abc]`` / ``[!abc]`` is one character of (not of) a set. Matching is
    case-sensitive, as paths are on the newsroom's Linux servers."""
    p = pattern.strip().replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    out, i, n = [], 0, len(p)
    while i < n:
        c = p[i]
        if c == "*" and p.startswith("**", i):
            before_ok = i == 0 or p[i - 1] == "/"
            j = i + 2
            after_slash = j < n and p[j] == "/"
            if before_ok and after_slash:  # "**/": any folders, none included
                out.append(r"(?:[^/]+/)*")
                i = j + 1
                continue
            if before_ok and j == n:  # trailing "**": everything below
                out.append(r".*")
                i = j
                continue
            out.append(r"[^/]*")  # "a**b" is two stars in one folder name
            i = j
        elif c == "*":
            out.append(r"[^/]*")
            i += 1
        elif c == "?":
            out.append(r"[^/]")
            i += 1
        elif c == "[":
            j = p.find("]", i + 2 if p.startswith("[!", i) or p.startswith("[]", i) else i + 1)
            if j == -1:
                out.append(re.escape(c))
                i += 1
                continue
            body = p[i + 1:j]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            body = body.replace("\\", "\\\\").replace("^", "\\^")
            out.append(f"[^/{body}]" if negate else f"[{body}]")
            i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out))


def glob_matches(pattern: str, relative: str) -> bool:
    """Whether a ``/``-separated relative path is matched by ``pattern``, or
    lies under a folder the pattern names (``opinion`` or ``opinion/`` covers
    everything in that folder; ``opinion/*`` only the files directly in it)."""
    if glob_regex(pattern).fullmatch(relative):
        return True
    folder = pattern.strip().rstrip("/")
    last = folder.rsplit("/", 1)[-1]
    if not folder or any(ch in last for ch in "*?["):
        return False
    return glob_regex(folder + "/**").fullmatch(relative) is not None


@dataclass
class Override:
    """Settings for the files a glob matches (relative to the directory of the
    configuration found for the file, see :meth:`Config.selection_for`):
    ``select`` replaces the selection, ``ignore`` adds to it, ``severity``
    merges over it."""

    patterns: list[str]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    origin: Origin | None = field(default=None, repr=False, compare=False)  # the file and [[overrides]] entry

    def applies_to(self, relative: str) -> bool:
        return any(glob_matches(p, relative) for p in self.patterns)


# -- the configuration ----------------------------------------------------------

@dataclass
class Setting:
    """One effective value for ``quotecheck config``: the key, the value and
    every file and key that made it (none: quotecheck's default)."""

    key: str
    value: object
    origins: list[Origin] = field(default_factory=list)

    def as_json(self) -> dict:
        """``{"value": …, "from": [{"file", "key"}, …]}``, ``"from": "default"`` when no file set it."""
        return {"value": self.value, "from": [o.as_json() for o in self.origins] or "default"}


@dataclass
class Effective:
    """What :meth:`Config.describe` returns: the configuration one file gets,
    each value with its provenance. ``settings``: the top-level keys with the
    file's ``[[overrides]]`` already applied; ``severity`` and ``speakers``:
    one :class:`Setting` per table entry; ``overrides``: every override with
    whether it applies to ``path`` (None when ``path`` is a folder: each file
    in it is matched on its own)."""

    path: str
    config_file: str | None
    files: list[str]  # every file read, the extended ones first
    settings: list[Setting]
    severity: list[Setting]
    speakers: list[Setting]
    overrides: list[tuple[Override, bool | None]]

    def as_json(self) -> dict:
        return {
            "version": 1, "path": self.path, "configuration": self.config_file, "files": self.files,
            "settings": {s.key: s.as_json() for s in self.settings},
            "severity": {s.key: s.as_json() for s in self.severity},
            "speakers": {s.key: s.as_json() for s in self.speakers},
            "overrides": [{"path": o.patterns, "select": o.select, "ignore": o.ignore, "severity": o.severity,
                           "from": o.origin.as_json() if o.origin else None, "applies": applies}
                          for o, applies in self.overrides],
        }


@dataclass
class Config:
    path: Path | None = None  # the file the settings came from, if any
    root: Path = field(default_factory=Path.cwd)  # its directory: the project's
    sources: list[str] = field(default_factory=list)  # absolute paths
    index: str | None = None  # absolute path of the index file, or a postgresql:// URL, if configured
    # PostgreSQL roles (ignored for an SQLite index): checking connects as the
    # reader, ``index add|remove|migrate`` as the writer (default: the URL's user)
    index_reader: str | None = None
    index_writer: str | None = None
    people: str | None = None  # absolute path of people.toml
    speakers: dict[str, str] = field(default_factory=dict)  # absolute path -> statement speaker
    selection: Selection = field(default_factory=Selection)
    overrides: list[Override] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)  # absolute paths, or names of shipped packs
    plugins: list[str] = field(default_factory=list)  # local plugin files or modules, as written
    plugin_base: Path | None = None  # where the last file that named plugins lies
    report_unused_suppressions: bool = False
    max_file_size: int | None = MAX_FILE_SIZE  # bytes; a larger file is skipped, with a message
    # Provenance, for `quotecheck config`: which file and key set each value
    # (keys as in TOML; "severity.<selector>", "speakers.<path>" per entry).
    # No entry: the default.
    origins: dict[str, list[Origin]] = field(default_factory=dict, repr=False, compare=False)
    files: list[str] = field(default_factory=list, repr=False, compare=False)  # read, extended first
    plugin_bases: list[Path] = field(default_factory=list, repr=False, compare=False)  # one per plugin

    @property
    def default_index(self) -> str:
        return self.index or str(self.root / DEFAULT_INDEX)

    def local_plugins(self) -> list[tuple[str, Path]]:
        """Each local plugin spec with the directory it is relative to: the
        directory of the file that named it (``plugins`` and
        ``extend-plugins`` of different files can mix)."""
        fallback = self.plugin_base or self.root
        return [(spec, self.plugin_bases[i] if i < len(self.plugin_bases) else fallback)
                for i, spec in enumerate(self.plugins)]

    def _relative(self, path: str) -> str | None:
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def selection_for(self, path: str) -> Selection:
        """The rule selection for one checked file: the file's settings, then
        every override whose glob matches it (the path relative to this
        configuration's directory), in order."""
        relative = self._relative(path)
        sel = Selection(self.selection.select, list(self.selection.ignore), dict(self.selection.severity))
        if relative is None:  # outside the project folder: no override reaches it
            return sel
        for o in self.overrides:
            if o.applies_to(relative):
                if o.select is not None:
                    sel.select = o.select
                sel.ignore += o.ignore
                sel.severity.update(o.severity)
        return sel

    def describe(self, path: str | os.PathLike | None = None) -> Effective:
        """The effective configuration for the file (or folder) ``path``
        (default: the working directory), every value with the files and keys
        it came from. For a file, the ``[[overrides]]`` whose globs match it
        are applied to ``select``, ``ignore`` and ``[severity]``, and named
        among the origins."""
        target = Path(path) if path is not None else Path.cwd()
        folder = target.is_dir()
        relative = None if folder else self._relative(str(target))
        sel = self.selection if folder else self.selection_for(str(target))  # the values...
        o = self.origins  # ...and, alongside, where each came from
        select_from, ignore_from = list(o.get("select", [])), list(o.get("ignore", []))
        severity_from = {k: list(o.get(f"severity.{k}", [])) for k in self.selection.severity}
        applied = []
        for ov in self.overrides:
            applies = None if folder else relative is not None and ov.applies_to(relative)
            applied.append((ov, applies))
            if not applies:
                continue
            if ov.select is not None:
                select_from = [_sub(ov.origin, "select")]
            if ov.ignore:
                ignore_from.append(_sub(ov.origin, "ignore"))
            for k in ov.severity:
                severity_from[k] = [_sub(ov.origin, f"severity.{_quoted(k)}")]
        select, ignore = sel.select, list(sel.ignore)
        settings = [
            Setting("select", list(select) if select is not None else ["ALL"], select_from),
            Setting("ignore", ignore, ignore_from),
            Setting("packs", list(self.packs), o.get("packs", [])),
            Setting("plugins", list(self.plugins), o.get("plugins", [])),
            Setting("sources", list(self.sources), o.get("sources", [])),
            Setting("index", redact(self.index) if self.index else None, o.get("index", [])),
            Setting("index_reader", self.index_reader, o.get("index_reader", [])),
            Setting("index_writer", self.index_writer, o.get("index_writer", [])),
            Setting("people", self.people, o.get("people", [])),
            Setting("report_unused_suppressions", self.report_unused_suppressions,
                    o.get("report_unused_suppressions", [])),
            Setting("max_file_size", self.max_file_size, o.get("max_file_size", [])),
        ]
        return Effective(
            path=str(target.resolve()), config_file=str(self.path.resolve()) if self.path else None,
            files=list(self.files), settings=settings,
            severity=[Setting(k, v, severity_from.get(k, [])) for k, v in sel.severity.items()],
            speakers=[Setting(k, v, o.get(f"speakers.{k}", [])) for k, v in self.speakers.items()],
            overrides=applied)


def _sub(origin: Origin | None, key: str) -> Origin:
    """The origin of one key inside an ``[[overrides]]`` entry."""
    return Origin(origin.file, f"{origin.key} {key}") if origin else Origin("", key)


def _quoted(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


# key -> (check, description for errors)
def _is_str_list(v) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_str_table(v) -> bool:
    return isinstance(v, dict) and all(isinstance(x, str) for x in v.values())


_KEYS = {
    "sources": (_is_str_list, "a list of paths"),
    "index": (lambda v: isinstance(v, str), "a path, or a postgresql:// URL"),
    "index_reader": (lambda v: isinstance(v, str) and v.strip() != "", "a PostgreSQL role name"),
    "index_writer": (lambda v: isinstance(v, str) and v.strip() != "", "a PostgreSQL role name"),
    "people": (lambda v: isinstance(v, str), "a path"),
    "speakers": (_is_str_table, "a table of path = \"speaker\""),
    "select": (_is_str_list, "a list of rule names, codes or code prefixes"),
    "ignore": (_is_str_list, "a list of rule names, codes or code prefixes"),
    "severity": (lambda v: _is_str_table(v) and all(s in SEVERITIES for s in v.values()),
                 "a table of rule = \"error\" | \"warning\" | \"info\""),
    "packs": (_is_str_list, "a list of rule pack files or pack names (shipped, or offered by a plugin)"),
    "plugins": (_is_str_list, "a list of plugin files or modules"),
    "extends": (lambda v: isinstance(v, str), "the path of another configuration file"),
    "overrides": (lambda v: isinstance(v, list) and all(isinstance(o, dict) for o in v),
                  "a list of [[overrides]] tables"),
    "report_unused_suppressions": (lambda v: isinstance(v, bool), "true or false"),
    "max_file_size": (lambda v: parse_size(v) is not None, 'a size: a number of bytes, or "50 MB", "2 GB", '
                                                           '"800 KB"'),
}
# The list keys a file layered on another may add to instead of replacing.
EXTENDABLE = ("select", "ignore", "packs", "plugins", "sources")
for _key in EXTENDABLE:
    _KEYS[f"extend-{_key}"] = (_KEYS[_key][0], _KEYS[_key][1] + f", added to the extended configuration's {_key}")
# Each key's check and what it expects; the language server checks its
# settings of the same names (sources, index, people, packs, select, ignore) with them.
KEY_CHECKS = _KEYS
_OVERRIDE_KEYS = {"path", "select", "ignore", "severity"}


_UNITS = {"": 1, "b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}


def parse_size(value) -> int | None:
    """Bytes from a configuration size: ``1048576``, ``"1 MB"``, ``"800KB"``
    (units of 1,024); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*", value, re.I) if isinstance(value, str) else None
    if m is None or float(m.group(1)) <= 0:
        return None
    unit = m.group(2).lower()
    return int(float(m.group(1)) * _UNITS[unit if unit in _UNITS else unit + "b"])


def find_config(start: Path) -> Path | None:
    here = start if start.is_dir() else start.parent
    for directory in (here.resolve(), *here.resolve().parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def load_config(start: Path | None = None, path: Path | None = None) -> Config:
    """The configuration that applies at ``start`` (a file or directory), or the
    file ``path`` itself; defaults when there is none."""
    path = path or find_config(start or Path.cwd())
    if path is None:
        return Config()
    config = Config(path=path, root=path.parent.resolve())
    _apply(config, path, seen=())
    return config


def _apply(config: Config, path: Path, seen: tuple[Path, ...]) -> None:
    """Read ``path`` into ``config``: what it ``extends`` first, then its own
    keys (plain keys replace, ``extend-`` keys add)."""
    path = path.resolve()
    if path in seen:
        raise ConfigError(f"{path}: extends itself (through {' → '.join(str(p) for p in seen)})")
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    table = data
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if seen and not (isinstance(tool, dict) and "quotecheck" in tool):  # extended, and says nothing
            raise ConfigError(f"{seen[-1]}: extends {path}, which has no [tool.quotecheck] table")
        table = tool.get("quotecheck", {}) if isinstance(tool, dict) else None
        if not isinstance(table, dict):  # "[tool] quotecheck = 5", "tool = 5"
            where = "tool.quotecheck" if isinstance(tool, dict) else "tool"
            raise ConfigError(f"{path}:{_line_of(text, where.split('.')[-1])}: {where} must be a table, "
                              f"not {type(table if isinstance(tool, dict) else tool).__name__}")
    prefix = "tool.quotecheck." if path.name == "pyproject.toml" else ""
    for key, value in table.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(key.replace("_", "-") if key.startswith("extend") else key,
                                              list(_KEYS), n=1)
            hint = f"; did you mean {prefix + close[0]!r}?" if close else ""
            raise ConfigError(f"{path}:{_line_of(text, key)}: unknown key {prefix + key!r}{hint} "
                              f"(known: {', '.join(sorted(_KEYS))})")
        check, what = _KEYS[key]
        if not check(value):
            raise ConfigError(f"{path}:{_line_of(text, key)}: {prefix}{key} must be {what}")
    root = path.parent
    if "extends" in table:
        base = (root / Path(table["extends"]).expanduser())
        if not base.is_file():
            raise ConfigError(f"{path}:{_line_of(text, 'extends')}: extends {table['extends']!r}: "
                              f"no such file {base}")
        _apply(config, base, seen + (path,))
    config.files.append(str(path))

    def here(p: str) -> str:
        return str((root / p).resolve())

    def origin(key: str) -> Origin:
        return Origin(str(path), prefix + key)

    def put(key: str, entry: str | None = None, written: str | None = None) -> None:
        """A plain key (or a table entry): it alone made the value now."""
        config.origins[f"{key}.{entry}" if entry is not None else key] = [
            origin(f"{key}.{_quoted(written or entry)}" if entry is not None else key)]

    def add(key: str) -> None:  # an extend- key: one more origin
        config.origins.setdefault(key, []).append(origin(f"extend-{key}"))

    def pack(p: str) -> str:
        return p if "/" not in p and not p.endswith(".toml") else here(p)

    sel = config.selection
    # plain keys first (they replace what the extended file gave), then the
    # extend- keys (they add to the result), whatever their order in the file
    if "sources" in table:
        config.sources = [here(p) for p in table["sources"]]
        put("sources")
    if "index" in table:  # a database server's URL is kept as written
        config.index = table["index"] if is_store_url(table["index"]) else here(table["index"])
        put("index")
    for key in ("index_reader", "index_writer"):
        if key in table:
            setattr(config, key, table[key])
            put(key)
    if "people" in table:
        config.people = here(table["people"])
        put("people")
    for p, s in table.get("speakers", {}).items():
        config.speakers[here(p)] = s
        put("speakers", here(p), written=p)
    if "select" in table:
        sel.select = list(table["select"])
        put("select")
    if "ignore" in table:
        sel.ignore = list(table["ignore"])
        put("ignore")
    for selector, severity in table.get("severity", {}).items():
        sel.severity[selector] = severity
        put("severity", selector)
    if "packs" in table:
        config.packs = [pack(p) for p in table["packs"]]
        put("packs")
    if "plugins" in table:
        config.plugins = list(table["plugins"])
        config.plugin_bases = [root] * len(config.plugins)
        config.plugin_base = root
        put("plugins")
    if "report_unused_suppressions" in table:
        config.report_unused_suppressions = table["report_unused_suppressions"]
        put("report_unused_suppressions")
    if "max_file_size" in table:
        config.max_file_size = parse_size(table["max_file_size"])
        put("max_file_size")

    if "extend-select" in table:
        if sel.select is not None:  # with no select anywhere every rule runs already
            sel.select = _added(sel.select, table["extend-select"])
        add("select")
    if "extend-ignore" in table:
        sel.ignore = _added(sel.ignore, table["extend-ignore"])
        add("ignore")
    if "extend-packs" in table:
        config.packs = _added(config.packs, [pack(p) for p in table["extend-packs"]])
        add("packs")
    if "extend-sources" in table:
        config.sources = _added(config.sources, [here(p) for p in table["extend-sources"]])
        add("sources")
    if "extend-plugins" in table:
        for spec in table["extend-plugins"]:
            if (spec, root) not in zip(config.plugins, config.plugin_bases):
                config.plugins.append(spec)
                config.plugin_bases.append(root)
        config.plugin_base = config.plugin_base or root
        add("plugins")
    for number, o in enumerate(table.get("overrides", [])):
        config.overrides.append(_override(o, path, text, number, prefix))


def _added(before: list[str], more: list[str]) -> list[str]:
    """``before`` and then each of ``more`` not already in it."""
    out = list(before)
    out += [m for i, m in enumerate(more) if m not in out and m not in more[:i]]
    return out


def _override(o: dict, path: Path, text: str, number: int, prefix: str = "") -> Override:
    where = f"{path}:{_nth_line(text, '[[overrides]]', number) or _line_of(text, 'overrides')}"
    unknown = set(o) - _OVERRIDE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r} in [[overrides]] "
                          f"(known: {', '.join(sorted(_OVERRIDE_KEYS))})")
    patterns = o.get("path")
    patterns = [patterns] if isinstance(patterns, str) else patterns
    if not _is_str_list(patterns) or not patterns:
        raise ConfigError(f"{where}: [[overrides]] needs path = \"glob\" (or a list of globs)")
    for key in ("select", "ignore"):
        if key in o and not _is_str_list(o[key]):
            raise ConfigError(f"{where}: overrides.{key} must be {_KEYS[key][1]}")
    if "severity" in o and not _KEYS["severity"][0](o["severity"]):
        raise ConfigError(f"{where}: overrides.severity must be {_KEYS['severity'][1]}")
    return Override(patterns, o.get("select"), list(o.get("ignore", [])), dict(o.get("severity", {})),
                    origin=Origin(str(path), f"{prefix}overrides[{number + 1}]"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _has_tool_table(pyproject: Path) -> bool:
    """Whether a pyproject.toml configures quotecheck: a ``tool.quotecheck``
    key of any type (a wrong type is then the configuration's error, said), or
    for a file TOML cannot read, a ``[tool.quotecheck]`` header."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError:
        return re.search(r"^\[tool\.quotecheck[\].]", text, re.M) is not None
    return isinstance(tool, dict) and "quotecheck" in tool


def _line_of(text: str, key: str) -> int:
    """The line a key is set on (TOML parsers do not report it)."""
    m = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=|^[ \t]*\[\[?(?:tool\.quotecheck\.)?{re.escape(key)}\]",
                  text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _nth_line(text: str, header: str, n: int) -> int | None:
    count = -1
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().replace("tool.quotecheck.", "") == header:
            count += 1
            if count == n:
                return number
    return None
