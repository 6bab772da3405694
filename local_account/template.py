"""Read ``template.yaml`` so that the local account and the tests use the deployed configuration.

The template is loaded with short-form intrinsics in their long form (``{"Ref": ...}``; see
``sagemaker_autoscaler_cli.template``, which the command-line tool shares). Only what the local account
needs is resolved: parameter defaults (the values a deployment with no overrides gets). Everything else a
real stack would resolve at deploy time (resource ids, ARNs, pseudo parameters) comes back as a visible
placeholder such as ``<Ref ScalingEventsQueue>`` so that nothing silently passes for a real value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sagemaker_autoscaler_cli.template import TEMPLATE_PATH, Template, load_template

__all__ = ["TEMPLATE_PATH", "Template", "load_template"]


def _template(template: Template | None) -> Template:
    return load_template() if template is None else template


def resources_of_type(resource_type: str, template: Template | None = None) -> dict[str, dict[str, Any]]:
    """Logical id -> resource definition, for every resource of ``resource_type``."""
    resources: dict[str, dict[str, Any]] = _template(template)["Resources"]
    return {
        logical_id: resource
        for logical_id, resource in resources.items()
        if resource.get("Type") == resource_type
    }


EVENTS_QUEUE_ARN = {"Fn::GetAtt": ["ScalingEventsQueue", "Arn"]}


def event_rule_patterns(template: Template | None = None) -> dict[str, dict[str, Any]]:
    """Logical id -> EventPattern of every ``AWS::Events::Rule`` that feeds the events queue (patterns
    may be written as JSON text). Scheduled rules and the optional copy to a central bus are left out."""
    patterns: dict[str, dict[str, Any]] = {}
    for logical_id, rule in resources_of_type("AWS::Events::Rule", template).items():
        properties = rule.get("Properties", {})
        pattern = properties.get("EventPattern")
        if pattern is None or not any(
            target.get("Arn") == EVENTS_QUEUE_ARN for target in properties.get("Targets", [])
        ):
            continue
        patterns[logical_id] = json.loads(pattern) if isinstance(pattern, str) else pattern
    return patterns


# Parameters of these types name an SSM parameter; CloudFormation passes on that parameter's value,
# read at deploy time, not the name written as the Default.
SSM_PARAMETER_TYPE_PREFIX = "AWS::SSM::Parameter::Value<"


def is_ssm_parameter_type(parameter_type: str) -> bool:
    return parameter_type.startswith(SSM_PARAMETER_TYPE_PREFIX)


def parameter_defaults(template: Template | None = None) -> dict[str, str]:
    """Parameter name -> its Default as CloudFormation passes it on (always a string).

    For an ``AWS::SSM::Parameter::Value<...>`` parameter CloudFormation passes on the value stored in
    the named SSM parameter, which only a deployment can read: it comes back as a placeholder naming
    the SSM parameter (``<ssm-parameter /aws/service/...>``), never as the name itself.
    """
    defaults: dict[str, str] = {}
    for name, parameter in _template(template).get("Parameters", {}).items():
        if "Default" not in parameter:
            continue
        default = _as_text(parameter["Default"])
        if is_ssm_parameter_type(str(parameter.get("Type", ""))):
            default = f"<ssm-parameter {default}>"
        defaults[name] = default
    return defaults


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_as_text(item) for item in value)
    return str(value)


def placeholder(intrinsic: Mapping[str, Any]) -> str:
    """A visible stand-in for a value only a deployed stack would know."""
    (function, argument), *_ = intrinsic.items()
    if function == "Fn::GetAtt" and isinstance(argument, list):
        argument = ".".join(str(part) for part in argument)
    if not isinstance(argument, str):
        argument = json.dumps(argument, separators=(",", ":"), sort_keys=True)
    return f"<{function} {argument}>"


def is_placeholder(value: str) -> bool:
    return value.startswith("<") and value.endswith(">")


def resolve_value(value: Any, template: Template | None = None) -> str:
    """A property value as text: literals as is, parameter Refs as their Default, the rest as placeholders."""
    if isinstance(value, Mapping):
        if set(value) == {"Ref"}:
            defaults = parameter_defaults(template)
            if value["Ref"] in defaults:
                return defaults[value["Ref"]]
        return placeholder(value)
    return _as_text(value)


def function_environment(logical_id: str, template: Template | None = None) -> dict[str, str]:
    """Environment of a function as deployed with default parameters (Globals merged, function wins)."""
    data = _template(template)
    resource = data["Resources"].get(logical_id)
    if resource is None or resource.get("Type") not in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
        raise KeyError(f"{logical_id} is not a function of the template")
    variables: dict[str, Any] = {}
    if resource["Type"] == "AWS::Serverless::Function":
        globals_function = data.get("Globals", {}).get("Function", {})
        variables.update(globals_function.get("Environment", {}).get("Variables", {}))
    variables.update(resource.get("Properties", {}).get("Environment", {}).get("Variables", {}))
    return {name: resolve_value(value, data) for name, value in variables.items()}
