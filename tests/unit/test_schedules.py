"""Schedule syntax: what parses, what does not (with a message naming the problem), and the transitions."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import botocore.session
import pytest

from sagemaker_autoscaler.core.schedule_syntax import parse_holidays, parse_schedule, parse_timestamp
from sagemaker_autoscaler.core.schedules import ScheduleError, is_open, opening_segments, transitions

H = 60  # minutes per hour

# (text, timezone, open hours per week)
VALID = [
    ("Mon-Fri 08:00-19:00 Europe/Berlin", "Europe/Berlin", 55),
    ("Mon-Fri 08:00-19:00", "UTC", 55),
    ("mon-fri 08:00-19:00 europe/berlin".replace("europe/berlin", "Europe/Berlin"), "Europe/Berlin", 55),
    ("MON-FRI 8:00-19:00", "UTC", 55),
    ("Mon-Fri 08:00-12:00,13:00-19:00 Europe/Berlin", "Europe/Berlin", 50),
    ("Mon-Fri 08:00-12:00, 13:00-19:00", "UTC", 50),
    ("Mon,Wed,Fri 09:00-17:00 UTC", "UTC", 24),
    ("Mon, Wed, Fri 09:00-17:00", "UTC", 24),
    ("Monday-Friday 09:00-17:00", "UTC", 40),
    ("Mon-Fri 08:00-19:00; Sat 10:00-14:00 Europe/London", "Europe/London", 59),
    ("Mon-Fri 08:00-19:00 ; Sat-Sun 10:00-12:00", "UTC", 59),
    ("Fri-Sat 22:00-02:00 UTC", "UTC", 8),
    ("Sun 22:00-06:00", "UTC", 8),
    ("Fri-Mon 09:00-17:00", "UTC", 32),
    ("Sun-Thu 08:00-17:00 Asia/Dubai", "Asia/Dubai", 45),
    ("Mon-Sun 00:00-24:00", "UTC", 168),
    ("Mon-Fri 00:00-24:00", "UTC", 120),
    ("Mon-Fri 08:00-12:00,12:00-19:00", "UTC", 55),
    ("Mon 09:30-10:45", "UTC", 1.25),
    ("Tue 23:00-23:59", "UTC", 59 / 60),
    ("Mon-Fri 07:00-20:00 America/New_York", "America/New_York", 65),
    ("Mon-Fri 09:00-18:00 Asia/Kolkata", "Asia/Kolkata", 45),
    ("Mon-Fri 09:00-17:00 Australia/Lord_Howe", "Australia/Lord_Howe", 40),
    ("Mon-Fri 08:00-19:00 Etc/GMT+5", "Etc/GMT+5", 55),
    ("  Mon-Fri   08:00-19:00   Europe/Berlin  ", "Europe/Berlin", 55),
    ("Sat 20:00-24:00; Sun 00:00-04:00", "UTC", 8),
    # Tag-safe forms: SageMaker tag values cannot hold "," or ";".
    ("Mon+Wed+Fri 09:00-17:00", "UTC", 24),
    ("Mon Wed Fri 09:00-17:00", "UTC", 24),
    ("Mon-Fri 08:00-12:00+13:00-19:00 Europe/Berlin", "Europe/Berlin", 50),
    ("Mon-Fri 08:00-12:00 13:00-19:00 Europe/Berlin", "Europe/Berlin", 50),
    ("Mon-Fri 08:00-19:00 Sat 10:00-14:00 Europe/London", "Europe/London", 59),
]

# SageMaker's TagValue pattern, from botocore's model; Python's re lacks \p{L}\p{Z}\p{N}, so letters
# and digits become \w and separators a space.
_TAG_VALUE = botocore.session.get_session().get_service_model("sagemaker").shape_for("TagValue")
SAGEMAKER_TAG_VALUE = re.compile(_TAG_VALUE.metadata["pattern"].replace(r"\p{L}\p{Z}\p{N}", r"\w "))

INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("Mon-Fri", "has no time window"),
    ("08:00-19:00", "names no days"),
    ("Mon-Fry 08:00-19:00", "unknown day 'Fry'"),
    ("Mon-Fri 8-19", "'8-19' is not a time window"),
    ("Mon-Fri 08:00-25:00", "not a valid time window"),
    ("Mon-Fri 08:60-19:00", "not a valid time window"),
    ("Mon-Fri 24:00-08:00", "not a valid time window"),
    ("Mon-Fri 24:30-08:00", "not a valid time window"),
    ("Mon-Fri 08:00-08:00", "is empty"),
    ("Mon-Fri 08:00-12:00,11:00-13:00", "windows overlap"),
    ("Mon-Fri 08:00-19:00; Fri 18:00-20:00", "windows overlap"),
    ("Sun 22:00-06:00; Mon 05:00-07:00", "windows overlap"),
    ("Mon,Mon 08:00-19:00", "listed twice"),
    ("Mon-Fri 08:00-12:00 Fri 13:00-14:00", "listed twice"),
    ("Mon-Fri 08:00-19:00 Europe/Berln", "unknown time zone 'Europe/Berln'"),
    ("Mon-Fri 08:00-19:00 CEST+1", "unknown time zone"),
    ("Mon-Fri 08:00-19:00 Tue", "unknown time zone 'Tue'"),
    ("Mon-Fri 08:00-19:00;", "empty group"),
    ("; Mon-Fri 08:00-19:00", "empty group"),
    ("Mon-Fri 08:00-19:00,", "is not a time window"),
    ("Mon,,Fri 08:00-19:00", "empty day"),
    ("Mon-Fri 0800-1900", "is not a time window"),
    ("Mon-Fri 08:00 to 19:00", "is not a time window"),
    ("weekdays 08:00-19:00", "unknown day 'weekdays'"),
    ("always on", "write always-on (with a hyphen)"),
    ("Mon-Fri 08:00-19:00 ../etc/passwd", "unknown time zone"),
    ("Mon-Fri " + ",".join(["08:00-09:00"] * 40), "longer than 256"),
]


@pytest.mark.parametrize(("text", "timezone", "hours"), VALID, ids=[v[0] for v in VALID])
def test_valid_schedules_parse(text: str, timezone: str, hours: float) -> None:
    schedule = parse_schedule(text, "UTC")
    assert schedule is not None
    assert schedule.timezone == timezone
    assert schedule.open_minutes_per_week == pytest.approx(hours * H)


@pytest.mark.parametrize(("text", "message"), INVALID, ids=[i[0] or "<empty>" for i in INVALID])
def test_invalid_schedules_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as raised:
        parse_schedule(text, "UTC")
    assert message in str(raised.value)


def test_there_are_enough_cases() -> None:
    assert len(VALID) >= 25 and len(INVALID) >= 25


def test_always_on_in_any_case_means_no_schedule() -> None:
    assert parse_schedule("always-on") is None
    assert parse_schedule(" Always-On ") is None


def test_the_default_time_zone_applies_when_none_is_named() -> None:
    schedule = parse_schedule("Mon-Fri 08:00-19:00", "Asia/Tokyo")
    assert schedule is not None and schedule.timezone == "Asia/Tokyo"


def test_weekday_hours_become_one_opening_and_one_closing_cron() -> None:
    schedule = parse_schedule("Mon-Fri 08:00-19:00 Europe/Berlin")
    assert schedule is not None
    assert [(t.kind, t.cron) for t in transitions(schedule)] == [
        ("open", "cron(0 8 ? * MON,TUE,WED,THU,FRI *)"),
        ("close", "cron(0 19 ? * MON,TUE,WED,THU,FRI *)"),
    ]


def test_a_window_across_midnight_closes_the_next_morning() -> None:
    schedule = parse_schedule("Fri-Sat 22:00-02:00")
    assert schedule is not None
    assert {(t.kind, t.cron) for t in transitions(schedule)} == {
        ("open", "cron(0 22 ? * FRI,SAT *)"),
        ("close", "cron(0 2 ? * SAT,SUN *)"),
    }


def test_touching_windows_merge_so_nothing_closes_and_reopens_at_once() -> None:
    schedule = parse_schedule("Mon-Fri 08:00-12:00,12:00-19:00")
    assert schedule is not None
    assert len(transitions(schedule)) == 2


def test_sunday_night_into_monday_is_one_stretch() -> None:
    schedule = parse_schedule("Sun 20:00-24:00; Mon 00:00-06:00")
    assert schedule is not None
    assert [(t.kind, t.cron) for t in transitions(schedule)] == [
        ("close", "cron(0 6 ? * MON *)"),
        ("open", "cron(0 20 ? * SUN *)"),
    ]


def test_is_open_follows_local_time_across_daylight_saving() -> None:
    schedule = parse_schedule("Mon-Fri 08:00-19:00 Europe/Berlin")
    assert schedule is not None
    berlin = ZoneInfo("Europe/Berlin")
    # Monday 30 March 2026, the day after the spring change: 08:30 local is open, 07:30 is not.
    assert is_open(schedule, (), datetime(2026, 3, 30, 8, 30, tzinfo=berlin))
    assert not is_open(schedule, (), datetime(2026, 3, 30, 7, 30, tzinfo=berlin))
    # Saturday is closed.
    assert not is_open(schedule, (), datetime(2026, 3, 28, 12, 0, tzinfo=berlin))


def test_a_holiday_suppresses_the_opening_of_that_day() -> None:
    schedule = parse_schedule("Mon-Fri 08:00-19:00 Europe/Berlin")
    assert schedule is not None
    noon = datetime(2026, 12, 24, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert is_open(schedule, (), noon)
    assert not is_open(schedule, (date(2026, 12, 24),), noon)


def test_opening_segments_leave_out_the_holidays() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    segments = opening_segments((date(2026, 11, 1), date(2026, 12, 24), date(2026, 12, 25)), "UTC", now)
    # The past holiday is ignored; the two adjacent ones make one gap.
    assert [(s.start, s.end) for s in segments] == [
        (None, datetime(2026, 12, 24, tzinfo=UTC)),
        (datetime(2026, 12, 26, tzinfo=UTC), None),
    ]


def test_holidays_and_timestamps_parse_or_say_why_not() -> None:
    assert parse_holidays("2026-12-25, 2026-12-24,,2026-12-25") == (date(2026, 12, 24), date(2026, 12, 25))
    with pytest.raises(ScheduleError, match="'25/12/2026' is not a date"):
        parse_holidays("25/12/2026")
    assert parse_timestamp("2026-03-04T22:00:00", "Europe/Berlin") == datetime(
        2026, 3, 4, 22, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert parse_timestamp("2026-03-04T21:00:00Z", "Europe/Berlin") == datetime(2026, 3, 4, 21, 0, tzinfo=UTC)
    with pytest.raises(ScheduleError, match="not a timestamp"):
        parse_timestamp("tomorrow evening", "UTC")


def test_tag_safe_forms_fit_sagemaker_tag_values() -> None:
    for text, _, _ in VALID[-5:]:
        assert SAGEMAKER_TAG_VALUE.fullmatch(text), text
    assert not SAGEMAKER_TAG_VALUE.fullmatch("Mon-Fri 08:00-12:00,13:00-19:00")
