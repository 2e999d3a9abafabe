"""The .txt reader: a page-text dump (the seeds' format) is one document, its text decoded as is."""

from __future__ import annotations

from .decode import DecodeError, decode_bytes
from .document import Quarantined, RawDocument, quarantine, sha256_hex


def read_txt(uri: str, data: bytes, *, fmt: str = "txt", document_id: str | None = None) -> RawDocument | Quarantined:
    """One text file's bytes → a document (hints empty), or a quarantine record saying why not.
    `document_id`: the bytes' sha256 when the caller already computed it."""
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        return quarantine(uri, exc.reason, str(exc), data)
    return RawDocument(document_id or sha256_hex(data), uri, data, fmt, text, encoding, None, None, {})
