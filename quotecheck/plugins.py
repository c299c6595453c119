"""The host: builds the plugin manager and registers the built-in plugins first,
exactly as an external plugin is registered."""
from __future__ import annotations

import importlib

import pluggy

from . import hookspecs

BUILTIN_PLUGINS = (
    "quotecheck.rules.unbalanced_quote_marks",
    "quotecheck.rules.unattributed_quote",
    "quotecheck.rules.pronoun_mismatch",
    "quotecheck.rules.speaker_name_inconsistent",
    "quotecheck.rules.quote_altered",
    "quotecheck.rules.quote_misattributed",
    "quotecheck.rules.quote_variant",
    "quotecheck.rules.quote_unverified",
)


class PluginError(RuntimeError):
    pass


def build_manager(builtins=BUILTIN_PLUGINS, entry_points: bool = True) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("quotecheck")
    pm.add_hookspecs(hookspecs)
    for name in builtins:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        pm.load_setuptools_entrypoints("quotecheck")
    return pm


def collect_rules(pm: pluggy.PluginManager) -> list:
    rules, seen = [], {}
    for plugin in pm.get_plugins():
        impl = getattr(plugin, "quotecheck_rules", None)
        if impl is None:
            continue
        owner = pm.get_name(plugin)
        for rule in impl():
            rule.plugin = owner
            for key in (rule.name, rule.code):
                if key in seen:
                    raise PluginError(f"rule {key!r} is defined by both {seen[key]} and {owner}")
                seen[key] = owner
            rules.append(rule)
    return sorted(rules, key=lambda r: r.code)


def extra_cues(pm: pluggy.PluginManager) -> frozenset[str]:
    return frozenset(v for verbs in pm.hook.quotecheck_reporting_cues() for v in verbs)
