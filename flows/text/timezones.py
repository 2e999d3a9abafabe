"""Time-zone abbreviations -> UTC offsets, and helpers to turn a local time into UTC.

Abbreviations that name two zones take the reading most common in news pages (CST = US Central,
IST = India, BST = British Summer Time) and say so in `AMBIGUOUS_ABBREVIATIONS`.  The generic
US forms ET/CT/MT/PT follow US daylight-saving rules for the date they are attached to.
"""

from __future__ import annotations

import datetime as dt
import re

# offset in minutes east of UTC
TZ_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330,
    "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120, "EET": 120, "EEST": 180, "MSK": 180,
    "TRT": 180, "EAT": 180, "WAT": 60, "CAT": 120, "SAST": 120, "GST": 240, "PKT": 300,
    "NPT": 345, "BDT": 360, "ICT": 420, "WIB": 420, "WITA": 480, "WIT": 540, "HKT": 480,
    "SGT": 480, "MYT": 480, "PHT": 480, "PST": -480, "AWST": 480, "KST": 540, "JST": 540,
    "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180,
    "NST": -210, "NDT": -150, "BRT": -180, "ART": -180, "CLT": -240, "COT": -300, "PET": -300,
}
# Abbreviations whose offset depends on the date (US daylight-saving time).
US_GENERIC: dict[str, tuple[int, int]] = {"ET": (-300, -240), "CT": (-360, -300), "MT": (-420, -360),
                                          "PT": (-480, -420)}
AMBIGUOUS_ABBREVIATIONS = frozenset({"CST", "IST", "BST", "AST", "GST", "PST", "BDT"})

_ALL = sorted(list(TZ_OFFSETS) + list(US_GENERIC), key=len, reverse=True)
# For regexes: upper-case abbreviations only (a lower-case "et" is a word, not a zone).
TZ_ALTERNATION = "|".join(a for a in _ALL if a != "Z")

_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s?(?P<sign>[+-])\s?(?P<h>\d{1,2}):?(?P<m>\d{2})?$")


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    first_sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + dt.timedelta(weeks=n - 1)


def us_dst(day: dt.date) -> bool:
    """True when US daylight-saving time is in force on `day` (rules since 2007)."""
    return _nth_sunday(day.year, 3, 2) <= day < _nth_sunday(day.year, 11, 1)


def offset_minutes(tz: str, day: dt.date | None = None) -> int | None:
    """UTC offset in minutes for an abbreviation ("EST") or numeric form ("+09:00", "GMT+2")."""
    key = tz.strip().upper()
    if key in TZ_OFFSETS:
        return TZ_OFFSETS[key]
    if key in US_GENERIC:
        std, dst = US_GENERIC[key]
        return dst if day is not None and us_dst(day) else std
    m = _OFFSET_RE.match(key)
    if m:
        minutes = int(m.group("h")) * 60 + int(m.group("m") or 0)
        if minutes > 14 * 60:
            return None
        return -minutes if m.group("sign") == "-" else minutes
    return None


def to_utc(day: dt.date, hour: int, minute: int, second: int, tz: str) -> dt.datetime | None:
    """The UTC instant of a local wall time in zone `tz`, or None when the zone is unknown."""
    off = offset_minutes(tz, day)
    if off is None:
        return None
    local = dt.datetime(day.year, day.month, day.day, hour, minute, second)
    return (local - dt.timedelta(minutes=off)).replace(tzinfo=dt.timezone.utc)
