"""Seeker text made recognisable: text-speak spelled out, one-letter typos of domain words corrected.

Used before matching an ask against the kinds ("any parkng?", "do u include utilites"). The
correction is deliberately narrow: one edit, never on the first letter, only for words of five
letters or more, only towards the domain vocabulary, so ordinary words are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Common text-speak and chat spellings, as whole words (lowercase).
SPEAK = {
    "u": "you", "r": "are", "ur": "your", "n": "and", "w": "with", "w/": "with", "ppl": "people", "pls": "please",
    "plz": "please", "thx": "thanks", "ty": "thanks", "wen": "when", "wat": "what", "whats": "what's",
    "hows": "how's", "wheres": "where's", "whens": "when's", "abt": "about", "b4": "before", "2moro": "tomorrow",
    "tmrw": "tomorrow", "tmr": "tomorrow", "cuz": "because", "bc": "because", "im": "I'm", "dont": "don't",
    "doesnt": "doesn't", "isnt": "isn't", "cant": "can't", "wont": "won't", "theres": "there's", "hw": "how",
    "mth": "month", "yr": "year",
}
# Domain words a typo is corrected towards (the kinds add their own vocabulary).
BASE_VOCABULARY = (
    "parking", "garage", "utilities", "internet", "janitorial", "cleaning", "kitchen", "included", "include",
    "access", "conference", "meeting", "friendly", "deposit", "available", "availability", "tomorrow", "tuesday",
    "wednesday", "thursday", "saturday", "monday", "friday", "sunday", "people", "capacity", "electricity",
    "weekend", "weekends", "keycard", "keycards", "office", "building", "monthly", "price", "tour",
)


def _one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` with one insertion, deletion, substitution or adjacent swap (not the first letter)."""
    if a == b or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return len(a) >= 7  # a substitution only in longer words: 'parting' is a word, 'kitchin' is not
        i, j = (diffs + [0, 0])[:2]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=4096)
def _correct(word: str, vocabulary: tuple[str, ...]) -> str:
    if len(word) < 5 or word in vocabulary:
        return word
    matches = [v for v in vocabulary if len(v) >= 6 and _one_edit(word, v)]
    return matches[0] if len(matches) == 1 else word


def normalise(text: str, vocabulary: tuple[str, ...] = ()) -> str:
    """`text` with text-speak expanded and domain typos corrected; everything else unchanged."""
    words = tuple(dict.fromkeys(BASE_VOCABULARY + vocabulary))

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        lower = token.lower()
        if lower in SPEAK:
            return SPEAK[lower]
        corrected = _correct(lower, words)
        return token if corrected == lower else corrected

    return re.sub(r"[A-Za-z][A-Za-z0-9/']*", fix, text)
