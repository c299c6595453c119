"""quotecheck's own rule packs, ``us-wire`` and ``british``, offered by name
through the ``quotecheck_rule_packs`` hook exactly as an installed package
offers its packs (this module is one of the built-in plugins, see
:data:`quotecheck.plugins.BUILTIN_PLUGINS`).

The files are the repository's ``rules/*.toml`` in a checkout, and the copy a
wheel holds in ``quotecheck/packs/data/`` once installed.
"""
from __future__ import annotations

from ..hookspecs import hookimpl
from .loader import BUILTIN_PACKS


@hookimpl
def quotecheck_rule_packs():
    return dict(BUILTIN_PACKS)
