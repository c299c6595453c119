"""Front end: the language server (``quotecheck lsp``), over stdio, on pygls.

Diagnostics, code actions, hovers and a code lens for the editor's buffer, all
from :class:`quotecheck.session.Session`; nothing of the pipeline is copied here.

- :mod:`.server`: the protocol, the buffers, debouncing, the checking thread,
  settings, sessions, watched files, progress;
- :mod:`.features`: what is shown and offered for one checked buffer
  (diagnostics, hover, code actions and their edits), as plain functions;
- :mod:`.positions`: offsets ↔ (line, character) in UTF-8, UTF-16 or UTF-32;
- :mod:`.settings`: the ``quotecheck`` settings section.

Set-up for each editor: docs/editors.md.
"""
