"""Bytes → str: UTF-8 fast path, BOMs, declared charsets, then detection; binary/garbage refused.

Order (first that applies wins):

1. whitespace-only bytes → ``empty``;
2. a BOM (UTF-8, UTF-16/32 LE/BE): decode with it, BOM removed;
3. a known binary magic number (PNG, PDF, ZIP, GZIP, JPEG, ...), a NUL byte in the first 8,000 bytes
   (git's rule) or more than 10% control bytes → ``binary``;
4. a declared charset (HTTP header / ``<meta charset>``) that decodes strictly; ``iso-8859-1`` and
   ``us-ascii`` labels mean windows-1252 as in browsers (WHATWG);
5. strict UTF-8 (the hot path: no detection is run for UTF-8 input); UTF-8 with a few bad bytes
   (at least 4 valid multi-byte characters per bad sequence) stays UTF-8, bad bytes → U+FFFD;
6. windows-1252 when it gives plausible Western text (few non-ASCII letters per word, no stray
   symbols such as the ``¹ ³`` that Polish windows-1250 bytes become); reported as ``iso-8859-1`` when
   no byte is in 0x80–0x9F (the same text either way).  charset-normalizer alone is unreliable here:
   on short French/German text it answers cp1250, cp1125 or even big5;
7. charset-normalizer's candidates, best first, the first whose text looks like text;
8. otherwise ``undecodable``.

The decoded text is returned exactly as decoded: newlines (``\\r\\n``) are not normalised, so char
offsets computed on it stay valid.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"\x00\x00\x01\x00", "ICO image"),
    (b"PAR1", "Parquet file"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# bytes.translate(None, delete=_NOT_CONTROL) keeps only the control bytes (C0 minus \t \n \r, and DEL).
_CONTROL = bytes([*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
# What windows-1250/1251/... bytes commonly turn into under windows-1252 but Western text rarely has.
_ODD_1252 = frozenset("¹²³¼½¾¤¦¨¯´¸ˆ˜ƒ†‡‰Š‹ŒŽšœžŸ¿ªº¬±µ¶¯¥¢÷×ÐðÞþ")
_NOT_TEXTLIKE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
_WHATWG_1252 = frozenset({"iso8859-1", "latin-1", "ascii", "cp1252"})
_COMMON_SYMBOLS = frozenset("“”‘’„‚«»‹›–—…•·€£¥°©®™§¶†‰′″、。，：；！？（）「」『』【】《》・～")
# Encodings web pages actually use (WHATWG legacy list): preferred over rare ones that decode as cleanly.
_WEB_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in "cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 cp874 iso8859-2 iso8859-5 "
    "iso8859-7 iso8859-8 iso8859-9 koi8-r koi8-u gb18030 gbk big5 shift_jis cp932 euc_jp euc_kr cp949".split()
)
_MAX_CANDIDATES = 8
_UTF8_GOOD_PER_BAD = 4  # valid multi-byte UTF-8 characters needed per invalid sequence to stay UTF-8  # charset-normalizer candidates compared (best first)
_BINARY_CONTROL_SHARE = 0.10
_NUL_WINDOW = 8000


class DecodeError(ValueError):
    """Why bytes could not become text: `reason` is a quarantine code, the message says what was seen."""

    def __init__(self, reason: str, problem: str) -> None:
        super().__init__(problem)
        self.reason = reason


def encoding_label(name: str) -> str:
    """A codec name as the usual web label: cp1252 → windows-1252, latin_1 → iso-8859-1, utf_8 → utf-8."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return name.lower()
    if canonical.startswith("cp125"):
        return "windows-" + canonical[2:]
    if canonical.startswith("iso8859-"):
        return "iso-8859-" + canonical[8:]
    if canonical == "ascii":
        return "us-ascii"
    return canonical.replace("_", "-")


def binary_kind(data: bytes) -> str | None:
    """What kind of binary `data` is ("PNG image", "NUL bytes", ...), or None for text-like bytes."""
    for magic, kind in BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:_NUL_WINDOW]:
        return "NUL bytes"
    if data and len(data.translate(None, _NOT_CONTROL)) > _BINARY_CONTROL_SHARE * len(data):
        return "control characters"
    return None


def _textlike(text: str) -> bool:
    """Mostly printable, and at least a third of the non-space characters are letters or digits."""
    if not text:
        return False
    if len(_NOT_TEXTLIKE.findall(text)) > 0.02 * len(text):
        return False
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    return sum(c.isalnum() for c in visible) >= 0.34 * len(visible)


def _odd_symbols(text: str) -> int:
    """Non-ASCII characters that are neither letters/marks nor common punctuation/currency/spaces."""
    return sum(
        1 for c in _NON_ASCII.findall(text) if unicodedata.category(c)[0] not in "LMZ" and c not in _COMMON_SYMBOLS
    )


def _plausible_western(text: str) -> bool:
    """windows-1252 text that reads as a Latin-script Western language, not mis-decoded other bytes."""
    non_ascii = _NON_ASCII.findall(text)
    if not non_ascii:
        return True
    odd = sum(c in _ODD_1252 for c in non_ascii)
    if odd > 0.1 * len(non_ascii) + 1:
        return False
    high_letters = sum(c.isalpha() for c in non_ascii)
    letters = high_letters + len(_ASCII_LETTER.findall(text))
    return letters > 0 and high_letters <= 0.25 * letters and _textlike(text)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bad bytes (a damaged dump): decoded with U+FFFD for each bad sequence."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = len(_NON_ASCII.findall(text)) - bad
    return text if good >= _UTF8_GOOD_PER_BAD * bad and good >= _UTF8_GOOD_PER_BAD else None


def _detect(data: bytes) -> tuple[str, str]:
    repaired = _mostly_utf8(data)
    if repaired is not None:
        return repaired, "utf-8"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_western(text):
        return text, ("windows-1252" if _C1_BYTES.search(data) else "iso-8859-1")
    from charset_normalizer import from_bytes  # only on the slow path

    best: tuple[int, int, int, str, str] | None = None
    for rank, match in enumerate(from_bytes(data)):
        if rank >= _MAX_CANDIDATES:
            break
        candidate = str(match)
        if _textlike(candidate):
            common = 0 if codecs.lookup(match.encoding).name in _WEB_ENCODINGS else 1
            key = (_odd_symbols(candidate), common, rank, candidate, match.encoding)
            best = key if best is None or key < best else best
    if best is not None:
        return best[3], encoding_label(best[4])
    raise DecodeError("undecodable", "not UTF-8, and no character encoding gives readable text")


def _declared(data: bytes, declared: str) -> tuple[str, str] | None:
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None
    if codec in _WHATWG_1252:
        codec = "cp1252"
    try:
        return data.decode(codec), encoding_label(codec)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data` → (text, encoding label); raises `DecodeError` (empty/binary/undecodable)."""
    if not data.strip():
        raise DecodeError("empty", "empty file" if not data else "only whitespace")
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text, label = data.decode(codec if codec != "utf-8" else "utf-8-sig"), codec
            except UnicodeDecodeError as exc:
                raise DecodeError("undecodable", f"starts with a {codec} BOM but is not valid {codec} ({exc.reason})")
            break
    if text is None:
        kind = binary_kind(data)
        if kind:
            raise DecodeError("binary", f"binary content ({kind}), not text")
        found = _declared(data, declared) if declared else None
        if found is None:
            try:
                found = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                found = _detect(data)
        text, label = found
    if not text or text.isspace():
        raise DecodeError("empty", "only whitespace")
    return text, label
