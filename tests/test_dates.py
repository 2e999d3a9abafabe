"""flows.text.dates on the seed pages and on our own multilingual fixtures (tests/resources/dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.text.dates import (choose_publication_date, find_date_candidates, stated_weekday_conflict,
                              weekday_mismatch)
from flows.text.model import DATE_LOCATIONS, Block

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
FIXTURES = ROOT / "tests" / "resources" / "dates"
UTC = dt.timezone.utc
FETCHED = dt.datetime(2024, 11, 13, 6, 0, tzinfo=UTC)


def _segment(text: str) -> list[Block]:
    try:  # the segmenter is developed in parallel: our results must not depend on it being there
        from flows.text.segment import segment
        return segment(text)
    except Exception:  # noqa: BLE001 - any failure means "no segmentation"
        return []


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# the chooser must give the same answer with the segmenter's blocks and with no blocks at all
BLOCK_MODES = [pytest.param(_segment, id="segmented"), pytest.param(lambda t: [], id="unsegmented")]


@pytest.mark.parametrize("blocks_of", BLOCK_MODES)
@pytest.mark.parametrize("prefix,expected", [("000", dt.date(2024, 11, 12)), ("001", dt.date(2024, 11, 10)),
                                             ("003", dt.date(2024, 11, 12)), ("004", dt.date(2024, 11, 11))])
def test_seed_publication_dates(prefix, expected, blocks_of):
    text = _seed(prefix)
    pub = choose_publication_date(find_date_candidates(text, blocks_of(text)))
    assert pub.value_date == expected
    assert not pub.is_inferred
    assert pub.source in ("byline", "header", "dateline", "footer_metadata")


def test_seed_000_caption_date_is_not_publication():
    text = _seed("000")
    cands = find_date_candidates(text, _segment(text))
    june = [c for c in cands if c.value_date == dt.date(2024, 6, 19)]
    assert june and all(c.location == "body" for c in june)
    assert choose_publication_date(cands).local_form == "Tuesday, 12 Nov 2024"


@pytest.mark.parametrize("blocks_of", BLOCK_MODES)
def test_seed_002_has_no_explicit_date(blocks_of):
    text = _seed("002")
    cands = find_date_candidates(text, blocks_of(text))
    pub = choose_publication_date(cands)
    # never an inference presented as a fact: a flagged, low-confidence lower bound, and the latest
    # event the body states as past ("On November 12, ... reported", year from "June 2024")
    assert pub.source == "inferred_lower_bound" and pub.is_inferred and pub.confidence <= 0.2
    assert pub.value_date == dt.date(2024, 11, 12) and pub.local_form == "November 12"
    rule = cands[pub.candidate_index].rule
    assert "year_from_page" in rule and "past_event" in rule


@pytest.mark.parametrize("blocks_of", BLOCK_MODES)
def test_lower_bound_skips_events_stated_as_future(blocks_of):
    text = _fixture("en_lower_bound_events.txt")
    cands = find_date_candidates(text, blocks_of(text))
    (dec,) = [c for c in cands if c.text == "December 3"]
    assert dec.value_date == dt.date(2024, 12, 3) and "future_event" in dec.rule
    pub = choose_publication_date(cands)
    assert pub.is_inferred and pub.source == "inferred_lower_bound"
    assert pub.value_date == dt.date(2024, 11, 8) and pub.local_form == "November 8"


def test_seed_004_newsmax_byline_beats_footer_metadata_and_converts_to_utc():
    text = _seed("004")
    cands = find_date_candidates(text, _segment(text))
    pub = choose_publication_date(cands)
    assert pub.value_date == dt.date(2024, 11, 11)
    assert pub.value_utc == dt.datetime(2024, 11, 12, 4, 1, tzinfo=UTC)
    chosen = cands[pub.candidate_index]
    assert chosen.local_time == "23:01" and chosen.tz_name == "EST"
    assert chosen.granularity == "datetime"
    assert text[chosen.char_start:chosen.char_end] == chosen.text == "Monday, 11 November 2024 11:01 PM EST"
    stray = [c for c in cands if c.value_date == dt.date(2024, 1, 11)]
    assert len(stray) == 1 and stray[0].location == "footer_metadata"
    assert stray[0].text == "2024-01-11"


def test_seed_001_relative_related_items():
    text = _seed("001")
    cands = find_date_candidates(text, _segment(text))
    rel = [c for c in cands if c.text == "2 days ago"]
    assert len(rel) == 2
    assert all(c.is_relative and c.granularity == "relative" and c.value_date is None for c in rel)
    with_capture = find_date_candidates(text, _segment(text), fetched_at=FETCHED)
    rel = [c for c in with_capture if c.text == "2 days ago"]
    assert all(c.value_date == dt.date(2024, 11, 11) for c in rel)
    assert choose_publication_date(with_capture, fetched_at=FETCHED).value_date == dt.date(2024, 11, 10)


def test_every_candidate_keeps_evidence():
    for path in sorted(SEEDS.glob("*.txt")) + sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for c in find_date_candidates(text, _segment(text), url="https://example.org/2024/11/12/x",
                                      fetched_at=FETCHED):
            assert c.location in DATE_LOCATIONS
            assert 0.0 <= c.confidence <= 1.0 and c.rule
            if c.char_start is not None:
                assert text[c.char_start:c.char_end] == c.text
            if c.value_utc is not None:
                assert c.value_utc.tzinfo is not None and c.value_utc.utcoffset() == dt.timedelta(0)


def test_ambiguous_numeric_date_is_left_ambiguous():
    text = _fixture("en_ambiguous.txt")
    cands = find_date_candidates(text, [])
    (c,) = [c for c in cands if c.text.startswith("11/12/2024")]
    assert c.is_ambiguous and c.value_date is None
    assert set(c.alternatives) == {dt.date(2024, 11, 12), dt.date(2024, 12, 11)}
    assert choose_publication_date(cands).value_date is None


def test_ambiguous_numeric_date_decided_by_page_order_or_url():
    text = "Posted 11/12/2024\n\nOther story 25/12/2024\n"
    (c, _) = find_date_candidates(text, [])
    assert c.value_date == dt.date(2024, 12, 11) and "page_order_dmy" in c.rule
    text = "Posted 11/12/2024\n"
    (c, *_rest) = find_date_candidates(text, [], url="https://example.org/2024/11/12/story")
    assert c.value_date == dt.date(2024, 11, 12) and "url_decides" in c.rule


def test_weekday_conflict_is_recorded():
    text = _fixture("en_weekday_conflict.txt")
    cands = find_date_candidates(text, _segment(text))
    (c,) = [c for c in cands if c.value_date == dt.date(2024, 11, 12)]
    assert weekday_mismatch(c)
    msg = stated_weekday_conflict(c, text)
    assert msg is not None and "Monday" in msg and "Tuesday" in msg
    assert c.value_utc == dt.datetime(2024, 11, 12, 9, 0, tzinfo=UTC)
    ok = find_date_candidates(_seed("000"), [])[0]
    assert ok.text.startswith("Tuesday") and not weekday_mismatch(ok)
    assert stated_weekday_conflict(ok, _seed("000")) is None


@pytest.mark.parametrize("blocks_of", BLOCK_MODES)
@pytest.mark.parametrize("name,expected,local_time,utc", [
    ("de_polizei.txt", dt.date(2024, 11, 12), "14:30", None),
    ("es_related.txt", dt.date(2024, 11, 12), "10:05", None),
    ("vi_ngay.txt", dt.date(2024, 11, 12), "10:05", dt.datetime(2024, 11, 12, 3, 5, tzinfo=UTC)),
    ("ja_cjk.txt", dt.date(2024, 11, 12), "10:05", None),
    ("ru_dateline.txt", dt.date(2024, 11, 12), "10:05", None),
])
def test_fixture_publication_dates(name, expected, local_time, utc, blocks_of):
    text = _fixture(name)
    cands = find_date_candidates(text, blocks_of(text), fetched_at=FETCHED)
    pub = choose_publication_date(cands, fetched_at=FETCHED)
    assert pub.value_date == expected and not pub.is_inferred
    assert cands[pub.candidate_index].local_time == local_time
    assert pub.value_utc == utc


def test_related_list_dates_and_relative_items_do_not_win():
    text = _fixture("es_related.txt")
    cands = find_date_candidates(text, _segment(text), fetched_at=FETCHED)
    rel = [c for c in cands if c.text == "hace 2 días"]
    assert rel and rel[0].is_relative and rel[0].value_date == dt.date(2024, 11, 11)
    event = [c for c in cands if c.value_date == dt.date(2024, 6, 19)]
    assert event and event[0].location == "body"


def test_dateline_with_yearless_date_takes_the_year_from_the_capture():
    text = _fixture("en_dateline_yearless.txt")
    cands = find_date_candidates(text, [], fetched_at=FETCHED)
    (c,) = [c for c in cands if c.text == "Nov 12"]
    assert c.location == "dateline" and "year_from_capture" in c.rule
    pub = choose_publication_date(cands, fetched_at=FETCHED)
    assert pub.value_date == dt.date(2024, 11, 12) and pub.source == "dateline"
    # without any anchor the year stays unknown
    (c,) = [c for c in find_date_candidates(text, []) if c.text == "Nov 12"]
    assert c.value_date is None


def test_chrome_blocks_never_win():
    text = "Latest\n12 November 2024\nA teaser headline\n"
    blocks = [Block(0, 0, 6, "Latest", "navigation", "t", 1.0),
              Block(1, 7, 23, "12 November 2024", "related", "t", 1.0),
              Block(2, 24, 41, "A teaser headline", "related", "t", 1.0)]
    cands = find_date_candidates(text, blocks)
    assert cands[0].location == "related"
    assert choose_publication_date(cands).source == "none"


def test_url_meta_and_capture_candidates():
    hints = {"meta_dates": [("article:published_time", "2024-11-12T13:01:00+09:00"),
                            ("dateModified", "2024-11-14T10:00:00Z")]}
    cands = find_date_candidates("No dates here.", [], url="https://example.org/news/2024/11/12/story.html",
                                 fetched_at=FETCHED, hints=hints)
    by_loc = {c.location: c for c in cands}
    assert by_loc["url"].value_date == dt.date(2024, 11, 12) and by_loc["url"].char_start is None
    meta = [c for c in cands if c.location == "html_meta"]
    assert meta[0].value_utc == dt.datetime(2024, 11, 12, 4, 1, tzinfo=UTC)
    assert by_loc["capture"].value_utc == FETCHED
    pub = choose_publication_date(cands, fetched_at=FETCHED)
    # the modified date is after the capture time, so it cannot be the publication date
    assert pub.value_date == dt.date(2024, 11, 12) and pub.source == "html_meta"


def test_future_dates_lose():
    text = "Headline\n\n30 November 2024\n\nBody text that is long enough to be a paragraph of the story.\n"
    cands = find_date_candidates(text, [], fetched_at=FETCHED)
    assert choose_publication_date(cands, fetched_at=FETCHED).value_date is None
    assert choose_publication_date(cands).value_date == dt.date(2024, 11, 30)


@pytest.mark.parametrize("written,expected", [
    ("12 de noviembre de 2024", dt.date(2024, 11, 12)),
    ("12 novembre 2024", dt.date(2024, 11, 12)),
    ("12. November 2024", dt.date(2024, 11, 12)),
    ("12 de novembro de 2024", dt.date(2024, 11, 12)),
    ("12 november 2024", dt.date(2024, 11, 12)),
    ("12 de novembre de 2024", dt.date(2024, 11, 12)),
    ("12. новембар 2024.", dt.date(2024, 11, 12)),
    ("12 ноября 2024 г.", dt.date(2024, 11, 12)),
    ("Selasa, 12 November 2024", dt.date(2024, 11, 12)),
    ("Nov. 12, 2024", dt.date(2024, 11, 12)),
    ("2024년 11월 12일", dt.date(2024, 11, 12)),
    ("12 tháng 11 năm 2024", dt.date(2024, 11, 12)),
    ("2024/11/12", dt.date(2024, 11, 12)),
    ("12.11.2024", dt.date(2024, 11, 12)),
    ("24 نيسان / أبريل 2020", dt.date(2020, 4, 24)),
    ("٢٤ أبريل ٢٠٢٠", dt.date(2020, 4, 24)),
    ("2020. március 23.", dt.date(2020, 3, 23)),
])
def test_written_forms(written, expected):
    text = f"Published {written}\n"
    cands = [c for c in find_date_candidates(text, []) if c.value_date is not None]
    assert cands and cands[0].value_date == expected
    assert text[cands[0].char_start:cands[0].char_end] == cands[0].text


def test_iso_timestamp_with_zone():
    (c,) = find_date_candidates("Updated 2024-11-12T04:01:00Z\n", [])
    assert c.value_utc == dt.datetime(2024, 11, 12, 4, 1, tzinfo=UTC) and c.tz_name == "UTC"


def test_numbers_that_are_not_dates():
    text = "Sales rose 10,000 units to 12.5 million, version 3.11.2 ships, call 555-1234.\n"
    assert [c for c in find_date_candidates(text, []) if c.value_date] == []


@pytest.mark.parametrize("blocks_of", BLOCK_MODES)
@pytest.mark.parametrize("name,expected,rule", [
    ("fa_solar_hijri.txt", dt.date(2024, 11, 12), "solar_hijri"),  # 22 Aban 1403
    ("sq_albanian.txt", dt.date(2024, 11, 12), "text_dmy"),
    ("bn_bengali_digits.txt", dt.date(2024, 11, 12), "text_dmy"),
    ("en_byline_leads_line.txt", dt.date(2024, 11, 12), "text_mdy"),
])
def test_more_calendars_and_languages(name, expected, rule, blocks_of):
    text = _fixture(name)
    cands = find_date_candidates(text, blocks_of(text))
    pub = choose_publication_date(cands)
    assert pub.value_date == expected and not pub.is_inferred
    assert cands[pub.candidate_index].rule.startswith(rule)


def test_solar_hijri_conversion_and_time():
    text = _fixture("fa_solar_hijri.txt")
    pub = choose_publication_date(cands := find_date_candidates(text, []))
    assert cands[pub.candidate_index].local_time == "10:15"
    text = "تاریخ انتشار: ۲۹ اسفند ۱۴۰۲\n"  # the last day of a Solar Hijri leap year
    (c,) = find_date_candidates(text, [])
    assert c.value_date == dt.date(2024, 3, 19) and text[c.char_start:c.char_end] == c.text


@pytest.mark.parametrize("name", ["fa_solar_hijri.txt", "pt_weather_widget.txt"])
def test_today_widget_is_not_the_publication_date(name):
    text = _fixture(name)
    cands = find_date_candidates(text, _segment(text))
    (widget,) = [c for c in cands if c.value_date == dt.date(2024, 11, 13)]
    assert ":today_widget_" in widget.rule
    assert choose_publication_date(cands).value_date == dt.date(2024, 11, 12)


def test_byline_that_opens_with_the_date_above_the_body():
    text = _fixture("en_byline_leads_line.txt")
    cands = find_date_candidates(text, [])
    (c,) = [c for c in cands if c.value_date == dt.date(2024, 11, 12)]
    assert c.location == "byline" and "date_leads_line_above_body" in c.rule
    listed = [c for c in cands if c.value_date in (dt.date(2024, 11, 9), dt.date(2024, 11, 10))]
    assert listed and all("in_date_list" in c.rule for c in listed)


def test_ambiguous_numeric_date_decided_by_page_language():
    text = _fixture("es_numeric_convention.txt")
    (c,) = [c for c in find_date_candidates(text, []) if c.text == "06/11/2024"]
    assert c.value_date == dt.date(2024, 11, 6) and not c.is_ambiguous
    assert "numeric_dmy_by_page_convention:language_not_english" in c.rule
    assert c.confidence < 0.85  # a convention, not a certainty


def test_ambiguous_numeric_date_decided_by_named_dates_on_the_page():
    text = ("Posted 05/11/2024\n\nThe council met on 4 November 2024 and again on 1 November 2024, "
            "and the report was filed on 28 October 2024.\n")
    (c, *_rest) = find_date_candidates(text, [])
    assert c.value_date == dt.date(2024, 11, 5)
    assert "numeric_dmy_by_page_convention:named_dates_day_first" in c.rule


def test_yearless_date_does_not_span_lines():
    text = "Horoscope\n18.\nMai events\n"
    assert [c for c in find_date_candidates(text, []) if c.text.startswith("18")] == []


def test_relative_words_count_only_near_the_article_start():
    para = "The council said today that the new lanes would open next spring, after a long debate. " * 3
    text = f"Local news\n\nCouncil approves bike lanes\n\nUpdated today, 10:04\n\n{para}\n\n{para}\n"
    rel = [c for c in find_date_candidates(text, []) if c.is_relative]
    assert [c.text for c in rel] == ["today"]
    assert rel[0].char_start < text.index(para)


@pytest.mark.parametrize("text,expected,start", [
    ("World News Desk12 November 2024\n", dt.date(2024, 11, 12), "12 November"),
    ("10:05 GMT12 November 2024\n", dt.date(2024, 11, 12), "10:05 GMT12"),
])
def test_day_glued_to_the_word_before_it(text, expected, start):
    (c,) = [c for c in find_date_candidates(text, []) if c.value_date is not None]
    assert c.value_date == expected and c.text.startswith(start) and "text_dmy_glued" in c.rule
    # a glued number with a month but no year is not a date
    assert [c for c in find_date_candidates("Covid19 March\n", []) if c.value_date] == []


@pytest.mark.parametrize("text,expected,local_time,rule", [
    # the dump glued the site name to the date, and the time to the year
    ("La Gaceta16.11.2024 - 21:03h\n", dt.date(2024, 11, 16), "21:03", "numeric_dmy_dot_glued"),
    ("12 novembre 202410:43 Cronaca\n", dt.date(2024, 11, 12), "10:43", "text_dmy"),
    ("Nov 12, 202408:15 ET\n", dt.date(2024, 11, 12), "08:15", "text_mdy"),
    # Hungarian/Korean numeric form with spaces
    ("Frissítve 2024. 11. 12. 21:35\n", dt.date(2024, 11, 12), "21:35", "numeric_ymd"),
    # two-digit year after a month abbreviation, trusted because a time follows
    ("Publié le 12 Nov 24 à 9:21\n", dt.date(2024, 11, 12), "09:21", "text_dmy_yy"),
])
def test_forms_the_dump_squashes(text, expected, local_time, rule):
    (c,) = [c for c in find_date_candidates(text, []) if c.value_date is not None]
    assert (c.value_date, c.local_time) == (expected, local_time) and c.rule.startswith(rule)
    assert text[c.char_start:c.char_end] == c.text


def test_squashed_forms_do_not_invent_dates():
    # a version number glued to a word, a two-digit year without a time, a 6-digit code
    text = ("Build Alpha12.11.24 ships\nSales fell 12 Nov 24 percent\nCode 2024111234 posted\n"
            "Score 202410 points\n")
    assert [c.text for c in find_date_candidates(text, []) if c.value_date] == []


def test_dpa_story_id_dates_the_wire_copy():
    para = "Der Stadtrat hat am Abend nach langer Debatte den neuen Radweg beschlossen, sagte die Sprecherin. " * 3
    text = f"Stadtrat beschließt Radweg\n\n{para}\n\n© dpa-infocom, dpa:241112-99-123456/2\n"
    cands = find_date_candidates(text, _segment(text))
    (c,) = [c for c in cands if c.rule.startswith("dpa_story_id")]
    assert c.value_date == dt.date(2024, 11, 12) and c.text == "dpa:241112-99-123456"
    assert choose_publication_date(cands).value_date == dt.date(2024, 11, 12)


def test_embedded_tweet_date_is_not_the_page_date():
    para = ("Fans filled the stadium seats with cardboard figures on Sunday, the club said in a statement "
            "that was shared widely online. ")
    text = (f"Club fills empty seats with cut-outs\n\nNovember 12, 2024\n\n{para * 2}\n\n"
            "Look who came to the game pic.twitter.com/abc123\n\n"
            "— Some Club (@SomeClub) November 10, 2024\n\n"
            f"{para * 2}\n")
    cands = find_date_candidates(text, _segment(text))
    (tweet,) = [c for c in cands if c.value_date == dt.date(2024, 11, 10)]
    assert tweet.location == "body" and "embedded_post" in tweet.rule
    assert choose_publication_date(cands).value_date == dt.date(2024, 11, 12)


def test_tass_style_dateline_takes_its_year_from_the_page():
    para = ("Движение по новому участку дороги открывается в понедельник, говорится в сообщении компании. "
            "Строительство началось 3 марта 2024 года. ") * 3
    text = f"Новости\n\nОткрыто движение\n\nМОСКВА, 12 ноября. /ТАСС/. {para}\n"
    cands = find_date_candidates(text, _segment(text))
    (c,) = [c for c in cands if c.text == "12 ноября"]
    assert c.location == "dateline" and c.value_date == dt.date(2024, 11, 12)


def test_date_inside_a_caption_sentence_above_the_article_is_not_a_stamp():
    caption = ("Cover photo: young people at the commemoration held in the park on 4 June 2018, when the "
               "organisers unveiled the memorial to the victims of the flood.")
    para = "The survey published on Thursday found that most readers support the plan, the paper said. " * 3
    text = f"Readers' poll 2024. 06. 04. 11:27\n\n{caption}\n\n{para}\n\n{para}\n"
    cands = find_date_candidates(text, _segment(text))
    (cap,) = [c for c in cands if c.value_date == dt.date(2018, 6, 4)]
    assert cap.location == "body"
    assert choose_publication_date(cands).value_date == dt.date(2024, 6, 4)
