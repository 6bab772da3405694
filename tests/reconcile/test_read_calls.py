"""The periodic reconcile reads in batches: its read calls grow with resources / batch size.

SageMaker has no batch describe, so two reads stay per endpoint the first time a container sees it
(DescribeEndpoint, DescribeEndpointConfig), and the owner tag of each app-owned target is read once per
container (ListTagsForResource): all three are cached, so a steady-state run makes none of them.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest

from local_account.stack import EmulatedStack
from tests.support.builders import create_endpoint
from tests.support.functions import run_reconcile
from tests.support.recording import CallRecorder

# Reads that depend on the number of resources, and how many resources one request covers.
BATCHED = {
    "ListEndpoints": 100,
    "ListInferenceComponents": 100,
    "GetResources": 100,
    "DescribeScalableTargets": 50,
    # AAS documents MaxResults 1 to 10 for policies (50 for targets and scheduled actions).
    "DescribeScalingPolicies": 10,
    "DescribeScheduledActions": 50,
    "DescribeAlarms": 100,
}
FIRST_SIGHT_ONLY = {"DescribeEndpoint", "DescribeEndpointConfig", "ListTagsForResource"}


def account_of(sagemaker: Any, endpoints: int, first: int = 0) -> None:
    for index in range(first, first + endpoints):
        kind = "async" if index % 2 else "realtime"
        create_endpoint(sagemaker, f"m-{index:03d}", kind=kind, tags={"team": "search"})


def steady_state_reads(sagemaker: Any, aws: CallRecorder, endpoints: int, first: int = 0) -> Counter[str]:
    account_of(sagemaker, endpoints, first)
    run_reconcile()  # configures everything (and warms the caches, as a warm container has them)
    aws.clear()
    run_reconcile()
    assert aws.writes() == []
    return Counter(operation for _, operation in aws.reads())


@pytest.mark.parametrize("endpoints", [10, 200])
def test_steady_state_reads_grow_with_resources_over_batch_size(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder, endpoints: int
) -> None:
    reads = steady_state_reads(sagemaker, aws, endpoints)
    # 200 endpoints here make 200 targets, 300 policies, 100 alarms: pages, not per-resource calls.
    items = {
        "ListEndpoints": endpoints,
        "ListInferenceComponents": 0,
        "GetResources": endpoints,
        "DescribeScalableTargets": endpoints,
        "DescribeScalingPolicies": endpoints + endpoints // 2,
        "DescribeScheduledActions": 0,
        "DescribeAlarms": endpoints // 2,
    }
    for operation, per_request in BATCHED.items():
        # One page more than the arithmetic allows for: the Tagging API also pages by tag count.
        assert reads[operation] <= 1 + math.ceil(items[operation] / per_request), (operation, reads)
    assert not FIRST_SIGHT_ONLY & set(reads), reads
    assert sum(reads.values()) <= len(BATCHED) + sum(math.ceil(n / BATCHED[op]) for op, n in items.items())


def test_reads_at_ten_and_at_two_hundred_resources(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    small = sum(steady_state_reads(sagemaker, aws, 10).values())
    large = sum(steady_state_reads(sagemaker, aws, 190, first=10).values())  # 200 endpoints now
    # 20 times the resources cost more pages (policies, 10 a page, the most: 300 policies are 30 pages),
    # far from 20 times the calls.
    assert large <= small + 40
    assert large < 200 / 4
