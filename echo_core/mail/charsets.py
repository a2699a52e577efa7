"""Bytes → text the way mail clients and browsers do it.

- A declared charset label goes through the WHATWG label table (`webencodings`), so iso-8859-1 and us-ascii
  read as windows-1252, gb2312 as GBK, ks_c_5601-1987 as EUC-KR; then each legacy codec is widened to the
  superset browsers actually decode with (GBK → gb18030, EUC-KR → cp949, Shift_JIS → cp932 …).
- Undeclared 8-bit text is UTF-8 when it is valid UTF-8, else the message's own declared charset when that
  fits, else what `charset-normalizer` detects among the legacy encodings browsers know, windows-1252 last.
- Only then, bytes that still do not decode become U+FFFD (declared UTF-8) or their Latin-1 character.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

import webencodings
from charset_normalizer import from_bytes

# The decoders browsers use for WHATWG encodings whose Python namesake is narrower.
_SUPERSETS = {
    "ascii": "cp1252", "latin_1": "cp1252", "iso8859-1": "cp1252", "gbk": "gb18030", "gb2312": "gb18030",
    "euc_kr": "cp949", "shift_jis": "cp932", "big5": "big5hkscs", "iso2022_jp": "iso2022_jp_ext",
    "iso8859-9": "cp1254", "iso8859-11": "cp874", "tis-620": "cp874",
}  # fmt: skip
# The legacy encodings a browser's detector chooses between, in the order a tie is broken.
_DETECTABLE = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "koi8_r", "koi8_u",
    "cp932", "euc_jp", "iso2022_jp", "gb18030", "big5hkscs", "cp949", "cp874", "iso8859_7",
]  # fmt: skip
_LATIN1_FALLBACK = "echo-latin1-fallback"


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """WHATWG's windows-1252 maps its five undefined bytes to the C1 code points of the same value."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_LATIN1_FALLBACK, _latin1_fallback)


def codec_for(label: str | None) -> str | None:
    """The Python codec a mail client would decode `label` with; None for a missing or unknown label."""
    if not label:
        return None
    label = label.strip().strip("\"'").split("*", 1)[0].strip()  # RFC 2231 'utf-8*en' carries a language
    if not label:
        return None
    encoding = webencodings.lookup(label)
    if encoding is not None:
        if encoding.name in ("replacement", "x-user-defined", "utf-16be", "utf-16le"):
            return None if encoding.name == "replacement" else str(encoding.codec_info.name)
        name = str(encoding.codec_info.name)
    else:
        try:
            name = codecs.lookup(label).name
        except (LookupError, ValueError):
            return None
        if name in ("utf-7", "rot-13", "base64", "hex", "quopri", "uu", "zlib", "bz2", "unicode-escape") or (
            "escape" in name
        ):
            return None  # never a text encoding mail should be read in (UTF-7 hides markup from filters)
    return _SUPERSETS.get(name, name)


def is_ascii(data: bytes) -> bool:
    return data.isascii()


def _valid_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def detect(data: bytes) -> str:
    """The likeliest legacy encoding of undeclared 8-bit text (windows-1252 when nothing stands out)."""
    matches = list(from_bytes(data, cp_isolation=_DETECTABLE))
    if not matches:
        return "cp1252"
    least_chaos = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= least_chaos]
    most_coherent = max(m.coherence for m in calm)
    tied = {c for m in calm if m.coherence >= most_coherent for c in (m.encoding, *m.could_be_from_charset)}
    return next((name for name in _DETECTABLE if name in tied), "cp1252")


def decode_undeclared(data: bytes, hints: Iterable[str] = ()) -> str:
    """Text whose charset nobody declared: ASCII, UTF-8, a charset declared elsewhere in the message, or detected."""
    if data.isascii():
        return data.decode("ascii")
    utf8 = _valid_utf8(data)
    if utf8 is not None:
        return utf8
    for hint in hints:
        codec = codec_for(hint)
        if codec and codec not in ("utf-8", "cp1252"):  # cp1252 decodes anything: let the detector weigh it
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    return data.decode(detect(data), _LATIN1_FALLBACK)


def decode_declared(data: bytes, label: str | None, hints: Iterable[str] = ()) -> str:
    """Text in its declared charset (WHATWG mapping); an unknown or missing label is treated as undeclared."""
    codec = codec_for(label)
    if codec is None:
        return decode_undeclared(data, hints)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    except LookupError:
        return decode_undeclared(data, hints)
    if codec == "utf-8":
        return data.decode("utf-8", "replace")  # as a browser shows mis-encoded UTF-8
    return data.decode(codec, _LATIN1_FALLBACK)


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)


def html_meta_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in its <meta> (the browser's prescan looks at the first 1024 bytes)."""
    found = _META_CHARSET.search(data[:1024])
    return found.group(1).decode("ascii") if found else None
