"""samconfig.toml deploys this template with valid parameters in every environment."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from tests.template.helpers import REPO_ROOT

CONFIG = tomllib.loads((REPO_ROOT / "samconfig.toml").read_text())
ENVIRONMENTS = ["default", "dev", "prod"]


def overrides(environment: str) -> dict[str, str]:
    raw = CONFIG[environment]["deploy"]["parameters"].get("parameter_overrides", [])
    items = raw if isinstance(raw, list) else raw.split()
    return dict(item.split("=", 1) for item in items)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_an_environment_deploys_the_stack_with_iam(environment: str) -> None:
    # Given an environment of samconfig.toml
    settings = CONFIG[environment]

    # When its global and deploy settings are read
    # Then it names the stack and lets CloudFormation create the function's role
    assert settings["global"]["parameters"]["stack_name"] == "sagemaker-autoscaler"
    assert settings["deploy"]["parameters"]["capabilities"] == "CAPABILITY_IAM"
    assert settings["deploy"]["parameters"]["resolve_s3"] is True


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_overrides_name_real_parameters_with_allowed_values(
    environment: str, template: dict[str, Any]
) -> None:
    # Given the parameter overrides of an environment
    values = overrides(environment)

    # When each is checked against the template's parameter
    for name, value in values.items():
        parameter = template["Parameters"][name]
        # Then it exists and its value is allowed
        if "AllowedValues" in parameter:
            assert value in [str(allowed) for allowed in parameter["AllowedValues"]], name
        if "MinValue" in parameter:
            assert float(value) >= parameter["MinValue"], name


def test_prod_is_reviewed_and_quieter_than_dev() -> None:
    # Given / When the dev and prod environments are compared
    dev, prod = overrides("dev"), overrides("prod")

    # Then prod confirms change sets, logs less and keeps logs longer, both stay opt-out
    assert CONFIG["prod"]["deploy"]["parameters"]["confirm_changeset"] is True
    assert (dev["LogLevel"], prod["LogLevel"]) == ("DEBUG", "INFO")
    assert int(prod["LogRetentionDays"]) > int(dev["LogRetentionDays"])
    assert dev["ManagementMode"] == prod["ManagementMode"] == "opt-out"
