"""Benchmark: how the periodic reconcile's time and AWS calls grow with the size of the account.

Run: ``.venv/bin/python bench/bench_reconcile.py`` (PYTHONPATH as in scripts/demo.sh). It builds emulated
accounts of N endpoints side by side in one process and reports, for each N, the time and the number of
AWS calls of a first (configuring) run and of a steady-state run, as ratios to the smallest account: the
machine is shared and noisy, so only ratios measured in the same run mean anything. The emulator's own
cost dominates absolute times; what matters is that the steady-state run grows with N / page size in
calls and stays near-linear (not quadratic) in time.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from typing import Any

import boto3
from moto import mock_aws

os.environ.update(
    AWS_ACCESS_KEY_ID="bench",
    AWS_SECRET_ACCESS_KEY="bench",
    AWS_DEFAULT_REGION="eu-west-1",
    POWERTOOLS_TRACE_DISABLED="true",
    POWERTOOLS_LOG_LEVEL="ERROR",
    POWERTOOLS_METRICS_NAMESPACE="SageMakerAutoscalerBench",
)

from local_account import moto_gaps, resources
from local_account.stack import EmulatedStack
from sagemaker_autoscaler import aws
from sagemaker_autoscaler.engine.account_run import reconcile_account
from sagemaker_autoscaler.engine.environment import dependencies_from_environment

SIZES = (25, 100, 200)
REPEATS = 3


def measure(endpoints: int) -> dict[str, Any]:
    moto_gaps.install()
    with mock_aws():
        if boto3.DEFAULT_SESSION is None:  # around the app's session: the counter sees the app's calls
            boto3.setup_default_session(botocore_session=aws.default_session())
        calls: Counter[str] = Counter()
        # One counter at a time: the session outlives each size's account.
        boto3.DEFAULT_SESSION.events.unregister("before-call.*.*", unique_id="bench-calls")  # type: ignore[union-attr]
        boto3.DEFAULT_SESSION.events.register(  # type: ignore[union-attr]
            "before-call.*.*", lambda model, **_: calls.update([model.name]), unique_id="bench-calls"
        )
        EmulatedStack()
        sagemaker = boto3.client("sagemaker")
        for index in range(endpoints):
            maker = resources.create_async_endpoint if index % 2 else resources.create_realtime_endpoint
            maker(sagemaker, f"m-{index:03d}")
        dependencies_from_environment.cache_clear()
        deps = dependencies_from_environment()
        calls.clear()
        started = time.perf_counter()
        reconcile_account(deps)
        first_seconds = time.perf_counter() - started
        first_calls = sum(calls.values())
        steady: list[float] = []
        for _ in range(REPEATS):
            calls.clear()
            started = time.perf_counter()
            summary = reconcile_account(deps)
            steady.append(time.perf_counter() - started)
            assert summary.writes == 0
        return {
            "first_s": first_seconds,
            "first_calls": first_calls,
            "steady_s": statistics.median(steady),
            "steady_calls": sum(calls.values()),
        }


def main() -> None:
    results = {n: measure(n) for n in SIZES}
    base = results[SIZES[0]]
    print(f"{'endpoints':>9} {'first run':>22} {'steady run':>22} {'steady calls':>13}")
    for n, r in results.items():
        print(
            f"{n:>9} {r['first_s'] / base['first_s']:>8.1f}x time, {r['first_calls']:>5} calls"
            f" {r['steady_s'] / base['steady_s']:>8.1f}x time, {r['steady_calls']:>4} calls"
            f" {r['steady_calls'] / base['steady_calls']:>12.1f}x"
        )
    print(f"resources ratio: {SIZES[-1] / SIZES[0]:.0f}x")


if __name__ == "__main__":
    main()
