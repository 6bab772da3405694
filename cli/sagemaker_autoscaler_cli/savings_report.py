"""What ``report`` prints: the coming week's spend and saving per billing unit, per endpoint and for the
account, in instance-hours and in dollars where a cited price exists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from pathlib import Path
from typing import Any

from sagemaker_autoscaler.core.costs import HOURS_PER_MONTH, HOURS_PER_WEEK, Saving
from sagemaker_autoscaler.engine.savings import AccountWeek

from .render import table

MONTH = HOURS_PER_MONTH / HOURS_PER_WEEK  # weeks in AWS's 730-hour month
_KINDS = {
    "realtime-variant": "real-time",
    "async-variant": "async",
    "serverless-variant": "serverless",
    "inference-component-host-variant": "IC host",
}


def dollars(value: float | None) -> str:
    return "unknown" if value is None else f"${value:,.2f}"


def _resource_ids(saving: Saving) -> set[str]:
    variant = f"endpoint/{saving.endpoint}/variant/{saving.variant}"
    return {variant, *(f"inference-component/{name}" for name in saving.components)}


def _unit_dict(saving: Saving, pending: Collection[str]) -> dict[str, Any]:
    hours = saving.hours
    saved = saving.saved_usd_week
    without = saving.without_always_on
    return {
        "endpoint": saving.endpoint,
        "variant": saving.variant,
        "kind": saving.kind,
        "unit": saving.unit,
        "instance_type": saving.instance_type,
        "always_on_capacity": saving.baseline,
        "price_usd_per_unit_hour": None if saving.price is None else saving.price.usd,
        "price_source": None if saving.price is None else saving.price.source,
        "unit_hours": {
            "always_on": hours.always_on,
            "scheduled": hours.scheduled,
            "saved": hours.saved,
            "more_if_idle": hours.more_if_idle,
        },
        "hours_held_below_always_on": hours.reduced_hours,
        "hours_held_at_zero": hours.zero_hours,
        "hours_at_zero_if_idle": hours.zero_when_idle_hours,
        "spend_usd_week": saving.usd(hours.scheduled),
        "saved_usd_week": saved,
        "saved_usd_month": None if saved is None else saved * MONTH,
        "saved_usd_week_without_always_on_siblings": None if without is None else saving.usd(without.saved),
        "components": list(saving.components),
        "reasons": list(saving.reasons),
        # False: the app has changes pending for it (WriteMode plan, or not yet run): not yet certain.
        "in_place": not (_resource_ids(saving) & set(pending)),
    }


def _totals(units: list[dict[str, Any]]) -> dict[str, Any]:
    priced = [u for u in units if u["saved_usd_week"] is not None]

    def total(values: list[float]) -> float | None:
        return sum(values) if priced else None  # nothing priced: unknown, not $0

    week = total([u["saved_usd_week"] for u in priced])
    return {
        "saved_usd_week": week,
        "saved_usd_month": None if week is None else week * MONTH,
        "always_on_usd_week": total(
            [u["unit_hours"]["always_on"] * u["price_usd_per_unit_hour"] for u in priced]
        ),
        "spend_usd_week": total([u["spend_usd_week"] for u in priced]),
        # Priced or not: the hours are known even where the money is not.
        "instance_hours_saved_week": sum(u["unit_hours"]["saved"] for u in units if u["unit"] == "instance"),
        "units_without_price": [
            f"{u['endpoint']}/{u['variant']}" for u in units if u["saved_usd_week"] is None
        ],
    }


def report_dict(week: AccountWeek, pending: Collection[str] = ()) -> dict[str, Any]:
    """``pending``: resource ids the app still has changes for."""
    ordered = sorted(week.savings, key=lambda s: (s.endpoint, s.variant))
    units = [_unit_dict(saving, pending) for saving in ordered]
    by_endpoint: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for unit in units:
        by_endpoint[unit["endpoint"]].append(unit)
    return {
        "week_from": week.start.isoformat(),
        "week_to": week.end.isoformat(),
        "prices": week.prices,
        "units": units,
        "endpoints": {name: _totals(rows) for name, rows in sorted(by_endpoint.items())},
        "account": _totals(units),
        "resources_not_counted": week.failed,
        "endpoints_not_counted": list(week.not_counted),
    }


def _why(unit: dict[str, Any]) -> str:
    reasons = list(unit["reasons"])
    if not unit["in_place"]:
        reasons.insert(0, "NOT IN PLACE YET: the app has changes pending for it (see plan)")
    without = unit["saved_usd_week_without_always_on_siblings"]
    if without is not None:
        reasons.append(f"without its always-on siblings it would save {dollars(without)}/week")
    if unit["price_usd_per_unit_hour"] is None:
        reasons.append(f"no cited price for {unit['instance_type'] or unit['unit']} here")
    return "; ".join(reasons) or "-"


def render_report(report: dict[str, Any]) -> str:
    if not report["units"]:
        changing = ", ".join(report["endpoints_not_counted"])
        return "Nothing to count: no endpoint variant in service in this account and Region." + (
            f" Not counted (changing or unreadable now): {changing}." if changing else ""
        )
    unit_rows = [
        [
            f"{u['endpoint']}/{u['variant']}",
            _KINDS.get(u["kind"], u["kind"]),
            f"{u['always_on_capacity']} x {u['instance_type'] or u['unit']}",
            f"{u['hours_held_below_always_on']:.0f}",
            f"{u['hours_at_zero_if_idle']:.0f}",
            f"{u['unit_hours']['saved']:.1f}",
            dollars(u["saved_usd_week"]),
            dollars(u["saved_usd_month"]),
            _why(u),
        ]
        for u in report["units"]
    ]
    headers = ["billing unit", "kind", "always on", "h held lower", "h zero if idle", "unit-h saved"]
    parts = [
        f"The week from {report['week_from'][:16]} to {report['week_to'][:16]} (UTC), against always-on;"
        f" prices: {report['prices']}",
        table([*headers, "saved/week", "saved/month", "why not more"], unit_rows),
        table(
            ["endpoint", "instance-h saved/week", "saved/week", "saved/month", "always-on/week"],
            [
                [
                    name,
                    f"{t['instance_hours_saved_week']:.1f}",
                    dollars(t["saved_usd_week"]),
                    dollars(t["saved_usd_month"]),
                    dollars(t["always_on_usd_week"]),
                ]
                for name, t in report["endpoints"].items()
            ],
        ),
    ]
    account = report["account"]
    week, month = dollars(account["saved_usd_week"]), dollars(account["saved_usd_month"])
    line = (
        f"Account: {week} saved a week ({month} a month) of {dollars(account['always_on_usd_week'])} "
        "always-on, counting only what the scheduled maxima guarantee."
    )
    waiting = [f"{u['endpoint']}/{u['variant']}" for u in report["units"] if not u["in_place"]]
    if waiting:
        line += f" Not in place yet (changes pending, see plan): {', '.join(waiting)}."
    if report["endpoints_not_counted"]:
        changing = ", ".join(report["endpoints_not_counted"])
        line += f" Not counted (changing or unreadable now): {changing}."
    if account["units_without_price"]:
        line += f" Not in dollars (no cited price): {', '.join(account['units_without_price'])}."
    parts.append(line)
    return "\n\n".join(parts)


def _held_by_siblings(report: dict[str, Any]) -> dict[str, float]:
    """Per endpoint, the weekly dollars its hosts would save more without their always-on components."""
    held: dict[str, float] = defaultdict(float)
    for unit in report["units"]:
        without, saved = unit["saved_usd_week_without_always_on_siblings"], unit["saved_usd_week"]
        if without is not None and saved is not None:
            held[unit["endpoint"]] += max(without - saved, 0.0)
    return held


def plot_report(report: dict[str, Any], path: Path) -> Path:
    """Always-on against scheduled spend per endpoint (priced units only), as a PNG."""
    import matplotlib.pyplot as plt

    figure = draw_report(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def draw_report(report: dict[str, Any]) -> Any:
    """The chart as a matplotlib figure: always-on and scheduled spend per endpoint, and, hatched, what
    always-on siblings keep up."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(report["endpoints"])
    always_on = [report["endpoints"][n]["always_on_usd_week"] or 0 for n in names]
    spend = [report["endpoints"][n]["spend_usd_week"] or 0 for n in names]
    figure, axes = plt.subplots(figsize=(9, 0.6 * len(names) + 1.6))
    positions = range(len(names))
    axes.barh([p + 0.2 for p in positions], always_on, height=0.4, label="always on", color="#bbbbbb")
    axes.barh(
        [p - 0.2 for p in positions], spend, height=0.4, label="with the app's schedule", color="#2a7ab0"
    )
    held = _held_by_siblings(report)
    shown = [(p, held[n], spend[p]) for p, n in enumerate(names) if held.get(n, 0.0) > 0]
    if shown:
        axes.barh(
            [p - 0.2 for p, _, _ in shown],
            [extra for _, extra, _ in shown],
            left=[total - extra for _, extra, total in shown],
            height=0.4,
            fill=False,
            hatch="//",
            edgecolor="#c0392b",
            label="kept up by always-on siblings",
        )
    labels = [
        n if report["endpoints"][n]["always_on_usd_week"] is not None else f"{n} (no cited price)"
        for n in names
    ]
    axes.set_yticks(list(positions), labels)
    axes.set_xlabel("US dollars per week (priced units only)")
    account = report["account"]
    # "$" starts a formula in matplotlib's text: escaped, it is a dollar sign.
    title = (
        f"Saved {dollars(account['saved_usd_week'])} a week ({dollars(account['saved_usd_month'])} a month)"
    )
    axes.set_title(title.replace("$", r"\$"))
    axes.legend(loc="lower right")
    figure.tight_layout()
    return figure
