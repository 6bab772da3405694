"""The demo you can explore: --at, --tag, --param, and --keep-running for plan and status afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from local_account.demo_options import DemoOptionError, moment, parameter_environment, resource_tags

ROOT = Path(__file__).resolve().parents[2]


def test_at_reads_a_local_time_in_its_zone() -> None:
    assert moment(["2026-12-07T09:00", "Europe/Berlin"]) == datetime(2026, 12, 7, 8, tzinfo=UTC)
    assert moment(["2026-12-07T09:00"]) == datetime(2026, 12, 7, 9, tzinfo=UTC)
    assert moment(None) is None


@pytest.mark.parametrize(
    "tokens",
    [["tomorrow"], ["2026-12-07T09:00", "Europe"], ["2026-12-07T09:00", "Mars/Olympus"], ["a", "b", "c"]],
)
def test_a_bad_at_is_refused_with_its_reason(tokens: list[str]) -> None:
    with pytest.raises(DemoOptionError, match="--at"):
        moment(tokens)


def test_tags_name_a_demo_resource_and_a_key_value() -> None:
    found = resource_tags(
        [("Chat-Assistant", "autoscaler:warm-up=30"), ("Mistral-7B", "team=llm")],
        ["Chat-Assistant"],
        ["Mistral-7B"],
    )
    assert found == [
        ("endpoint", "Chat-Assistant", "autoscaler:warm-up", "30"),
        ("inference-component", "Mistral-7B", "team", "llm"),
    ]
    with pytest.raises(DemoOptionError, match="no such demo resource"):
        resource_tags([("Nope", "a=b")], ["Chat-Assistant"], [])
    with pytest.raises(DemoOptionError, match="KEY=VALUE"):
        resource_tags([("Chat-Assistant", "novalue")], ["Chat-Assistant"], [])


def test_params_become_the_functions_environment_and_bad_ones_are_refused() -> None:
    environment = parameter_environment(["WarmUpMinutes=20", "OffHoursMode=zero"])
    assert environment["AUTOSCALER_WARM_UP_MINUTES"] == "20"
    assert environment["AUTOSCALER_OFF_HOURS_MODE"] == "zero"
    assert parameter_environment([]) == {}
    for bad in (["NoSuchParameter=1"], ["WarmUpMinutes=999"], ["WarmUpMinutes"]):
        with pytest.raises(DemoOptionError):
            parameter_environment(bad)


def test_the_demo_runs_at_a_moment_with_tags_and_params_and_stays_up(tmp_path: Path) -> None:
    # Given the demo started at Monday 09:00 Berlin, Mistral-7B tagged for a 45-minute warm-up, every
    # other resource's lead at 20 minutes, and the account kept up at the end
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (ROOT, ROOT / "layers" / "autoscaler", ROOT / "cli"))
    command = [
        sys.executable, "-m", "local_account.demo", "--log-file", str(tmp_path / "logs.jsonl"),
        "--at", "2026-12-07T09:00", "Europe/Berlin",
        "--tag", "Mistral-7B", "autoscaler:warm-up=45",
        "--param", "WarmUpMinutes=20",
        "--keep-running",
    ]  # fmt: skip
    demo = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        # When it has run through and says it stays up
        lines: list[str] = []
        deadline = time.monotonic() + 90
        assert demo.stdout is not None
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "stays up until Ctrl-C" in line:
                break
        out = "".join(lines)
        assert "stays up until Ctrl-C" in out, out[-3000:] + (
            demo.stderr.read() if demo.poll() is not None and demo.stderr else ""
        )
        # Then it ran at that moment, with the tag and the parameter, and its plan used the same parameter
        assert "Running as if it were 2026-12-07 08:00 UTC" in out
        assert "tagged Mistral-7B: autoscaler:warm-up=45" in out
        assert "week from Mon 2026-12-07 09:00, Europe/Berlin" in out
        assert "open-0715-mon-tue-wed-thu-fri" in out  # Mistral-7B: 08:00 less its tag's 45 minutes
        assert "open-0740-mon-tue-wed-thu-fri" in out  # Intent-Classifier: less the parameter's 20
        assert "--param WarmUpMinutes=20" in out and "(exit code 0: nothing pending)" in out
        # And the account it left up answers the command-line tool
        url = out.split("listening on ", 1)[1].split()[0]
        status = subprocess.run(
            [
                sys.executable,
                "-m",
                "sagemaker_autoscaler_cli.main",
                "status",
                "--endpoint-url",
                url,
                "--region",
                "eu-west-1",
            ],
            cwd=ROOT,
            env={**env, "AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert status.returncode == 0, status.stderr[-2000:]
        assert "inference-component/Mistral-7B" in status.stdout
    finally:
        # And Ctrl-C stops it cleanly
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=30) == 0
