"""Real-time instance variants cannot scale to zero (their minimum is 1), so off-hours means one instance;
async variants can (traffic wakes them through their backlog alarm)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from local_account.stack import EmulatedStack
from tests.schedules.scenario import BERLIN, BUSINESS_HOURS, VARIANT_DIMENSION, week
from tests.support.builders import configured_endpoint

MONDAY = datetime(2026, 3, 2, tzinfo=BERLIN)


def is_business_hour(moment: datetime) -> bool:
    local = moment.astimezone(BERLIN)
    return local.weekday() < 5 and 8 <= local.hour < 19


@pytest.mark.parametrize(("mode", "off_hours_bounds"), [("zero", (1, 1)), ("idle", (1, 3))])
def test_a_realtime_variant_never_goes_below_one_instance(
    stack: EmulatedStack, sagemaker: Any, mode: str, off_hours_bounds: tuple[int, int]
) -> None:
    with freeze_time(MONDAY + timedelta(hours=10)):
        # Given a real-time endpoint tagged for business hours with 2..3 instances
        tags = {
            "autoscaler:schedule": BUSINESS_HOURS,
            "autoscaler:off-hours": mode,
            "autoscaler:min-capacity": "2",
            "autoscaler:max-capacity": "3",
        }
        rid = configured_endpoint(stack, sagemaker, "chat", tags=tags)
        # When its week is played
        hours = week(rid, MONDAY, VARIANT_DIMENSION)
    # Then no hour has a minimum below one instance
    assert min(h.min_capacity for h in hours) == 1
    # And off-hours hold the floor of one, business hours the tagged bounds
    assert {(h.min_capacity, h.max_capacity) for h in hours if not is_business_hour(h.start)} == {
        off_hours_bounds
    }
    assert {(h.min_capacity, h.max_capacity) for h in hours if is_business_hour(h.start)} == {(2, 3)}


def test_an_async_variant_does_go_to_zero(stack: EmulatedStack, sagemaker: Any) -> None:
    with freeze_time(MONDAY + timedelta(hours=10)):
        # Given an async endpoint tagged for business hours, zero outside
        tags = {"autoscaler:schedule": BUSINESS_HOURS, "autoscaler:off-hours": "zero"}
        rid = configured_endpoint(stack, sagemaker, "batch", kind="async", tags=tags)
        # When its week is played
        hours = week(rid, MONDAY, VARIANT_DIMENSION)
    # Then its off-hours are at zero
    assert {(h.min_capacity, h.max_capacity) for h in hours if not is_business_hour(h.start)} == {(0, 0)}
