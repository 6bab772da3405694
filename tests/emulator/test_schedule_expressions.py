"""Unit tests of the scheduled-action expression checks."""

from __future__ import annotations

import pytest

from local_account.moto_gaps.schedule_expressions import schedule_error, timezone_error


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 20 ? * MON-FRI *)",
        "cron(0/15 8-18 ? * 2-6 2026)",
        "cron(0 0 L * ? *)",
        "cron(0 9 ? * 2#1 *)",
        "at(2026-12-31T23:59:59)",
        "rate(1 minute)",
        "rate(2 days)",
    ],
)
def test_valid(schedule: str) -> None:
    assert schedule_error(schedule) is None


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 20 * * * *)",
        "cron(0 20 ? * ? *)",
        "cron(0 20 ? *)",
        "cron(x 20 ? * MON *)",
        "at(2026-02-30T00:00:00)",
        "rate(0 minutes)",
        "",
    ],
)
def test_invalid(schedule: str) -> None:
    assert schedule_error(schedule) is not None


def test_timezones() -> None:
    assert timezone_error("Europe/Berlin") is None
    assert timezone_error("UTC") is None
    assert timezone_error("Mars/Olympus") is not None
    assert timezone_error("../etc/passwd") is not None
