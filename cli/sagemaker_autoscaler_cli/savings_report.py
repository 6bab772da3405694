"""What ``report`` prints: the coming week's spend and saving per billing unit, per endpoint and for the
account, in instance-hours and in dollars where a cited price exists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sagemaker_autoscaler.core.costs import HOURS_PER_MONTH, HOURS_PER_WEEK, Saving
from sagemaker_autoscaler.engine.savings import AccountWeek, is_in_place

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
        "in_place": is_in_place(saving, pending),
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


def _not_counted(report: dict[str, Any]) -> str:
    changing = ", ".join(report["endpoints_not_counted"])
    return f" Not counted (changing or unreadable now): {changing}." if changing else ""


def _unit_table(units: list[dict[str, Any]]) -> str:
    rows = [
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
        for u in units
    ]
    headers = ["billing unit", "kind", "always on", "h held lower", "h zero if idle", "unit-h saved"]
    return table([*headers, "saved/week", "saved/month", "why not more"], rows)


def _endpoint_table(endpoints: dict[str, dict[str, Any]]) -> str:
    rows = [
        [
            name,
            f"{t['instance_hours_saved_week']:.1f}",
            dollars(t["saved_usd_week"]),
            dollars(t["saved_usd_month"]),
            dollars(t["always_on_usd_week"]),
        ]
        for name, t in endpoints.items()
    ]
    return table(["endpoint", "instance-h saved/week", "saved/week", "saved/month", "always-on/week"], rows)


def _account_line(report: dict[str, Any]) -> str:
    account = report["account"]
    week, month = dollars(account["saved_usd_week"]), dollars(account["saved_usd_month"])
    line = (
        f"Account: {week} saved a week ({month} a month) of {dollars(account['always_on_usd_week'])} "
        "always-on, counting only what the scheduled maxima guarantee."
    )
    waiting = [f"{u['endpoint']}/{u['variant']}" for u in report["units"] if not u["in_place"]]
    if waiting:
        line += f" Not in place yet (changes pending, see plan): {', '.join(waiting)}."
    line += _not_counted(report)
    if account["units_without_price"]:
        line += f" Not in dollars (no cited price): {', '.join(account['units_without_price'])}."
    return line


def render_report(report: dict[str, Any]) -> str:
    if not report["units"]:
        return "Nothing to count: no endpoint variant in service in this account and Region." + _not_counted(
            report
        )
    heading = (
        f"The week from {report['week_from'][:16]} to {report['week_to'][:16]} (UTC), against always-on;"
        f" prices: {report['prices']}"
    )
    parts = [
        heading,
        _unit_table(report["units"]),
        _endpoint_table(report["endpoints"]),
        _account_line(report),
    ]
    return "\n\n".join(parts)
