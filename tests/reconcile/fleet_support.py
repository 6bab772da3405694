"""Building a realistic account and running the periodic reconcile through its real handler."""

from __future__ import annotations

import uuid
from typing import Any

from local_account import moto_gaps, resources
from local_account.stack import FakeLambdaContext, load_function

SCHEDULED_EVENT = {
    "version": "0",
    "source": "aws.events",
    "detail-type": "Scheduled Event",
    "account": "123456789012",
    "time": "2026-03-02T09:00:00Z",
    "region": "eu-west-1",
    "resources": ["arn:aws:events:eu-west-1:123456789012:rule/sagemaker-autoscaler-reconcile"],
    "detail": {},
}

_handler = load_function("periodic_reconcile")


def run_reconcile(remaining_ms: int = 900_000) -> dict[str, int]:
    """Invoke the periodic handler as the schedule would."""
    context = FakeLambdaContext(aws_request_id=str(uuid.uuid4()))
    context.get_remaining_time_in_millis = lambda: remaining_ms  # type: ignore[method-assign]
    result: dict[str, int] = _handler.lambda_handler({**SCHEDULED_EVENT, "id": str(uuid.uuid4())}, context)
    return result


def build_account(sagemaker: Any, endpoints: int, components: int) -> dict[str, list[str]]:
    """A mix: real-time, async and serverless endpoints, and endpoints hosting two components each,
    some opted out, some still loading. Returns the resource ids that should end up configured."""
    expected: list[str] = []
    plain = endpoints - components // 2
    for index in range(plain):
        name = f"model-{index:03d}"
        kind = index % 3
        if kind == 0:
            resources.create_realtime_endpoint(sagemaker, name)
        elif kind == 1:
            resources.create_async_endpoint(sagemaker, name)
        else:
            resources.create_serverless_endpoint(sagemaker, name, provisioned_concurrency=2)
        expected.append(f"endpoint/{name}/variant/AllTraffic")
    moto_gaps.set_inference_component_ready_after(0)
    for index in range(components // 2):
        host = f"llm-host-{index:03d}"
        resources.create_component_endpoint(sagemaker, host)
        for copy in range(2):
            name = f"{host}-c{copy}"
            opted_out = index % 10 == 0 and copy == 1
            tags = {"autoscaler:enabled": "false"} if opted_out else None
            resources.create_inference_component(sagemaker, name, host, tags=tags)
            if not opted_out:
                expected.append(f"inference-component/{name}")
    return {"configured": expected}
