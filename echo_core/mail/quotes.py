"""Quoted history trimmed from a reply, in the forms mail clients write it in nine languages.

Evaluated and not used: `mail-parser-reply` 1.36 (no Russian or Portuguese, strips every line, cuts at any two
"To:/Date:" lines) and `quotequail` 0.5.4 (no Italian or Japanese, keeps forwards); so the forms are one table
here, one row per language, gathered from the clients' own output (Gmail, Outlook, Apple Mail, Thunderbird).

Rules: '>' lines are dropped; an attribution ("On … wrote:", "Am … schrieb …:") right before them is dropped
with them, and so is any short line ending in ':' that names an address or a date there (no dangling
"X wrote:"); a strong attribution followed by unquoted text, an Outlook "From: … Sent: …" block and an
"-----Original Message-----" line end the reply. The untrimmed text is kept by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class QuoteForms:
    language: str
    attribution: str  # a regex for the whole attribution, on one (joined) line
    from_labels: tuple[str, ...]  # Outlook's header block starts with one of these …
    other_labels: tuple[str, ...]  # … followed by one of these within a few lines
    separators: tuple[str, ...]  # "-----Original Message-----" and its translations
    verbs: tuple[str, ...] = ()  # "wrote" alone: only an attribution when a quote follows


LANGUAGES: tuple[QuoteForms, ...] = (
    QuoteForms("en", r"On\s.{1,400}\s(?:wrote|said|writes)", ("From",), ("Sent", "Date", "To", "Cc", "Subject"),
               ("Original Message", "Forwarded message", "Begin forwarded message"), ("wrote", "writes", "said")),
    QuoteForms("de", r"Am\s.{1,400}\sschrieb(?:\s.{1,300})?", ("Von",), ("Gesendet", "Datum", "An", "Cc", "Betreff"),
               ("Ursprüngliche Nachricht", "Weitergeleitete Nachricht", "Anfang der weitergeleiteten"), ("schrieb",)),
    QuoteForms("fr", r"Le\s.{1,400}\sa\s+écrit", ("De",), ("Envoyé", "Date", "À", "A", "Cc", "Objet"),
               ("Message d'origine", "Message transféré", "Début du message réexpédié"), ("a écrit",)),
    QuoteForms("es", r"El\s.{1,400}\sescribió", ("De",), ("Enviado", "Enviada", "Fecha", "Para", "CC", "Asunto"),
               ("Mensaje original", "Mensaje reenviado"), ("escribió",)),
    QuoteForms("it", r"Il\s.{1,400}\sha\s+scritto", ("Da",), ("Inviato", "Data", "A", "Cc", "Oggetto"),
               ("Messaggio originale", "Messaggio inoltrato"), ("ha scritto",)),
    QuoteForms("pt", r"(?:Em\s.{1,400}\sescreveu|.{1,300}\sescreveu\s?\(.{1,200}\))", ("De",),
               ("Enviado", "Enviada", "Data", "Para", "Cc", "Assunto"),
               ("Mensagem original", "Mensagem encaminhada"), ("escreveu",)),
    QuoteForms("nl", r"Op\s.{1,400}\s(?:schreef|heeft)(?:\s.{1,300})?", ("Van",),
               ("Verzonden", "Datum", "Aan", "CC", "Onderwerp"),
               ("Oorspronkelijk bericht", "Doorgestuurd bericht"), ("schreef",)),
    QuoteForms("ru", r".{0,300}(?:\d{1,2}:\d{2}|@).{0,300}\s(?:написал|написала|написал\(а\)|пишет)", ("От",),
               ("Отправлено", "Дата", "Кому", "Копия", "Тема"),
               ("Исходное сообщение", "Пересылаемое сообщение"), ("написал", "написала", "написал(а)", "пишет")),
    QuoteForms("ja", r"(?:\d{4}年\d{1,2}月\d{1,2}日.{0,300}|.{1,300}(?:のメール|さんは書きました))", ("差出人",),
               ("送信日時", "日付", "宛先", "件名", "CC"), ("元のメッセージ", "転送されたメッセージ"),
               ("書きました",)),
)  # fmt: skip

_COLON = r"\s?[:：]"
_STRONG = re.compile(r"^(?:" + "|".join(f"(?:{q.attribution})" for q in LANGUAGES) + r")" + _COLON + r"\s*$",
                     re.IGNORECASE)
_OPENERS = re.compile(r"^(?:On|Am|Le|El|Il|Em|Op)\s|^\d{4}[年/.-]", re.IGNORECASE)
_VERB = re.compile(r"\s(?:" + "|".join(re.escape(v) for q in LANGUAGES for v in q.verbs) + r")" + _COLON + r"\s*$",
                   re.IGNORECASE)
_ADDRESS_OR_DATE = re.compile(r"@[\w.-]+\.\w|\d{1,2}:\d{2}|\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2}")
_SEPARATOR = re.compile(r"^\s*-{2,}\s*(?:" + "|".join(re.escape(s) for q in LANGUAGES for s in q.separators)
                        + r")\s*-{2,}|^\s*(?:Begin forwarded message|Anfang der weitergeleiteten E-Mail)\s*:",
                        re.IGNORECASE)


def _labels(names: list[str]) -> re.Pattern[str]:
    # At the start of the line: an indented "From:" is quoted matter (a bounce's summary), not a header block.
    return re.compile(r"^ ?\*?(?:" + "|".join(re.escape(n) for n in names) + r")\*?" + _COLON + r"\*?(?:\s|$)",
                      re.IGNORECASE)


_HEADER_FROM = _labels([label for q in LANGUAGES for label in q.from_labels])
_HEADER_NEXT = _labels([label for q in LANGUAGES for label in q.other_labels])


def _joined(lines: list[str], start: int, count: int) -> str:
    return " ".join(line.strip() for line in lines[start : start + count])


def attribution_span(lines: list[str], i: int) -> int:
    """How many lines (1–3) form a language's attribution starting at line i; 0 if none."""
    for count in (1, 2, 3):
        if i + count > len(lines) or (count > 1 and not _OPENERS.match(lines[i].strip())):
            break
        if _STRONG.match(_joined(lines, i, count)):
            return count
    return 0


