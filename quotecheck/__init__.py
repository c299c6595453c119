"""quotecheck: find quotations in news text, name their speakers, and check them."""
__version__ = "0.1.0"
