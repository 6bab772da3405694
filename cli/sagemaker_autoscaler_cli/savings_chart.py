"""The savings report as a chart: always-on against scheduled spend per endpoint, and what always-on
siblings keep up."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from .savings_report import dollars


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
