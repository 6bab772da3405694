"""Every function gets one environment variable per setting, and the defaults make valid settings."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from local_account.template import function_environment, is_placeholder, load_template, parameter_defaults
from tests.template.helpers import (
    EVENTS_DIR,
    FUNCTION_ID,
    LIFECYCLE_FUNCTION_ID,
    PERIODIC_FUNCTION_ID,
    REPO_ROOT,
    ROLE_OF_FUNCTION,
)
from tests.template.intrinsics import deployed

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
    "AUTOSCALER_WARM_UP_MINUTES": "WarmUpMinutes",
    "AUTOSCALER_WRITE_MODE": "WriteMode",
    "AUTOSCALER_PROTECT_RUNNING_CAPACITY": "ProtectRunningCapacity",
    "AUTOSCALER_PUBLISH_CHANGE_EVENTS": "PublishChangeEvents",
    "POWERTOOLS_LOG_LEVEL": "LogLevel",
}
FIXED = {
    "POWERTOOLS_SERVICE_NAME": "sagemaker-autoscaler",
    "POWERTOOLS_METRICS_NAMESPACE": "SageMakerAutoscaler",
    # the zone files of the tzdata release the layer ships
    "PYTHONTZPATH": "/opt/python/tzdata/zoneinfo",
    # the account the change events name (known once deployed)
    "AUTOSCALER_ACCOUNT_ID": "<Ref AWS::AccountId>",
}
# Set only when a parameter opts in (absent with the defaults): variable -> that parameter.
OPT_IN = {"AWS_LAMBDA_EXEC_WRAPPER": "AdotLayerArn"}
# What each function gets on top of the shared settings (placeholders: known only once deployed).
EXTRA_BY_FUNCTION = {
    FUNCTION_ID: {"AUTOSCALER_QUEUE_URL": "<Ref ScalingEventsQueue>"},
    PERIODIC_FUNCTION_ID: {},
    LIFECYCLE_FUNCTION_ID: {
        "AUTOSCALER_KEEP_ON_UNINSTALL": "false",
        "AUTOSCALER_EVENT_RULES": (
            '<Fn::Join [",",[{"Ref":"EndpointStateChangeRule"},{"Ref":"SageMakerApiCallRule"},'
            '{"Ref":"PeriodicReconcileFunctionReconcileSchedule"}]]>'
        ),
    },
}
FUNCTIONS = list(ROLE_OF_FUNCTION)
# Where each function's own handler lives.
HANDLER_DIR = {
    FUNCTION_ID: "functions/scaling_events",
    PERIODIC_FUNCTION_ID: "functions/periodic_reconcile",
    LIFECYCLE_FUNCTION_ID: "functions/lifecycle",
}
SETTINGS_SOURCE = REPO_ROOT / "layers" / "autoscaler" / "sagemaker_autoscaler" / "core" / "settings.py"


def environment_of(function_id: str) -> dict[str, str]:
    """A function's environment as deployed with the default parameters (conditions resolved)."""
    return function_environment(function_id, deployed(load_template()))


def variables_read_by_settings() -> set[str]:
    """AUTOSCALER_<NAME> for every text("NAME", ...) / number("NAME", ...) of Settings.from_environment."""
    source = SETTINGS_SOURCE.read_text()
    names = set(re.findall(r'\b(?:text|number)\(\s*"([A-Z_]+)"', source))
    return {f"AUTOSCALER_{name}" for name in names} | set(re.findall(r"AUTOSCALER_[A-Z][A-Z_]*[A-Z]", source))


def variables_named_in(folder: str) -> set[str]:
    """Every literal AUTOSCALER_* name in the Python files of a folder."""
    return {
        name
        for path in (REPO_ROOT / folder).rglob("*.py")
        for name in re.findall(r"AUTOSCALER_[A-Z][A-Z_]*[A-Z]", path.read_text())
    }


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_every_setting_reaches_the_function(function_id: str) -> None:
    # Given a function's environment as deployed with default parameters
    environment = environment_of(function_id)
    defaults = parameter_defaults()

    # When it is compared with the parameters
    # Then each setting carries its parameter's default, plus exactly the function's own extras
    for variable, parameter in SETTINGS_FROM_PARAMETERS.items():
        assert environment[variable] == defaults[parameter], variable
    for variable, value in {**FIXED, **EXTRA_BY_FUNCTION[function_id]}.items():
        assert environment[variable] == value, variable
    assert set(environment) == {*SETTINGS_FROM_PARAMETERS, *FIXED, *EXTRA_BY_FUNCTION[function_id]}


