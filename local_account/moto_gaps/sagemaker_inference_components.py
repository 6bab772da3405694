"""SageMaker inference components for moto.

WHY: moto 5.2 has no inference-component API at all (Create/Describe/List/Update/Delete
InferenceComponent, UpdateInferenceComponentRuntimeConfig) and its tag calls cannot find
``inference-component/<name>`` ARNs.  This module stores components in a dict attached to
moto's per-account, per-region SageMaker backend and adds the missing actions to moto's
``SageMakerResponse`` class, so both ``mock_aws`` and ``ThreadedMotoServer`` serve them.

Status model: a component created (or updated) through the API is ``Creating``
(``Updating``) and becomes ``InService`` once the clock has passed the moment of the call
plus the *ready-after* delay (default :data:`DEFAULT_READY_AFTER_SECONDS`, 600 s, which
models the load time of a large model).  The delay is read when the component is created
or updated.  ``set_inference_component_status`` forces a status and stops the automatic
transition for that component.

Names and ARNs follow :mod:`.sagemaker_names`: the ARN's name part is lower-case, names are unique
case-insensitively, and a lookup by name uses the exact case.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from . import clock
from .errors import GapValidationException
from .request_validation import request_params, snake_case, validated
from .sagemaker_names import LOWER_CASE_TYPES, check_new_name, resource_by_arn, sagemaker_arn

DEFAULT_READY_AFTER_SECONDS = 600.0
"""Seconds an inference component stays ``Creating``/``Updating`` (an LLM takes 5-20 min)."""

_STATUSES = ("InService", "Creating", "Updating", "Failed", "Deleting")
_STORE_ATTR = "_gap_inference_components"
_settings: dict[str, float] = {"ready_after": DEFAULT_READY_AFTER_SECONDS}


def set_inference_component_ready_after(seconds: float) -> None:
    """Set how long newly created/updated components stay ``Creating``/``Updating``."""
    if seconds < 0:
        raise ValueError("ready_after must be >= 0")
    _settings["ready_after"] = float(seconds)


def get_inference_component_ready_after() -> float:
    return _settings["ready_after"]


def reset_settings() -> None:
    """Restore the default ready-after delay."""
    _settings["ready_after"] = DEFAULT_READY_AFTER_SECONDS


def ic_arn(name: str, account_id: str, region: str) -> str:
    return sagemaker_arn("inference-component", name, account_id, region)


@dataclass
class FakeInferenceComponent:
    name: str
    arn: str
    endpoint_name: str
    endpoint_arn: str
    variant_name: str | None
    specification: dict[str, Any]
    desired_copy_count: int | None
    status: str
    creation_time: _dt.datetime
    last_modified_time: _dt.datetime
    ready_at: _dt.datetime | None
    current_copy_count: int = 0
    failure_reason: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)

    def refresh(self) -> None:
        """Apply the automatic Creating/Updating -> InService transition if it is due."""
        if self.ready_at is not None and clock.now() >= self.ready_at:
            self.status = "InService"
            self.ready_at = None
            self.current_copy_count = self.desired_copy_count or 0

    def start_transition(self, status: str) -> None:
        self.status = status
        self.last_modified_time = clock.now()
        self.ready_at = self.last_modified_time + _dt.timedelta(seconds=_settings["ready_after"])
        self.refresh()

    def summary(self) -> dict[str, Any]:
        self.refresh()
        result: dict[str, Any] = {
            "CreationTime": self.creation_time,
            "InferenceComponentArn": self.arn,
            "InferenceComponentName": self.name,
            "EndpointArn": self.endpoint_arn,
            "EndpointName": self.endpoint_name,
            "InferenceComponentStatus": self.status,
            "LastModifiedTime": self.last_modified_time,
        }
        if self.variant_name is not None:
            result["VariantName"] = self.variant_name
        return result

    def describe(self) -> dict[str, Any]:
        result = self.summary()
        result["Specification"] = _specification_summary(self.specification)
        if self.desired_copy_count is not None:
            result["RuntimeConfig"] = {
                "DesiredCopyCount": self.desired_copy_count,
                "CurrentCopyCount": self.current_copy_count,
            }
        if self.failure_reason is not None:
            result["FailureReason"] = self.failure_reason
        return result


def _specification_summary(spec: dict[str, Any]) -> dict[str, Any]:
    """Map the request ``Specification`` to the ``...SpecificationSummary`` output shape."""
    summary = {k: v for k, v in spec.items() if k != "Container"}
    container = spec.get("Container")
    if isinstance(container, dict):
        out = {k: v for k, v in container.items() if k != "Image"}
        if "Image" in container:
            out["DeployedImage"] = {"SpecifiedImage": container["Image"], "ResolvedImage": container["Image"]}
        summary["Container"] = out
    return summary


def store(backend: SageMakerModelBackend) -> dict[str, FakeInferenceComponent]:
    """The components of one account/region (reset together with moto's backend)."""
    found: dict[str, FakeInferenceComponent] | None = backend.__dict__.get(_STORE_ATTR)
    if found is None:
        found = {}
        backend.__dict__[_STORE_ATTR] = found
    return found


def _not_found(name: str, backend: SageMakerModelBackend) -> GapValidationException:
    arn = ic_arn(name, backend.account_id, backend.region_name)
    return GapValidationException(f'Could not find inference component "{arn}".')


def get_component(backend: SageMakerModelBackend, name: str) -> FakeInferenceComponent:
    try:
        component = store(backend)[name]
    except KeyError:
        raise _not_found(name, backend) from None
    component.refresh()
    return component


def _endpoint_variants(endpoint: Any) -> list[str]:
    return [v.get("VariantName") for v in getattr(endpoint, "production_variants", []) or []]


def create_component(
    backend: SageMakerModelBackend,
    *,
    name: str,
    endpoint_name: str,
    variant_name: str | None,
    specification: dict[str, Any],
    copy_count: int | None,
    tags: list[dict[str, str]],
    status: str | None = None,
) -> FakeInferenceComponent:
    """Create a component in ``backend``; ``status`` given = no automatic transition."""
    components = store(backend)
    check_new_name(backend, "inference-component", name, components)
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is None:
        endpoint_arn = sagemaker_arn("endpoint", endpoint_name, backend.account_id, backend.region_name)
        raise GapValidationException(f'Could not find endpoint "{endpoint_arn}".')
    variants = _endpoint_variants(endpoint)
    if variant_name is None and len(variants) == 1:
        variant_name = variants[0]
    if variant_name is not None and variants and variant_name not in variants:
        raise GapValidationException(f'Could not find variant "{variant_name}" in endpoint "{endpoint.arn}".')
    created = clock.now()
    component = FakeInferenceComponent(
        name=name,
        arn=ic_arn(name, backend.account_id, backend.region_name),
        endpoint_name=endpoint_name,
        endpoint_arn=endpoint.arn,
        variant_name=variant_name,
        specification=dict(specification),
        desired_copy_count=copy_count,
        status="Creating",
        creation_time=created,
        last_modified_time=created,
        ready_at=None,
        tags=list(tags),
    )
    if status is None:
        component.start_transition("Creating")
    else:
        force_status(component, status)
    components[name] = component
    return component


def force_status(component: FakeInferenceComponent, status: str, failure_reason: str | None = None) -> None:
    if status not in _STATUSES:
        raise ValueError(f"status must be one of {_STATUSES}, not {status!r}")
    component.status = status
    component.ready_at = None
    component.last_modified_time = clock.now()
    component.failure_reason = failure_reason if status == "Failed" else None
    if status == "InService":
        component.current_copy_count = component.desired_copy_count or 0


def _update(component: FakeInferenceComponent, spec: dict[str, Any] | None, copies: int | None) -> None:
    if component.status in ("Creating", "Updating", "Deleting"):
        raise GapValidationException(
            f'Cannot update inference component "{component.arn}" while it is in status {component.status}.'
        )
    if spec:
        component.specification = dict(spec)
    if copies is not None:
        component.desired_copy_count = copies
    component.start_transition("Updating")


def _filter_and_sort(components: list[FakeInferenceComponent], params: dict[str, Any]) -> list[Any]:
    def ts(key: str) -> _dt.datetime | None:
        value = params.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)):
            return _dt.datetime.fromtimestamp(value, _dt.UTC)
        parsed = _dt.datetime.fromisoformat(str(value))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.UTC)

    for c in components:
        c.refresh()
    checks = [
        ("EndpointNameEquals", lambda c, v: c.endpoint_name == v),
        ("VariantNameEquals", lambda c, v: c.variant_name == v),
        ("StatusEquals", lambda c, v: c.status == v),
        ("NameContains", lambda c, v: v in c.name),
    ]
    for key, predicate in checks:
        if params.get(key) is not None:
            components = [c for c in components if predicate(c, params[key])]
    times = [
        ("CreationTimeBefore", lambda c, t: c.creation_time < t),
        ("CreationTimeAfter", lambda c, t: c.creation_time > t),
        ("LastModifiedTimeBefore", lambda c, t: c.last_modified_time < t),
        ("LastModifiedTimeAfter", lambda c, t: c.last_modified_time > t),
    ]
    for key, time_predicate in times:
        moment = ts(key)
        if moment is not None:
            components = [c for c in components if time_predicate(c, moment)]
    sort_by = params.get("SortBy") or "CreationTime"
    sort_keys = {
        "Name": lambda c: c.name,
        "CreationTime": lambda c: (c.creation_time, c.name),
        "Status": lambda c: (c.status, c.name),
    }
    descending = (params.get("SortOrder") or "Descending") == "Descending"
    return sorted(components, key=sort_keys[sort_by], reverse=descending)


