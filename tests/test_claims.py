"""extract_claims end to end on the seeds (body lines labelled by hand) and on our own fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from claims_helpers import FIXTURES, HOLDOUT, blocks_from_lines, evaluate, precision_recall
from flows.text.claims import extract_claims
from flows.text.model import PublicationDate

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "articles"


def _pub(day: str, utc: dt.datetime | None = None) -> PublicationDate:
    return PublicationDate(dt.date.fromisoformat(day), utc, day, "hand", 1.0, None)


def _seed(prefix: str, body: list[int], day: str, utc=None, dateline=None, extra_labels=None):
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    blocks = blocks_from_lines(text, set(body))
    return text, extract_claims(text, blocks, _pub(day, utc), dateline=dateline)


def _quantities(claims):
    return {c.claim_text: c for c in claims if c.claim_type == "quantity"}


def test_reuters_seed_troop_figures_and_attribution():
    text, (sents, claims, mentions) = _seed("000", [9, 11, 13, 15, 17, 19, 21], "2024-11-12")
    q = _quantities(claims)
    assert set(q) == {"tens of thousands of troops", "more than 10,000 North Korean soldiers"}
    more = q["more than 10,000 North Korean soldiers"]
    assert (more.quantity_low, more.quantity_high, more.quantity_unit) == (10000, None, "troops")
    assert more.attributed_to == "Seoul, Washington and Kyiv"
    assert q["tens of thousands of troops"].attributed_to is None  # Reuters' own framing
    for c in claims:  # offsets are evidence into the whole document
        assert text[c.char_start:c.char_end] == c.claim_text
    # chrome numbers ("$2.24 billion tax reform" in "Next In World") are not claims
    assert not any("2.24" in c.claim_text for c in claims)
    sign = next(c for c in claims if c.claim_type == "event" and c.subject == "Kim Jong Un")
    assert (sign.event_verb, sign.event_date) == ("sign", dt.date(2024, 11, 11))
    names = {m.canonical_name for m in mentions}
    assert {"KCNA", "Kim Jong Un", "Vladimir Putin", "Volodymyr Zelensky", "Kyiv"} <= names
    zel = next(c for c in claims if c.claim_type == "statement" and c.attributed_to == "Volodymyr Zelensky")
    assert (zel.event_date_low, zel.event_date_high, zel.event_date_granularity) == (
        dt.date(2024, 11, 4), dt.date(2024, 11, 10), "week")  # "said last week"


def test_businesslive_seed_zelensky_thursday():
    _, (_, claims, _) = _seed("001", [5, 10, 12, 14, 16, 18, 20, 22], "2024-11-10")
    q = _quantities(claims)["11,000 troops"]
    assert (q.quantity_value, q.attributed_to, q.subject) == (11000, "Volodymyr Zelensky",
                                                             "north korean troops in russia")
    said = next(c for c in claims if c.claim_type == "statement" and c.attributed_to == "Volodymyr Zelensky")
    assert said.event_date == dt.date(2024, 11, 7)


def test_vietnamese_outlet_seed_kiev_is_kyiv_and_related_list_ignored():
    _, (_, claims, _) = _seed("002", [5, 7, 9, 11, 13, 15, 17, 19, 21], "2024-11-12")
    q = _quantities(claims)
    assert q["more than 10,000 troops"].attributed_to == "Seoul, Washington and Kyiv"
    assert not any(c.claim_text.startswith(("1-1", "800", "1 million")) for c in claims)
    kim = next(c for c in claims if c.claim_type == "event" and c.subject == "Kim Jong Un")
    assert kim.event_date == dt.date(2024, 11, 11)  # "on November 11"


def test_afp_seed_citing_and_chrome_teasers():
    _, (_, claims, _) = _seed("003", list(range(2, 16)), "2024-11-12")
    q = _quantities(claims)
    assert q["around 10,000 troops"].attributed_to == "South Korea, Ukraine and the West"
    assert (q["around 10,000 troops"].quantity_low, q["around 10,000 troops"].quantity_high) == (9000, 11000)
    assert "thousands of North Korean troops" in q
    assert not any("43%" in c.claim_text or "$10 million" in c.claim_text for c in claims)
    quote = next(c for c in claims if c.claim_type == "quote" and "stand firmly" in c.claim_text)
    assert quote.attributed_to == "Choe Son Hui"


def test_ap_newsmax_seed_anchor_is_seoul_local_date():
    utc = dt.datetime(2024, 11, 12, 4, 1, tzinfo=dt.timezone.utc)  # Mon 11 Nov 23:01 EST
    _, (_, claims, _) = _seed("004", [9, 11, 13, 15, 17, 19, 21, 23, 25], "2024-11-11", utc, "SEOUL")
    q = _quantities(claims)
    assert q["up to 12,000 North Korean troops"].quantity_high == 12000
    assert q["up to 12,000 North Korean troops"].attributed_to == \
        "United States, South Korea and Ukraine intelligence assessments"
    assert q["more than 13,000 containers"].attributed_to == "NIS"
    reported = next(c for c in claims if c.claim_type == "statement" and c.attribution_verb == "reported")
    assert reported.event_date == dt.date(2024, 11, 12)  # "reported Tuesday" in Seoul
    assert reported.event_date_anchor.startswith("dateline_local_date 2024-11-12")
    signed = next(c for c in claims if c.claim_type == "event" and c.claim_text.startswith("signed Monday"))
    assert signed.event_date == dt.date(2024, 11, 11)
    nis = next(c for c in claims if c.claim_type == "statement" and c.attributed_to == "NIS")
    assert (nis.event_date_low, nis.event_date_high) == (dt.date(2024, 10, 1), dt.date(2024, 10, 31))


def test_only_body_blocks_are_read():
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    blocks = blocks_from_lines(text, set())  # nothing labelled body
    assert extract_claims(text, blocks, _pub("2024-11-11")) == ([], [], [])


def test_non_english_document_does_not_crash():
    text = "Bắc Triều Tiên đã gửi hơn 10.000 binh sĩ tới Nga, theo tình báo Hàn Quốc.\n«Il a dit 12 000 emplois»."
    blocks = blocks_from_lines(text, {1, 2})
    sents, claims, _ = extract_claims(text, blocks, _pub("2024-11-12"), language="vi")
    assert len(sents) == 2
    assert all(c.claim_type in ("quantity", "quote") for c in claims)


def test_through_segment_when_available():
    from flows.text.segment import segment

    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    _, claims, _ = extract_claims(text, segment(text), _pub("2024-11-12"))
    q = _quantities(claims)
    assert "more than 10,000 North Korean soldiers" in q
    assert not any("2.24" in c.claim_text for c in claims)


def test_quality_gate_on_labelled_fixtures():
    """Pinned floors on tests/resources/claims (our own articles + the seeds' troop figures).

    The rules were developed on these fixtures, so these numbers are optimistic; the holdout gate
    below is the honest one."""
    res = evaluate(sorted(FIXTURES.glob("*.json")))
    for ctype, floor_p, floor_r in (("quantity", 0.9, 0.9), ("statement", 0.9, 0.9), ("quote", 0.85, 0.85),
                                    ("event", 0.85, 0.85)):
        p, r = precision_recall(res["stats"][ctype])
        assert p >= floor_p and r >= floor_r, (ctype, res["stats"][ctype])
    ok, n = res["fields"]["attributed_to"]
    assert ok / n >= 0.9


def test_quality_gate_on_holdout_fixtures():
    """Floors on tests/resources/claims_holdout: 7 articles (5 English, 1 French, 1 Spanish) labelled
    by hand before any rule was tuned for them.  Measured before tuning (the code these fixtures
    were written against): quantity P 0.94 R 0.77, statement P 1.00 R 0.54, quote P 0.92 R 1.00,
    event P 0.88 R 0.37; after general rule changes: quantity 1.00/0.97, statement 1.00/0.98,
    quote 0.92/1.00, event 0.88/0.74.  Floors sit a little below the measured level."""
    res = evaluate(sorted(HOLDOUT.glob("*.json")))
    for ctype, floor_p, floor_r in (("quantity", 0.95, 0.9), ("statement", 0.95, 0.9), ("quote", 0.85, 0.95),
                                    ("event", 0.8, 0.7)):
        p, r = precision_recall(res["stats"][ctype])
        assert p >= floor_p and r >= floor_r, (ctype, res["stats"][ctype])
    ok, n = res["fields"]["attributed_to"]
    assert ok / n >= 0.95, res["fields"]["attributed_to"]


def test_french_article_gets_speakers_dates_and_quantities():
    text = ("Séisme : le bilan s'alourdit\n\n"
            "ANKARA (AFP) - Le séisme a fait plus de 1 800 morts, a déclaré mercredi la ministre de la Santé, "
            "Elif Kaya.\n\n"
            "« Les secours travaillent jour et nuit », a ajouté la ministre devant la presse.\n\n"
            "Selon le Croissant-Rouge, quelque 4 000 tentes ont été distribuées.\n")
    blocks = blocks_from_lines(text, {3, 5, 7})
    _, claims, mentions = extract_claims(text, blocks, _pub("2025-11-06"), language="fr")
    st = [c for c in claims if c.claim_type == "statement"]
    assert [c.attributed_to for c in st] == ["Elif Kaya", "Elif Kaya", "Croissant-Rouge"]
    assert st[0].event_date == dt.date(2025, 11, 5)  # "mercredi" before Thursday 6 November
    quote = next(c for c in claims if c.claim_type == "quote")
    assert quote.attributed_to == "Elif Kaya"  # "la ministre": the person introduced with that role
    q = {c.claim_text: c for c in claims if c.claim_type == "quantity"}
    assert (q["plus de 1 800 morts"].quantity_low, q["plus de 1 800 morts"].quantity_high) == (1800, None)
    assert q["quelque 4 000 tentes"].attributed_to == "Croissant-Rouge"
    assert (q["quelque 4 000 tentes"].quantity_low, q["quelque 4 000 tentes"].quantity_high) == (3600, 4400)
    assert "Elif Kaya" in {m.canonical_name for m in mentions}


def test_english_article_with_a_french_quote_paragraph():
    """A French paragraph inside an English page is parsed as French (numbers, speaker)."""
    text = ("Swiss voters reject plan\n\n"
            "GENEVA (AFP) - Swiss voters on Sunday rejected a plan to expand the motorways, official results "
            "showed, with 52.7 percent voting against it.\n\n"
            "« Le peuple a parlé », a déclaré le ministre des Transports Albert Rösti. Il a ajouté que "
            "12 000 emplois étaient concernés.\n")
    blocks = blocks_from_lines(text, {3, 5})
    _, claims, _ = extract_claims(text, blocks, _pub("2024-11-25"), language="en")
    q = next(c for c in claims if c.claim_type == "quantity" and c.quantity_unit == "emplois")
    assert (q.quantity_value, q.attributed_to) == (12000, "Albert Rösti")
    assert next(c for c in claims if c.claim_type == "quote").attributed_to == "Albert Rösti"


def test_pronoun_she_after_he_is_another_person():
    text = ("Run-off result\n\n"
            "Centre-left candidate Ana Novak won the run-off on Sunday, officials said.\n\n"
            "Her rival Marko Petrovic conceded defeat. He said he had called Novak to congratulate her.\n\n"
            "She said on Monday that she would name a chief of staff within a week.\n")
    blocks = blocks_from_lines(text, {3, 5, 7})
    _, claims, _ = extract_claims(text, blocks, _pub("2024-11-25"))
    said = [c.attributed_to for c in claims if c.claim_type == "statement" and c.attribution_text in ("He", "She")]
    assert said == ["Marko Petrovic", "Ana Novak"]


def test_every_claim_has_a_non_empty_span_on_odd_attribution_shapes():
    # shapes where the attributed clause is empty or only the speaker ("..., he said." alone)
    text = ("Officials said.\n\nHe said:\n\n\u201cWe will respond,\u201d she said.\n\n"
            "Norway's foreign ministry said it viewed the fishing deal as \"another step backwards\" for the coast.\n\n"
            "Larsen said he never used the word \"blockade\" and added, \"I find it unhelpful.\"\n\n"
            "Chile said it is committed to the \u201cshared waters\u201d formula agreed in 2019.\n\n"
            "The minister said on Tuesday that 3,000 people had left.\n")
    from claims_helpers import blocks_from_lines
    from flows.text.claims import extract_claims
    from flows.text.model import PublicationDate

    blocks = blocks_from_lines(text, set(range(1, 20)))
    published = PublicationDate(None, None, None, "none", 0.0, None)
    _, claims, _ = extract_claims(text, blocks, published)
    assert claims, "the last sentence holds a quantity and a statement"
    for c in claims:
        assert c.char_end > c.char_start and text[c.char_start:c.char_end] == c.claim_text and c.claim_text.strip()
