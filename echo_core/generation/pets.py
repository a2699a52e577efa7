"""What the seeker says about their animals: a dog (by word or breed), its weight, other pets."""

from __future__ import annotations

import re

from echo_core.generation.kinds import KINDS
from echo_core.generation.kinds.registry import BREEDS

_F = re.IGNORECASE
_DOG_WEIGHT = re.compile(r"(\d{1,3})\+?\s*-?\s*(lbs?|pounds?|kg|kilos?)\b", _F)
_HAS_DOG = re.compile(r"\b(my|our|a|two|three|\d+)\s+(\w+\s+){0,3}(dogs?|pups?|puppy|corgi|lab|labrador|retriever|"
                      r"terrier|poodle|dachshund|spaniel|beagle|pooch|shepherd|" + BREEDS +
                      r")\b|\bhave (a )?dogs?\b|\bdog owners?\b|"
                      r"\bbring (my|our|a|the) (dog|pup)", _F)
_DOG_PRONOUN = re.compile(r"\b(ours|mine|he|she|he's|she's|him|her|our (boy|girl|baby|one|guy|little one|big one))\b",
                          _F)


def dog_weight(sentence: str, *, dogs_before: bool = False) -> int | None:
    """The dog's weight in lbs; a sentence without a dog word counts after one that had it ("Ours is 55 lbs")."""
    weight = _DOG_WEIGHT.search(sentence)
    if not weight or not (KINDS["dogs"].topic.search(sentence) or (dogs_before and _DOG_PRONOUN.search(sentence))):
        return None
    value = int(weight.group(1))
    return round(value * 2.2) if weight.group(2).lower().startswith("k") else value


_OTHER_PETS = re.compile(r"\b(cats?|kittens?|birds?|parrots?|rabbits?|bunn(?:y|ies)|ferrets?|reptiles?|lizards?|"
                         r"snakes?|hamsters?|guinea pigs?)\b", _F)
_PLURAL = {"bunny": "bunnies", "guinea pig": "guinea pigs"}


def other_pets(sentence: str) -> list[str]:
    """'cats', 'rabbits': the animals besides dogs a sentence mentions, as plurals."""
    found = [m.group(1).lower() for m in _OTHER_PETS.finditer(sentence)]
    return [w if w.endswith("s") or w.endswith("ies") else _PLURAL.get(w, w + "s") for w in found]


def has_dog(sentence: str) -> bool:
    return bool(_HAS_DOG.search(sentence)) and not re.search(r"\b(no|don't have|without) (a )?dogs?\b", sentence, _F)
