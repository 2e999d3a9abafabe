"""Encoding damage: mojibake (UTF-8 read as cp1252/latin-1) and U+FFFD replacement characters."""

from __future__ import annotations

import re

from flows.text.model import Finding

SNIPPET_CONTEXT = 25  # characters of context either side of the damaged sequence


def _cp1252_table() -> dict[str, int]:
    """Character → byte for the upper half of cp1252, with latin-1 C1 controls for its 5 holes."""
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        try:
            ch = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            ch = chr(byte)  # browsers/latin-1 map the undefined bytes to C1 controls
        table[ch] = byte
    return table


_TO_BYTE = _cp1252_table()
_CONT = "".join(re.escape(ch) for ch, b in _TO_BYTE.items() if 0x80 <= b <= 0xBF)
_LEAD2 = "".join(re.escape(ch) for ch, b in _TO_BYTE.items() if 0xC2 <= b <= 0xDF)
_LEAD3 = "".join(re.escape(ch) for ch, b in _TO_BYTE.items() if 0xE0 <= b <= 0xEF)
_LEAD4 = "".join(re.escape(ch) for ch, b in _TO_BYTE.items() if 0xF0 <= b <= 0xF4)
# One or more UTF-8 sequences spelled out in cp1252 characters.
_MOJIBAKE_RE = re.compile(
    f"(?:[{_LEAD2}][{_CONT}]|[{_LEAD3}][{_CONT}]{{2}}|[{_LEAD4}][{_CONT}]{{3}})+"
)
# The same start (a lead followed by a continuation character) searched in the UTF-8 bytes of the
# text: every lead starts with byte C3, so `re` runs a fast literal search.  Hits are then checked
# on the characters.
_PAIR_BYTES_RE = re.compile(
    b"(?:" + b"|".join(re.escape(ch.encode()) for ch, b in _TO_BYTE.items() if 0xC2 <= b <= 0xF4) + b")"
    b"(?:" + b"|".join(re.escape(ch.encode()) for ch, b in _TO_BYTE.items() if 0x80 <= b <= 0xBF) + b")"
)


def _redecodes(seq: str) -> str | None:
    """The UTF-8 reading of a cp1252-spelled sequence, or None when the bytes are not valid UTF-8."""
    try:
        fixed = bytes(_TO_BYTE[ch] for ch in seq).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None
    if len(fixed) >= len(seq) or any(0x80 <= ord(ch) < 0xA0 for ch in fixed):
        return None
    return fixed


def _snippet(text: str, start: int, end: int) -> str:
    s = text[max(0, start - SNIPPET_CONTEXT): end + SNIPPET_CONTEXT]
    return " ".join(s.split())


def _mojibake(text: str) -> list[tuple[int, int, str]]:
    """(start, end, repaired text) of each mojibake run."""
    raw = text.encode("utf-8", "surrogatepass")
    m = _PAIR_BYTES_RE.search(raw)
    if m is None:
        return []
    pos = len(raw[: m.start()].decode("utf-8", "surrogatepass"))  # first hit as a character offset
    hits = []
    for mm in _MOJIBAKE_RE.finditer(text, pos):
        fixed = _redecodes(mm.group())
        if fixed is not None:
            hits.append((mm.start(), mm.end(), fixed))
    return hits


def encoding_findings(text: str) -> list[Finding]:
    """encoding_damage findings: one for mojibake, one for replacement characters (each with a count)."""
    if text.isascii():
        return []
    out: list[Finding] = []
    hits = _mojibake(text)
    if hits:
        start, end, fixed = hits[0]
        out.append(Finding(
            check_name="encoding_damage", severity="warn",
            observed=f"{len(hits)} mojibake sequence(s), e.g. '{text[start:end]}' for '{fixed}'",
            expected="text decoded once as UTF-8",
            evidence=_snippet(text, start, end),
            rule="encoding_damage.mojibake_cp1252_utf8",
            char_start=start, char_end=end, likely_cause="utf8_read_as_cp1252",
        ))
    n_fffd = text.count("\ufffd")
    if n_fffd:
        start = text.index("\ufffd")
        out.append(Finding(
            check_name="encoding_damage", severity="warn",
            observed=f"{n_fffd} U+FFFD replacement character(s)",
            expected="no undecodable bytes",
            evidence=_snippet(text, start, start + 1),
            rule="encoding_damage.replacement_character",
            char_start=start, char_end=start + 1, likely_cause="undecodable_bytes",
        ))
    return out
