"""The Harbour Gazette's house style for quotes, as a quotecheck rule pack
offered by name (``packs = ["harbour-gazette"]``); see ``plugin.py``."""