# --- response handlers added to moto's SageMakerResponse -------------------------------


def _backend(response: Any) -> SageMakerModelBackend:
    return sagemaker_backends[response.current_account][response.region]


def create_inference_component(self: Any) -> ActionResult:
    params = request_params(self)
    component = create_component(
        _backend(self),
        name=params["InferenceComponentName"],
        endpoint_name=params["EndpointName"],
        variant_name=params.get("VariantName"),
        specification=params.get("Specification") or {},
        copy_count=(params.get("RuntimeConfig") or {}).get("CopyCount"),
        tags=params.get("Tags") or [],
    )
    return ActionResult({"InferenceComponentArn": component.arn})


def describe_inference_component(self: Any) -> ActionResult:
    params = request_params(self)
    return ActionResult(get_component(_backend(self), params["InferenceComponentName"]).describe())


def list_inference_components(self: Any) -> ActionResult:
    params = request_params(self)
    matches = _filter_and_sort(list(store(_backend(self)).values()), params)
    max_results = int(params.get("MaxResults") or 10)
    try:
        start = int(params.get("NextToken") or 0)
    except ValueError:
        raise GapValidationException("Invalid pagination token") from None
    page = matches[start : start + max_results]
    result: dict[str, Any] = {"InferenceComponents": [c.summary() for c in page]}
    if start + max_results < len(matches):
        result["NextToken"] = str(start + max_results)
    return ActionResult(result)


