"""Stage 3b: the reference layer — every mention of every person and group in a
document, clustered into entities (to be filled in)."""
