"""Plain-text tables and short value summaries, for terminals (the tool and the demo print the same)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def bounds(value: Any) -> str:
    """``{"min": 1, "max": 4}`` as ``1..4``; nothing as ``-``."""
    if not isinstance(value, dict) or "min" not in value:
        return "-"
    return f"{value['min']}..{value['max']}"


def describe_value(value: Any) -> str:
    """A change's old or new value in a few characters."""
    if value is None:
        return "-"
    if isinstance(value, dict):
        if "min" in value and "max" in value and set(value) <= {"min", "max", "suspended", "capacity_floor"}:
            text = bounds(value)
            if value.get("suspended"):
                text += " suspended"
            if value.get("capacity_floor") is not None:
                text += f" (floor {value['capacity_floor']})"
            return text
        if "name" in value:
            return str(value["name"]).removeprefix("sagemaker-autoscaler-").split("/")[-1]
        if len(value) == 1:
            ((key, item),) = value.items()
            return f"{key}={item}"
    return str(value)
