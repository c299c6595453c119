"""Stage 5: matching a quote to source words — normalise, align, diff, verify."""
from .align import align_quote, similarity
from .normalize import keys, words

__all__ = ["align_quote", "similarity", "keys", "words"]
