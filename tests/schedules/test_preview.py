"""The preview: a readable week per scalable target, and a PNG chart of the same weeks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from local_account import moto_gaps, preview
from tests.schedules.scenario import COMPONENT_DIMENSION, VARIANT_DIMENSION

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def account(autoscaling: Any) -> Any:
    """A component with Berlin business hours (zero outside) written straight to AAS, so the preview is
    tested on its own, and an always-on variant with no actions."""
    # AAS registers only what SageMaker has: the component and the endpoint exist first.
    moto_gaps.make_endpoint("llm-shared")
    moto_gaps.make_inference_component("mistral-7b", "llm-shared")
    moto_gaps.make_endpoint("chat")
    rid = "inference-component/mistral-7b"
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=rid,
        ScalableDimension=COMPONENT_DIMENSION,
        MinCapacity=1,
        MaxCapacity=4,
    )
    for name, hour, bounds in (("open", 8, (1, 4)), ("close", 19, (0, 0))):
        autoscaling.put_scheduled_action(
            ServiceNamespace="sagemaker",
            ResourceId=rid,
            ScalableDimension=COMPONENT_DIMENSION,
            ScheduledActionName=f"sagemaker-autoscaler-{name}",
            Schedule=f"cron(0 {hour} ? * MON-FRI *)",
            Timezone="Europe/Berlin",
            ScalableTargetAction={"MinCapacity": bounds[0], "MaxCapacity": bounds[1]},
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
    assert "week of Mon 2026-03-23, Europe/Berlin" in component
    monday = next(line for line in lines if line.startswith("Mon 03-23"))
    assert monday.split()[2:] == ["."] * 8 + ["4"] * 11 + ["."] * 5
    # And the Sunday of the change has 23 hours, its 02:00 left blank
    sunday = next(line for line in lines if line.startswith("Sun 03-29"))
    assert sunday.endswith("(23 h)") and sunday[9 + 3 * 2 : 9 + 3 * 3] == "   "
    assert "1..4 for 55 h, 0..0 for 112 h" in component
    assert "112 h held (max 0)" in component
    # And the always-on variant is there too, in UTC, never at zero
    assert "endpoint/chat/variant/AllTraffic  (sagemaker:variant:DesiredInstanceCount)" in variant
    assert "week of Mon 2026-03-23, UTC" in variant and "saved 0% of the week" in variant
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
