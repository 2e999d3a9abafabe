"""Write the reader fixtures in this folder, deterministically (fixed seeds, dates and record ids).

Run: ``/tmp/v1/bin/python tests/resources/inputs/make_fixtures.py``.  The outputs are committed; the
tests read them and also check that running this script again reproduces them byte for byte.
Texts are written for these tests in the seeds' style (page dumps of one news story); they are not
copied from any page.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOSTILE_NAME = "it's a \"quoted\"; rm -rf $(x) naïve café ✓.txt"

LATIN1_TEXT = (
    "Séoul ratifie l'accord de défense avec Moscou\n\n"
    "  · Monde\n  · mardi 12 novembre 2024\n\n"
    "SÉOUL, 12 nov. (AFP) - Le ministère sud-coréen de la Défense a déclaré mardi que « la coopération "
    "militaire » entre Pyongyang et Moscou inquiète ses alliés, selon le porte-parole Jérôme Lefèvre.\n\n"
    "Le président François Müller a salué à Genève une « décision réfléchie », a précisé l'agence.\n\n"
    "© AFP 2024\n"
)
CP1252_TEXT = (
    "Treaty takes effect as Kremlin hails \u201cnew stage\u201d in ties\n\n"
    "MOSCOW, Nov 12 (Reuters) \u2013 Kremlin spokesman Dmitry Peskov said on Tuesday the pact was "
    "\u201can important step\u201d, while Spain\u2019s foreign minister Jos\u00e9 Manuel Albares called "
    "it \u2018a threat to Europe\u2019.\n\n"
    "Ren\u00e9e Dupr\u00e9, an analyst at a Paris think tank, said the deal cost \u20ac2 billion\u2026\n\n"
    "(Reporting by Ana\u00efs Le\u00f3n; Editing by Zo\u00eb Smith)\n"
)
UTF16_TEXT = "Pyongyang says treaty in force\n\nSEOUL (AP) \u2014 North Korea said on Wednesday the treaty took effect.\n"
HIDDEN_TEXT = "This hidden file must be skipped when its folder is read.\n"
NOTES_MD = "# Editor notes\n\nCheck the KCNA quote against the Korean original before publishing.\n"

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>North Korea ratifies defence pact with Russia | The Daily Ledger</title>
<meta property="og:title" content="North Korea ratifies defence pact with Russia">
<meta property="article:published_time" content="2024-11-12T03:15:00+00:00">
<meta property="article:modified_time" content="2024-11-12T09:40:00+00:00">
<meta name="author" content="Hyonhee Shin">
<link rel="canonical" href="https://www.example-ledger.com/world/2024/11/12/north-korea-ratifies-pact/">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "North Korea ratifies defence pact with Russia",
 "datePublished": "2024-11-12T03:15:00Z", "dateModified": "2024-11-12T09:40:00Z",
 "author": [{"@type": "Person", "name": "Hyonhee Shin"}]}
</script>
<style>body { font-family: serif; }</style>
<script>window.dataLayer = [{"page": "article"}];</script>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li></ul></nav>
<div class="ad" style="display:none">Advertisement placeholder</div>
<article>
<h1>North Korea ratifies defence pact with Russia</h1>
<p class="byline">By Hyonhee Shin<br><time datetime="2024-11-12T03:15:00Z">November 12, 2024 3:15 AM GMT</time></p>
<figure><img src="photo.jpg" alt="Leaders at a reception"><figcaption>Leaders attend a state reception in Pyongyang, June 19, 2024.</figcaption></figure>
<p>SEOUL, Nov 12 (Reuters) - North Korea has ratified a mutual defence treaty with Russia, state media KCNA said on Tuesday,
amid   international criticism over <b>deepening</b> military cooperation between the two countries.</p>
<p>Leader Kim Jong Un signed a decree to ratify the pact on Monday, KCNA said, adding that it takes effect when both sides exchange instruments of ratification.</p>
<p>Seoul and Washington say more than 10,000 North Korean soldiers have been sent to Russia.</p>
<pre>Vote tally:
  for     all
  against none</pre>
</article>
<aside><h2>Related</h2><ul><li><a href="/a">Russia's Duma approves treaty</a></li><li><a href="/b">Seoul weighs arms to Kyiv</a></li></ul></aside>
<footer><p>&copy; 2024 The Daily Ledger. All rights reserved.</p><p>Subscribe to our newsletter</p></footer>
<noscript>Please enable JavaScript.</noscript>
</body>
</html>
"""
BROKEN_HTML = (
    "<html><head><title>Broken page</title><body><div><p>KCNA says the treaty is in force"
    "<p>Second paragraph with <b>unclosed bold <i>and italics</div></span>\n<table><tr><td>Cell one<td>Cell two"
)
NO_TEXT_HTML = (
    "<!DOCTYPE html><html><head><title>Loading</title><script>var a = 1;</script></head>"
    "<body><div id=\"app\"></div><script>render(a);</script></body></html>"
)
LATIN1_HTML = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    "<title>Défense</title></head><body><p>Le traité entre en vigueur, a déclaré l'agence à Séoul.</p></body></html>"
)

