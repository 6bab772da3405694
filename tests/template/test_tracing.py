"""Tracing needs no SDK in the functions: Lambda's active tracing by default, OpenTelemetry as an opt-in.

The X-Ray SDK (which Powertools' Tracer is built on) is in maintenance mode and was most of a handler's
import time. By default Lambda records the sampled invocations itself (`Tracing: Active`); `AdotLayerArn` adds
the AWS Distro for OpenTelemetry layer, whose wrapper script instruments every AWS call from outside the
code. Checked on what CloudFormation receives (the SAM-transformed template), resolved for the parameter
values as a deployment would resolve them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

from local_account.template import Template
from tests.template.helpers import (
    ADOT_LAYER_ARN,
    EVENTS_DIR,
    REPO_ROOT,
    ROLE_OF_FUNCTION,
    as_list,
    role_actions,
    role_statements,
)
from tests.template.intrinsics import deployed

FUNCTIONS = list(ROLE_OF_FUNCTION)
HANDLER_FOLDERS = {
    "ScalingEventsFunction": "scaling_events",
    "PeriodicReconcileFunction": "periodic_reconcile",
    "LifecycleFunction": "lifecycle",
}
WRAPPER = "/opt/otel-instrument"
APPLICATION_SIGNALS_LOG_GROUP = (
    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/application-signals/data:*"
)
TRACE_WRITES = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
# Modules no handler may import: the X-Ray SDK (tracing comes from Lambda or the opt-in layer), boto3
# (the clients come from botocore's session), and Powertools' batch utility and event classes, which
# would cost every cold start asyncio and every event class Powertools has (bench/bench_cold_start.py
# measures what remains).
NOT_IMPORTED = (
    "aws_xray_sdk",
    "boto3",
    "aws_lambda_powertools.utilities.batch",
    "aws_lambda_powertools.utilities.data_classes",
)


def functions_of(document: Template) -> dict[str, dict[str, Any]]:
    return {function_id: document["Resources"][function_id]["Properties"] for function_id in FUNCTIONS}


@pytest.fixture(scope="module")
def by_default(transformed: dict[str, Any]) -> Template:
    return deployed(transformed)


@pytest.fixture(scope="module")
def with_adot(transformed: dict[str, Any]) -> Template:
    return deployed(transformed, {"AdotLayerArn": ADOT_LAYER_ARN})


@pytest.mark.parametrize("case", ["by_default", "with_adot"])
def test_lambda_traces_every_function_itself(case: str, request: pytest.FixtureRequest) -> None:
    # Given the stack as deployed, with or without the OpenTelemetry layer
    document: Template = request.getfixturevalue(case)

    # When the functions' tracing and the roles' trace permissions are read
    actions = role_actions(document)

    # Then every function has active tracing, and its role may send the segments Lambda records (the
    # ADOT layer exports its spans through the same X-Ray daemon)
    for function_id, properties in functions_of(document).items():
        assert properties["TracingConfig"] == {"Mode": "Active"}, function_id
        assert actions[ROLE_OF_FUNCTION[function_id]] >= TRACE_WRITES, function_id


def test_by_default_no_tracing_library_is_added(by_default: Template) -> None:
    # Given the stack as deployed with the default parameters
    functions = functions_of(by_default)

    # When each function's layers and environment are read
    # Then it has Powertools' layer and the app's, no wrapper script, and its role nothing for ADOT
    for function_id, properties in functions.items():
        layers = properties["Layers"]
        assert len(layers) == 2, function_id
        assert layers[0] == {"Ref": "PowertoolsLayerArn"}, function_id
        assert {"Ref": "AdotLayerArn"} not in layers, function_id
        assert "AWS_LAMBDA_EXEC_WRAPPER" not in properties["Environment"]["Variables"], function_id
    for role, statements in role_statements(by_default).items():
        assert "WriteApplicationSignalsData" not in {statement.get("Sid") for statement in statements}, role


def test_the_opt_in_adds_the_adot_layer_last_and_starts_its_wrapper(with_adot: Template) -> None:
    # Given the stack as deployed with AdotLayerArn set
    functions = functions_of(with_adot)

    # When each function's layers and environment are read
    # Then the OpenTelemetry layer comes after Powertools' and the app's, and Lambda starts the
    # runtime through the layer's wrapper script
    for function_id, properties in functions.items():
        assert properties["Layers"][0] == {"Ref": "PowertoolsLayerArn"}, function_id
        assert properties["Layers"][2:] == [{"Ref": "AdotLayerArn"}], function_id
        assert properties["Environment"]["Variables"]["AWS_LAMBDA_EXEC_WRAPPER"] == WRAPPER, function_id


def test_the_opt_in_grants_what_aws_documents_for_the_layer_in_this_account_only(with_adot: Template) -> None:
    # Given the roles as deployed with AdotLayerArn set
    statements = role_statements(with_adot)

    # When the statement added for the layer is looked up in each role
    # Then each role may write the Application Signals log group of this account and Region (with
    # X-Ray's trace writes, what CloudWatchLambdaApplicationSignalsExecutionRolePolicy grants), nothing else
    for role in ROLE_OF_FUNCTION.values():
        (added,) = [
            statement
            for statement in statements[role]
            if statement.get("Sid") == "WriteApplicationSignalsData"
        ]
        assert set(as_list(added["Action"])) == {
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        }
        assert added["Resource"] == {"Fn::Sub": APPLICATION_SIGNALS_LOG_GROUP}, role


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("", True),
        (ADOT_LAYER_ARN, True),
        ("arn:aws-cn:lambda:cn-north-1:440179912924:layer:AWSOpenTelemetryDistroPython:4", True),
        ("AWSOpenTelemetryDistroPython", False),
        ("arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroPython", False),
        ("arn:aws:lambda:eu-west-1:123456789012:function:my-function", False),
    ],
)
def test_the_parameter_takes_a_layer_version_arn_or_nothing(
    template: Template, value: str, accepted: bool
) -> None:
    # Given the opt-in parameter
    parameter = template["Parameters"]["AdotLayerArn"]

    # When a value is checked against its pattern (CloudFormation anchors nothing itself)
    matched = re.fullmatch(parameter["AllowedPattern"], value) is not None

    # Then only a layer version ARN, or nothing (the default), is accepted
    assert parameter["Default"] == ""
    assert matched is accepted


def imported_by_handler(folder: str, function_id: str) -> list[str]:
    """The modules a fresh interpreter holds after importing a handler as Lambda would."""
    settings = json.loads((EVENTS_DIR / "env.json").read_text())[function_id]
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("POWERTOOLS_", "AUTOSCALER_"))
    }
    environment.update(settings, AWS_LAMBDA_FUNCTION_NAME=function_id, AWS_REGION="eu-west-1")
    environment["AWS_DEFAULT_REGION"] = "eu-west-1"
    path = [str(REPO_ROOT / "functions" / folder), str(REPO_ROOT / "layers" / "autoscaler")]
    probe = f"import sys; sys.path[:0] = {path!r}; import app; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-B", "-c", probe], env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_no_handler_imports_the_xray_sdk_boto3_or_powertools_event_machinery(function_id: str) -> None:
    # Given a handler imported in a fresh interpreter, in a Lambda-like environment with tracing on
    modules = imported_by_handler(HANDLER_FOLDERS[function_id], function_id)

    # When the modules it loaded are searched
    found = [module for module in modules if module.startswith(NOT_IMPORTED)]

    # Then none of the X-Ray SDK, boto3, Powertools' batch utility or its event classes is among them
    assert "app" in modules
    assert found == []
    # And botocore's session is: the import, not the first client, pays for it (what the bench times)
    assert "botocore.session" in modules
