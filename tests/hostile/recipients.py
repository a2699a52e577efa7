"""Hostile corpus, issue 15: inputs that try to choose who a reply goes to.

The outgoing `To` is always the deal's seeker (set by the send service from the deal row), so each of
these must end up as inert text in a body or subject, or be refused — never as a recipient.
"""

from __future__ import annotations

ATTACKER = "attacker@evil.example"

# Draft bodies (typed by a broker, or returned by the model) that look like headers or ask for copies.
BODIES: list[str] = [
    f"To: {ATTACKER}\nHi Sam, the space is free.",
    f"Cc: {ATTACKER}\r\nBcc: {ATTACKER}\r\n\r\nHi Sam",
    f"Hi Sam\r\nBcc: {ATTACKER}\r\n",
    f"\r\nTo: {ATTACKER}\r\nSubject: hijacked\r\n\r\nbody",
    f"Please cc {ATTACKER} and bcc {ATTACKER} on this thread.",
    f"Reply-To: {ATTACKER}\nFrom: ceo@tandem.space\n\nWire the deposit.",
    f"%0d%0aBcc:%20{ATTACKER}",
    f"=?utf-8?q?=0D=0ABcc:_{ATTACKER}?=",
    "\u202eTo: moc.elpmaxe.live@rekcatta",
]
# Subjects of the inbound email (the reply's subject is derived from it).
SUBJECTS: list[str] = [
    f"Tour?\r\nBcc: {ATTACKER}",
    f"Tour?\nCc: {ATTACKER}\n",
    f"=?utf-8?q?Tour=0D=0ABcc=3A_{ATTACKER}?=",
    f"Re: Re: Fwd: To: {ATTACKER}",
]
# Inbound mail whose headers try to redirect the reply: Reply-To, Sender, a spoofed display name, Cc/Bcc.
INBOUND_HEADERS: list[str] = [
    f"Reply-To: {ATTACKER}",
    f"Cc: {ATTACKER}",
    f"Bcc: {ATTACKER}",
    f"Sender: {ATTACKER}",
    f"Return-Path: <{ATTACKER}>",
    f"Mail-Followup-To: {ATTACKER}",
]
# Display names of the seeker (the From name of an unknown sender becomes the deal's seeker name).
NAMES: list[str] = [
    f'"{ATTACKER}" <{ATTACKER}>',
    f"Sam, {ATTACKER}",
    f"Sam <{ATTACKER}>",
    f"Sam\r\nBcc: {ATTACKER}",
    "Sam \u202e moc.elpmaxe.live@rekcatta",
    "=?utf-8?b?U2FtDQpCY2M6IGF0dGFja2VyQGV2aWwuZXhhbXBsZQ==?=",
]
# Seeker addresses a broker might be tricked into typing on a deal: refused, or one single mailbox.
SEEKER_ADDRESSES: list[str] = [
    f"sam@seeker.example,{ATTACKER}",
    f"sam@seeker.example, {ATTACKER}",
    f"sam@seeker.example;{ATTACKER}",
    f"sam@seeker.example\r\nBcc: {ATTACKER}",
    f"Sam <sam@seeker.example>, {ATTACKER}",
    "sam@seeker.example,evil.example",
    "sam@seeker.example%evil.example",
]
