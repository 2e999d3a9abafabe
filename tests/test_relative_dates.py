"""flows.text.relative_dates: relative expressions resolved against an article's date."""

from __future__ import annotations

import datetime as dt

import pytest

from flows.text.relative_dates import find_relative_expressions, resolve_relative

TUE = dt.date(2024, 11, 12)  # Tuesday 12 November 2024
D = dt.date


@pytest.mark.parametrize("expr,low,high,gran", [
    ("on Monday", D(2024, 11, 11), D(2024, 11, 11), "day"),
    ("on Tuesday", D(2024, 11, 12), D(2024, 11, 12), "day"),
    ("Wednesday night", D(2024, 11, 6), D(2024, 11, 6), "day"),
    ("last Tuesday", D(2024, 11, 5), D(2024, 11, 5), "day"),
    ("next Friday", D(2024, 11, 15), D(2024, 11, 15), "day"),
    ("yesterday", D(2024, 11, 11), D(2024, 11, 11), "day"),
    ("today", TUE, TUE, "day"),
    ("3 days ago", D(2024, 11, 9), D(2024, 11, 9), "day"),
    ("two weeks ago", D(2024, 10, 26), D(2024, 11, 1), "week"),
    ("last week", D(2024, 11, 4), D(2024, 11, 10), "week"),
    ("this week", D(2024, 11, 11), D(2024, 11, 17), "week"),
    ("next week", D(2024, 11, 18), D(2024, 11, 24), "week"),
    ("last month", D(2024, 10, 1), D(2024, 10, 31), "month"),
    ("earlier this month", D(2024, 11, 1), TUE, "month"),
    ("last year", D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("in June", D(2024, 6, 1), D(2024, 6, 30), "month"),
    ("in December", D(2023, 12, 1), D(2023, 12, 31), "month"),
    ("hace 2 días", D(2024, 11, 10), D(2024, 11, 10), "day"),
    ("la semana pasada", D(2024, 11, 4), D(2024, 11, 10), "week"),
    ("il y a 3 jours", D(2024, 11, 9), D(2024, 11, 9), "day"),
    ("le mois dernier", D(2024, 10, 1), D(2024, 10, 31), "month"),
    ("vor 2 Tagen", D(2024, 11, 10), D(2024, 11, 10), "day"),
    ("letzte Woche", D(2024, 11, 4), D(2024, 11, 10), "week"),
    ("gestern", D(2024, 11, 11), D(2024, 11, 11), "day"),
    ("2 дня назад", D(2024, 11, 10), D(2024, 11, 10), "day"),
    ("tuần trước", D(2024, 11, 4), D(2024, 11, 10), "week"),
])
def test_resolve(expr, low, high, gran):
    r = resolve_relative(expr, TUE)
    assert r is not None, expr
    assert (r.low, r.high, r.granularity) == (low, high, gran)
    assert r.rule


def test_month_crossing_year_boundary():
    r = resolve_relative("last month", D(2024, 1, 15))
    assert (r.low, r.high) == (D(2023, 12, 1), D(2023, 12, 31))
    r = resolve_relative("3 months ago", D(2024, 2, 10))
    assert (r.low, r.high, r.granularity) == (D(2023, 11, 1), D(2023, 11, 30), "month")


def test_prefer_future_for_announced_events():
    assert resolve_relative("on Friday", TUE, prefer_future=True).low == D(2024, 11, 15)
    r = resolve_relative("in December", TUE, prefer_future=True)
    assert (r.low, r.high) == (D(2024, 12, 1), D(2024, 12, 31))


def test_no_relative_expression():
    assert resolve_relative("the treaty was signed", TUE) is None


def test_find_in_seed_style_text():
    text = ("Kim Jong Un signed a decree to ratify the pact on Monday, KCNA said. "
            "Zelenskiy said last week that troops had suffered casualties.")
    found = find_relative_expressions(text, TUE)
    assert [m.text for m in found] == ["on Monday", "last week"]
    for m in found:
        assert text[m.char_start:m.char_end] == m.text
    assert found[0].range.low == D(2024, 11, 11)
    assert (found[1].range.low, found[1].range.high) == (D(2024, 11, 4), D(2024, 11, 10))
    assert all(m.range is None for m in find_relative_expressions(text))


def test_weekday_abbreviations_are_not_mistaken():
    assert find_relative_expressions("The Sun newspaper and Sat scores", TUE) == []