def update_inference_component(self: Any) -> ActionResult:
    params = request_params(self)
    component = get_component(_backend(self), params["InferenceComponentName"])
    _update(component, params.get("Specification"), (params.get("RuntimeConfig") or {}).get("CopyCount"))
    return ActionResult({"InferenceComponentArn": component.arn})


def update_inference_component_runtime_config(self: Any) -> ActionResult:
    params = request_params(self)
    component = get_component(_backend(self), params["InferenceComponentName"])
    _update(component, None, params["DesiredRuntimeConfig"]["CopyCount"])
    return ActionResult({"InferenceComponentArn": component.arn})


def delete_inference_component(self: Any) -> EmptyResult:
    params = request_params(self)
    backend = _backend(self)
    get_component(backend, params["InferenceComponentName"])
    del store(backend)[params["InferenceComponentName"]]
    return EmptyResult()


_HANDLERS = {
    "CreateInferenceComponent": create_inference_component,
    "DescribeInferenceComponent": describe_inference_component,
    "ListInferenceComponents": list_inference_components,
    "UpdateInferenceComponent": update_inference_component,
    "UpdateInferenceComponentRuntimeConfig": update_inference_component_runtime_config,
    "DeleteInferenceComponent": delete_inference_component,
}

# --- tags: make moto's AddTags/ListTags/DeleteTags see inference components -------------


def _resolve_arn(original: Any) -> Any:
    """Wrap ``SageMakerModelBackend._get_resource_from_arn``.

    WHY: moto's lookup table has no ``inference-component`` entry, and for an unknown
    resource type or a missing resource it crashes (AttributeError -> HTTP 500) instead of
    returning a ValidationException.  Endpoints, endpoint configs, models and components are
    found by their exact (lower-case) ARN, not by the name part (see :mod:`.sagemaker_names`).
    """

    def resolve(self: SageMakerModelBackend, arn: str) -> Any:
        resource_part = arn.split(":")[-1]
        resource_type, _, name = resource_part.partition("/")
        if resource_type == "inference-component":
            resource = next((c for c in store(self).values() if c.arn == arn), None)
        elif resource_type in LOWER_CASE_TYPES:
            resource = resource_by_arn(self, resource_type, arn)
        else:
            try:
                resource = original(self, arn)
            except AttributeError:
                resource = None
        if resource is None:
            raise GapValidationException(f"Could not find {resource_type} with name {name}")
        return resource

    resolve.__gap_patched__ = True  # type: ignore[attr-defined]
    return resolve


def _add_tags(self: SageMakerModelBackend, arn: str, tags: list[dict[str, str]]) -> list[dict[str, str]]:
    """AddTags overwrites the value of an existing key (moto appends a duplicate key)."""
    resource = self._get_resource_from_arn(arn)
    current: list[dict[str, str]] = list(resource.tags or [])
    for tag in tags:
        current = [t for t in current if t["Key"] != tag["Key"]]
        current.append({"Key": tag["Key"], "Value": tag.get("Value", "")})
    resource.tags = current
    return current


# Wrapped once, so that install() always sets the very same objects (idempotent).
_METHODS = {
    snake_case(operation): validated("sagemaker", operation, handler)
    for operation, handler in _HANDLERS.items()
}


def install() -> None:
    for method_name, method in _METHODS.items():
        setattr(SageMakerResponse, method_name, method)
    for operation in ("AddTags", "ListTags", "DeleteTags"):
        method_name = snake_case(operation)
        current = getattr(SageMakerResponse, method_name)
        if not getattr(current, "__gap_validated__", False):
            setattr(SageMakerResponse, method_name, validated("sagemaker", operation, current))
    current_resolver = SageMakerModelBackend._get_resource_from_arn
    if not getattr(current_resolver, "__gap_patched__", False):
        SageMakerModelBackend._get_resource_from_arn = _resolve_arn(current_resolver)  # type: ignore[method-assign]
    SageMakerModelBackend.add_tags = _add_tags  # type: ignore[method-assign]
