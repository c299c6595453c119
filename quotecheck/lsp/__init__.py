"""Front end: the language server (``quotecheck lsp``), over stdio, on pygls.

Diagnostics, code actions, hovers and a code lens for the editor's buffer, all
from :class:`quotecheck.session.Session`; nothing of the pipeline is copied here.
"""
