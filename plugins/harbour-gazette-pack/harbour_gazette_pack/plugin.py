"""Offers the Harbour Gazette's rule pack to quotecheck by name.

Once this package is installed, every desk writes ``packs = ["harbour-gazette"]``
in its ``quotecheck.toml`` (or ``quotecheck check --pack harbour-gazette``)
instead of copying the TOML file: one copy, one version, updated with
``pip install -U``.
"""
from importlib.resources import files

from quotecheck.hookspecs import hookimpl

PACK_NAME = "harbour-gazette"


@hookimpl
def quotecheck_rule_packs():
    # The file travels inside the package (package data in pyproject.toml);
    # files() finds it wherever pip put the package, even inside a zip.
    return {PACK_NAME: files(__package__) / "harbour-gazette.toml"}
