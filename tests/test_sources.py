"""The input readers (flows/sources) on generated fixtures (tests/resources/inputs) and the seeds."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import time
import types
from pathlib import Path

import pytest

from flows.sources import Quarantined, RawDocument, discover, read_inputs
from flows.sources.decode import DecodeError, decode_bytes

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "tests" / "resources" / "inputs"
SEEDS = REPO / "seeds" / "articles"


def _load_fixture_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", INPUTS / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIX = _load_fixture_module()


def read_one(path: Path | str, **kwargs) -> RawDocument | Quarantined:
    results = list(read_inputs([path], **kwargs))
    assert len(results) == 1, results
    return results[0]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- fixtures and seeds -------------------------------------------------------------------------


def test_committed_fixtures_match_the_generator():
    for rel, data in FIX.fixtures().items():
        assert (INPUTS / rel).read_bytes() == data, rel


def test_seeds_read_as_five_txt_documents_byte_for_byte():
    docs = list(read_inputs([SEEDS]))
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 5
    assert [d.uri for d in docs] == [str(f.resolve()) for f in files]
    for doc, file in zip(docs, files):
        data = file.read_bytes()
        assert isinstance(doc, RawDocument)
        assert doc.format == "txt" and doc.encoding == "utf-8" and doc.hints == {}
        assert doc.raw_bytes == data
        assert doc.document_id == sha(data)
        assert doc.text == data.decode("utf-8")
        assert doc.url is None and doc.fetched_at is None
    assert docs[0].text.startswith("North Korea ratifies mutual defence treaty with Russia\n")


def test_read_inputs_is_a_lazy_generator():
    stream = read_inputs([SEEDS])
    assert isinstance(stream, types.GeneratorType)
    first = next(stream)
    assert first.uri.endswith("000_85b49a4b4ac27d53.txt")


# --- decoding -----------------------------------------------------------------------------------


def test_latin1_file_decodes_accents_and_guillemets():
    doc = read_one(INPUTS / "latin1.txt")
    assert doc.encoding == "iso-8859-1"
    assert doc.text == FIX.LATIN1_TEXT
    assert "SÉOUL, 12 nov. (AFP)" in doc.text and "« la coopération militaire »" in doc.text
    assert doc.document_id == sha((INPUTS / "latin1.txt").read_bytes())


def test_cp1252_file_decodes_curly_quotes_and_names():
    raw = (INPUTS / "cp1252.txt").read_bytes()
    assert b"\x93an important step\x94" in raw  # the fixture really holds cp1252 quote bytes
    doc = read_one(INPUTS / "cp1252.txt")
    assert doc.encoding == "windows-1252"
    assert doc.text == FIX.CP1252_TEXT
    assert "\u201can important step\u201d" in doc.text and "José Manuel Albares" in doc.text
    assert "(Reporting by Anaïs León; Editing by Zoë Smith)" in doc.text


def test_boms_are_removed_and_crlf_is_kept():
    assert read_one(INPUTS / "utf16.txt").text == FIX.UTF16_TEXT
    assert read_one(INPUTS / "utf16.txt").encoding == "utf-16"
    bom = read_one(INPUTS / "bom.txt")
    assert bom.text == FIX.UTF16_TEXT and bom.encoding == "utf-8"
    assert bom.raw_bytes.startswith(b"\xef\xbb\xbf")  # bytes kept as given
    crlf = read_one(INPUTS / "crlf.txt")
    assert "\r\n\r\nMOSCOW, Nov 12 (Reuters)" in crlf.text
    assert crlf.text.count("\r\n") == FIX.CP1252_TEXT.count("\n")


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        ("Rosja i Korea Północna podpisały traktat. Łukasz Żółć powiedział, że współpraca jest ważna.", "cp1250", "windows-1250"),
        ("Северная Корея ратифицировала договор о взаимной обороне с Россией, сообщило агентство.", "cp1251", "windows-1251"),
        ("Nordkorea hat den Vertrag über gegenseitige Verteidigung ratifiziert. Größere Übungen folgen.", "cp1252", "iso-8859-1"),
        ("北朝鮮はロシアとの相互防衛条約を批准したと国営メディアが伝えた。", "shift_jis", "cp932"),
        ("朝鲜批准了与俄罗斯的相互防御条约，官方媒体报道称。", "gbk", "gb18030"),
    ],
)
def test_legacy_encodings_are_detected(text, codec, label):
    assert decode_bytes(text.encode(codec)) == (text, label)


def test_declared_charset_wins_and_latin1_label_means_windows_1252():
    assert decode_bytes("“quoted”".encode("cp1252"), "ISO-8859-1") == ("“quoted”", "windows-1252")
    assert decode_bytes("Größe".encode("utf-8"), "no-such-charset") == ("Größe", "utf-8")


@pytest.mark.parametrize(
    ("name", "reason", "fragment"),
    [
        ("empty.txt", "empty", "empty file"),
        ("whitespace.txt", "empty", "only whitespace"),
        ("binary.txt", "binary", "PNG image"),
        ("undecodable.txt", "undecodable", "no character encoding"),
        ("image.png", "unsupported", "unsupported file type .png"),
        ("no_text.html", "no_text", "renders to no text"),
    ],
)
def test_bad_files_are_quarantined_with_their_bytes(name, reason, fragment):
    path = INPUTS / name
    q = read_one(path)
    assert isinstance(q, Quarantined)
    assert q.reason == reason
    assert q.uri == str(path)
    assert q.error.startswith(str(path) + ": ") and fragment in q.error and "\n" not in q.error
    assert q.raw_bytes == path.read_bytes()
    assert q.size_bytes == path.stat().st_size


def test_binary_detection_on_control_bytes_and_magic():
    with pytest.raises(DecodeError) as err:
        decode_bytes(b"%PDF-1.7\n" + b"x" * 100)
    assert err.value.reason == "binary"
    with pytest.raises(DecodeError) as err:
        decode_bytes(b"text\x01\x02\x03\x04\x05\x06\x07\x08" * 10)
    assert err.value.reason == "binary"
    assert decode_bytes(b"page one\x0cpage two\n") == ("page one\x0cpage two\n", "utf-8")  # one form feed is text


def test_oversized_file_keeps_no_bytes_and_states_the_limit():
    path = INPUTS / "article.html"
    q = read_one(path, max_bytes=100)
    assert isinstance(q, Quarantined) and q.reason == "oversized"
    assert q.raw_bytes is None and q.size_bytes == path.stat().st_size
    assert "over the limit of 100 bytes" in q.error and f"{path.stat().st_size:,} bytes" in q.error


def test_missing_paths_and_empty_globs_are_unreadable():
    missing, no_match = list(read_inputs([INPUTS / "nope.txt", str(INPUTS / "*.nothing")]))
    assert (missing.reason, no_match.reason) == ("unreadable", "unreadable")
    assert missing.raw_bytes is None and missing.size_bytes is None
    assert missing.error == f"{INPUTS / 'nope.txt'}: no such file"
    assert no_match.error.endswith("no file matches this pattern")


def test_unknown_extension_is_read_as_text_when_it_is_text(tmp_path):
    doc = read_one(INPUTS / "notes.md")
    assert doc.format == "txt" and doc.text == FIX.NOTES_MD
    page = tmp_path / "page.php"
    page.write_bytes(b"<!DOCTYPE html><html><body><p>Rendered as a page.</p></body></html>")
    doc = read_one(page)
    assert doc.format == "html" and doc.text == "Rendered as a page."


# --- HTML ---------------------------------------------------------------------------------------


def test_html_page_renders_one_block_per_line_without_scripts_or_hidden_parts():
    path = INPUTS / "article.html"
    doc = read_one(path)
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert doc.raw_bytes == path.read_bytes() and doc.document_id == sha(doc.raw_bytes)
    lines = doc.text.split("\n")
    assert lines[:5] == ["Home", "World", "Business", "North Korea ratifies defence pact with Russia", "By Hyonhee Shin"]
    assert "November 12, 2024 3:15 AM GMT" in lines  # <br> splits the byline line
    lede = (
        "SEOUL, Nov 12 (Reuters) - North Korea has ratified a mutual defence treaty with Russia, state media KCNA "
        "said on Tuesday, amid international criticism over deepening military cooperation between the two countries."
    )
    assert lede in lines  # inline <b> kept in the line, whitespace runs collapsed
    assert ["Vote tally:", "  for     all", "  against none"] == lines[lines.index("Vote tally:"):][:3]  # <pre>
    assert lines[-2:] == ["© 2024 The Daily Ledger. All rights reserved.", "Subscribe to our newsletter"]
    for absent in ("dataLayer", "font-family", "Advertisement placeholder", "enable JavaScript", "<"):
        assert absent not in doc.text


def test_html_hints_title_dates_author_body_and_canonical():
    doc = read_one(INPUTS / "article.html")
    hints = doc.hints
    assert hints["title"] == "North Korea ratifies defence pact with Russia"
    assert ("article:published_time", "2024-11-12T03:15:00+00:00") in hints["meta_dates"]
    assert ("ld+json:datePublished", "2024-11-12T03:15:00Z") in hints["meta_dates"]
    assert ("ld+json:dateModified", "2024-11-12T09:40:00Z") in hints["meta_dates"]
    assert hints["date"] == "2024-11-12"
    assert hints["author"] == "Hyonhee Shin"
    assert "SEOUL, Nov 12 (Reuters) - North Korea has ratified" in hints["body"]
    assert "Subscribe" not in hints["body"] and "Home" not in hints["body"]
    assert doc.url == "https://www.example-ledger.com/world/2024/11/12/north-korea-ratifies-pact/"


def test_broken_html_still_yields_text_and_meta_charset_is_used():
    doc = read_one(INPUTS / "broken.html")
    assert doc.text.split("\n") == [
        "KCNA says the treaty is in force", "Second paragraph with unclosed bold and italics", "Cell one", "Cell two"
    ]
    latin = read_one(INPUTS / "latin1.html")
    assert latin.encoding == "windows-1252"
    assert latin.text == "Le traité entre en vigueur, a déclaré l'agence à Séoul."
    assert latin.hints["title"] == "Défense"


# --- JSONL --------------------------------------------------------------------------------------


def test_jsonl_records_load_and_bad_lines_are_quarantined():
    path = INPUTS / "records.jsonl"
    out = list(read_inputs([path]))
    lines = path.read_bytes().split(b"\n")
    assert [type(o).__name__ for o in out] == ["RawDocument", "RawDocument", "Quarantined", "RawDocument", "Quarantined"]
    first, second, broken, third, no_text = out
    assert [o.uri for o in out] == [f"{path}#line={n}" for n in (1, 2, 3, 5, 6)]
    for doc, lineno in ((first, 1), (second, 2), (third, 5)):
        assert doc.format == "jsonl" and doc.raw_bytes == lines[lineno - 1]
        assert doc.document_id == sha(lines[lineno - 1])
    assert first.text == FIX.JSONL_RECORDS[0]["text"]
    assert first.url == FIX.JSONL_RECORDS[0]["url"]
    assert first.fetched_at == dt.datetime(2024, 11, 12, 6, 30, tzinfo=dt.timezone.utc)
    assert first.hints["date"] == "2024-11-12T04:00:00+09:00" and first.hints["title"] == FIX.JSONL_RECORDS[0]["title"]
    assert second.text == "Kremlin welcomes new stage\nMOSCOW (AFP) - The Kremlin said on Tuesday the treaty opened a new stage."
    assert second.fetched_at == dt.datetime(2024, 11, 12, 8, 26, 40, tzinfo=dt.timezone.utc)  # epoch 1731400000
    assert second.hints["title"] == "Kremlin welcomes \u201cnew stage\u201d" and second.hints["date"] == "2024-11-12"
    assert third.text == FIX.JSONL_RECORDS[2]["text"] and third.hints == {"author": "Kim Min-ji, Lee Joon"}
    assert broken.reason == "malformed_json" and broken.error.startswith(f"{path}, line 3: not valid JSON")
    assert broken.raw_bytes == FIX.JSONL_BROKEN_LINE.encode()
    assert no_text.reason == "malformed_json" and no_text.error == f"{path}, line 6: the record has neither text nor html"
    assert json.loads(no_text.raw_bytes) == FIX.JSONL_NO_TEXT


# --- WARC ---------------------------------------------------------------------------------------


def _warc_payloads() -> list[bytes]:
    return [html.encode(ctype.split("charset=")[1]) for _, _, ctype, html in FIX.WARC_PAGES]


def test_warc_responses_become_documents_and_requests_are_skipped():
    path = INPUTS / "crawl.warc.gz"
    docs = list(read_inputs([path]))
    assert len(docs) == 2 and all(isinstance(d, RawDocument) for d in docs)
    for doc, payload, (url, date, _, _) in zip(docs, _warc_payloads(), FIX.WARC_PAGES):
        assert doc.format == "warc" and doc.raw_bytes == payload and doc.document_id == sha(payload)
        assert doc.url == url
        assert doc.fetched_at == dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
        assert doc.uri.startswith(f"{path}#offset=")
    assert docs[0].text.split("\n") == [
        "North Korea ratifies pact", "SEOUL (Reuters) - North Korea ratified the treaty, KCNA said.",
        "It takes effect when instruments are exchanged.",
    ]
    assert docs[0].hints["meta_dates"] == [("article:published_time", "2024-11-12T03:15:00Z")]
    assert docs[1].encoding == "windows-1252"
    assert "SÉOUL (AFP) \u2013 La Corée du Nord a ratifié le traité, a annoncé l\u2019agence officielle." in docs[1].text
    offset = int(docs[1].uri.rpartition("=")[2])
    with open(path, "rb") as fh:  # the offset points at a gzip member holding the record
        fh.seek(offset)
        assert fh.read(2) == b"\x1f\x8b"


def test_truncated_warc_keeps_records_before_the_damage():
    path = INPUTS / "truncated.warc.gz"
    out = list(read_inputs([path]))
    assert [type(o).__name__ for o in out] == ["RawDocument", "Quarantined"]
    assert out[0].raw_bytes == _warc_payloads()[0]
    q = out[1]
    assert q.reason == "malformed_warc" and "truncated" in q.error
    offset = int(q.uri.rpartition("=")[2])
    assert q.raw_bytes == path.read_bytes()[offset:] and q.size_bytes == len(q.raw_bytes)


def test_not_a_warc_is_malformed(tmp_path):
    fake = tmp_path / "fake.warc"
    fake.write_bytes(b"this is not a WARC file at all\n" * 3)
    q = read_one(fake)
    assert q.reason == "malformed_warc" and q.raw_bytes == fake.read_bytes()


# --- discovery and file names -------------------------------------------------------------------


def test_discover_walks_folders_in_order_skipping_hidden_and_outputs():
    folder = INPUTS / "folder"

    def paths(*names: str) -> list[str]:
        return [str(folder / n) for n in names]

    assert discover([folder]) == paths("a.txt", "b.txt", "sub/c.txt")
    # an explicitly named hidden file is read; repeats are listed once
    assert discover([folder / ".hidden.txt", folder / "a.txt", folder]) == paths(
        ".hidden.txt", "a.txt", "b.txt", "sub/c.txt")
    assert discover([str(folder / "*.txt")]) == paths("a.txt", "b.txt")
    assert discover([str(folder / "**" / "*.txt")]) == paths("a.txt", "b.txt", "sub/c.txt")


def test_hostile_file_names(tmp_path):
    doc = read_one(INPUTS / FIX.HOSTILE_NAME)
    assert doc.uri == str(INPUTS / FIX.HOSTILE_NAME) and "KCNA said the treaty" in doc.text
    names = ["new\nline.txt", "semi;colon 'single' \"double\".txt", "ünïcødé 北朝鮮.txt", "$(rm -rf x).html", "-dash.txt"]
    for name in names:
        (tmp_path / name).write_text(f"<p>File {name!r}</p>" if name.endswith(".html") else f"File {name!r}\n")
    out = list(read_inputs([tmp_path]))
    assert sorted(d.uri for d in out) == sorted(str(tmp_path / n) for n in names)
    assert all(isinstance(d, RawDocument) for d in out)
    q = read_one(tmp_path / "missing\nname.txt")
    assert q.reason == "unreadable" and "\n" not in q.error and "missing\\nname.txt" in q.error


# --- throughput ---------------------------------------------------------------------------------


def test_txt_read_throughput_on_2000_small_files(tmp_path):
    seeds = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(2000):
        (tmp_path / f"{i:05d}.txt").write_bytes(seeds[i % 5] + f"\nfile {i}\n".encode())
    start = time.perf_counter()
    docs = list(read_inputs([tmp_path]))
    elapsed = time.perf_counter() - start
    assert len(docs) == 2000 and all(isinstance(d, RawDocument) and d.encoding == "utf-8" for d in docs)
    assert len({d.document_id for d in docs}) == 2000
    print(f"\ntxt read throughput: {len(docs) / elapsed:,.0f} files/s ({elapsed * 1000:.0f} ms for 2,000 files)")


def test_utf8_with_a_stray_bad_byte_stays_utf8():
    data = "Kremlin calls pact “historic”; Zelenskiy’s aide says Kyiv “will respond” – café".encode() + b" \xff end"
    assert decode_bytes(data) == (
        "Kremlin calls pact “historic”; Zelenskiy’s aide says Kyiv “will respond” – café \ufffd end", "utf-8"
    )
    assert decode_bytes("Caf\u00e9 \u201cnews\u201d".encode("cp1252")) == ("Caf\u00e9 \u201cnews\u201d", "windows-1252")


def test_garbage_of_every_kind_never_raises(tmp_path):
    import random

    rng = random.Random(3)
    warc = (INPUTS / "crawl.warc.gz").read_bytes()
    for i in range(60):
        ext = [".txt", ".html", ".jsonl", ".warc.gz", ".warc", ".bin"][i % 6]
        if i % 3 == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000)))
        elif i % 3 == 1:
            flipped = bytearray(warc)
            flipped[rng.randrange(len(flipped))] ^= 0xFF
            data = bytes(flipped[: rng.randrange(1, len(flipped))])
        else:
            data = ("<div>" * 3000 + "deep {}\n[1]\n").encode()
        (tmp_path / f"g{i:02d}{ext}").write_bytes(data)
    out = list(read_inputs([tmp_path]))
    assert out and all(isinstance(o, (RawDocument, Quarantined)) for o in out)
    assert {o.uri.partition("#")[0] for o in out} == {str(p) for p in tmp_path.iterdir()}  # nothing disappears


def test_uncompressed_warc_and_a_warc_cut_inside_a_header(tmp_path):
    import gzip

    plain = tmp_path / "crawl.warc"
    plain.write_bytes(gzip.decompress((INPUTS / "crawl.warc.gz").read_bytes()))
    docs = list(read_inputs([plain]))
    assert [d.raw_bytes for d in docs] == _warc_payloads()
    cut = tmp_path / "cut.warc"
    data = plain.read_bytes()
    cut.write_bytes(data[: data.index(b"WARC-Type: response") + 40])  # ends inside the first response's header
    out = list(read_inputs([cut]))
    assert [o.reason for o in out] == ["malformed_warc"]  # the request record before it is skipped, not a document
    offset = int(out[0].uri.rpartition("=")[2])
    assert data[offset:].startswith(b"WARC/1.0\r\n") and b"WARC-Type: response" in data[offset:]
    assert out[0].raw_bytes == cut.read_bytes()[offset:]
