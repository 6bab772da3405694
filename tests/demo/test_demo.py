"""The README's demo command works end to end, offline, in well under a minute."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_configures_previews_repeats_idempotently_and_cleans_up(tmp_path: Path) -> None:
    # Given a clean environment with no AWS credentials or endpoint of its own
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join(
        str(path) for path in (ROOT, ROOT / "layers" / "autoscaler", ROOT / "cli")
    )
    log_file = tmp_path / "demo-logs.jsonl"
    # When the demo runs
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "local_account.demo", "--log-file", str(log_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.monotonic() - started
    # Then it succeeds in under a minute and shows each part of the story
    assert result.returncode == 0, result.stderr[-2000:]
    assert elapsed < 60
    out = result.stdout
    assert "listening on http://127.0.0.1:" in out
    # the plan comes first, read-only, and says what is pending; after the events nothing is
    assert out.index("Before the first write") < out.index("Scaling state after the events")
    assert "(exit code 2: changes pending)" in out and "(exit code 0: nothing pending)" in out
    assert "1..6 (floor 6)" in out  # Search-Ranker runs 6 instances: its maximum is raised, not imposed
    assert "endpoint/LLM-Shared/variant/AllTraffic" in out  # mixed-case names throughout
    assert "someone else" in out  # the hand-configured target, left alone
    assert "opted out by tag" in out
    assert "'many' is not a whole number" in out  # the bad tag value
    assert "recheck 1 of" in out  # the component still loading
    assert "The week ahead" in out and "Europe/Berlin" in out
    assert "writes made: 0" in out  # duplicates change nothing
    assert "DeregisterScalableTarget" in out  # the clean-up
    assert "resource(s) managed by the app" in out  # sagemaker-autoscaler status
    assert (tmp_path / "week-preview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The savings in dollars, per endpoint and for the account; the opted-out sibling is why the shared
    # host saves nothing, and the report says what it would save without it
    report = out[out.index("What the schedules save, in dollars") :]
    assert re.search(r"Doc-Embeddings +[\d.]+ +\$\d+\.\d\d", report)  # instance-hours, then dollars
    assert re.search(r"Account: \$[\d,]+\.\d\d saved a week", report)
    assert "always-on sibling Experimental-FT" in report
    assert re.search(r"without its always-on siblings it would save \$[\d,]+\.\d\d/week", report)
    assert (tmp_path / "savings-report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert '"scaling_change"' in log_file.read_text()
