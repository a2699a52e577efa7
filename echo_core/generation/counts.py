"""How many of something the seeker counts ("3 parking spots", "two cars", "a couple of spaces").

A leaf module (no imports from the generation package) so answers, totals and the fact check can all read it.
"""

from __future__ import annotations

import re

_F = re.IGNORECASE
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "a couple of": 2, "a couple": 2, "a pair of": 2}
WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
         10: "ten"}
_COUNT = r"(\d{1,2}|a couple of|a couple|a pair of|an?|one|two|three|four|five|six|seven|eight|nine|ten)"
_SPOTS = re.compile(rf"\b{_COUNT}\s+(?:(?:parking|garage|reserved|covered|car)\s+)?"
                    r"(?:spots?|spaces?|stalls?|cars?|vehicles?|parking (?:passes|permits|spots))\b", _F)


def spots_asked(text: str) -> int | None:
    """How many parking spots the ask counts ('3 parking spots', 'two cars'), or None when it names none."""
    found = _SPOTS.search(text)
    if not found:
        return None
    word = found.group(1).lower()
    count = int(word) if word.isdigit() else _NUMBERS.get(word, 1)
    return count if 0 < count <= 50 else None
