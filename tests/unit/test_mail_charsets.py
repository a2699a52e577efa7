"""Charsets as browsers read them (WHATWG labels, supersets, detection) and headers as mail clients decode them."""

from __future__ import annotations

import pytest

from echo_core.mail.charsets import codec_for, decode_declared, decode_undeclared, detect
from echo_core.mail.headers import decode_words


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("iso-8859-1", "cp1252"), ("us-ascii", "cp1252"), ("latin1", "cp1252"), ("gb2312", "gb18030"),
        ("GBK", "gb18030"), ("ks_c_5601-1987", "cp949"), ("euc-kr", "cp949"), ("shift_jis", "cp932"),
        ("big5", "big5hkscs"), ("iso-2022-jp", "iso2022_jp_ext"), ("tis-620", "cp874"), ("utf8", "utf-8"),
        ('"UTF-8"', "utf-8"), ("utf-8*en", "utf-8"), ("cp850", "cp850"), ("utf-7", None), ("x-unknown", None),
        ("", None), (None, None),
    ],
)  # fmt: skip
def test_labels_map_to_the_decoder_a_browser_uses(label: str | None, codec: str | None) -> None:
    assert codec_for(label) == codec


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Die Frösche sind über den Teich gesprungen, schön.", "cp1252"),
        ("Здравствуйте, нам нужен офис на десять человек рядом с метро.", "cp1251"),
        ("Здравствуйте, нам нужен офис на десять человек рядом с метро.", "koi8_r"),
        ("こんにちは、オフィスの見学を希望します。駐車場はありますか？", "cp932"),
        ("你好，我们需要一个十人的办公室，靠近地铁站。", "gb18030"),
        ("Merhaba, İstanbul'da ofis arıyoruz. Teşekkürler.", "cp1254"),
    ],
)
def test_undeclared_8bit_text_is_detected_before_any_replacement_character(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    assert decode_undeclared(data) == text
    assert "\ufffd" not in decode_undeclared(data)


def test_short_western_text_falls_back_to_windows_1252_and_valid_utf8_stays_utf8() -> None:
    assert detect("Frösche über".encode("cp1252")) == "cp1252"
    assert decode_undeclared("Grüße".encode()) == "Grüße"
    assert decode_undeclared("Grüße".encode("cp1252"), hints=["iso-8859-15"]) == "Grüße"  # the message's own charset


def test_declared_charsets_decode_as_their_supersets() -> None:
    assert decode_declared("“Suite 2” – €".encode("cp1252"), "iso-8859-1") == "“Suite 2” – €"
    assert decode_declared("王喆".encode("gb18030"), "gb2312") == "王喆"
    assert decode_declared("똠방".encode("cp949"), "ks_c_5601-1987") == "똠방"
    assert decode_declared(b"bad \xff byte", "utf-8") == "bad \ufffd byte"  # as a browser shows broken UTF-8


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("=?utf-8?q?C?= =?utf-8?q?arol?= =?utf-8?q?_Ada?= =?utf-8?q?ms?=", "Carol Adams"),
        ("=?utf-8?q?C?==?utf-8?q?arol?=", "Carol"),
        ("=?UTF-8?B?5Yqe5YWs5a6k?= =?UTF-8?B?5Y+v?=", "办公室可"),
        ("=?UTF-8?B?0JzQsNGA0LjRjyDQmg==?= =?UTF-8?B?0YPQt9C90LXRhtC+0LLQsA==?=", "Мария Кузнецова"),
        ("Re: =?iso-8859-1?q?Caf=E9?= menu", "Re: Café menu"),
        ("=?iso-8859-1?q?Caf=E9?= =?utf-8?q?=E2=80=93?= x", "Café– x"),
        ("=?gb2312?b?zfWGtA==?=", "王喆"),
        ("=?utf-8?b?broken", "=?utf-8?b?broken"),
        ("plain text", "plain text"),
    ],
)
def test_encoded_words_are_joined_as_rfc_2047_says(raw: str, shown: str) -> None:
    assert decode_words(raw) == shown
