"""samconfig.toml deploys this template with valid parameters in every environment."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from tests.template.helpers import REPO_ROOT
from tests.template.intrinsics import failed_rule_assertions

CONFIG = tomllib.loads((REPO_ROOT / "samconfig.toml").read_text())
ENVIRONMENTS = ["default", "dev", "prod"]
TOPIC = "arn:aws:sns:eu-west-1:123456789012:ml-platform-oncall"


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


DESTINATIONS = ("AlarmActionArn", "AlertEmail")


def test_prod_requires_alerting_and_shows_where_to_set_it() -> None:
    # Given the prod environment's overrides and its text in samconfig.toml
    prod = overrides("prod")
    text = (REPO_ROOT / "samconfig.toml").read_text()
    prod_section = text[text.index("[prod.deploy.parameters]") :]

    # When they are read
    # Then prod turns the alerting guard on and shows (commented out) how to give a destination
    assert prod["RequireAlerting"] == "true"
    assert '# "AlertEmail=' in prod_section


@pytest.mark.parametrize(
    ("destination", "passes"),
    [({}, False), ({"AlertEmail": "oncall@example.com"}, True), ({"AlarmActionArn": TOPIC}, True)],
    ids=["no destination", "an email address", "an SNS topic"],
)
def test_the_rule_refuses_prod_without_a_destination(
    template: dict[str, Any], destination: dict[str, str], passes: bool
) -> None:
    # Given prod's overrides, with no destination or with one
    prod = {name: value for name, value in overrides("prod").items() if name not in DESTINATIONS}

    # When CloudFormation evaluates the template's Rules for them
    failed = failed_rule_assertions(template, {**prod, **destination})

    # Then the deployment is refused exactly when no alarm could reach anyone
    assert (failed == []) == passes, failed


@pytest.mark.parametrize("environment", ["default", "dev"])
def test_other_environments_may_deploy_without_a_destination(
    template: dict[str, Any], environment: str
) -> None:
    # Given an environment that does not ask for alerting, without any destination
    values = {name: value for name, value in overrides(environment).items() if name not in DESTINATIONS}

    # When the Rules are evaluated
    # Then nothing stops the deployment (the rule applies only with RequireAlerting=true)
    assert values.get("RequireAlerting", "false") == "false"
    assert failed_rule_assertions(template, values) == []
