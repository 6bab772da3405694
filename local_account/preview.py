"""What the next week looks like for each scalable target, from the scheduled actions actually stored:

    python -m local_account.preview [--resource ID ...] [--start YYYY-MM-DD] [--png PATH | --no-png]

It reads the account the standard AWS variables point at (``AWS_ENDPOINT_URL`` for the emulator), prints a
table per target (rows = days in the target's schedule time zone, columns = hours, cell = max capacity)
for the week ahead from now (or from ``--start``), and draws the same weeks as a PNG. WHY: a user about
to tag a production endpoint wants to see when it will be at zero before it is, in the wall-clock time
their team works in.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3

from sagemaker_autoscaler.core.schedules import MAX_WARM_UP_MINUTES

from .week import Action, Hour, WeekSummary, read_target, replay, summarise

# An opening segment that starts after a holiday starts at most the longest warm-up lead the app accepts
# before the first day it opens on.
MAX_WARM_UP = timedelta(minutes=MAX_WARM_UP_MINUTES)

DEFAULT_PNG = Path("out") / "week-preview.png"
APP_ACTION_PREFIX = "sagemaker-autoscaler-"
NAMESPACE = "sagemaker"
LEGEND = "cell = max capacity; '.' = 0; '~' = min 0 (idles at zero until traffic wakes it)"


@dataclass(frozen=True)
class ResourceWeek:
    """One target's simulated calendar week (167 to 169 hours when a DST change falls in it)."""

    resource_id: str
    dimension: str
    zone: ZoneInfo
    hours: tuple[Hour, ...]
    summary: WeekSummary
    holidays: frozenset[date] = frozenset()


def _client(autoscaling_client: Any) -> Any:
    # boto3 itself honours AWS_ENDPOINT_URL; the region falls back to the emulator's.
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "eu-west-1"
    return autoscaling_client or boto3.client("application-autoscaling", region_name=region)


def schedule_zone(actions: Iterable[Action]) -> ZoneInfo:
    """The zone the schedule was written in: the app's own actions', else any action's, else the account
    default (AUTOSCALER_TIMEZONE), else UTC."""
    ordered = sorted(actions, key=lambda a: not a.name.startswith(APP_ACTION_PREFIX))
    name = ordered[0].timezone if ordered else os.environ.get("AUTOSCALER_TIMEZONE") or "UTC"
    return ZoneInfo(name)


def holidays_of(actions: Iterable[Action], zone: ZoneInfo) -> frozenset[date]:
    """The days the app's openings skip: the gaps between consecutive StartTime/EndTime segments of one
    opening (``...-open-<time>-<days>`` and its ``-from-YYYYMMDD`` continuations)."""
    families: dict[str, list[Action]] = {}
    for action in actions:
        if action.name.startswith(APP_ACTION_PREFIX + "open-") and (action.start_time or action.end_time):
            families.setdefault(action.name.split("-from-")[0], []).append(action)
    days: set[date] = set()
    for segments in families.values():
        ordered = sorted(segments, key=lambda a: a.start_time or datetime.min.replace(tzinfo=UTC))
        for before, after in pairwise(ordered):
            if before.end_time is None or after.start_time is None or after.start_time <= before.end_time:
                continue
            # Local time plus the lead: the day the segment first opens on, across a change at midnight too.
            reopens = (after.start_time.astimezone(zone) + MAX_WARM_UP).date()
            count = round((after.start_time - before.end_time) / timedelta(days=1))
            days.update(reopens - timedelta(days=n) for n in range(1, count + 1))
    return frozenset(days)


def week_start(zone: ZoneInfo, start: date | None = None) -> datetime:
    """Midnight of ``start`` in ``zone``; by default the start of the current hour: the week ahead is
    the one that begins now, the same instant in every zone."""
    if start is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0).astimezone(zone)
    return datetime(start.year, start.month, start.day, tzinfo=zone)


