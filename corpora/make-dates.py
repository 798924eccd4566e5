"""Writes dates.tsv (`source<TAB>target`): a human-written date and the same date in ISO 8601.

Usage: python3 make-dates.py OUT

COUNT distinct sources, each a date drawn uniformly from 1900-01-01 to 2099-12-31 written in one
of the FORMATS below (drawn uniformly), paired with its ISO form YYYY-MM-DD. English month and
weekday names; weekdays are the date's true weekday. Numeric forms: `MM/DD/YYYY` (slashes,
month first, US convention) and `DD.MM.YYYY` (dots, day first, European convention), so the
separator decides the order. Deterministic (fixed SEED), standard library only.
"""

import datetime
import sys

from seeded_random import SeededRandom

COUNT = 20000
SEED = 1997
FIRST, LAST = datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
TEENS = {10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth", 14: "fourteenth",
         15: "fifteenth", 16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth",
         20: "twentieth", 30: "thirtieth"}


def suffixed(day):
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st, 22nd, 23rd, ..."""
    if 11 <= day % 100 <= 13:
        return "%dth" % day
    return "%d%s" % (day, {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th"))


def spelled(day):
    """first ... thirty-first."""
    if day in TEENS:
        return TEENS[day]
    if day < 10:
        return UNITS[day]
    return "%s-%s" % ({2: "twenty", 3: "thirty"}[day // 10], UNITS[day % 10])


def formats(d):
    """Every written form of date d, in a fixed order."""
    m, mon, wd, wk = MONTHS[d.month - 1], MONTHS[d.month - 1][:3], WEEKDAYS[d.weekday()], WEEKDAYS[d.weekday()][:3]
    return [
        "the %s of %s, %d" % (suffixed(d.day), m, d.year),       # the 3rd of March, 1997
        "the %s of %s %d" % (spelled(d.day), m, d.year),         # the third of March 1997
        "%s %d, %d" % (m, d.day, d.year),                        # March 3, 1997
        "%s %s, %d" % (m, suffixed(d.day), d.year),              # March 3rd, 1997
        "%d %s %d" % (d.day, m, d.year),                         # 3 March 1997
        "%d %s %d" % (d.day, mon, d.year),                       # 3 Mar 1997
        "%s %d, %d" % (mon, d.day, d.year),                      # Mar 3, 1997
        "%02d/%02d/%d" % (d.month, d.day, d.year),               # 03/03/1997 (month first)
        "%02d.%02d.%d" % (d.day, d.month, d.year),               # 03.03.1997 (day first)
        "%d-%s-%d" % (d.day, mon.lower(), d.year),               # 3-mar-1997
        "%s, %d %s %d" % (wd, d.day, m, d.year),                 # Monday, 3 March 1997
        "%s, %s %d, %d" % (wd, m, d.day, d.year),                # Monday, March 3, 1997
        "%s, %02d %s %d" % (wk, d.day, mon, d.year),             # Mon, 03 Mar 1997
        "%s, the %s of %s, %d" % (wd, spelled(d.day), m, d.year),  # Monday, the third of March, 1997
    ]


def main():
    rng, seen, lines = SeededRandom(SEED), set(), []
    span = (LAST - FIRST).days
    while len(lines) < COUNT:
        d = FIRST + datetime.timedelta(days=rng.between(0, span))
        source = rng.choice(formats(d))
        if source in seen:
            continue
        seen.add(source)
        lines.append("%s\t%s\n" % (source, d.isoformat()))
    with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(lines))


if __name__ == "__main__":
    main()