def _is_weak_attribution(text: str) -> bool:
    """A short line ending in ':' that says 'wrote' or names an address or a date: before a quote, an attribution."""
    text = text.strip()
    if not text.endswith((":", "：")) or len(text) > 400:
        return False
    return bool(_STRONG.match(text) or _VERB.search(text) or _ADDRESS_OR_DATE.search(text))


def outlook_header_at(lines: list[str], i: int) -> bool:
    if _SEPARATOR.match(lines[i]):
        return True
    if re.match(r"^\s*_{8,}\s*$", lines[i]):
        return any(_HEADER_FROM.match(line) for line in lines[i + 1 : i + 3])
    if _HEADER_FROM.match(lines[i]):
        return any(_HEADER_NEXT.match(line) for line in lines[i + 1 : i + 7])
    return False


def _drop_dangling_attribution(kept: list[str]) -> None:
    """Remove the attribution (up to 3 wrapped lines) that introduced the quote about to be dropped."""
    while kept and not kept[-1].strip():
        kept.pop()
    for count in (1, 2, 3):
        if len(kept) < count:
            return
        block = kept[-count:]
        if any(not line.strip() for line in block):
            return
        if _is_weak_attribution(" ".join(line.strip() for line in block)):
            del kept[-count:]
            return


def trim_quoted(text: str) -> str:
    """The new part of a reply (see the module's rules); the whole text when trimming would leave nothing."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    in_quote = False
    i = 0
    while i < len(lines):
        if outlook_header_at(lines, i):
            break
        span = attribution_span(lines, i)
        if span:
            following = next((line for line in lines[i + span :] if line.strip()), "")
            if not following.lstrip().startswith(">"):
                break
            i += span
            continue
        if lines[i].lstrip().startswith(">"):
            if not in_quote:
                _drop_dangling_attribution(kept)
            in_quote = True
        else:
            kept.append(lines[i].rstrip())
            in_quote = in_quote and not lines[i].strip()
        i += 1
    trimmed = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return trimmed or text.strip()
