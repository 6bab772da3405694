"""The demo's options: a moment to run at, tags on the demo's resources, stack parameters.

--at 2026-12-07T09:00 [ZONE]     run as if it were that moment (default zone: UTC); time then goes on
--tag RESOURCE KEY=VALUE         one more tag on a demo resource (an endpoint or a component name)
--param NAME=VALUE               a template.yaml parameter, read as `sagemaker-autoscaler plan` reads it
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from local_account.template import load_template

Tag = tuple[str, str, str, str]  # kind ("endpoint" or "inference-component"), name, key, value


class DemoOptionError(ValueError):
    """An option the demo cannot use; the message says which and why."""


def moment(tokens: Sequence[str] | None) -> datetime | None:
    """``--at`` as a UTC instant: a local time, then optionally the zone it is read in."""
    if not tokens:
        return None
    if len(tokens) > 2:
        raise DemoOptionError(f"--at takes a time and at most a zone, got {' '.join(tokens)!r}")
    try:
        zone = ZoneInfo(tokens[1]) if len(tokens) == 2 else UTC
        local = datetime.fromisoformat(tokens[0])
    except (ValueError, ZoneInfoNotFoundError, OSError) as error:
        raise DemoOptionError(f"--at {' '.join(tokens)}: {error}") from None
    return (local if local.tzinfo else local.replace(tzinfo=zone)).astimezone(UTC)


def parameter_environment(pairs: list[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` as the functions' environment, the way ``sagemaker-autoscaler plan --param``
    reads it: template.yaml's defaults with these values, checked as the functions would check them."""
    from sagemaker_autoscaler.core.settings import Settings, SettingsError
    from sagemaker_autoscaler_cli.settings_source import (
        SettingsSourceError,
        overrides_from,
        parameter_defaults,
        settings_environment,
    )

    template = load_template()
    try:
        overrides = overrides_from(pairs, template)
        environment = settings_environment(template, {**parameter_defaults(template), **overrides})
        Settings.from_environment(environment)
    except (SettingsSourceError, SettingsError) as error:
        raise DemoOptionError(str(error)) from None
    return environment if overrides else {}


def resource_tags(
    entries: Iterable[Sequence[str]], endpoints: Sequence[str], components: Sequence[str]
) -> list[Tag]:
    """``--tag RESOURCE KEY=VALUE`` entries, each checked against the demo's resources."""
    found: list[Tag] = []
    for resource, text in entries:
        key, sign, value = text.partition("=")
        if not sign or not key:
            raise DemoOptionError(f"--tag {resource} {text!r}: expected KEY=VALUE")
        if resource in endpoints:
            found.append(("endpoint", resource, key, value))
        elif resource in components:
            found.append(("inference-component", resource, key, value))
        else:
            known = ", ".join([*endpoints, *components])
            raise DemoOptionError(f"--tag {resource}: no such demo resource (one of {known})")
    return found


def apply_tags(sagemaker: Any, tags: Iterable[Tag]) -> None:
    """Tag the demo's resources as a team would, before their events are delivered."""
    for kind, name, key, value in tags:
        if kind == "endpoint":
            arn = sagemaker.describe_endpoint(EndpointName=name)["EndpointArn"]
        else:
            arn = sagemaker.describe_inference_component(InferenceComponentName=name)["InferenceComponentArn"]
        sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": key, "Value": value}])
