"""The Powertools layer the stack deploys is the release the tests run against.

`requirements-dev.txt` pins `aws-lambda-powertools`; the template names the public SSM parameter that
Powertools publishes for each release (`/aws/service/powertools/python/<arch>/<python>/<version>`),
so CloudFormation deploys the layer of exactly that release, for the functions' architecture and runtime.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from typing import Any

from local_account.template import is_placeholder, parameter_defaults
from tests.template.helpers import ADOT_LAYER_ARN, REPO_ROOT
from tests.template.intrinsics import deployed

PARAMETER = "PowertoolsLayerArn"
REQUIREMENTS = REPO_ROOT / "requirements-dev.txt"
PIN = re.compile(r"^aws-lambda-powertools(?:\[[^\]]*\])?==(?P<version>\S+)\s*(?:#.*)?$", re.MULTILINE)
SSM_PATH = re.compile(
    r"^/aws/service/powertools/python/(?P<arch>arm64|x86_64)/(?P<python>python3\.\d+)/(?P<release>.+)$"
)


def pinned_release() -> str:
    matches = PIN.findall(REQUIREMENTS.read_text())
    assert len(matches) == 1, f"expected one aws-lambda-powertools pin in {REQUIREMENTS.name}: {matches}"
    release: str = matches[0]
    return release


def test_the_layer_parameter_names_the_pinned_release(template: dict[str, Any]) -> None:
    # Given the pin the tests run against and the template's layer parameter
    release = pinned_release()
    parameter = template["Parameters"][PARAMETER]

    # When its default SSM parameter name is taken apart
    found = SSM_PATH.match(parameter["Default"])

    # Then CloudFormation reads the ARN from Powertools' public parameter for exactly that release
    # (never "latest", which would change the layer under a redeploy)
    assert parameter["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert found is not None, parameter["Default"]
    assert found["release"] == release, f"template deploys Powertools {found['release']}, tests use {release}"


def test_the_layer_parameter_matches_the_functions_architecture_and_runtime(template: dict[str, Any]) -> None:
    # Given the functions' globals and the layer parameter's default
    globals_function = template["Globals"]["Function"]
    found = SSM_PATH.match(template["Parameters"][PARAMETER]["Default"])
    assert found is not None

    # When the architecture and Python version in the SSM name are compared with the functions'
    (architecture,) = globals_function["Architectures"]

    # Then they are the same, and every function gets that layer first, with or without the opt-in
    # OpenTelemetry layer
    assert found["arch"] == architecture
    assert found["python"] == globals_function["Runtime"]
    for overrides in ({}, {"AdotLayerArn": ADOT_LAYER_ARN}):
        layers = deployed(template, overrides)["Globals"]["Function"]["Layers"]
        assert layers[0] == {"Ref": PARAMETER}, overrides


def test_the_tests_run_against_the_pinned_release() -> None:
    # Given / When the installed Powertools is compared with the pin
    # Then it is the same release (bootstrap reinstalls when requirements-dev.txt changes)
    assert version("aws-lambda-powertools") == pinned_release()


def test_the_local_account_never_mistakes_the_ssm_name_for_the_layer_arn(template: dict[str, Any]) -> None:
    # Given the parameter defaults as the local account resolves them
    defaults = parameter_defaults(template)

    # When the SSM-typed parameter is looked up
    value = defaults[PARAMETER]

    # Then it is a visible placeholder naming the SSM parameter: only a deployment can read its value
    assert is_placeholder(value)
    assert template["Parameters"][PARAMETER]["Default"] in value
    assert not value.startswith("/aws/service/")
