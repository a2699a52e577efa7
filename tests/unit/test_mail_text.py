"""Quoted history trimmed from replies (the original is kept elsewhere); HTML quotes marked."""

from __future__ import annotations

import pytest

from echo_core.mail.quotes import trim_quoted
from echo_core.mail.text import clean, html_to_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes, Tuesday works.\n\nOn Mon, Jun 2, 2025 at 9:00 AM Ann <ann@x.com> wrote:\n> Can you tour?\n> Thanks",
         "Yes, Tuesday works."),
        ("Yes.\n\nOn Mon, Jun 2, 2025 at 9:00 AM Ann Lee <ann@x.com>\nwrote:\n> quoted", "Yes."),
        ("> Is parking included?\nYes, $250 a month.\n> And dogs?\nUnder 50 lbs.",
         "Yes, $250 a month.\nUnder 50 lbs."),
        ("On Mon, Ann wrote:\n> question\n\nMy answer below the quote.", "My answer below the quote."),
        ("Thanks!\n\nFrom: Agent <agent@tandem.space>\nSent: Monday, June 2, 2025 9:00 AM\nTo: Ann\n"
         "Subject: Tour\n\nOld text without quote marks", "Thanks!"),
        ("Thanks!\n\n-----Original Message-----\nFrom: someone\nold", "Thanks!"),
        ("Danke!\n\nAm 02.06.2025 um 09:00 schrieb Ann <ann@x.de>:\nalter Text", "Danke!"),
        ("From: the start of my own line is fine\nno header block follows",
         "From: the start of my own line is fine\nno header block follows"),
        ("> only quoted\n> nothing new", "> only quoted\n> nothing new"),
    ],
)
def test_quoted_history_is_trimmed(text: str, expected: str) -> None:
    assert trim_quoted(text) == expected


def test_html_blockquotes_become_quote_lines_that_trimming_removes() -> None:
    html = ("<div>Sounds great</div><div class='gmail_quote'>On Mon, Ann wrote:<br>"
            "<blockquote>Old question<br>More old</blockquote></div>")
    text = html_to_text(html)
    assert "> Old question" in text
    assert trim_quoted(text) == "Sounds great"


def test_clean_removes_nul_and_lone_surrogates() -> None:
    assert clean("a\x00b\udcffc") == "ab\ufffdc"


@pytest.mark.parametrize(
    ("language", "attribution"),
    [
        ("en", "On Mon, Jun 2, 2025 at 9:00 AM Agent <agent@tandem.space> wrote:"),
        ("de", "Am Mo., 2. Juni 2025 um 09:00 Uhr schrieb Agent <agent@tandem.space>:"),
        ("fr", "Le lun. 2 juin 2025 à 09:00, Agent <agent@tandem.space> a écrit :"),
        ("es", "El lun, 2 jun 2025 a las 9:00, Agent (<agent@tandem.space>) escribió:"),
        ("it", "Il giorno lun 2 giu 2025 alle ore 09:00 Agent <agent@tandem.space> ha scritto:"),
        ("pt", "Em seg., 2 de jun. de 2025 às 09:00, Agent <agent@tandem.space> escreveu:"),
        ("pt-PT", "Agent <agent@tandem.space> escreveu (segunda, 2/06/2025 à(s) 09:00):"),
        ("nl", "Op ma 2 jun 2025 om 09:00 schreef Agent <agent@tandem.space>:"),
        ("ru", "пн, 2 июн. 2025 г. в 09:00, Agent <agent@tandem.space>:"),
        ("ru-thunderbird", "02.06.2025 9:00, Agent пишет:"),
        ("ja", "2025年6月2日(月) 9:00 Agent <agent@tandem.space>:"),
        ("ja-apple", "2025/06/02 9:00、Agent <agent@tandem.space>のメール:"),
    ],
)
def test_attributions_in_nine_languages_go_with_their_quote(language: str, attribution: str) -> None:
    text = f"Yes, Tuesday works.\n\n{attribution}\n> Can you tour on Tuesday?\n> Agent"
    assert trim_quoted(text) == "Yes, Tuesday works.", language


@pytest.mark.parametrize(
    ("language", "block"),
    [
        ("en", "From: Agent <agent@tandem.space>\nSent: Monday, June 2, 2025 9:00 AM\nTo: Sam\nSubject: Tour"),
        ("de", "Von: Agent <agent@tandem.space>\nGesendet: Montag, 2. Juni 2025 09:00\nAn: Sam\nBetreff: Tour"),
        ("fr", "De : Agent <agent@tandem.space>\nEnvoyé : lundi 2 juin 2025 09:00\nÀ : Sam\nObjet : Visite"),
        ("es", "De: Agent <agent@tandem.space>\nEnviado: lunes, 2 de junio de 2025 9:00\nPara: Sam\nAsunto: Visita"),
        ("it", "Da: Agent <agent@tandem.space>\nInviato: lunedì 2 giugno 2025 09:00\nA: Sam\nOggetto: Visita"),
        ("pt", "De: Agent <agent@tandem.space>\nEnviado: segunda-feira, 2 de junho de 2025 09:00\nPara: Sam"),
        ("nl", "Van: Agent <agent@tandem.space>\nVerzonden: maandag 2 juni 2025 09:00\nAan: Sam"),
        ("ru", "От: Agent <agent@tandem.space>\nОтправлено: 2 июня 2025 г. 9:00\nКому: Сэм\nТема: Офис"),
        ("ja", "差出人: Agent <agent@tandem.space>\n送信日時: 2025年6月2日 9:00\n宛先: Sam\n件名: 見学"),
        ("bold", "*From:* Agent <agent@tandem.space>\n*Sent:* Monday, June 2, 2025 9:00 AM"),
        ("separator", "-----Original Message-----\nFrom: Agent"),
        ("separator-de", "-----Ursprüngliche Nachricht-----\nVon: Agent"),
        ("separator-ru", "-----Исходное сообщение-----\nОт: Agent"),
    ],
)
def test_outlook_header_blocks_in_nine_languages_end_the_reply(language: str, block: str) -> None:
    assert trim_quoted(f"Thanks!\n\n{block}\n\nOld text without quote marks") == "Thanks!", language


@pytest.mark.parametrize(
    "text",
    [
        "Here is what our CFO wrote:\nWe need parking for 4 cars.",  # a 'wrote:' with no quote after it stays
        "Вот что он написал:\nНам нужна парковка.",
        "Our budget:\n- 5,000 a month\n- 12 desks",
        "  From: Ann <ann@x.example>\n  To: Bob <bob@x.example>\nindented header summaries in a bounce stay",
        "We moved. From: Berlin, To: Munich, Date: next month.",
    ],
)
def test_ordinary_text_is_not_mistaken_for_quoted_history(text: str) -> None:
    assert trim_quoted(text) == text.strip()


def test_a_dangling_attribution_without_an_opener_goes_with_its_quote() -> None:
    text = "Sounds good.\n\nAnn Lee <ann@x.example>\nwrote:\n> Thursday at 10?\n\nSee you then."
    assert trim_quoted(text) == "Sounds good.\n\nSee you then."