JSONL_RECORDS = [
    {
        "url": "https://news.example.org/world/2024/11/12/pact-ratified",
        "title": "North Korea ratifies pact with Russia",
        "text": "North Korea ratifies pact with Russia\n\nSEOUL (Reuters) - North Korea has ratified a treaty with Russia, KCNA said.\n",
        "published_at": "2024-11-12T04:00:00+09:00",
        "fetched_at": "2024-11-12T06:30:00Z",
    },
    {
        "url": "https://news.example.org/world/2024/11/12/kremlin-reaction",
        "title": "Kremlin welcomes \u201cnew stage\u201d",
        "html": "<html><body><h1>Kremlin welcomes new stage</h1><p>MOSCOW (AFP) - The Kremlin said on Tuesday the treaty opened a new stage.</p></body></html>",
        "date": "2024-11-12",
        "crawled_at": 1731400000,
    },
    {
        "url": "https://news.example.org/asia/2024/11/13/seoul-response",
        "text": "Seoul protests treaty\nSEOUL (Yonhap) \u2014 South Korea\u2019s foreign ministry called the pact \u201ca clear threat\u201d.",
        "author": ["Kim Min-ji", "Lee Joon"],
    },
]
JSONL_BROKEN_LINE = '{"url": "https://news.example.org/broken", "text": "this line was cut off'
JSONL_NO_TEXT = {"url": "https://news.example.org/no-text", "title": "A record without text"}

WARC_PAGES = [
    (
        "https://www.example-ledger.com/world/2024/11/12/pact/",
        "2024-11-12T08:00:00Z",
        "text/html; charset=utf-8",
        "<html><head><title>Pact ratified</title>"
        '<meta property="article:published_time" content="2024-11-12T03:15:00Z"></head>'
        "<body><h1>North Korea ratifies pact</h1><p>SEOUL (Reuters) - North Korea ratified the treaty, KCNA said.</p>"
        "<p>It takes effect when instruments are exchanged.</p></body></html>",
    ),
    (
        "https://www.example-wire.fr/monde/2024/11/12/traite/",
        "2024-11-12T09:30:00Z",
        "text/html; charset=windows-1252",
        "<html><head><title>Traité ratifié</title></head><body><h1>Pyongyang ratifie le traité</h1>"
        "<p>SÉOUL (AFP) \u2013 La Corée du Nord a ratifié le traité, a annoncé l\u2019agence officielle.</p></body></html>",
    ),
]


def _png_bytes() -> bytes:
    rng = random.Random(20241112)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(2048))


def _undecodable_bytes() -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(0x80, 0x100) for _ in range(3000))


def _warc_bytes() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i, (url, date, ctype, html) in enumerate(WARC_PAGES, 1):
        charset = ctype.split("charset=")[1]
        payload = html.encode(charset)
        request = writer.create_warc_record(
            url, "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-00000000000{i}>"},
        )
        writer.write_record(request)
        response = writer.create_warc_record(
            url, "response",
            payload=io.BytesIO(payload),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(payload)))], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-0000000000a{i}>"},
        )
        writer.write_record(response)
    return out.getvalue()


def fixtures() -> dict[str, bytes]:
    """Relative path → bytes of every fixture."""
    jsonl = "\n".join(
        [json.dumps(JSONL_RECORDS[0]), json.dumps(JSONL_RECORDS[1]), JSONL_BROKEN_LINE, "",
         json.dumps(JSONL_RECORDS[2], ensure_ascii=False), json.dumps(JSONL_NO_TEXT)]
    ) + "\n"
    warc = _warc_bytes()
    return {
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\r\n  \n",
        "binary.txt": _png_bytes(),
        "image.png": _png_bytes(),
        "undecodable.txt": _undecodable_bytes(),
        "latin1.txt": LATIN1_TEXT.encode("latin-1"),
        "cp1252.txt": CP1252_TEXT.encode("cp1252"),
        "crlf.txt": CP1252_TEXT.replace("\n", "\r\n").encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + UTF16_TEXT.encode("utf-8"),
        "utf16.txt": UTF16_TEXT.encode("utf-16"),
        "notes.md": NOTES_MD.encode("utf-8"),
        "article.html": ARTICLE_HTML.encode("utf-8"),
        "broken.html": BROKEN_HTML.encode("utf-8"),
        "no_text.html": NO_TEXT_HTML.encode("utf-8"),
        "latin1.html": LATIN1_HTML.encode("latin-1"),
        "records.jsonl": jsonl.encode("utf-8"),
        "crawl.warc.gz": warc,
        "truncated.warc.gz": warc[: len(warc) - 120],
        HOSTILE_NAME: "Hostile name, ordinary text: KCNA said the treaty is in force.\n".encode("utf-8"),
        "folder/.hidden.txt": HIDDEN_TEXT.encode("utf-8"),
        "folder/b.txt": b"Second file in the folder.\n",
        "folder/a.txt": b"First file in the folder.\n",
        "folder/sub/c.txt": b"Nested file in the folder.\n",
        "folder/previous-run.parquet": b"PAR1" + bytes(64) + b"PAR1",  # an output file discovery skips
    }


def main() -> None:
    for rel, data in fixtures().items():
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    main()
