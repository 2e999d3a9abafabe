"""The HTML reader: a page → its rendered text (one block per line) + hints from markup.

Rendering choice: our own lxml walk, not ``trafilatura.html2txt`` (which flattens the page into one
line, losing the block structure the segmenter labels).  lxml's HTML parser is tolerant, so broken
markup still yields text.  The walk
* skips ``<head>``, scripts, styles, ``noscript``, templates, SVG/MathML, iframes, form widgets,
  and elements marked ``hidden`` / ``aria-hidden="true"`` / ``display:none``;
* starts a new line at every block-level element (p, div, li, h1–h6, td, ...) and at ``<br>``;
* collapses HTML whitespace runs inside a line to one space (NBSP kept), drops empty lines;
* keeps the line structure inside ``<pre>``.
Lines are joined with ``\\n``; the result is the document text all offsets index.

Hints (only the keys found): ``title`` (og:title, else ``<title>``, else JSON-LD headline),
``meta_dates`` [(name, value)] from ``<meta>`` date tags and JSON-LD date fields, ``date`` (htmldate
``find_date(extensive_search=False, original_date=True)``, once per page), ``body`` (trafilatura
``extract``), ``author`` (meta / JSON-LD), ``canonical_url`` (``<link rel=canonical>`` / og:url).
trafilatura and htmldate are imported on first use so a txt-only run never pays for them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from .decode import DecodeError, decode_bytes
from .document import Quarantined, RawDocument, quarantine, sha256_hex

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu "
    "nav noframes ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "head script style noscript template svg math iframe object embed canvas select datalist textarea "
    "audio video button input".split()
)
DATE_META_NAMES = frozenset(
    """article:published_time article:modified_time og:published_time og:updated_time og:article:published_time
    article:published article:modified datepublished datemodified datecreated dateupdated date pubdate publishdate
    publish-date publish_date published_time published-date publication_date dc.date dc.date.issued dc.date.created
    dc.date.modified dcterms.created dcterms.date dcterms.issued dcterms.modified sailthru.date parsely-pub-date
    article.published article.updated article_date_original originalpublicationdate last-modified lastmod
    release_date displaydate""".split()
)
_DATE_NAME_HINT = re.compile(r"date|publish|modified|created|updated|_time$|:time$", re.I)
_LD_DATE_KEYS = ("datePublished", "dateModified", "dateCreated", "uploadDate")
_HTML_WS = re.compile(r"[ \t\n\r\f]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_MAX_META_DATES = 30
_MAX_LD_DEPTH = 8

log = logging.getLogger(__name__)


class HtmlError(ValueError):
    """HTML that cannot become a document; `reason` is a quarantine code."""

    def __init__(self, reason: str, problem: str) -> None:
        super().__init__(problem)
        self.reason = reason


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KB, if any."""
    found = _META_CHARSET.search(data, 0, 4096)
    return found.group(1).decode("ascii") if found else None


def parse_html(markup: str) -> lxml_html.HtmlElement:
    """Parse (tolerantly) a decoded page; raises `HtmlError` ("malformed_html") when lxml cannot."""
    markup = _XML_DECL.sub("", markup, count=1)
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise HtmlError("malformed_html", f"HTML cannot be parsed ({exc})") from exc


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and _DISPLAY_NONE.search(style) is not None


def render_text(root: etree._Element) -> str:
    """The page as text, one block per line (see the module docstring)."""
    lines: list[str] = []
    buf: list[str] = []
    pre_depth = 0

    def flush() -> None:
        if not buf:
            return
        joined = "".join(buf)
        buf.clear()
        if pre_depth:
            lines.extend(line.rstrip() for line in joined.split("\n") if line.strip())
        else:
            line = _HTML_WS.sub(" ", joined).strip()
            if line:
                lines.append(line)

    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    skipped: set[etree._Element] = set()
    for event, el in walker:
        tag = el.tag
        if event in ("comment", "pi") or not isinstance(tag, str):
            if el.tail:
                buf.append(el.tail)
            continue
        tag = tag.rpartition("}")[2].lower()
        if event == "start":
            if tag in SKIP_TAGS or _hidden(el):
                skipped.add(el)
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS or tag == "br":
                flush()
            if tag == "pre":
                pre_depth += 1
            if el.text:
                buf.append(el.text)
        else:
            if el in skipped:
                skipped.discard(el)
            elif tag in BLOCK_TAGS:
                flush()
                if tag == "pre":
                    pre_depth -= 1
            if el.tail:
                buf.append(el.tail)
    flush()
    return "\n".join(lines)


