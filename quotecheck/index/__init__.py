"""Stage 4b: the source index — passages stored, updated incrementally, found by their words.

One interface (:class:`Store`), two backends: an SQLite file (the default) and
a PostgreSQL database (``postgresql://…``); :func:`open_store` picks one."""
from .store import IndexFormatError, Store, open_store
from .update import UpdateReport, prune_missing, update_index

__all__ = ["IndexFormatError", "Store", "UpdateReport", "open_store", "prune_missing", "update_index"]
