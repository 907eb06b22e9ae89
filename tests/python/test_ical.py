"""The iCalendar feeds are valid RFC 5545 as Python's icalendar package reads
them, and their times are the London times the schedules plan: 09:30 on the
first Tuesday for CADEX, in winter (GMT) and summer (BST) alike.

Runs the real binary: PLACEWORKS_BIN (set by scripts/test) or target/debug/placeworks.
"""
import datetime
import shutil
import subprocess
import urllib.request
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import BIN, BSP_ERA, ENV, ROOT, serving

LONDON = ZoneInfo("Europe/London")


def export(tmp, *args):
    """The built-in council's calendar, on a day in the 2008 partnership's time."""
    db = f"sqlite://{tmp / 'pw.db'}"
    out = subprocess.run([BIN, "export", "ical", *args, "--database", db], cwd=tmp, capture_output=True, text=True, env=BSP_ERA)
    assert out.returncode == 0, out.stderr
    return icalendar.Calendar.from_ical(out.stdout)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("ical")


def events(cal):
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_cadex_meets_at_half_past_nine_london_time_on_first_tuesdays(tmp):
    cal = export(tmp, "--body", "cadex")
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    evs = events(cal)
    assert len(evs) >= 11, "about a year of monthly meetings"
    offsets = set()
    for e in evs:
        start = e.decoded("DTSTART")
        assert start.tzinfo is not None, "times carry their zone (UTC)"
        local = start.astimezone(LONDON)
        assert (local.hour, local.minute) == (9, 30), local
        assert local.weekday() == 1 and local.day <= 7, "the first Tuesday"
        assert e.decoded("DTEND") > start
        assert e["SUMMARY"].startswith("CADEX (")
        offsets.add(local.utcoffset())
    assert len({e["UID"] for e in evs}) == len(evs), "each meeting has its own UID"
    assert offsets == {datetime.timedelta(0), datetime.timedelta(hours=1)}, "the year spans GMT and BST"


def test_the_whole_council_feed_holds_every_body_with_a_cadence(tmp):
    cal = export(tmp)
    summaries = {str(e["SUMMARY"]).split(" (")[0] for e in events(cal)}
    for body in ["CADEX", "Bucks Strategic Partnership Board", "BSP Implementation Group", "BSP Conference"]:
        assert any(s.startswith(body.split(" (")[0]) for s in summaries), (body, summaries)
    starts = [e.decoded("DTSTART") for e in events(cal)]
    assert starts == sorted(starts)


@pytest.fixture(scope="module")
def riverside(tmp_path_factory):
    """The documented example dataset, loaded and served by the real binary."""
    tmp = tmp_path_factory.mktemp("riverside")
    db = f"sqlite://{tmp / 'pw.db'}"
    # The example with a meeting rule and a first meeting for its board, so that its cadence plans meetings.
    data = tmp / "riverside"
    shutil.copytree(ROOT / "data" / "examples" / "riverside", data)
    for toml in (data / "bodies").glob("*.toml"):
        text = toml.read_text()
        toml.write_text(
            text.replace(
                'cadence = { text = "Meets every three months" }',
                'cadence = { text = "Meets every three months", rule = "FREQ=MONTHLY;INTERVAL=3", first = "2025-01-16T14:00" }',
            )
        )
    subprocess.run([BIN, "load", str(data), "--database", db], cwd=tmp, env=ENV, check=True, capture_output=True)
    with serving(tmp, db) as base:
        yield base


def test_a_persons_feed_holds_the_meetings_of_their_bodies_in_london_time(riverside):
    with urllib.request.urlopen(riverside + "/riverside/people/sam-patel/meetings.ics") as r:
        assert r.headers["Content-Type"].startswith("text/calendar")
        cal = icalendar.Calendar.from_ical(r.read())
    evs = events(cal)
    assert len(evs) in (4, 5), "a year of a quarterly board (five when today is a meeting day)"
    offsets = set()
    for e in evs:
        local = e.decoded("DTSTART").astimezone(LONDON)
        assert (local.hour, local.minute) == (14, 0), local
        assert str(e["SUMMARY"]).startswith("Riverside Partnership Board")
        offsets.add(local.utcoffset())
    assert offsets == {datetime.timedelta(0), datetime.timedelta(hours=1)}, "the year spans GMT and BST"
    # A named substitute's feed is the same board's.
    with urllib.request.urlopen(riverside + "/riverside/people/alex-morgan/meetings.ics") as r:
        assert len(events(icalendar.Calendar.from_ical(r.read()))) == len(evs)