def _ld_objects(root: etree._Element) -> Iterator[dict]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [(data, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > _MAX_LD_DEPTH:
                continue
            if isinstance(node, dict):
                yield node
                stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))


def _author_names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        return _author_names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _author_names(item)]
    return []


def markup_hints(root: etree._Element, base_url: str | None = None) -> dict:
    """title, meta_dates, author, canonical_url from ``<meta>``/``<link>``/``<title>``/JSON-LD."""
    hints: dict = {}
    meta_dates: list[tuple[str, str]] = []
    og_title = title = ld_title = canonical = og_url = None
    authors: list[str] = []
    for el in root.iter("meta", "link", "title"):
        if el.tag == "title":
            if title is None and el.text_content().strip():
                title = _HTML_WS.sub(" ", el.text_content()).strip()
            continue
        if el.tag == "link":
            if canonical is None and "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
                canonical = el.get("href").strip()
            continue
        name = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip()
        content = (el.get("content") or "").strip()
        if not name or not content:
            continue
        lname = name.lower()
        if lname == "og:title" and og_title is None:
            og_title = _HTML_WS.sub(" ", content)
        elif lname == "og:url" and og_url is None:
            og_url = content
        elif lname in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator"):
            if not content.startswith("http"):
                authors.append(content)
        elif (lname in DATE_META_NAMES or _DATE_NAME_HINT.search(lname)) and len(meta_dates) < _MAX_META_DATES:
            meta_dates.append((name, content))
    for obj in _ld_objects(root):
        for key in _LD_DATE_KEYS:
            value = obj.get(key)
            if isinstance(value, str) and value.strip() and len(meta_dates) < _MAX_META_DATES:
                meta_dates.append((f"ld+json:{key}", value.strip()))
        if ld_title is None and isinstance(obj.get("headline"), str) and obj["headline"].strip():
            ld_title = obj["headline"].strip()
        if "author" in obj:
            authors.extend(_author_names(obj["author"]))
    if og_title or title or ld_title:
        hints["title"] = og_title or title or ld_title
    if meta_dates:
        hints["meta_dates"] = meta_dates
    if authors:
        hints["author"] = ", ".join(dict.fromkeys(a for a in authors if a))
    url = canonical or og_url
    if url:
        url = urljoin(base_url, url) if base_url else url
        if url.startswith(("http://", "https://")):
            hints["canonical_url"] = url
    return hints


def extractor_hints(root: etree._Element, url: str | None = None) -> dict:
    """``body`` from trafilatura.extract and ``date`` from htmldate.find_date (each on its own copy)."""
    import trafilatura  # heavy imports: only when an HTML page is read
    from htmldate import find_date

    hints: dict = {}
    try:
        body = trafilatura.extract(copy.deepcopy(root), url=url, include_comments=False)
    except Exception as exc:  # noqa: BLE001 - a third-party extractor failing must not lose the page
        log.debug("trafilatura failed on %s: %s", url, exc)
        body = None
    if body:
        hints["body"] = body
    try:
        date = find_date(copy.deepcopy(root), extensive_search=False, original_date=True, url=url)
    except Exception as exc:  # noqa: BLE001 - same reason
        log.debug("htmldate failed on %s: %s", url, exc)
        date = None
    if date:
        hints["date"] = date
    return hints


def analyse_html(markup: str, url: str | None = None) -> tuple[str, dict]:
    """Decoded page → (rendered text, hints); raises `HtmlError` (malformed_html / no_text)."""
    root = parse_html(markup)
    text = render_text(root)
    if not text.strip():
        raise HtmlError("no_text", "the HTML page renders to no text")
    hints = markup_hints(root, url)
    hints.update(extractor_hints(root, url or hints.get("canonical_url")))
    return text, hints


def read_html(
    uri: str,
    data: bytes,
    *,
    fmt: str = "html",
    url: str | None = None,
    fetched_at: dt.datetime | None = None,
    charset: str | None = None,
    document_id: str | None = None,
) -> RawDocument | Quarantined:
    """An HTML page's bytes → a document; `charset` is a declared one (HTTP header), else ``<meta>``.
    `document_id`: the bytes' sha256 when the caller already computed it."""
    try:
        markup, encoding = decode_bytes(data, charset or declared_charset(data))
        text, hints = analyse_html(markup, url)
    except (DecodeError, HtmlError) as exc:
        return quarantine(uri, exc.reason, str(exc), data)
    return RawDocument(
        document_id or sha256_hex(data), uri, data, fmt, text, encoding, url or hints.get("canonical_url"),
        fetched_at, hints
    )
