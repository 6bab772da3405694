"""The events AWS itself would put on the bus, which the emulator does not emit.

Real SageMaker emits "SageMaker Endpoint State Change" events, and CloudTrail turns API calls into "AWS API
Call via CloudTrail" events. Here they are built in the same shapes as the samples in ``events/`` so the
local account can publish them through the template's own rules.
"""

from __future__ import annotations

from typing import Any

from .emulated import ACCOUNT_ID, REGION


def endpoint_arn(name: str, region: str = REGION, account: str = ACCOUNT_ID) -> str:
    """SageMaker writes ARNs in lower case; the name keeps its case everywhere else."""
    return f"arn:aws:sagemaker:{region}:{account}:endpoint/{name.lower()}"


def component_arn(name: str, region: str = REGION, account: str = ACCOUNT_ID) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:inference-component/{name.lower()}"


def endpoint_state_change(name: str, status: str, tags: dict[str, str] | None = None) -> dict[str, Any]:
    """A "SageMaker Endpoint State Change" entry for PutEvents (status as events spell it: IN_SERVICE)."""
    return {
        "Source": "aws.sagemaker",
        "DetailType": "SageMaker Endpoint State Change",
        "Resources": [endpoint_arn(name)],
        "Detail": {
            "EndpointName": name,
            "EndpointArn": endpoint_arn(name),
            "EndpointStatus": status,
            "ProductionVariants": [{"DesiredWeight": 1.0, "DesiredInstanceCount": 1.0}],
            "Tags": tags or {},
        },
    }


def api_call(
    event_name: str, request: dict[str, Any], response: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An "AWS API Call via CloudTrail" entry for a successful SageMaker management call."""
    return {
        "Source": "aws.sagemaker",
        "DetailType": "AWS API Call via CloudTrail",
        "Resources": [],
        "Detail": {
            "eventVersion": "1.09",
            "eventSource": "sagemaker.amazonaws.com",
            "eventName": event_name,
            "awsRegion": REGION,
            "requestParameters": request,
            "responseElements": response,
            "readOnly": False,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ACCOUNT_ID,
        },
    }


def component_call(event_name: str, component: str, endpoint: str | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"inferenceComponentName": component}
    if endpoint:
        request.update(endpointName=endpoint, variantName="AllTraffic")
    return api_call(event_name, request, {"inferenceComponentArn": component_arn(component)})


def tags_call(event_name: str, resource_arn: str, tags: dict[str, str] | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"resourceArn": resource_arn}
    if event_name == "AddTags":
        request["tags"] = [{"key": k, "value": v} for k, v in (tags or {}).items()]
    else:
        request["tagKeys"] = list(tags or {})
    return api_call(event_name, request)
