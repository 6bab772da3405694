"""Read ``template.yaml`` so that the local account and the tests use the deployed configuration.

CloudFormation's short-form tags (``!Ref``, ``!Sub``, ``!GetAtt`` ...) are not plain YAML: the loader
here turns each into its long form (``{"Ref": ...}``, ``{"Fn::Sub": ...}``, ``{"Fn::GetAtt": [..]}``),
so the result is ordinary dicts, lists and strings.

Only what the local account needs is resolved: parameter defaults (the values a deployment with no
overrides gets). Everything else a real stack would resolve at deploy time (resource ids, ARNs,
pseudo parameters) comes back as a visible placeholder such as ``<Ref ScalingEventsQueue>`` so that
nothing silently passes for a real value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "template.yaml"

Template = dict[str, Any]


class _CloudFormationLoader(yaml.SafeLoader):
    """SafeLoader that accepts CloudFormation short-form tags and keeps dates as strings."""


# "2010-09-09" must stay the string CloudFormation expects, not become a datetime.date.
_CloudFormationLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _long_form(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - PyYAML has no other node kinds
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node {node!r}", node.start_mark)
    if tag_suffix in ("Ref", "Condition"):
        return {tag_suffix: value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        # The short form "Resource.Attribute" (the attribute itself may contain dots).
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {f"Fn::{tag_suffix}": value}


_CloudFormationLoader.add_multi_constructor("!", _long_form)


def load_template(path: str | Path | None = None) -> Template:
    """The template as plain data, with short-form intrinsics in their long form."""
    text = Path(path or TEMPLATE_PATH).read_text()
    data = yaml.load(text, Loader=_CloudFormationLoader)  # a SafeLoader subclass
    if not isinstance(data, dict) or "Resources" not in data:
        raise ValueError(f"{path or TEMPLATE_PATH} is not a CloudFormation template")
    return data


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


def event_rule_patterns(template: Template | None = None) -> dict[str, dict[str, Any]]:
    """Logical id -> EventPattern of every ``AWS::Events::Rule`` (patterns may be written as JSON text)."""
    patterns: dict[str, dict[str, Any]] = {}
    for logical_id, rule in resources_of_type("AWS::Events::Rule", template).items():
        pattern = rule.get("Properties", {}).get("EventPattern")
        if pattern is None:
            continue  # a scheduled rule
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
