"""Spot emails that try to steer the assistant. They are flagged for a human, never obeyed."""

from __future__ import annotations

import re

_F = re.IGNORECASE
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("tries to override the assistant's instructions",
     re.compile(r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|earlier|all|your|"
                r"the)\b.{0,20}\b(instructions?|rules|prompts?|guidelines|directions)\b", _F)),
    ("talks to the assistant about its prompt or role",
     re.compile(r"\b(system prompt|developer (message|mode)|jailbreak|you are now|act as (an?|the)|pretend (to be|"
                r"you)|role-?play|as an ai|language model|reveal your (prompt|instructions)|new instructions)\b", _F)),
    ("asks for other clients' details",
     re.compile(r"\b(other|another|previous|your)\s+(clients?|tenants?|customers?|seekers?|companies)'?s?\b.{0,40}"
                r"\b(details?|contacts?|emails?|names?|info(rmation)?|phone|budgets?|list|data)\b|"
                r"\b(who else|which other (companies|clients))\b", _F)),
    ("demands a discount or special terms",
     re.compile(r"\b(give|want|demand|need|insist on|expect)\b.{0,30}\b(\d{1,2}\s?%|discount|free months?|"
                r"rent[- ]free|waive)\b|\b\d{1,2}\s?% (off|discount)\b", _F)),
    ("asks to send the reply or data somewhere else",
     re.compile(r"\b(send|forward|cc|bcc|email|copy)\b.{0,40}\b(to|at)\b\s+\S+@\S+|"
                r"\b(send|forward)\b.{0,30}\b(to (this|another|a different) (address|email))\b", _F)),
    ("asks the assistant to approve or send without review",
     re.compile(r"\b(auto-?approve|skip (the )?review|send (it )?(immediately|without)|without (a )?human)\b", _F)),
)


def flags(text: str) -> list[str]:
    """One human-review line per kind of steering attempt found in the email."""
    found = []
    for label, pattern in RULES:
        match = pattern.search(text)
        if match:
            snippet = " ".join(match.group(0).split())[:80]
            found.append(f"The email {label} (\"{snippet}\") — not acted on; a broker should review.")
    return found
