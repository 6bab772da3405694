"""Just enough of CloudFormation's condition logic to see a template as a deployment with given parameters.

CloudFormation evaluates `Conditions` (and `Rules`) from parameter values, keeps the branch of each
`Fn::If` its condition selects, and drops `AWS::NoValue`: a list item or property that resolves to it
is removed, not set to null. The tests use this to check what a role really grants with WriteMode=plan,
and whether a Rule stops a deployment, without AWS.

Only the condition functions are evaluated (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`,
and `Ref` of a parameter inside them). Every other intrinsic (`Ref` of a resource, `Fn::Sub`, ...) is
kept as it is: those tests look at which statements exist, not at ARNs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from local_account.template import Template

NO_VALUE = {"Ref": "AWS::NoValue"}


class _Dropped:
    """What AWS::NoValue resolves to: the enclosing item or property disappears."""


DROPPED = _Dropped()


def parameter_values(template: Template, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Parameter name -> value for a deployment: the overrides, else the Default (as text)."""
    values: dict[str, str] = {}
    for name, parameter in template.get("Parameters", {}).items():
        if "Default" in parameter:
            values[name] = _text(parameter["Default"])
    for name, value in (overrides or {}).items():
        if name not in template.get("Parameters", {}):
            raise KeyError(f"{name} is not a parameter of the template")
        values[name] = value
    return values


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(item) for item in value)
    return str(value)


def condition_value(expression: Any, parameters: Mapping[str, str], conditions: Mapping[str, Any]) -> Any:
    """The value of a condition expression (booleans) or of a value inside one (strings)."""
    if isinstance(expression, bool):
        return expression
    if isinstance(expression, str):
        return expression
    if isinstance(expression, Mapping) and len(expression) == 1:
        ((function, argument),) = expression.items()
        if function == "Ref":
            if argument not in parameters:
                raise KeyError(f"Ref {argument}: not a parameter with a value (a condition can use no other)")
            return parameters[argument]
        if function == "Condition":
            return condition_value(conditions[argument], parameters, conditions)
        if function == "Fn::Equals":
            left, right = argument
            return _text(condition_value(left, parameters, conditions)) == _text(
                condition_value(right, parameters, conditions)
            )
        if function == "Fn::Not":
            (inner,) = argument
            return not _truth(inner, parameters, conditions)
        if function == "Fn::And":
            assert 2 <= len(argument) <= 10, "Fn::And takes 2 to 10 conditions"
            return all(_truth(item, parameters, conditions) for item in argument)
        if function == "Fn::Or":
            assert 2 <= len(argument) <= 10, "Fn::Or takes 2 to 10 conditions"
            return any(_truth(item, parameters, conditions) for item in argument)
    raise ValueError(f"cannot evaluate {expression!r} as a condition")


def _truth(expression: Any, parameters: Mapping[str, str], conditions: Mapping[str, Any]) -> bool:
    value = condition_value(expression, parameters, conditions)
    if not isinstance(value, bool):
        raise ValueError(f"{expression!r} is not a condition (it evaluates to {value!r})")
    return value


def evaluate_conditions(template: Template, parameters: Mapping[str, str]) -> dict[str, bool]:
    """Condition name -> true or false, for these parameter values."""
    conditions = template.get("Conditions", {})
    return {name: _truth(expression, parameters, conditions) for name, expression in conditions.items()}


def resolve(document: Any, conditions: Mapping[str, bool]) -> Any:
    """The document with every Fn::If replaced by its selected branch and every AWS::NoValue removed."""
    resolved = _resolve(document, conditions)
    return None if resolved is DROPPED else resolved


def _resolve(node: Any, conditions: Mapping[str, bool]) -> Any:
    if isinstance(node, Mapping):
        if dict(node) == NO_VALUE:
            return DROPPED
        if set(node) == {"Fn::If"}:
            name, when_true, when_false = node["Fn::If"]
            return _resolve(when_true if conditions[name] else when_false, conditions)
        resolved_items = {key: _resolve(value, conditions) for key, value in node.items()}
        return {key: value for key, value in resolved_items.items() if value is not DROPPED}
    if isinstance(node, list):
        resolved_list = [_resolve(item, conditions) for item in node]
        return [item for item in resolved_list if item is not DROPPED]
    return node


def deployed(template: Template, overrides: Mapping[str, str] | None = None) -> Template:
    """The template as CloudFormation would apply it with these parameter values: resources whose
    Condition is false are gone, and every Fn::If / AWS::NoValue is resolved."""
    parameters = parameter_values(template, overrides)
    conditions = evaluate_conditions(template, parameters)
    resources = {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if conditions.get(resource.get("Condition", ""), True)
    }
    outputs = {
        name: output
        for name, output in template.get("Outputs", {}).items()
        if conditions.get(output.get("Condition", ""), True)
    }
    result: Template = resolve({**template, "Resources": resources, "Outputs": outputs}, conditions)
    return result


def failed_rule_assertions(template: Template, overrides: Mapping[str, str] | None = None) -> list[str]:
    """AssertDescription of every Rules assertion that fails for these parameter values: CloudFormation
    refuses to create or update the stack when this is not empty."""
    parameters = parameter_values(template, overrides)
    conditions = template.get("Conditions", {})
    failed: list[str] = []
    for name, rule in template.get("Rules", {}).items():
        if "RuleCondition" in rule and not _truth(rule["RuleCondition"], parameters, conditions):
            continue
        for assertion in rule["Assertions"]:
            if not _truth(assertion["Assert"], parameters, conditions):
                failed.append(f"{name}: {assertion.get('AssertDescription', '')}")
    return failed
