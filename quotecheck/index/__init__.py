"""Stage 4b: the source index — passages in one SQLite file, updated incrementally."""
from .store import IndexFormatError, SourceStore
from .update import UpdateReport, prune_missing, update_index

__all__ = ["IndexFormatError", "SourceStore", "UpdateReport", "prune_missing", "update_index"]
