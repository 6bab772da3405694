"""Quota errors are final at once, on every botocore version, and they never spend the retry budget that
real throttling needs."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from sagemaker_autoscaler.aws import MAX_ATTEMPTS, QuotaAwareRetries, make_client
from sagemaker_autoscaler.aws.autoscaling import AutoScaling
from sagemaker_autoscaler.core.domain import Dimension, TargetSpec
from tests.support.faults import THROTTLING, FaultInjector, FaultKind
from tests.support.recording import CallRecorder

QUOTA = FaultKind("LimitExceededException", 400, "You have reached the maximum number of scalable targets")
OPERATION = "RegisterScalableTarget"


@pytest.fixture
def faults(aws: CallRecorder) -> Any:
    injector = FaultInjector(seed=3).install()
    yield injector
    injector.uninstall()


def quota_response() -> tuple[None, dict[str, Any]]:
    return None, {"Error": {"Code": "LimitExceededException", "Message": "quota"}}


def test_no_retry_handler_of_the_apps_clients_answers_a_quota_error_with_a_retry(aws: CallRecorder) -> None:
    # Every handler's answer to a quota error is None ("no opinion"), which every botocore version reads
    # as "do not retry"; an answer of False would be slept on and retried by botocore before 1.43.3.
    client = make_client("application-autoscaling")
    event = f"needs-retry.application-auto-scaling.{OPERATION}"
    answers = client.meta.events.emit(
        event,
        response=quota_response(),
        endpoint=None,
        operation=None,
        attempts=1,
        caught_exception=None,
        request_dict={"context": {}},
    )
    assert answers and all(answer is None for _, answer in answers), answers


def test_the_standard_handler_is_not_asked_about_a_quota_error() -> None:
    asked: list[Any] = []

    class Standard:
        def needs_retry(self, **kwargs: Any) -> float:
            asked.append(kwargs)
            return 0.5

    wrapper = QuotaAwareRetries(Standard())
    assert wrapper.needs_retry(response=quota_response()) is None
    assert asked == []
    throttled = (None, {"Error": {"Code": "ThrottlingException"}})
    assert wrapper.needs_retry(response=throttled) == 0.5 and len(asked) == 1


def test_many_quota_errors_leave_the_retry_budget_to_real_throttling(faults: FaultInjector) -> None:
    # Given the app's client, answered LimitExceededException by every attempt 150 times (a warm
    # container in an account at its quota; standard mode would take 5 of its 500 budget units each)
    autoscaling = AutoScaling()
    spec = TargetSpec("inference-component/Mistral-7B", Dimension.COPY_COUNT, 1, 4)
    faults.fail_randomly(1.0, kinds=[QUOTA], operations=[OPERATION])
    with faults.active():
        for _ in range(150):
            with pytest.raises(ClientError) as raised:
                autoscaling.register_target(spec, None)
            assert raised.value.response["Error"]["Code"] == "LimitExceededException"
        assert faults.attempts[OPERATION] == 150  # one attempt each
        # When real throttling comes
        faults.fail_randomly(1.0, kinds=[THROTTLING], operations=[OPERATION])
        with pytest.raises(ClientError):
            autoscaling.register_target(spec, None)
    # Then it still gets every attempt of the standard mode
    assert faults.attempts[OPERATION] == 150 + MAX_ATTEMPTS
