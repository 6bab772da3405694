"""keep-on-until: a one-off reprieve from the evening drop (a demo, a long evaluation), which ends by
itself."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from local_account.stack import EmulatedStack
from local_account.week import summarise
from tests.schedules.scenario import (
    BERLIN,
    BUSINESS_HOURS,
    app_actions,
    redeliver,
    week,
)
from tests.support.builders import configured_component
from tests.support.recording import CallRecorder

ZERO_TAGS = {
    "autoscaler:schedule": BUSINESS_HOURS,
    "autoscaler:off-hours": "zero",
    "autoscaler:min-capacity": "1",
    "autoscaler:max-capacity": "4",
}
MONDAY_AFTERNOON = datetime(2026, 3, 2, 17, tzinfo=BERLIN)
KEPT_UNTIL = datetime(2026, 3, 2, 22, tzinfo=BERLIN)
NEXT_MONDAY = datetime(2026, 3, 9, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "stamp",
    ["2026-03-02T22:00:00+01:00", "2026-03-02T22:00:00", "2026-03-02T21:00:00Z"],
    ids=["with offset", "in the schedule's zone", "UTC"],
)
def test_the_evening_drop_waits_for_keep_on_until_then_the_week_is_ordinary(
    stack: EmulatedStack, sagemaker: Any, stamp: str
) -> None:
    with freeze_time(MONDAY_AFTERNOON):
        # Given on Monday afternoon a component kept on until 22:00 Berlin time
        rid = configured_component(
            stack, sagemaker, "mistral-7b", tags={**ZERO_TAGS, "autoscaler:keep-on-until": stamp}
        )
        # When the rest of the week is played from now
        hours = week(rid, MONDAY_AFTERNOON, hours=int((NEXT_MONDAY - MONDAY_AFTERNOON) / timedelta(hours=1)))
    # Then it keeps its business bounds until 22:00, past the usual 19:00 drop
    kept = [(h.min_capacity, h.max_capacity) for h in hours if h.start < KEPT_UNTIL]
    assert kept == [(1, 4)] * 5
    # And drops at 22:00 rather than running all night (the reprieve ends, it does not skip the night)
    after = [h for h in hours if h.start >= KEPT_UNTIL]
    assert (after[0].min_capacity, after[0].max_capacity) == (0, 0)
    # And from then on the week is the ordinary one: Tuesday to Friday open 08:00-19:00
    opened = [
        (f"{h.start.astimezone(BERLIN):%a}", h.start.astimezone(BERLIN).hour) for h in after if h.max_capacity
    ]
    assert opened == [(day, hour) for day in ("Tue", "Wed", "Thu", "Fri") for hour in range(8, 19)]


def test_once_keep_on_until_has_passed_the_next_event_restores_the_ordinary_actions(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, aws: CallRecorder
) -> None:
    with freeze_time(MONDAY_AFTERNOON) as clock:
        # Given a component kept on until Monday 22:00
        rid = configured_component(
            stack,
            sagemaker,
            "mistral-7b",
            tags={**ZERO_TAGS, "autoscaler:keep-on-until": "2026-03-02T22:00:00"},
        )
        kept = app_actions(autoscaling, rid, "mistral-7b")
        # When Tuesday comes and an event about it is delivered again
        clock.move_to(datetime(2026, 3, 3, 10, tzinfo=BERLIN))
        redeliver(stack, "mistral-7b")
        restored = app_actions(autoscaling, rid, "mistral-7b")
        # (and it has converged: the same event once more writes nothing)
        aws.clear()
        redeliver(stack, "mistral-7b")
        assert aws.writes() == []
        # Then its actions are those of a component that was never kept on
        ordinary = configured_component(stack, sagemaker, "ordinary", tags=ZERO_TAGS)
        assert restored == app_actions(autoscaling, ordinary, "ordinary")
        assert restored != kept
        # And the following week is an ordinary week
        assert summarise(week(rid, NEXT_MONDAY), configured=(1, 4)).hours_max_zero == 113