def calendar_hours(first: datetime, days: int = 7) -> int:
    """Elapsed hours in ``days`` local calendar days from ``first`` (168 unless a DST change falls in)."""
    end = datetime.combine(first.date() + timedelta(days=days), first.timetz())
    return int((end.astimezone(UTC) - first.astimezone(UTC)) // timedelta(hours=1))


def resource_weeks(
    resource_ids: Iterable[str] | None = None,
    start: date | None = None,
    *,
    autoscaling_client: Any = None,
) -> list[ResourceWeek]:
    """Simulate the week from ``start`` (default: now) for the given resource ids, or every SageMaker
    scalable target in the account."""
    client = _client(autoscaling_client)
    wanted = set(resource_ids) if resource_ids is not None else None
    weeks = []
    for page in client.get_paginator("describe_scalable_targets").paginate(ServiceNamespace=NAMESPACE):
        for target in page["ScalableTargets"]:
            if wanted is not None and target["ResourceId"] not in wanted:
                continue
            initial, actions = read_target(client, target["ResourceId"], target["ScalableDimension"])
            zone = schedule_zone(actions)
            first = week_start(zone, start)
            hours = tuple(replay(initial, actions, first, calendar_hours(first)))
            holidays = holidays_of(actions, zone)
            weeks.append(
                ResourceWeek(
                    target["ResourceId"], target["ScalableDimension"], zone, hours, summarise(hours), holidays
                )
            )
    return sorted(weeks, key=lambda week: (week.resource_id, week.dimension))


# --- text ---------------------------------------------------------------------------------------------


def _cell(hour: Hour) -> str:
    if hour.max_capacity == 0:
        return "."
    return f"~{hour.max_capacity}" if hour.min_capacity == 0 else str(hour.max_capacity)


def _day_note(day: date, elapsed: int, zone: ZoneInfo) -> str:
    """'(23 h)' on a whole day that a daylight-saving change made shorter or longer; nothing on the
    partial first and last days of a week that starts now."""
    length = calendar_hours(datetime(day.year, day.month, day.day, tzinfo=zone), days=1)
    return f"  ({length} h)" if length != 24 and elapsed == length else ""


def summary_lines(summary: WeekSummary) -> list[str]:
    """Hours at zero, split into what the scheduled actions guarantee and what needs no traffic."""
    return [
        f"at zero: {summary.hours_max_zero} h held (max 0) + {summary.hours_min_zero} h idle (min 0)"
        f" of {summary.hours} h",
        f"held at zero {summary.share_held_at_zero:.0%} of the week (certain);"
        f" at zero when idle {summary.share_idle_at_zero:.0%} more (only while no traffic comes)",
    ]


def render_week(week: ResourceWeek) -> str:
    """The table for one target: at most 24 cells of 3 characters a row, so it fits in 100 columns."""
    days: dict[date, dict[int, Hour]] = {}
    for hour in week.hours:
        local = hour.start.astimezone(week.zone)
        # In the repeated autumn hour the later sample wins: it is the state for the rest of that hour.
        days.setdefault(local.date(), {})[local.hour] = hour
    first = week.hours[0].start.astimezone(week.zone)
    lines = [
        f"{week.resource_id}  ({week.dimension})",
        f"week from {first:%a %Y-%m-%d %H:%M}, {week.zone.key}",
        LEGEND,
        " " * 9 + "".join(f"{h:>3}" for h in (f"{n:02d}" for n in range(24))),
    ]
    for day, by_hour in sorted(days.items()):
        cells = "".join(f"{_cell(by_hour[h]):>3}" if h in by_hour else "   " for h in range(24))
        elapsed = sum(1 for hour in week.hours if hour.start.astimezone(week.zone).date() == day)
        holiday = "  holiday" if day in week.holidays else ""
        lines.append(f"{day:%a %m-%d}{cells}{_day_note(day, elapsed, week.zone)}{holiday}")
    phases = ", ".join(f"{low}..{high} for {n} h" for (low, high), n in week.summary.bounds_hours)
    lines.append(f"min..max: {phases}")
    lines.extend(summary_lines(week.summary))
    return "\n".join(lines)


def render_text(weeks: Sequence[ResourceWeek]) -> str:
    if not weeks:
        return "no scalable targets"
    return "\n\n".join(render_week(week) for week in weeks)


def preview_text(
    resource_ids: Iterable[str] | None = None,
    start: date | None = None,
    *,
    autoscaling_client: Any = None,
) -> str:
    """The text tables for the given resource ids (default: every SageMaker scalable target)."""
    return render_text(resource_weeks(resource_ids, start, autoscaling_client=autoscaling_client))


# --- chart --------------------------------------------------------------------------------------------


def _runs(flags: Iterable[bool]) -> list[tuple[int, int]]:
    """The runs of consecutive true flags, as (first index, end index excluded)."""
    runs: list[tuple[int, int]] = []
    for index, flag in enumerate(flags):
        if not flag:
            continue
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def off_hours_spans(week: ResourceWeek) -> list[tuple[int, int]]:
    """The hours (from the week's first) at bounds other than the business-hours ones, as runs: exactly
    what the chart shades."""
    business = week.summary.configured_bounds
    return _runs((hour.min_capacity, hour.max_capacity) != business for hour in week.hours)


def holiday_spans(week: ResourceWeek) -> list[tuple[int, int]]:
    """The hours (from the week's first) of the holidays the week holds, as runs."""
    return _runs(hour.start.astimezone(week.zone).date() in week.holidays for hour in week.hours)


def chart_title(week: ResourceWeek) -> str:
    summary = week.summary
    return (
        f"{week.resource_id}, times in {week.zone.key}: held at zero {summary.share_held_at_zero:.0%}"
        f" of the week, at zero when idle {summary.share_idle_at_zero:.0%} more"
    )


def _draw_week(axis: Any, week: ResourceWeek, now: datetime) -> None:
    x = list(range(len(week.hours) + 1))  # one more edge than samples: the last step has a width
    highs = [h.max_capacity for h in week.hours]
    lows = [h.min_capacity for h in week.hours]
    axis.step(x, [*highs, highs[-1]], where="post", label="max", color="tab:blue")
    axis.step(x, [*lows, lows[-1]], where="post", label="min", color="tab:orange", linestyle="--")
    for number, (first, end) in enumerate(off_hours_spans(week)):
        label = "off-hours" if number == 0 else None
        axis.axvspan(first, end, color="grey", alpha=0.2, label=label, gid="off-hours")
    for number, (first, end) in enumerate(holiday_spans(week)):
        label = "holiday" if number == 0 else None
        axis.axvspan(
            first, end, facecolor="none", hatch="//", edgecolor="tab:green", label=label, gid="holiday"
        )
    elapsed = (now - week.hours[0].start) / timedelta(hours=1)
    if 0 <= elapsed <= len(week.hours):
        axis.axvline(elapsed, color="tab:red", linewidth=1, label="now", gid="now")
    midnights = [i for i, h in enumerate(week.hours) if h.start.astimezone(week.zone).hour == 0]
    axis.set_xticks(midnights)
    axis.set_xticklabels([f"{week.hours[i].start.astimezone(week.zone):%a %d}" for i in midnights])
    axis.set_xlim(0, len(week.hours))
    axis.set_ylim(bottom=0, top=max(highs) + 1)
    axis.set_ylabel("capacity")
    axis.set_title(chart_title(week), fontsize="medium")
    axis.grid(axis="x", alpha=0.3)
    axis.legend(loc="upper right", fontsize="small")


def figure_of(weeks: Sequence[ResourceWeek], now: datetime | None = None) -> Any:
    """One panel per target: min and max as steps over its week, the off-hours shaded, now marked. Each
    panel's x axis counts hours from its week's first and is labelled in the zone its title names."""
    # Imported here: matplotlib is slow to import and only the chart needs it; Agg needs no display.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = max(1, len(weeks))
    figure, axes = plt.subplots(rows, 1, figsize=(12, 1.0 + 2.2 * rows), squeeze=False)
    if not weeks:
        axes[0][0].text(0.5, 0.5, "no scalable targets", ha="center", va="center")
    for axis, week in zip((row[0] for row in axes), weeks, strict=False):
        _draw_week(axis, week, now or datetime.now(UTC))
    figure.tight_layout()
    return figure


def plot_png(weeks: Sequence[ResourceWeek], path: Path | str = DEFAULT_PNG) -> Path:
    """Draw the weeks (see ``figure_of``) to a PNG at ``path``."""
    import matplotlib.pyplot as plt

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure = figure_of(weeks)
    figure.savefig(target, format="png")
    plt.close(figure)
    return target


def write_png(
    path: Path | str = DEFAULT_PNG,
    resource_ids: Iterable[str] | None = None,
    start: date | None = None,
    *,
    autoscaling_client: Any = None,
) -> Path:
    """Draw the given resources' weeks (default: every SageMaker scalable target) to ``path``."""
    return plot_png(resource_weeks(resource_ids, start, autoscaling_client=autoscaling_client), path)


# --- command line -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_account.preview", description="The week each scalable target's schedule gives."
    )
    parser.add_argument("--resource", action="append", help="a scalable target's resource id (repeatable)")
    parser.add_argument("--start", type=date.fromisoformat, help="first day, YYYY-MM-DD (default: from now)")
    parser.add_argument("--png", type=Path, default=DEFAULT_PNG, help=f"chart path (default: {DEFAULT_PNG})")
    parser.add_argument("--no-png", action="store_true", help="print the tables only")
    args = parser.parse_args(argv)
    weeks = resource_weeks(args.resource, args.start)
    print(render_text(weeks))
    if not args.no_png:
        print(f"\nchart: {plot_png(weeks, args.png)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
