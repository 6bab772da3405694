"""The function gets one environment variable per setting, and the defaults make valid settings."""

from __future__ import annotations

import json
from typing import Any

import pytest

from local_account.template import function_environment, is_placeholder, parameter_defaults
from tests.template.helpers import EVENTS_DIR, FUNCTION_ID

# Environment variable -> template parameter it carries.
SETTINGS_FROM_PARAMETERS = {
    "AUTOSCALER_MODE": "ManagementMode",
    "AUTOSCALER_TAG_PREFIX": "TagPrefix",
    "AUTOSCALER_MIN_CAPACITY": "DefaultMinCapacity",
    "AUTOSCALER_MAX_CAPACITY": "DefaultMaxCapacity",
    "AUTOSCALER_REALTIME_METRIC": "RealtimeMetric",
    "AUTOSCALER_INFERENCE_COMPONENT_METRIC": "InferenceComponentMetric",
    "AUTOSCALER_TARGET_INVOCATIONS": "TargetInvocations",
    "AUTOSCALER_TARGET_CONCURRENCY": "TargetConcurrentRequests",
    "AUTOSCALER_TARGET_PROVISIONED_UTILIZATION": "TargetProvisionedConcurrencyUtilization",
    "AUTOSCALER_TARGET_BACKLOG": "TargetBacklogPerInstance",
    "AUTOSCALER_SCALE_IN_COOLDOWN": "ScaleInCooldownSeconds",
    "AUTOSCALER_SCALE_OUT_COOLDOWN": "ScaleOutCooldownSeconds",
    "AUTOSCALER_RECHECK_DELAY_SECONDS": "NotReadyRecheckSeconds",
    "AUTOSCALER_RECHECK_MAX_ATTEMPTS": "NotReadyMaxRechecks",
    "AUTOSCALER_SCHEDULE": "BusinessHours",
    "AUTOSCALER_TIMEZONE": "TimeZone",
    "AUTOSCALER_OFF_HOURS_MODE": "OffHoursMode",
    "AUTOSCALER_HOLIDAYS": "Holidays",
    "POWERTOOLS_LOG_LEVEL": "LogLevel",
}
FIXED = {
    "POWERTOOLS_SERVICE_NAME": "sagemaker-autoscaler",
    "POWERTOOLS_METRICS_NAMESPACE": "SageMakerAutoscaler",
}


def test_every_setting_reaches_the_function(resources: dict[str, Any]) -> None:
    # Given the function's environment as deployed with default parameters
    environment = function_environment(FUNCTION_ID)
    defaults = parameter_defaults()

    # When it is compared with the parameters
    # Then each setting carries its parameter's default, and the queue URL is the events queue
    for variable, parameter in SETTINGS_FROM_PARAMETERS.items():
        assert environment[variable] == defaults[parameter], variable
    for variable, value in FIXED.items():
        assert environment[variable] == value
    assert environment["AUTOSCALER_QUEUE_URL"] == "<Ref ScalingEventsQueue>"
    assert set(environment) == {*SETTINGS_FROM_PARAMETERS, *FIXED, "AUTOSCALER_QUEUE_URL"}


def test_every_parameter_is_used(template: dict[str, Any]) -> None:
    # Given the template text without its Parameters section
    body = json.dumps({key: value for key, value in template.items() if key != "Parameters"})

    # When each parameter is looked for
    unused = [name for name in template["Parameters"] if name not in body]

    # Then each one is referenced somewhere, and documented
    assert unused == []
    assert all(parameter.get("Description") for parameter in template["Parameters"].values())


def test_env_json_matches_the_template() -> None:
    # Given the env file for `sam local invoke --env-vars`
    env_file = json.loads((EVENTS_DIR / "env.json").read_text())

    # When it is compared with the template
    environment = function_environment(FUNCTION_ID)

    # Then it sets exactly the function's variables, with real values where the template has
    # placeholders, and the defaults elsewhere (the log level may be turned up locally)
    local = env_file[FUNCTION_ID]
    assert set(env_file) == {FUNCTION_ID}
    assert set(local) == set(environment)
    for name, value in environment.items():
        if is_placeholder(value):
            assert not is_placeholder(local[name]), name
        elif name != "POWERTOOLS_LOG_LEVEL":
            assert local[name] == value, name


def test_the_defaults_make_valid_settings() -> None:
    # Given the domain package's settings reader
    settings_module = pytest.importorskip("sagemaker_autoscaler.settings")

    # When it reads the environment the template gives the function (queue URL made concrete)
    environment = function_environment(FUNCTION_ID)
    environment["AUTOSCALER_QUEUE_URL"] = "https://sqs.eu-west-1.amazonaws.com/123456789012/events"
    settings = settings_module.Settings.from_environment(environment)

    # Then it accepts every value and keeps the documented defaults
    assert settings == settings_module.Settings(queue_url=environment["AUTOSCALER_QUEUE_URL"])
