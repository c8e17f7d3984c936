"""Dates as a page prints them under its headline, read into `published` when the sidecar
and the page's structured data say nothing:

    read("Sat 16 Aug 2025 11.02 BST")          -> 2025-08-16 10:02 UTC
    read("Updated: Aug 16, 2025, 09:12 IST")   -> 2025-08-16 03:42 UTC
    read("August 16, 2025 2:41 PM")            -> 2025-08-16 00:00 UTC (no zone: the day alone)

A time with a zone it names (crosswire/data/timezones.toml, or "GMT+5:30") is an instant; a
time without a zone, or a day without a time, gives the day alone as printed, stored as
midnight UTC of that day (the convention of `published` for a day alone: the day is never
shifted by a zone guessed). Pure functions over strings.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from .datafiles import read_toml

_ZONES: dict[str, str] = read_toml("timezones.toml")["zones"]
_MONTHS = {m: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], 1) for m in names}
_MONTH = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
# the printed orders: ISO, day month year (British), month day year (American)
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?=T|\b)",
    rf"\b(?P<d>\d{{1,2}}){_ORD}\s+{_MONTH},?\s+(?P<y>\d{{4}})\b",
    rf"\b{_MONTH}\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})\b")]
# "11.02", "6:02am", "2:41 PM", "17:42:05", "4pm"
_TIME = re.compile(r"(?<![\d.:/])(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ap>[ap]\.?m\b\.?)?"
                   r"|\s*(?P<ap2>[ap]\.?m\b\.?))(?![\d:/])", re.IGNORECASE)
_ZONE = re.compile(r"\b(?:(?:GMT|UTC)\s*(?P<off>[+-]\d{1,2}(?::?\d{2})?)|(?P<abbr>"
                   + "|".join(sorted(map(re.escape, _ZONES), key=len, reverse=True)) + r"))\b")
# what a date line may hold besides its date, time and zone: a label, a weekday, the date
# again in figures ("08/16/2025 August 16, 2025"), joining words and marks
_LABEL = re.compile(r"^\s*(?:(?:last\s+|first\s+)?(?:updated|published|posted|modified)(?:\s+(?:on|at))?\s*:?)",
                    re.IGNORECASE)
_FILLER = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
                     r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:at|on)\b|[,|()\-–—/•·]", re.IGNORECASE)


def _parts(text: str):
    """(date match, time match, zone match, what is left of the text) or None."""
    date = next((m for p in _DATES if (m := p.search(text))), None)
    if date is None:
        return None
    rest = text[:date.start()] + " " * (date.end() - date.start()) + text[date.end():]
    time = _TIME.search(rest)
    if time:
        rest = rest[:time.start()] + " " * (time.end() - time.start()) + rest[time.end():]
    zone = _ZONE.search(rest)
    if zone:
        rest = rest[:zone.start()] + rest[zone.end():]
    return date, time, zone, _FILLER.sub(" ", _LABEL.sub("", rest))


def is_date_line(line: str) -> bool:
    """Whether a line is a date and nothing else, a label ("Updated:") and a weekday allowed."""
    parts = _parts(line) if len(line) <= 80 else None
    return parts is not None and not re.search(r"\w", parts[3])


def read(text: str | None) -> datetime | None:
    """The instant (UTC) or the day (midnight UTC) a printed date gives, or None."""
    parts = _parts(text or "")
    if parts is None:
        return None
    date, time, zone, _ = parts
    month = int(date["m"]) if date.groupdict().get("m") else _MONTHS[date["mon"].casefold().rstrip(".")]
    try:
        day = datetime(int(date["y"]), month, int(date["d"]), tzinfo=timezone.utc)
    except ValueError:
        return None
    tz = _zone(zone) if zone else None
    hour = _hour(time) if time else None
    if tz is None or hour is None:
        return day  # no zone or no time: the day alone, as printed
    local = day.replace(tzinfo=None, hour=hour, minute=int(time["mi"] or 0), second=int(time["s"] or 0))
    return local.replace(tzinfo=tz).astimezone(timezone.utc)


def _hour(time: re.Match) -> int | None:
    hour = int(time["h"])
    ap = (time["ap"] or time["ap2"] or "").casefold()
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap.startswith("p") else 0)
    return hour if hour < 24 and int(time["mi"] or 0) < 60 else None


def _zone(zone: re.Match):
    if zone["off"]:
        sign = -1 if zone["off"][0] == "-" else 1
        digits = zone["off"][1:].replace(":", "")
        hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    name = _ZONES[zone["abbr"]]
    if name[0] in "+-":
        return timezone((-1 if name[0] == "-" else 1) * timedelta(hours=int(name[1:3]), minutes=int(name[4:6])))
    return timezone.utc if name == "UTC" else ZoneInfo(name)
