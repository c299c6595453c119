"""Rule packs offered by name: quotecheck's own (``us-wire``, ``british``) and
those installed plugin packages ship, all through the ``quotecheck_rule_packs``
hook (see :mod:`quotecheck.hookspecs`).

A desk writes ``packs = ["harbour-gazette"]``; this module asks every plugin
which packs it offers, checks what each returned (a plugin's mistake is named
with the plugin, not reported as a crash in quotecheck), and finds the one file
behind the name. Two plugins offering one name, or a name nobody offers, is an
error that names who offers what, so the fix is obvious.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Union

import pluggy

from ..config import ConfigError
from ..plugins import PluginError

PackFile = Union[str, Path, Traversable]

HOOK = "quotecheck_rule_packs"
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class PackOffer:
    """One pack a plugin offers: its ``name``, its TOML ``file`` (a path or an
    importlib.resources Traversable), and who offers it, as the plugin's name
    (``plugin``) and the installed package it came from (``package``, empty for
    quotecheck's own and for local plugins)."""

    name: str
    file: PackFile
    plugin: str
    package: str = ""

    @property
    def provider(self) -> str:
        """Who offers the pack, in words: ``quotecheck`` (its own),
        ``plugin harbour_gazette of package harbour-gazette-pack``."""
        if self.plugin == SHIPPED_PLUGIN:
            return "quotecheck"
        if self.plugin.startswith("local:"):
            return f"local plugin {self.plugin[len('local:'):]!r}"
        return f"plugin {self.plugin}" + (f" of package {self.package}" if self.package else "")


SHIPPED_PLUGIN = "quotecheck.packs.shipped"


def pack_offers(pm: pluggy.PluginManager) -> dict[str, list[PackOffer]]:
    """Every pack on offer, by name; a name with two offers or more is a clash,
    reported only when that name is used (:func:`find_offer`), so that two
    unrelated packages cannot stop every run.

    A plugin whose hook raises or returns something else than a dict of
    kebab-case names to files raises :class:`PluginError` naming the plugin
    and the hook: a desk asking for a pack must not get a silently different
    set of rules."""
    packages = getattr(pm, "quotecheck_packages", {})
    offers: dict[str, list[PackOffer]] = {}
    for impl in reversed(pm.hook.quotecheck_rule_packs.get_hookimpls()):
        plugin = impl.plugin_name
        try:
            result = impl.function()
        except Exception as exc:  # the plugin's bug, named as such
            raise PluginError(f"plugin {plugin} raised {exc.__class__.__name__}: {exc} in hook {HOOK}") from None
        if result is None:
            continue
        if not isinstance(result, dict):
            raise PluginError(f"plugin {plugin}: hook {HOOK} returned {type(result).__name__}, "
                              "not a dict {name: file}")
        for name, file in result.items():
            if not isinstance(name, str) or not _NAME.match(name):
                raise PluginError(f"plugin {plugin}: hook {HOOK} offers a pack named {name!r}; "
                                  "a pack name is kebab-case (lower-case words joined by -)")
            if not isinstance(file, (str, os.PathLike, Traversable)):
                raise PluginError(f"plugin {plugin}: hook {HOOK} gives pack {name!r} as "
                                  f"{type(file).__name__}; give a path or an importlib.resources file")
            offers.setdefault(name, []).append(PackOffer(name, file, plugin, packages.get(plugin, "")))
    return offers


def find_offer(name: str, offers: dict[str, list[PackOffer]]) -> PackOffer | None:
    """The one offer of ``name``; None when nobody offers it; PluginError
    naming both providers when two do."""
    found = offers.get(name, [])
    if len(found) > 1:
        who = " and ".join(o.provider for o in found)
        raise PluginError(f"rule pack {name!r} is offered by both {who}; uninstall one, "
                          "or name the pack by its file path instead")
    if not found:
        return None
    offer = found[0]
    exists = offer.file.is_file() if isinstance(offer.file, Traversable) else Path(offer.file).is_file()
    if not exists:
        raise PluginError(f"rule pack {name!r} from {offer.provider}: no such file {offer.file}")
    return offer


def on_offer(offers: dict[str, list[PackOffer]]) -> str:
    """``british (quotecheck), harbour-gazette (plugin …)`` for error messages."""
    if not offers:
        return "none"
    return ", ".join(f"{name} ({' and '.join(o.provider for o in found)})"
                     for name, found in sorted(offers.items()))
