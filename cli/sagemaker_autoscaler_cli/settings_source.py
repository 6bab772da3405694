"""The settings the tool plans with: a deployed stack's parameters, or the template's defaults with
overrides, turned into the functions' AUTOSCALER_* environment exactly as the template writes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sagemaker_autoscaler.core.settings import Settings

from .template import Template


class SettingsSourceError(ValueError):
    """The settings cannot be worked out (unknown parameter, no such stack...)."""


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parameter_defaults(template: Template) -> dict[str, str]:
    return {
        name: _as_text(spec["Default"])
        for name, spec in template.get("Parameters", {}).items()
        if "Default" in spec
    }


def settings_environment(template: Template, parameters: Mapping[str, str]) -> dict[str, str]:
    """AUTOSCALER_* variables as the functions get them (Globals), from these parameter values."""
    variables = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    environment: dict[str, str] = {}
    for name, value in variables.items():
        if not name.startswith("AUTOSCALER_"):
            continue
        if isinstance(value, Mapping) and set(value) == {"Ref"}:
            environment[name] = parameters.get(str(value["Ref"]), "")
        elif not isinstance(value, Mapping):
            environment[name] = _as_text(value)
    return environment


def overrides_from(pairs: list[str], template: Template) -> dict[str, str]:
    """``K=V`` arguments, checked against the template's parameters."""
    known = set(template.get("Parameters", {}))
    overrides: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SettingsSourceError(f"--param {pair!r}: expected Name=Value")
        if key not in known:
            raise SettingsSourceError(
                f"--param {key!r}: unknown parameter; known: {', '.join(sorted(known))}"
            )
        overrides[key] = value
    return overrides


def settings_from_template(template: Template, overrides: Mapping[str, str]) -> Settings:
    """What a deployment with these parameters (and the defaults for the rest) would plan with."""
    parameters = {**parameter_defaults(template), **overrides}
    return Settings.from_environment(settings_environment(template, parameters))


def settings_from_stack(cloudformation: Any, stack_name: str, template: Template) -> Settings:
    """What the deployed stack plans with: its parameters as CloudFormation holds them."""
    stacks = cloudformation.describe_stacks(StackName=stack_name).get("Stacks", [])
    if not stacks:
        raise SettingsSourceError(f"no stack named {stack_name!r}")
    deployed = {p["ParameterKey"]: str(p.get("ParameterValue", "")) for p in stacks[0].get("Parameters", [])}
    return Settings.from_environment(
        settings_environment(template, {**parameter_defaults(template), **deployed})
    )