def test_the_shared_settings_are_written_once(template: dict[str, Any]) -> None:
    # Given the Globals environment and each function's own
    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    own = {
        function_id: template["Resources"][function_id]["Properties"]
        .get("Environment", {})
        .get("Variables", {})
        for function_id in FUNCTIONS
    }

    # When they are compared
    # Then every setting that comes from a parameter is in Globals, and no function repeats one
    assert set(SETTINGS_FROM_PARAMETERS) | set(FIXED) | set(OPT_IN) == set(shared)
    for function_id, variables in own.items():
        assert set(variables) == set(EXTRA_BY_FUNCTION[function_id]), function_id


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_every_variable_the_code_reads_is_set(function_id: str) -> None:
    # Given the AUTOSCALER_* variables the shared package's settings read, and those the
    # function's own handler names
    environment = environment_of(function_id)
    read_by_settings = variables_read_by_settings()
    read_by_handler = variables_named_in(HANDLER_DIR[function_id])

    # When they are looked up in the function's environment
    missing_settings = read_by_settings - set(environment)
    missing_handler = read_by_handler - set(environment)

    # Then the handler's are all set; of the settings, only the queue URL may be absent, and only
    # where the function never schedules a recheck
    assert missing_handler == set()
    assert read_by_settings, "no setting found: has settings.py changed its reading helpers?"
    assert missing_settings <= {"AUTOSCALER_QUEUE_URL"}
    assert ("AUTOSCALER_QUEUE_URL" in environment) == (function_id == FUNCTION_ID)


def test_every_variable_named_in_the_code_is_set_somewhere() -> None:
    # Given every AUTOSCALER_* name in the package and the handlers
    named = variables_named_in("layers") | variables_named_in("functions") | variables_read_by_settings()

    # When each is looked for in the functions' environments
    set_somewhere = {name for function_id in FUNCTIONS for name in environment_of(function_id)}

    # Then none is left unset in every function
    assert named - set_somewhere == set()


def test_every_parameter_is_used(template: dict[str, Any]) -> None:
    # Given the template text without its Parameters section
    body = json.dumps({key: value for key, value in template.items() if key != "Parameters"})

    # When each parameter is looked for
    unused = [name for name in template["Parameters"] if name not in body]

    # Then each one is referenced somewhere, and documented
    assert unused == []
    assert all(parameter.get("Description") for parameter in template["Parameters"].values())


def test_env_json_lists_every_function() -> None:
    # Given the env file for `sam local invoke --env-vars`
    env_file = json.loads((EVENTS_DIR / "env.json").read_text())

    # When its sections are listed
    # Then there is one per function of the template, and nothing else
    assert set(env_file) == set(FUNCTIONS)


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_env_json_matches_the_template(function_id: str) -> None:
    # Given the env file for `sam local invoke --env-vars`
    env_file = json.loads((EVENTS_DIR / "env.json").read_text())

    # When it is compared with the template
    environment = environment_of(function_id)

    # Then it sets exactly the function's variables, with real values where the template has
    # placeholders, and the defaults elsewhere (the log level may be turned up locally)
    local = env_file[function_id]
    assert set(local) == set(environment)
    for name, value in environment.items():
        if is_placeholder(value):
            assert not is_placeholder(local[name]), name
        elif name != "POWERTOOLS_LOG_LEVEL":
            assert local[name] == value, name


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_the_defaults_make_valid_settings(function_id: str) -> None:
    # Given the domain package's settings reader
    settings_module = pytest.importorskip("sagemaker_autoscaler.core.settings")

    # When it reads the environment the template gives the function (queue URL made concrete)
    environment = environment_of(function_id)
    queue_url = "https://sqs.eu-west-1.amazonaws.com/123456789012/events"
    if "AUTOSCALER_QUEUE_URL" in environment:
        environment["AUTOSCALER_QUEUE_URL"] = queue_url
    settings = settings_module.Settings.from_environment(environment)

    # Then it accepts every value and keeps the documented defaults (only the events function
    # knows the queue)
    expected_queue = queue_url if function_id == FUNCTION_ID else None
    assert settings == settings_module.Settings(queue_url=expected_queue)


@pytest.mark.parametrize(
    ("parameter", "variable", "default"),
    [
        ("WriteMode", "AUTOSCALER_WRITE_MODE", "apply"),
        ("ProtectRunningCapacity", "AUTOSCALER_PROTECT_RUNNING_CAPACITY", "true"),
    ],
)
def test_every_allowed_value_of_a_safety_parameter_makes_valid_settings(
    template: dict[str, Any], parameter: str, variable: str, default: str
) -> None:
    # Given a parameter that decides what the app may change, and the settings reader
    settings_module = pytest.importorskip("sagemaker_autoscaler.core.settings")
    definition = template["Parameters"][parameter]

    # When each value the template allows reaches a function's environment
    environment = environment_of(FUNCTION_ID)
    environment["AUTOSCALER_QUEUE_URL"] = "https://sqs.eu-west-1.amazonaws.com/123456789012/events"
    read = {}
    for value in definition["AllowedValues"]:
        read[value] = settings_module.Settings.from_environment({**environment, variable: value})

    # Then the default is the safe, documented one, every allowed value is accepted, and the values
    # lead to different settings (none is silently ignored)
    assert definition["Default"] == default
    assert len({repr(settings) for settings in read.values()}) == len(definition["AllowedValues"])
