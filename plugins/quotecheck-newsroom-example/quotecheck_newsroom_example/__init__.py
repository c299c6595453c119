"""An example quotecheck plugin: one rule a newsroom might add to the built-in ones.

The plugin itself is the module :mod:`quotecheck_newsroom_example.anonymous_source`
(the entry point in ``pyproject.toml`` names it), exactly as each built-in rule
module of quotecheck is a plugin of its own.
"""
