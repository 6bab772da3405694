"""The preview: a readable week per scalable target, and a PNG chart of the same weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from local_account import moto_gaps, preview
from local_account.emulated import REGION
from local_account.week import summarise
from tests.schedules.scenario import BERLIN, COMPONENT_DIMENSION, VARIANT_DIMENSION
from tests.support.builders import configured_component

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def berlin_hours(
    rid: str, dimension: str, bounds: tuple[int, int], actions: list[tuple[str, str, tuple[int, int]]]
) -> None:
    """Register a target and write the app's scheduled actions on it straight to AAS, in Berlin time."""
    autoscaling = boto3.client("application-autoscaling", region_name=REGION)
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=rid,
        ScalableDimension=dimension,
        MinCapacity=bounds[0],
        MaxCapacity=bounds[1],
    )
    for name, cron, (low, high) in actions:
        autoscaling.put_scheduled_action(
            ServiceNamespace="sagemaker",
            ResourceId=rid,
            ScalableDimension=dimension,
            ScheduledActionName=f"sagemaker-autoscaler-{name}",
            Schedule=cron,
            Timezone="Europe/Berlin",
            ScalableTargetAction={"MinCapacity": low, "MaxCapacity": high},
        )


@pytest.fixture
def account(autoscaling: Any) -> Any:
    """A component with Berlin business hours (zero outside) written straight to AAS, so the preview is
    tested on its own, and an always-on variant with no actions."""
    # AAS registers only what SageMaker has: the component and the endpoint exist first.
    moto_gaps.make_endpoint("llm-shared")
    moto_gaps.make_inference_component("mistral-7b", "llm-shared")
    moto_gaps.make_endpoint("chat")
    closing = ("close", "cron(0 19 ? * MON-FRI *)", (0, 0))
    berlin_hours(
        "inference-component/mistral-7b",
        COMPONENT_DIMENSION,
        (1, 4),
        [("open", "cron(0 8 ? * MON-FRI *)", (1, 4)), closing],
    )
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/chat/variant/AllTraffic",
        ScalableDimension=VARIANT_DIMENSION,
        MinCapacity=1,
        MaxCapacity=2,
    )
    return autoscaling


def test_the_table_shows_each_day_in_the_schedules_zone(account: Any) -> None:
    # When the week of 2026-03-23 (the spring change is on its Sunday) is previewed
    text = preview.preview_text(start=date(2026, 3, 23))
    [component, variant] = sorted(text.split("\n\n"), key=lambda section: "chat" in section)
    lines = component.splitlines()
    # Then the component is shown in Berlin time, closed at night and open 08:00-19:00 on weekdays
    assert "inference-component/mistral-7b  (sagemaker:inference-component:DesiredCopyCount)" in lines
    assert "week from Mon 2026-03-23 00:00, Europe/Berlin" in component
    monday = next(line for line in lines if line.startswith("Mon 03-23"))
    assert monday.split()[2:] == ["."] * 8 + ["4"] * 11 + ["."] * 5
    # And the Sunday of the change has 23 hours, its 02:00 left blank
    sunday = next(line for line in lines if line.startswith("Sun 03-29"))
    assert sunday.endswith("(23 h)") and sunday[9 + 3 * 2 : 9 + 3 * 3] == "   "
    assert "1..4 for 55 h, 0..0 for 112 h" in component
    assert "112 h held (max 0)" in component
    # And the always-on variant is there too, in UTC, never at zero
    assert "endpoint/chat/variant/AllTraffic  (sagemaker:variant:DesiredInstanceCount)" in variant
    assert "week from Mon 2026-03-23 00:00, UTC" in variant and "held at zero 0% of the week" in variant
    # And the table itself fits in 100 columns
    assert max(len(line) for line in text.splitlines()) <= 100


def test_a_resource_can_be_chosen_and_the_chart_is_a_png(account: Any, tmp_path: Path) -> None:
    rid = "inference-component/mistral-7b"
    # When one resource is previewed and drawn
    text = preview.preview_text([rid], date(2026, 3, 2))
    written = preview.write_png(tmp_path / "charts" / "week.png", [rid], date(2026, 3, 2))
    # Then only it is shown, and the chart is a non-empty PNG
    assert "endpoint/chat" not in text and rid in text
    assert written.read_bytes().startswith(PNG_SIGNATURE) and written.stat().st_size > 1000


