"""quotecheck: find quotations in news text, name their speakers, and check them."""
__version__ = "0.1.0"
# The project's home: SARIF's informationUri, the language server's rule links.
HOMEPAGE = "https://github.com/quotecheck-news/quotecheck"
