"""Rule packs: a newsroom's house style for quotes and attribution, written as
declarative rules in a TOML file instead of Python.

Like a prose linter's rule files (existence, substitution, consistency,
conditional), but the rules look *into* quotes and attributions: the reporting
verb of each quote, the first mention of each quoted person, relayed and
anonymous quotes, quote marks and the punctuation around them. Each rule becomes
an ordinary :class:`quotecheck.rules.Rule` served by a pluggy plugin, so pack
rules run, report and explain themselves exactly like the built-in ones.

Packs are used by file path or by name. Names are offered through the
``quotecheck_rule_packs`` hook (:mod:`quotecheck.packs.offers`): quotecheck's
own ``us-wire`` and ``british`` (the repository's ``rules/`` directory, offered
by the built-in plugin :mod:`quotecheck.packs.shipped`) and any pack an
installed plugin package ships. How to write and ship one: ``docs/rule-packs.md``.
"""
from .loader import BUILTIN_PACKS, RulePack, load_pack, pack_plugin, resolve_pack
from .offers import PackOffer, pack_offers
from .types import RULE_TYPES

__all__ = ["BUILTIN_PACKS", "RULE_TYPES", "PackOffer", "RulePack", "load_pack", "pack_offers", "pack_plugin",
           "resolve_pack"]
