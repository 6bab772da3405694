"""`report`: the coming week in instance-hours and dollars, per billing unit, endpoint and account. It only
reads; a price without a cited source is unknown, never $0; an always-on sibling keeps its host's
instances, and the report says so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from local_account import moto_gaps
from local_account.demo_account import create_demo_account
from local_account.stack import EmulatedStack
from sagemaker_autoscaler.aws.pricing import snapshot_prices
from sagemaker_autoscaler_cli import main as cli
from sagemaker_autoscaler_cli.savings_chart import draw_report
from tests.support.faults import scaling_state
from tests.support.functions import run_reconcile

G5_12XLARGE_IRELAND = 7.91  # the snapshot's cited price
G4DN_4XLARGE_IRELAND = 1.678


@pytest.fixture
def demo(stack: EmulatedStack, sagemaker: Any, autoscaling: Any) -> Any:
    return create_demo_account(sagemaker, autoscaling)


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(["report", "--region", "eu-west-1", "--prices", "snapshot", *args])
    return code, capsys.readouterr().out


def unit(data: dict[str, Any], endpoint: str) -> dict[str, Any]:
    return next(u for u in data["units"] if u["endpoint"] == endpoint)


@freeze_time("2026-03-03 10:00:00")
def test_the_report_prices_each_unit_and_only_reads(demo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    before = scaling_state()
    # When the report is asked for the demo account
    code, out = report(capsys, "--json")
    data = json.loads(out)
    # Then nothing was written
    assert code == cli.EXIT_NO_CHANGES
    assert scaling_state() == before
    # And the async endpoint's saving is its certain instance-hours at its cited price
    docs = unit(data, "Doc-Embeddings")
    assert docs["saved_usd_week"] == pytest.approx(docs["unit_hours"]["saved"] * G4DN_4XLARGE_IRELAND)
    assert docs["hours_held_at_zero"] > 100
    # And the account adds up its endpoints; what has no cited price is unknown, not $0
    priced = [u["saved_usd_week"] for u in data["units"] if u["saved_usd_week"] is not None]
    assert data["account"]["saved_usd_week"] == pytest.approx(sum(priced))
    assert unit(data, "Legacy-Ranker")["saved_usd_week"] is None
    assert data["endpoints"]["Legacy-Ranker"]["saved_usd_week"] is None
    assert "Legacy-Ranker/AllTraffic" in data["account"]["units_without_price"]
    assert unit(data, "Intent-Classifier")["unit_hours"]["saved"] > 100  # hours known, dollars not
    # And per endpoint, the instance-hours saved (provisioned concurrency is not an instance)
    assert data["endpoints"]["Doc-Embeddings"]["instance_hours_saved_week"] == docs["unit_hours"]["saved"]
    assert data["endpoints"]["Intent-Classifier"]["instance_hours_saved_week"] == 0


@freeze_time("2026-03-03 10:00:00")
def test_an_always_on_sibling_keeps_its_hosts_saving_at_zero_and_the_report_says_why(
    demo: Any, sagemaker: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the shared LLM host, with Mistral-7B on a schedule and Experimental-FT opted out
    _, out = report(capsys, "--json")
    host = unit(json.loads(out), "LLM-Shared")
    # Then the host saves nothing, because of the opted-out sibling, and says what it would save without it
    assert host["saved_usd_week"] == 0
    assert any("always-on sibling Experimental-FT" in reason for reason in host["reasons"])
    without = host["saved_usd_week_without_always_on_siblings"]
    assert without > 100 * G5_12XLARGE_IRELAND
    _, text = report(capsys)
    assert "always-on sibling Experimental-FT" in text
    # When the sibling is gone
    sagemaker.delete_inference_component(InferenceComponentName="Experimental-FT")
    _, out = report(capsys, "--json")
    # Then the host gives its instance back off-hours: exactly the saving the report promised
    alone = unit(json.loads(out), "LLM-Shared")
    assert alone["saved_usd_week"] == pytest.approx(without)
    assert alone["saved_usd_week_without_always_on_siblings"] is None


@freeze_time("2026-03-03 10:00:00")
def test_the_report_draws_a_png(demo: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = report(capsys, "--png", str(tmp_path / "report.png"))
    assert code == cli.EXIT_NO_CHANGES
    assert (tmp_path / "report.png").read_bytes().startswith(b"\x89PNG")
    assert "Account: $" in out


@freeze_time("2026-03-03 10:00:00")
def test_the_chart_hatches_what_the_always_on_sibling_keeps_up(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = report(capsys, "--json")
    data = json.loads(out)
    figure = draw_report(data)
    hatched = [p for p in figure.axes[0].patches if p.get_hatch() and p.get_width() > 0]
    # One hatched bar, for LLM-Shared, as wide as the saving its opted-out sibling prevents
    (bar,) = hatched
    expected = unit(data, "LLM-Shared")["saved_usd_week_without_always_on_siblings"]
    assert bar.get_width() == pytest.approx(expected)
    assert (
        figure.axes[0].get_yticklabels()[list(data["endpoints"]).index("LLM-Shared")].get_text()
        == "LLM-Shared"
    )


def test_the_snapshot_cites_a_source_for_every_price() -> None:
    book = snapshot_prices()
    prices = [price for region in book.hosting.values() for price in region.values()]
    assert prices
    # Every source is AWS's own (aws-samples, awslabs, or AWS's Price List)
    assert all(price.usd > 0 and "aws" in price.source.lower() for price in prices)


@freeze_time("2026-03-03 10:00:00")
def test_a_saving_is_flagged_until_the_apps_scaling_is_in_place(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the demo account before the app ever ran: its schedules exist only as plans
    _, out = report(capsys, "--json")
    docs = unit(json.loads(out), "Doc-Embeddings")
    assert docs["in_place"] is False
    _, text = report(capsys)
    assert "NOT IN PLACE YET" in text and "Not in place yet (changes pending, see plan)" in text
    # When the periodic run has configured the account
    run_reconcile()
    _, out = report(capsys, "--json")
    # Then the same saving is in place
    assert unit(json.loads(out), "Doc-Embeddings")["in_place"] is True
    assert unit(json.loads(out), "Doc-Embeddings")["saved_usd_week"] == pytest.approx(docs["saved_usd_week"])


def test_an_account_without_endpoints_has_nothing_to_count(
    stack: EmulatedStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = report(capsys, "--png", str(tmp_path / "empty.png"))
    assert code == cli.EXIT_NO_CHANGES
    assert "Nothing to count" in out
    _, out = report(capsys, "--json")
    data = json.loads(out)
    assert data["units"] == [] and data["account"]["saved_usd_week"] is None


@freeze_time("2026-03-03 10:00:00")
def test_a_host_with_a_component_in_transition_claims_no_saving(
    demo: Any, sagemaker: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the shared host without its opted-out sibling, and Mistral-7B being updated
    sagemaker.delete_inference_component(InferenceComponentName="Experimental-FT")
    moto_gaps.set_inference_component_status("Mistral-7B", "Updating")
    # When the report counts the week
    _, out = report(capsys, "--json")
    host = unit(json.loads(out), "LLM-Shared")
    # Then the host is counted as kept, and says which component it could not see
    assert host["saved_usd_week"] == 0
    assert host["reasons"] == [
        "component(s) Mistral-7B not readable or changing now: every instance counted as kept"
    ]