def test_the_command_prints_the_tables_and_writes_the_chart(
    account: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "preview.png"
    assert preview.main(["--start", "2026-03-02", "--png", str(png)]) == 0
    printed = capsys.readouterr().out
    assert "inference-component/mistral-7b" in printed and "endpoint/chat/variant/AllTraffic" in printed
    assert f"chart: {png}" in printed
    assert png.read_bytes().startswith(PNG_SIGNATURE)


@pytest.fixture
def lunch_break(autoscaling: Any) -> Any:
    """A variant with Berlin business hours and a one-hour closure at lunch: 08:00-12:00, 13:00-18:00."""
    moto_gaps.make_endpoint("support-bot")
    berlin_hours(
        "endpoint/support-bot/variant/AllTraffic",
        VARIANT_DIMENSION,
        (1, 3),
        [
            ("open-0800", "cron(0 8 ? * MON-FRI *)", (1, 3)),
            ("close-1200", "cron(0 12 ? * MON-FRI *)", (1, 1)),
            ("open-1300", "cron(0 13 ? * MON-FRI *)", (1, 3)),
            ("close-1800", "cron(0 18 ? * MON-FRI *)", (1, 1)),
        ],
    )
    return autoscaling


def shaded_spans(axis: Any) -> list[tuple[float, float]]:
    """The x ranges of whatever the chart shades as off-hours (patches or filled collections alike)."""
    spans = []
    for artist in [*axis.patches, *axis.collections]:
        if "off-hours" not in (artist.get_gid(), artist.get_label()):
            continue
        to_data = artist.get_transform() - axis.transData
        paths = artist.get_paths() if hasattr(artist, "get_paths") else [artist.get_path()]
        for path in paths:
            xs = [x for x, _ in to_data.transform(path.vertices)]
            if max(xs) > min(xs):
                spans.append((round(float(min(xs)), 6), round(float(max(xs)), 6)))
    return sorted(spans)


@freeze_time("2026-12-02T10:30:00Z")  # a Wednesday, 11:30 in Berlin
def test_the_chart_shades_exactly_the_hours_the_replay_closes(lunch_break: Any) -> None:
    # Given the week ahead replayed from the stored actions, as the preview reads them
    [week] = preview.resource_weeks()
    expected_start = datetime(2026, 12, 2, 10, tzinfo=UTC)
    assert week.hours[0].start == expected_start

    # When it is drawn
    figure = preview.figure_of([week])
    [axis] = figure.axes

    # Then the shaded spans are the runs of hours the replay puts off the business-hours bounds, the
    # one-hour lunch closure included, each shaded for its whole length
    off = [i for i, hour in enumerate(week.hours) if (hour.min_capacity, hour.max_capacity) != (1, 3)]
    runs: list[tuple[float, float]] = []
    for index in off:
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    assert shaded_spans(axis) == runs
    lunches = [run for run in runs if run[1] - run[0] == 1]
    assert len(lunches) == 5  # Wednesday to Friday, then Monday and Tuesday: 12:00-13:00 in Berlin
    # And the title's numbers are the replay's: 40 of 168 hours at 1..1 are not at zero at all
    summary = summarise(week.hours)
    assert summary.configured_bounds == (1, 3) and summary.hours_max_zero == 0
    assert axis.get_title() == (
        "endpoint/support-bot/variant/AllTraffic, times in Europe/Berlin: held at zero 0% of the week,"
        " at zero when idle 0% more"
    )
    # And now is marked where the week starts, the hour now falls in
    [now] = [line for line in axis.lines if line.get_gid() == "now"]
    assert now.get_xdata()[0] == pytest.approx(0.5)


@freeze_time("2026-12-02T10:30:00Z")
def test_the_week_ahead_starts_now_in_every_zone(account: Any) -> None:
    # When the preview runs with no start date
    weeks = preview.resource_weeks()

    # Then every target's week starts at the current hour, the same instant whatever its zone, and
    # lasts a week
    assert {week.hours[0].start for week in weeks} == {datetime(2026, 12, 2, 10, tzinfo=UTC)}
    assert all(len(week.hours) == 168 for week in weeks)
    assert all(week.hours[-1].start - week.hours[0].start == timedelta(hours=167) for week in weeks)
    # And the table says where it starts, in the target's own zone; the partial first day has no note
    text = preview.preview_text(["inference-component/mistral-7b"])
    assert "week from Wed 2026-12-02 11:00, Europe/Berlin" in text
    wednesday = next(line for line in text.splitlines() if line.startswith("Wed 12-02"))
    assert wednesday.split()[2:] == ["4"] * 8 + ["."] * 5 and "(" not in wednesday


@freeze_time("2026-12-02T10:30:00Z")
def test_the_title_splits_held_from_idle_hours(account: Any) -> None:
    # Given the component held at zero outside Berlin business hours
    [component] = [w for w in preview.resource_weeks() if w.resource_id.startswith("inference-component")]

    # When its title is drawn
    title = preview.chart_title(component)

    # Then the share held at zero is the replay's and no idle hour is counted as held
    held = sum(1 for hour in component.hours if hour.max_capacity == 0)
    assert f"held at zero {held / 168:.0%} of the week" in title and "idle 0% more" in title


@freeze_time("2026-12-21T09:00:00Z")  # a Monday, 10:00 in Berlin
def test_holidays_are_shown_as_holidays(stack: Any, sagemaker: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the account's holidays 24 and 25 December, and a component on Berlin business hours
    monkeypatch.setenv("AUTOSCALER_HOLIDAYS", "2026-12-24,2026-12-25")
    stack.reset_dependencies()
    tags = {"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin", "autoscaler:off-hours": "zero"}
    rid = configured_component(stack, sagemaker, "mistral-7b", tags=tags)

    # When the week ahead is previewed
    [week] = preview.resource_weeks([rid])
    text = preview.render_week(week)
    [axis] = preview.figure_of([week]).axes

    # Then the two days are holidays in the table, and only they
    assert week.holidays == frozenset({date(2026, 12, 24), date(2026, 12, 25)})
    marked = [line[:9] for line in text.splitlines() if line.endswith("holiday")]
    assert marked == ["Thu 12-24", "Fri 12-25"]
    # And the chart hatches exactly their 48 hours, as one span
    spans = [
        (round(p.get_x()), round(p.get_x() + p.get_width())) for p in axis.patches if p.get_gid() == "holiday"
    ]
    first = next(
        i for i, h in enumerate(week.hours) if h.start.astimezone(BERLIN).date() == date(2026, 12, 24)
    )
    assert spans == [(first, first + 48)]
    # And they stay closed: no capacity on either day
    assert all(h.max_capacity == 0 for h in week.hours[first : first + 48])
