"""Article metadata: wire agency, authors, dateline, publisher, headline — on the seeds and own fixtures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from flows.text.agencies import (
    AGENCIES,
    AgencyCredit,
    canonical_agency,
    choose_agency,
    find_copyright_credit,
    find_dateline,
    find_photo_credits,
    find_plain_dateline,
    find_trailing_credit,
)
from flows.text.bylines import find_byline, find_reporting_credits
from flows.text.metadata import extract_metadata
from flows.text.model import Block, Metadata
from flows.text.publisher import (
    PUBLISHERS,
    canonical_publisher,
    find_publisher_credits,
    publisher_from_url,
    registered_domain,
)

try:  # the segmenter is built in parallel; line blocks exercise every rule without it
    from flows.text.segment import segment
except Exception:  # noqa: BLE001 - any import failure of the sibling module means "not available"
    segment = None

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.txt"))
FIXTURES = ROOT / "tests" / "resources" / "metadata"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
MODES = ["lines"] + (["segment"] if segment is not None else [])


def _run(text: str, mode: str, **kw) -> Metadata:
    blocks = segment(text) if mode == "segment" else []
    return extract_metadata(text, blocks, **kw)


def _block(text: str, label: str = "body", start: int = 0) -> Block:
    return Block(0, start, start + len(text), text, label, "test", 1.0)


# Expected values read off each seed by hand (see the task notes in the module docstrings).
SEED_EXPECTED = {
    "000": dict(wire_agency="Reuters", dateline="SEOUL", authors=["Hyonhee Shin"], publisher=None),
    "001": dict(wire_agency="Reuters", dateline=None, authors=[], publisher=None),  # "by Agency Staff" dropped
    "002": dict(wire_agency=None, dateline=None, authors=["Anh Vũ"], publisher=None),  # KCNA is a cited source
    "003": dict(wire_agency="AFP", dateline=None, authors=[], publisher=None),
    "004": dict(wire_agency="AP", dateline="SEOUL", authors=[], publisher="Newsmax"),
}


def _check_evidence(text: str, md: Metadata) -> None:
    """Every value with offsets points at text that supports it."""
    for fv in md.fields:
        assert 0.0 < fv.confidence <= 1.0, fv
        assert fv.rule
        if fv.char_start is None:
            assert fv.char_end is None
            continue
        ev = text[fv.char_start : fv.char_end]
        assert ev.strip(), fv
        if fv.field == "dateline":
            assert ev == fv.value
        elif fv.field == "author":
            assert ev.casefold() == fv.value.casefold()
        elif fv.field == "wire_agency":
            assert canonical_agency(ev) == fv.value or fv.rule == "reuters_reporting_credit", (ev, fv)
        elif fv.field == "publisher":
            assert canonical_publisher(ev) == fv.value or ev == fv.value, (ev, fv)
        elif fv.field in ("headline", "standfirst"):
            assert ev.strip() == fv.value


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seed_metadata(path: Path, mode: str) -> None:
    text = path.read_text(encoding="utf-8")
    md = _run(text, mode)
    exp = SEED_EXPECTED[path.name[:3]]
    assert md.wire_agency == exp["wire_agency"]
    assert md.dateline == exp["dateline"]
    assert md.authors == exp["authors"]
    assert md.publisher == exp["publisher"]
    assert md.language == "en"
    assert "Reuters" not in md.authors and "Agency Staff" not in md.authors
    _check_evidence(text, md)


@pytest.mark.parametrize("mode", MODES)
def test_seed_evidence_points_at_the_credit(mode: str) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    md = _run(text, mode)
    agency = next(f for f in md.fields if f.field == "wire_agency")
    assert agency.rule == "dateline_credit"
    assert text[agency.char_start - 7 : agency.char_end + 3] == "SEOUL (Reuters) -"
    author = next(f for f in md.fields if f.field == "author")
    assert text[author.char_start - 13 : author.char_end] == "Reporting by Hyonhee Shin"


def test_seed_004_publisher_is_the_site_not_the_agency_copyright() -> None:
    text = SEEDS[4].read_text(encoding="utf-8")
    md = extract_metadata(text, [])
    pub = next(f for f in md.fields if f.field == "publisher")
    assert pub.value == "Newsmax"
    assert text[pub.char_start : pub.char_end] == "Newsmax Media"
    assert "The Associated Press" not in (md.publisher or "")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_metadata(name: str, mode: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    md = _run(text, mode)
    exp = EXPECTED[name]
    got = dict(
        wire_agency=md.wire_agency, dateline=md.dateline, authors=md.authors, publisher=md.publisher,
        language=md.language,
    )  # fmt: skip
    assert got == exp
    _check_evidence(text, md)


# --- wire agency ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "agency", "city"),
    [
        ("WASHINGTON, Nov 12 (Reuters) - The U.S. Senate voted", "Reuters", "WASHINGTON"),
        ("SEOUL, South Korea (AP) — North Korea said", "AP", "SEOUL"),
        ("SANTA FE, N.M. (AP) — A judge ruled", "AP", "SANTA FE"),
        ("(AP) — Officials said on Monday", "AP", None),
        ("BEIJING, Nov. 12 (Xinhua) -- China will", "Xinhua", "BEIJING"),
        ("KUALA LUMPUR, Nov 12 (Bernama) -- The government", "Bernama", "KUALA LUMPUR"),
        ("MOSCOW, November 12. /TASS/. The Kremlin said", "TASS", "MOSCOW"),
        ("NEW YORK, Nov. 12, 2024 /PRNewswire/ -- Acme Corp today announced", "PR Newswire", "NEW YORK"),
        ("(ANSA) - ROMA, 12 NOV - Il governo ha approvato", "ANSA", "ROMA"),
        ("Madrid (EUROPA PRESS) - El Gobierno ha aprobado", "Europa Press", "Madrid"),
        ("Hamburg (dpa/lno) - Der Senat hat beschlossen", "dpa", "Hamburg"),
        ("New Delhi, Nov 12 (PTI) The government on Tuesday", "PTI", "New Delhi"),
        ("The talks (which began in May) Continued for weeks", None, None),
        ("ANKARA (AA) - Turkish officials said", "Anadolu", "ANKARA"),
        ("AFP: North Korea has ratified a landmark defence pact with Russia, state media said.", "AFP", None),
        ("AP - 16/05/2020, 12:36 PM", "AP", None),
        ("AP: China hid the scale of the outbreak", None, None),  # a headline citing AP
    ],
)
def test_dateline_credits(line: str, agency: str | None, city: str | None) -> None:
    dateline, credit = find_dateline(_block(line, start=10))
    assert (credit.agency if credit else None) == agency
    assert (dateline.city if dateline else None) == city
    if dateline is not None:
        assert line[dateline.char_start - 10 : dateline.char_end - 10] == city


def test_network_credit_gives_a_city_but_no_agency() -> None:
    dateline, credit = find_dateline(_block("Washington (CNN) — The Senate passed"))
    assert credit is None and dateline is not None and dateline.city == "Washington"
    dateline, credit = find_dateline(_block("(CNN)President Joe Biden said"))
    assert credit is None and dateline is None


@pytest.mark.parametrize(
    "line",
    [
        "The deal was ratified, the Korean Central News Agency (KCNA) said on Tuesday.",
        "Kim Jong Un welcomed Putin (Gavriil GRIGOROV/POOL/AFP)",
        "North Korean leader Kim Jong Un (AP Photo/Ahn Young-joon) waves",
        "The Associated Press reported that the vote was delayed.",
        "According to Reuters, the talks collapsed.",
    ],
)
def test_agencies_named_in_sentences_are_not_credits(line: str) -> None:
    dateline, credit = find_dateline(_block(line))
    assert credit is None
    assert find_trailing_credit(_block(line)) is None


@pytest.mark.parametrize(
    ("line", "agency", "rule"),
    [
        ("Reuters", "Reuters", "trailing_credit"),
        ("— Associated Press", "AP", "trailing_credit"),
        ("-- AFP", "AFP", "trailing_credit"),
        ("(With AFP)", "AFP", "with_credit"),
        ("With inputs from PTI", "PTI", "with_credit"),
        ("Source: AFP/dpa", "AFP", "with_credit"),
        ("dpa/lni", "dpa", "trailing_credit"),
        ("Reuters contributed to this report.", "Reuters", "contributed_credit"),
        ("Beta", None, None),  # a word-like agency name alone on a line is not trusted
        ("Read more", None, None),
        ("Reuters reported that the talks would resume on Monday in Geneva.", None, None),
    ],
)
def test_trailing_credits(line: str, agency: str | None, rule: str | None) -> None:
    credit = find_trailing_credit(_block(line))
    assert (credit.agency if credit else None) == agency
    assert (credit.rule if credit else None) == rule


def test_copyright_and_photo_credits() -> None:
    ap = find_copyright_credit(_block("Copyright 2024 The Associated Press. All rights reserved."))
    assert ap is not None and ap.agency == "AP"
    assert find_copyright_credit(_block("© Newsmax Media, Inc.")) is None
    photo = find_photo_credits(_block("Picture: VLADIMIR SMIRNOV/POOL via REUTERS"), "Reuters")
    assert [c.agency for c in photo] == ["Reuters"] and photo[0].confidence < 0.5
    assert choose_agency(photo) is None  # a photo credit alone never sets the wire agency
    assert [c.agency for c in find_photo_credits(_block("(Gavriil GRIGOROV/POOL/AFP)"), "AFP")] == ["AFP"]
    assert find_photo_credits(_block("AFP reported that the talks resumed"), "AFP") == []


def test_choose_agency_prefers_the_dateline_and_counts_agreement() -> None:
    credits = [
        AgencyCredit("AFP", 0, 3, "photo_credit", 0.2, 0),
        AgencyCredit("Reuters", 10, 17, "dateline_credit", 0.95, 2),
        AgencyCredit("Reuters", 90, 140, "reuters_reporting_credit", 0.75, 9),
    ]
    best = choose_agency(credits)
    assert best is not None and best.agency == "Reuters" and best.rule == "dateline_credit"
    assert best.confidence == 0.99  # 0.95 + 0.05 for the agreeing credit line, capped


def test_plain_dateline_without_credit() -> None:
    assert find_plain_dateline(_block("WASHINGTON — The Senate voted")).city == "WASHINGTON"
    assert find_plain_dateline(_block("NEW DELHI: The government said")).city == "NEW DELHI"
    assert find_plain_dateline(_block("UPDATE: The Senate voted")) is None
    assert find_plain_dateline(_block("FILE PHOTO: Russia's President")) is None
    assert find_plain_dateline(_block("The Senate voted — again")) is None


# --- authors --------------------------------------------------------------------------------------------


def _values(credits, kind="author"):
    return [c.value for c in credits if c.kind == kind]


def test_bylines() -> None:
    assert _values(find_byline(_block("By Jane Doe and John Roe"))) == ["Jane Doe", "John Roe"]
    both = find_byline(_block("By JOSH BOAK AP Economics Writer"))
    assert _values(both) == ["Josh Boak"] and _values(both, "agency") == ["AP"]
    assert _values(find_byline(_block("By Reuters"))) == []
    assert _values(find_byline(_block("By Reuters")), "agency") == ["Reuters"]
    staff = find_byline(_block("by Agency Staff"))
    assert _values(staff) == [] and _values(staff, "staff") == ["Agency Staff"]
    assert _values(find_byline(_block("Anh Vũ |"))) == ["Anh Vũ"]
    assert _values(find_byline(_block("Von Lena Schmidt, dpa"))) == ["Lena Schmidt"]
    assert _values(find_byline(_block("Por Ana Martínez | 07/10/2024"))) == ["Ana Martínez"]
    assert _values(find_byline(_block("By the numbers: how the vote went"))) == []
    assert _values(find_byline(_block("By Dana Reyes, CNN"))) == ["Dana Reyes"]
    assert _values(find_byline(_block("By Ann Lee, Baltimore Sun"))) == ["Ann Lee"]
    assert _values(find_byline(_block("By Associated Press Jun 12, 2020"))) == []
    assert _values(find_byline(_block("By Associated Press Jun 12, 2020")), "agency") == ["AP"]
    assert _values(find_byline(_block("By Hillel ItalieThe Associated Press"))) == ["Hillel Italie"]


def test_reporting_credit_keeps_reporters_and_writers_not_editors() -> None:
    line = "(Reporting by Hyonhee Shin in Seoul and Jack Kim; Writing by Ed Davies; Editing by Marguerita Choy)"
    credits = find_reporting_credits(_block(line, start=100))
    assert _values(credits) == ["Hyonhee Shin", "Jack Kim", "Ed Davies"]
    for c in credits:
        assert line[c.char_start - 100 : c.char_end - 100] == c.value
    extra = find_reporting_credits(_block("Additional reporting by Carl Berg; Editing by Tom Hughes"))
    assert _values(extra) == []


def test_tail_byline_only_with_explicit_prefix() -> None:
    assert _values(find_byline(_block("Pewarta: Budi Santoso"), after_body=True)) == ["Budi Santoso"]
    assert _values(find_byline(_block("Di Jawa Tengah hujan turun"), after_body=True)) == []
    assert _values(find_byline(_block("Editor: Rina Wijaya"), after_body=True)) == []


# --- publisher ------------------------------------------------------------------------------------------


def test_publisher_from_url() -> None:
    star = publisher_from_url("https://www.thestar.com.my/news/world/2024/11/12/north-korea")
    assert star is not None and star.value == "The Star" and star.char_start is None
    assert publisher_from_url("https://edition.cnn.com/2024/09/28/politics/x").value == "CNN"
    unknown = publisher_from_url("https://news.example.co.uk/story/1")
    assert unknown is not None and unknown.value == "example.co.uk" and unknown.rule == "url_domain"
    assert publisher_from_url(None) is None
    assert publisher_from_url("not a url") is None
    assert registered_domain("m.sub.example.com.au") == "example.com.au"
    assert registered_domain("www.example.org") == "example.org"


def test_publisher_footer_lines() -> None:
    got = find_publisher_credits(_block("© 2024 The Star Online. All Rights Reserved."))
    assert [(c.value, c.rule) for c in got] == [("The Star", "copyright_known")]
    assert find_publisher_credits(_block("Copyright 2024 The Associated Press. All rights reserved.")) == []
    assert find_publisher_credits(_block("Photo: © Getty Images")) == []
    assert [c.value for c in find_publisher_credits(_block("NEWSMAX.COM"))] == ["Newsmax"]
    assert find_publisher_credits(_block("Follow us on our official WhatsApp channel for breaking news alerts")) == []


def test_url_and_hints_when_the_text_is_silent() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    md = extract_metadata(text, [], url="https://www.thestar.com.my/news/world/2024/11/12/x", hints={"title": "T"})
    assert md.publisher == "The Star"
    assert md.headline == "T"
    head = next(f for f in md.fields if f.field == "headline")
    assert head.char_start is None and head.rule == "hint_title"
    assert extract_metadata(text, []).publisher is None


def test_labelled_blocks_give_headline_and_standfirst() -> None:
    text = "Tags: a b\nBig headline here\nA short summary of it\nLONDON (Reuters) - " + "Body words. " * 20
    lines = text.split("\n")
    labels = ["tags", "headline", "standfirst", "body"]
    blocks, pos = [], 0
    for i, (line, label) in enumerate(zip(lines, labels)):
        blocks.append(Block(i, pos, pos + len(line), line, label, "hand", 0.9))
        pos += len(line) + 1
    md = extract_metadata(text, blocks)
    assert (md.headline, md.standfirst, md.wire_agency, md.dateline) == (
        "Big headline here", "A short summary of it", "Reuters", "LONDON",
    )  # fmt: skip
    _check_evidence(text, md)


def test_empty_text() -> None:
    md = extract_metadata("", [])
    assert md == Metadata()


# --- seed lookups stay in step with the Python tables ---------------------------------------------------


def _csv_rows(name: str) -> list[tuple]:
    with open(ROOT / "seeds" / name, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == [h.lower() for h in header] and all(h.replace("_", "").isalpha() for h in header)
        return [(r[0], r[1], r[2], tuple(r[3].split("|")), tuple(r[4].split("|"))) for r in reader]


def test_wire_agencies_csv_matches_module() -> None:
    assert _csv_rows("wire_agencies.csv") == list(AGENCIES)


def test_publishers_csv_matches_module() -> None:
    assert _csv_rows("publishers.csv") == list(PUBLISHERS)
