"""Surface patterns of attribution, matched on the text itself: transcript labels,
name labels, dash attributions, and the cue right after a closing mark. They
catch what the parser misreads, and are tried where the parse has no answer."""
from __future__ import annotations

import re

from ..cues import TITLES

_ROLE_WORDS = "|".join(sorted(w for w in TITLES | {"aide", "adviser", "advisor", "strategist", "analyst",
                                                      "campaign", "manager", "press", "secretary",
                                                      # modifiers inside a role: "ranking Democrat"
                                                      "ranking", "senior", "top", "deputy", "acting",
                                                      "former", "chief", "longtime", "veteran"}
                               if w.isalpha() and w.islower()))
# A name, with the role words news puts inside it ("Rubio spokesman Alex Conant").
_NAME = r"(?:[A-Z][\w’'\-]*\.?)(?:\s(?:[A-Z][\w’'\-]*\.?|of|de|van|von|(?:" + _ROLE_WORDS + r")(?=\s[A-Z]))){0,6}"
# An apposition after the name: "…, an economist who …," / "…, 58, a student …".
_APPOS = r",\s(?:an?|the|his|her|their|its|[A-Z0-9])(?:[^“”\"\n.]|\.(?=\S)){0,120}?(?=,\s*[“\"]|[.;]\s|[.;]?$|,\s*(?:who|and)\b)"
APPOS_RE = re.compile(_APPOS)
ADJACENT_INVERTED_RE = re.compile(
    r"\s*,?\s*(?P<verb>[a-z]+)\s+(?P<who>" + _NAME + r")(?P<appos>" + _APPOS + r")?")
ADJACENT_RE = re.compile(r"\s*,?\s*(?P<who>" + _NAME + r")\s+(?P<verb>[a-z]+)\b")
LABEL_BEFORE_RE = re.compile(r"(?:^(?:[-–—•*][ \t]+)?(?:(?:Said|Stated|Added|Wrote|Asked)[ \t]+)?|(?<=[.!?”\"]\s)|(?<=\n)|(?<= [-–—] )|(?<=Said )|(?<=Stated )|(?<=Added )|(?<=Wrote )|(?<=Asked ))(?P<label>[A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*){0,3}):\s*$", re.M)
NOT_LABELS = {"Q", "A", "Note", "Update", "Editor", "Correction", "Related", "Watch", "Read", "From", "Source"}
LABEL_RE = re.compile(r"(?P<label>[A-Z][A-Z.'’\- ]{1,30}[A-Z]|(?:Mr|Mrs|Ms|Dr)\. [A-Z][a-z]+):\s")
DASH_RE = re.compile(r"[ \t\u00a0]*[—–―]+[ \t\u00a0]*(?P<who>[A-Z][^\n;“”\"]{1,80}?)[.,]?[ \t\u00a0]*(?=\n|$)")
# A party and state tag after a name: " (D-Md.)", " (R)".
PARTY_TAG_RE = re.compile(r" ?\((?:[DRI]|[DRI]-[A-Z][\w. ]{0,12})\)")
