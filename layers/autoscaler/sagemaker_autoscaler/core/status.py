"""What the app does about a resource, from the status SageMaker reports: one classification for every
path (an event, the periodic run, the install, the fresh look before a write)."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    CONFIGURE = "configure"  # InService: plan it and settle it
    WAIT = "wait"  # in transition: look again later, change nothing now
    RELEASE = "release"  # gone or going: remove what the app holds for it
    LEAVE_ALONE = "leave alone"  # a stable state the app does not act on (OutOfService...)


ENDPOINT = "endpoint"
COMPONENT = "inference-component"

_TRANSITIONAL = {
    ENDPOINT: frozenset({"Creating", "Updating", "SystemUpdating", "RollingBack"}),
    COMPONENT: frozenset({"Creating", "Updating"}),
}
_RELEASING = frozenset({"Deleting", "Failed"})


def classify(resource_type: str, status: str | None) -> Verdict:
    """``status`` as DescribeEndpoint / DescribeInferenceComponent spell it; None when it is not found."""
    if status is None or status in _RELEASING:
        return Verdict.RELEASE
    if status in _TRANSITIONAL[resource_type]:
        return Verdict.WAIT
    return Verdict.CONFIGURE if status == "InService" else Verdict.LEAVE_ALONE
