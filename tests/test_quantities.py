"""Quantities: value, bounds from the qualifier, counted object; non-quantities skipped."""

from __future__ import annotations

import pytest

from flows.text.quantities import find_quantities


def _one(s: str):
    qs = find_quantities(s)
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


def test_more_than_is_a_lower_bound_with_nationality_and_place():
    q = _one("Seoul, Washington and Kyiv have said there are more than 10,000 North Korean soldiers in Russia.")
    assert (q.value, q.low, q.high, q.unit, q.qualifier) == (10000, 10000, None, "troops", "more than")
    assert q.subject == "north korean troops in russia"
    assert q.text == "more than 10,000 North Korean soldiers"


def test_up_to_is_an_upper_bound():
    q = _one("up to 12,000 North Korean troops have been sent to Russia likely as part of the June treaty.")
    assert (q.low, q.high, q.unit) == (None, 12000, "troops")
    assert q.subject == "north korean troops in russia"


def test_around_is_plus_minus_ten_percent():
    q = _one("South Korea, Ukraine and the West say North Korea has deployed around 10,000 troops to Russia.")
    assert (q.low, q.high, q.qualifier) == (9000, 11000, "around")
    assert q.subject == "north korean troops in russia"  # nationality from "North Korea has deployed"


def test_exact_number_and_sender_country():
    q = _one("Zelensky said on Thursday that North Korea had sent 11,000 troops to Russia and some of them")
    assert (q.value, q.low, q.high, q.unit) == (11000, 11000, 11000, "troops")


@pytest.mark.parametrize("phrase,low,high", [
    ("tens of thousands of troops", 20000, 90000),
    ("thousands of troops", 2000, 9000),
    ("hundreds of troops", 200, 900),
    ("dozens of troops", 24, 108),
])
def test_vague_multiples_are_ranges(phrase, low, high):
    q = _one(f"North Korea has sent {phrase} to Russia.")
    assert (q.low, q.high, q.unit) == (low, high, "troops")


def test_containers_keep_what_they_hold():
    q = _one("North Korea had sent more than 13,000 containers of artillery, missiles and other arms to Russia")
    assert (q.low, q.unit, q.subject) == (13000, "containers", "containers of artillery")


def test_money_percent_and_measures():
    assert (_one("lawmakers vote against government's $2.24 billion tax reform").value,
            _one("lawmakers vote against government's $2.24 billion tax reform").unit) == (2.24e9, "usd")
    assert _one("a $10 million bounty on his head").subject == "bounty"
    assert _one("support had held steady at 43% since October 2023.").unit == "percent"
    q = _one("Two Mexican navy ships carrying more than 800 tons of aid docked")
    assert (q.unit, q.subject, q.low) == ("tonnes", "aid", 800)


def test_ranges_and_or_more():
    q = _one("between 10,000 and 12,000 people fled the city")
    assert (q.low, q.high, q.unit) == (10000, 12000, "people")
    q = _one("Police counted 5,000 or more protesters")
    assert (q.low, q.high) == (5000, None)


@pytest.mark.parametrize("s", [
    "In the early morning of February 13, Arsenal drew 1-1 with Brentford.",
    "Kim Jong Un attend a state reception in Pyongyang, North Korea June 19, 2024.",
    "the treaty could escalate the almost three-year war, officials said.",
    "A 45-year-old man was arrested in 2022.",
    "For tips call 555-123-4567 before 10:30 on the 21st.",
    "UN Security Council Resolution 2231 says so.",
    "Il a ajouté que 12 000 emplois étaient concernés.",
])
def test_not_quantities(s):
    assert find_quantities(s) == []


def test_offsets_are_evidence():
    s = "According to the ministry, up to 12,000 troops and about 300 tanks were moved."
    for q in find_quantities(s):
        assert s[q.char_start:q.char_end] == q.text
    assert [q.unit for q in find_quantities(s)] == ["troops", "tanks"]


@pytest.mark.parametrize("lang,s,text,low,high,unit", [
    ("fr", "Le séisme a fait plus de 2 500 morts.", "plus de 2 500 morts", 2500, None, "morts"),
    ("fr", "près de 10 000 personnes ont été blessées", "près de 10 000 personnes", 9000, 10000, "personnes"),
    ("fr", "L'UE a annoncé une aide de 15 millions d'euros.", "15 millions d'euros", 15e6, 15e6, "eur"),
    ("es", "incluyen 1.200 millones de euros para vivienda", "1.200 millones de euros", 1.2e9, 1.2e9, "eur"),
    ("es", "el déficit bajará al 2,5 % del PIB", "2,5 %", 2.5, 2.5, "percent"),
    ("es", "los alquileres han subido más de un 40 % en cinco años", "más de un 40 %", 40, None, "percent"),
    ("es", "se detectaron más de 100,000 dólares en la aduana", "más de 100,000 dólares", 100000, None, "usd"),
    ("de", "Mehr als 40.000 Besucher kamen zur Messe.", "Mehr als 40.000 Besucher", 40000, None, "besucher"),
    ("pt", "Segundo o IBGE, a inflação chegou a 4,5%.", "4,5%", 4.5, 4.5, "percent"),
])
def test_european_number_formats(lang, s, text, low, high, unit):
    q = [q for q in find_quantities(s, lang=lang) if q.text == text]
    assert q, [x.text for x in find_quantities(s, lang=lang)]
    assert (q[0].low, q[0].high, q[0].unit) == (low, high, unit)


@pytest.mark.parametrize("s", [
    "La réunion a eu lieu le 7 oct. à Paris.",
    "El acuerdo se firmó hace 5 años.",
])
def test_european_dates_and_durations_are_not_quantities(s):
    assert find_quantities(s, lang="fr" if " le " in s else "es") == []


def test_magnitude_injured_and_basis_points():
    q = _one("A magnitude 7.1 earthquake struck eastern Turkey early on Sunday.")
    assert (q.text, q.value, q.unit) == ("magnitude 7.1", 7.1, "magnitude")
    q = [x for x in find_quantities("22 aftershocks above magnitude 5 had been recorded") if x.unit == "magnitude"][0]
    assert (q.low, q.high, q.qualifier) == (5, None, "above")
    q = _one("hospitals were treating at least 11,000 injured.")
    assert (q.low, q.unit) == (11000, "injured")
    q = _one("The ECB cut its deposit rate by 25 basis points last month.")
    assert (q.value, q.unit) == (25, "basis points")
