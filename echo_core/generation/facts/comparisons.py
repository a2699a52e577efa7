"""Comparisons between two spaces: "Mission Loft is cheaper than Valencia Studio", "SoMa Works has pricier
parking than Dogpatch Yard". The subject is the space named before the comparative word, the other the one
after "than"; the figure compared is parking when the clause talks about parking, else rent.
"""

from __future__ import annotations

import re

from echo_core.generation.facts import lexicon as lx
from echo_core.generation.facts.reading import Situation

_F = re.IGNORECASE
_LOWER = r"cheaper|less expensive|more affordable|lower|less|(?:a )?better (?:deal|price|value)"
_HIGHER = r"pricier|more expensive|costlier|higher|more"
_COMPARE = re.compile(rf"\b(?P<word>{_LOWER}|{_HIGHER})\b(?P<gap>[^.;]{{0,40}}?)"
                      rf"\b(?:than|vs\.?|versus|compared (?:to|with))\s", _F)


def extract(s: Situation) -> None:
    if len(s.mentions) < 2:
        return
    for m in _COMPARE.finditer(s.text):
        phrase = s.sentence.phrase_at(m.start())
        if phrase.hedged:
            continue
        before = [x for x in s.mentions if x[1] <= m.start()]
        after = [x for x in s.mentions if x[0] >= m.end() and x[0] - m.end() < 30]
        if not before or not after or before[-1][2].id == after[0][2].id:
            continue
        word = m.group("word").lower()
        if word in ("less", "more") and not re.search(r"\$|\bcost|\bpric|\brent|\bexpens", s.text, _F):
            continue
        lower = bool(re.fullmatch(_LOWER, word, _F))
        clause = s.text[max(0, before[-1][0]):min(len(s.text), after[0][1] + 20)]
        topic = "parking" if lx.CUES["parking"].search(clause) else "rent"
        s.add(f"compare:{topic}", "lower" if lower else "higher", m.start(), spaces=(before[-1][2], after[0][2]))
