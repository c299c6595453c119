"""The host: builds the plugin manager and registers the built-in plugins first,
exactly as an external plugin is registered.

Plugins come from three places: the built-in rule modules, installed packages
(entry point group ``quotecheck``), and local modules a project names in its
configuration (``plugins = ["newsroom/rules.py"]``, see :func:`register_local_plugins`).
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pluggy

from . import hookspecs
from .validate import check_cues, rule_problem, who

BUILTIN_PLUGINS = (
    "quotecheck.rules.unbalanced_quote_marks",
    "quotecheck.rules.unattributed_quote",
    "quotecheck.rules.pronoun_mismatch",
    "quotecheck.rules.speaker_name_inconsistent",
    "quotecheck.rules.quote_altered",
    "quotecheck.rules.quote_misattributed",
    "quotecheck.rules.quote_variant",
    "quotecheck.rules.quote_unverified",
    "quotecheck.rules.unused_suppression",
    "quotecheck.reporting",
    "quotecheck.formats.ci",
    "quotecheck.packs.shipped",
    "quotecheck.sources.formats",
)


class PluginError(RuntimeError):
    pass


def build_manager(builtins=BUILTIN_PLUGINS, entry_points: bool = True) -> pluggy.PluginManager:
    """The plugin manager: built-in plugins first, then installed ones (entry
    point group ``quotecheck``). An installed plugin that fails to import is
    left out and named in ``load_errors(pm)``; the others still load."""
    pm = pluggy.PluginManager("quotecheck")
    pm.add_hookspecs(hookspecs)
    for name in builtins:
        pm.register(importlib.import_module(name), name=name)
    pm.quotecheck_load_errors = []
    pm.quotecheck_packages = {}  # entry point name -> its package, to say who offers a rule pack
    if entry_points:
        _load_entry_points(pm)
    return pm


def load_errors(pm: pluggy.PluginManager) -> list[str]:
    return list(getattr(pm, "quotecheck_load_errors", []))


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    """pluggy's ``load_setuptools_entrypoints``, one entry point at a time, so
    that one broken package neither stops the run nor hides whose it is."""
    import importlib.metadata

    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group != "quotecheck" or pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
                continue
            package = dist.metadata["name"]
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
                pm.quotecheck_packages[ep.name] = package
            except (Exception, SystemExit) as exc:  # sys.exit() at import is a failure, said
                pm.quotecheck_load_errors.append(
                    f"plugin {ep.name} (package {package}) could not be loaded: "
                    f"{exc.__class__.__name__}: {exc}")
                continue


def plugin_label(pm: pluggy.PluginManager, name: str, hook: str) -> str:
    """``plugin NAME (package DIST), hook HOOK``: how a message about a hook's
    result names whose it is (the package for an installed plugin)."""
    return who(name, hook, getattr(pm, "quotecheck_packages", {}).get(name))


def collect_rules(pm: pluggy.PluginManager) -> list:
    """Every plugin's rules, by code. A plugin that raises, returns something
    that is not a list of rule objects, or declares a rule without a name,
    code, severity or ``check`` is a :class:`PluginError` naming it: the rule
    set is what every later check relies on."""
    rules, seen = [], {}
    for plugin in pm.get_plugins():
        impl = getattr(plugin, "quotecheck_rules", None)
        if impl is None:
            continue
        owner = pm.get_name(plugin)
        source = plugin_label(pm, owner, "quotecheck_rules")
        try:
            provided = impl()
            if isinstance(provided, (str, bytes, dict)) or not hasattr(provided, "__iter__"):
                raise PluginError(f"{source} returned a {type(provided).__name__}, not a list of rules")
            provided = list(provided)
        except PluginError:
            raise
        except Exception as exc:  # name the plugin, not a traceback
            raise PluginError(f"plugin {owner} raised {exc.__class__.__name__}: {exc} "
                              f"in hook quotecheck_rules") from None
        for rule in provided:
            problem = rule_problem(rule)
            if problem:
                raise PluginError(f"{source} returned {problem}")
            rule.plugin = owner
            rule.plugin_label = source  # whose rule, in the messages about its findings
            for key in (rule.name, rule.code):
                if key in seen:
                    raise PluginError(f"rule {key!r} is defined by both {seen[key]} and {owner}")
                seen[key] = owner
            rules.append(rule)
    return sorted(rules, key=lambda r: r.code)


def extra_cues(pm: pluggy.PluginManager) -> tuple[frozenset[str], list[str]]:
    """Every plugin's extra reporting verbs, and one message per plugin that
    raised or returned something other than a list of one-word strings
    (:func:`quotecheck.validate.check_cues`)."""
    hook = "quotecheck_reporting_cues"
    results, errors = hook_results_by_plugin(pm, hook)
    verbs: set[str] = set()
    for name, result in results:
        good, wrong = check_cues(result, plugin_label(pm, name, hook))
        verbs.update(good)
        errors += wrong
    return frozenset(verbs), errors


# -- local plugins: a newsroom's own modules, named in its configuration -----------

_MODULE_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def load_local_plugin(spec: str, base: Path):
    """Import one local plugin and return the module.

    ``spec`` is a path to a ``.py`` file (relative to ``base``, the configuration
    file's directory) or a dotted module name importable from ``base``. A file is
    imported under a module name of its own (derived from its full path), so two
    projects' ``rules.py`` never shadow each other or an installed module; a
    dotted name is imported under that name with ``base`` first on ``sys.path``,
    so the package's own imports (``from . import helpers``) work as usual.

    Every failure raises :class:`PluginError` naming the spec, the file and the
    reason (file not found, syntax error with its line, import error with the
    line that raised), because a configuration typo must not look like a bug in
    quotecheck.
    """
    base = Path(base)
    if spec.endswith(".py") or "/" in spec or "\\" in spec:
        return _load_file(spec, (base / spec).resolve())
    if not _MODULE_NAME.fullmatch(spec):
        raise PluginError(f"local plugin {spec!r}: neither a .py file nor a dotted module name")
    return _load_module(spec, base.resolve())


def register_local_plugins(pm: pluggy.PluginManager, specs, base: Path) -> list[str]:
    """Load and register each local plugin as ``local:<spec>``; return the names.

    A module must implement at least one quotecheck hook, and only quotecheck
    hooks: a function without ``@hookimpl`` or with a misspelt hook name would
    otherwise be silently ignored.
    """
    names = []
    for spec in specs:
        module = load_local_plugin(spec, base)
        name = f"local:{spec}"
        try:
            pm.register(module, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(f"local plugin {spec!r}: {exc}") from None
        callers = pm.get_hookcallers(module) or []
        unknown = sorted(c.name for c in callers if c.spec is None)
        if unknown or not callers:
            pm.unregister(module)
            known = ", ".join(sorted(n for n in dir(hookspecs) if n.startswith("quotecheck_")))
            what = (f"{', '.join(unknown)} is not a quotecheck hook" if unknown
                    else "implements no quotecheck hook (is the function decorated with @hookimpl?)")
            raise PluginError(f"local plugin {spec!r} ({module.__file__}): {what}; hooks: {known}")
        names.append(name)
    return names


def _load_file(spec: str, path: Path):
    if not path.is_file():
        raise PluginError(f"local plugin {spec!r}: {path}: file not found")
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    stem = re.sub(r"\W", "_", path.stem)
    name = f"quotecheck_local_{stem}_{digest}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module  # before running it: @rule looks its module up there
    try:
        module_spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:  # sys.exit() at import must not end the run silently
        del sys.modules[name]
        raise PluginError(_import_failure(spec, exc, path)) from None
    return module


def _load_module(spec: str, base: Path):
    if str(base) not in sys.path:
        sys.path.insert(0, str(base))  # kept: the plugin may import lazily later
    try:
        return importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        if exc.name and (spec == exc.name or spec.startswith(exc.name + ".")):
            raise PluginError(f"local plugin {spec!r}: no module {spec!r} in {base} "
                              "or on the Python path") from None
        raise PluginError(_import_failure(spec, exc, base)) from None
    except (Exception, SystemExit) as exc:  # sys.exit() at import must not end the run silently
        raise PluginError(_import_failure(spec, exc, base)) from None


def _import_failure(spec: str, exc: BaseException, where: Path) -> str:
    """``local plugin SPEC: FILE:LINE: reason``, the line being the plugin's own
    (the deepest frame in the plugin's file or directory), not quotecheck's."""
    if isinstance(exc, SyntaxError):
        return f"local plugin {spec!r}: {exc.filename}:{exc.lineno}: syntax error: {exc.msg}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if Path(f.filename).is_relative_to(where)]
    place = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else str(where)
    if isinstance(exc, SystemExit):
        return f"local plugin {spec!r}: {place}: import failed: the plugin called sys.exit({exc.code!r})"
    return f"local plugin {spec!r}: {place}: import failed: {exc.__class__.__name__}: {exc}"


# -- calling a hook with each plugin isolated ---------------------------------------

def safe_hook_results(pm: pluggy.PluginManager, hook_name: str, **kwargs) -> tuple[list, list[str]]:
    """Call every implementation of ``hook_name`` separately, so that one plugin
    that raises neither stops the others nor hides whose fault it was.

    Returns ``(results, errors)``: the non-None results in pluggy's call order
    (last registered first, ``tryfirst``/``trylast`` honoured), and one message
    per failing plugin, ``plugin NAME raised ExcType: message in hook HOOK``. A
    result that is an iterator (a generator function's findings) is consumed
    here, inside the isolation, because that is where its exceptions happen. A
    ``firstresult`` hook stops at the first non-None result, as pluggy does.
    Hook wrappers are not called: quotecheck's hooks have none.
    """
    results, errors = hook_results_by_plugin(pm, hook_name, **kwargs)
    return [result for _, result in results], errors


def hook_results_by_plugin(pm: pluggy.PluginManager, hook_name: str, **kwargs) -> tuple[list, list[str]]:
    """:func:`safe_hook_results` with each result paired with the name of the
    plugin that gave it, ``[(plugin_name, result), ...]``, so that a bad
    result can be reported as that plugin's (see :mod:`quotecheck.validate`)."""
    caller = getattr(pm.hook, hook_name)
    first_only = bool(caller.spec and caller.spec.opts.get("firstresult"))
    results, errors = [], []
    for impl in reversed(caller.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        missing = [arg for arg in impl.argnames if arg not in kwargs]
        if missing:  # the host's mistake, not the plugin's: not isolated
            raise pluggy.HookCallError(f"hook {hook_name} called without {', '.join(missing)}")
        try:
            result = impl.function(*(kwargs[arg] for arg in impl.argnames))
            if isinstance(result, Iterator):
                result = list(result)
        except Exception as exc:  # a plugin's bug must not hide the other plugins
            errors.append(f"plugin {impl.plugin_name} raised {exc.__class__.__name__}: {exc} "
                          f"in hook {hook_name}")
            continue
        if result is not None:
            results.append((impl.plugin_name, result))
            if first_only:
                break
    return results, errors
