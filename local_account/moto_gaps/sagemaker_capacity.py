"""The capacity of the SageMaker resources behind scalable targets, and how registration moves it.

WHY: moto's Application Auto Scaling never looks at SageMaker.  Real AAS does, in two ways the app
must live with:

* RegisterScalableTarget (new or update) reads the resource's current capacity and, "if it's below
  the minimum capacity or above the maximum capacity, Application Auto Scaling adjusts the capacity
  of the scalable target to place it within these bounds" (API reference); "if the specified
  resource is not active in the target service, this operation does not change the resource's
  current capacity".  So registering 1..4 on a variant running 8 instances scales it to 4 at once.
  Here the capacity moves to the nearest bound immediately, when the endpoint or component is
  ``InService``: a variant's instance count (``sagemaker:variant:DesiredInstanceCount``), a
  serverless variant's provisioned concurrency (``...:DesiredProvisionedConcurrency``), a
  component's copy count.  For endpoints, ``LastModifiedTime`` moves too: every scaling activity on a
  variant takes the endpoint through ``Updating`` back to ``InService`` (here at once).
* the resource must exist: the endpoint and its variant, or the component, found by the *exact*
  name in the resource id (SageMaker lookups are case-sensitive, see :mod:`.sagemaker_names`), and
  the variant must have the capacity the dimension names (provisioned concurrency for
  ``DesiredProvisionedConcurrency``, an instance count for ``DesiredInstanceCount``).  AWS does not
  publish the message; the code is ValidationException (the stricter reading: AAS could not read the
  capacity it must check).

Test helpers (:func:`set_variant_capacity`, :func:`set_component_copies` and their readers) set
"the endpoint runs 8 instances" directly, without a scaling activity (``LastModifiedTime`` stays).
"""

from __future__ import annotations

from typing import Any

from moto.core.utils import utcnow
from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend, sagemaker_backends

from . import clock
from .errors import GapValidationException
from .sagemaker_inference_components import FakeInferenceComponent, store
from .sagemaker_names import sagemaker_arn

INSTANCE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
CONCURRENCY_DIMENSION = "sagemaker:variant:DesiredProvisionedConcurrency"
COPIES_DIMENSION = "sagemaker:inference-component:DesiredCopyCount"
_SERVERLESS_KEYS = ("CurrentServerlessConfig", "DesiredServerlessConfig")


def _backend(account_id: str, region: str) -> SageMakerModelBackend:
    return sagemaker_backends[account_id][region]


def _missing(resource_id: str, what: str) -> GapValidationException:
    return GapValidationException(f"The scalable resource {resource_id} does not exist: {what}")


# --- variants ----------------------------------------------------------------------------------------


def _variant(endpoint: FakeEndpoint, variant_name: str) -> dict[str, Any] | None:
    return next((v for v in endpoint.production_variants if v.get("VariantName") == variant_name), None)


def _variant_value(variant: dict[str, Any], dimension: str) -> int | None:
    if dimension == CONCURRENCY_DIMENSION:
        value = (variant.get("DesiredServerlessConfig") or {}).get("ProvisionedConcurrency")
    else:
        value = variant.get("DesiredInstanceCount")
    return None if value is None else int(value)


def _set_variant_value(variant: dict[str, Any], dimension: str, value: int) -> None:
    if dimension == CONCURRENCY_DIMENSION:
        for key in _SERVERLESS_KEYS:  # new dicts: never change a dict shared with another variant
            variant[key] = {**variant[key], "ProvisionedConcurrency": value}
    else:
        variant["CurrentInstanceCount"] = variant["DesiredInstanceCount"] = value


def _endpoint_variant(
    backend: SageMakerModelBackend, resource_id: str, dimension: str
) -> tuple[FakeEndpoint, dict[str, Any]]:
    _, endpoint_name, _, variant_name = resource_id.split("/")
    endpoint: FakeEndpoint | None = backend.endpoints.get(endpoint_name)
    if endpoint is None:
        arn = sagemaker_arn("endpoint", endpoint_name, backend.account_id, backend.region_name)
        raise _missing(resource_id, f'could not find endpoint "{arn}".')
    variant = _variant(endpoint, variant_name)
    if variant is None:
        raise _missing(resource_id, f'could not find variant "{variant_name}" in endpoint "{endpoint.arn}".')
    if _variant_value(variant, dimension) is None:
        kind = "provisioned concurrency" if dimension == CONCURRENCY_DIMENSION else "an instance count"
        raise GapValidationException(f"The variant of {resource_id} has no {kind} to scale ({dimension}).")
    return endpoint, variant


def _clamp(value: int, low: int | None, high: int | None) -> int:
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def _move_variant(
    backend: SageMakerModelBackend, resource_id: str, dimension: str, low: Any, high: Any
) -> None:
    endpoint, variant = _endpoint_variant(backend, resource_id, dimension)
    current = _variant_value(variant, dimension)
    if endpoint.endpoint_status != "InService" or current is None:
        return  # not active: "this operation does not change the resource's current capacity"
    wanted = _clamp(current, low, high)
    if wanted != current:
        _set_variant_value(variant, dimension, wanted)
        endpoint.last_modified_time = utcnow()  # through Updating and back to InService, at once


# --- inference components ----------------------------------------------------------------------------


def _component(backend: SageMakerModelBackend, resource_id: str) -> FakeInferenceComponent:
    name = resource_id.split("/", 1)[1]
    component = store(backend).get(name)
    if component is None:
        arn = sagemaker_arn("inference-component", name, backend.account_id, backend.region_name)
        raise _missing(resource_id, f'could not find inference component "{arn}".')
    component.refresh()
    return component


def _move_component(backend: SageMakerModelBackend, resource_id: str, low: Any, high: Any) -> None:
    component = _component(backend, resource_id)
    current = component.desired_copy_count
    if component.status != "InService" or current is None:
        return  # not active: "this operation does not change the resource's current capacity"
    wanted = _clamp(current, low, high)
    if wanted != current:
        component.desired_copy_count = component.current_copy_count = wanted
        component.last_modified_time = clock.now()


# --- what Application Auto Scaling calls -------------------------------------------------------------


def require_resource(account_id: str, region: str, resource_id: str, dimension: str) -> None:
    """Raise ValidationException unless the SageMaker resource behind the target exists (exact case)."""
    backend = _backend(account_id, region)
    if dimension == COPIES_DIMENSION:
        _component(backend, resource_id)
    elif dimension in (INSTANCE_DIMENSION, CONCURRENCY_DIMENSION):
        _endpoint_variant(backend, resource_id, dimension)


def move_into_range(
    account_id: str, region: str, resource_id: str, dimension: str, low: int | None, high: int | None
) -> None:
    """Move the resource's capacity to the nearest of ``low``/``high`` if it lies outside them."""
    backend = _backend(account_id, region)
    if dimension == COPIES_DIMENSION:
        _move_component(backend, resource_id, low, high)
    elif dimension in (INSTANCE_DIMENSION, CONCURRENCY_DIMENSION):
        _move_variant(backend, resource_id, dimension, low, high)


# --- test helpers ------------------------------------------------------------------------------------


def _helper_variant(
    backend: SageMakerModelBackend, endpoint_name: str, variant_name: str
) -> tuple[dict[str, Any], str]:
    endpoint = backend.endpoints.get(endpoint_name)
    variant = None if endpoint is None else _variant(endpoint, variant_name)
    if variant is None:
        raise KeyError(f"no variant {variant_name!r} on endpoint {endpoint_name!r}")
    for dimension in (INSTANCE_DIMENSION, CONCURRENCY_DIMENSION):
        if _variant_value(variant, dimension) is not None:
            return variant, dimension
    raise ValueError(
        f"variant {variant_name!r} of {endpoint_name!r} has neither instances nor provisioned concurrency"
    )


def set_variant_capacity(
    account_id: str, region: str, endpoint_name: str, variant_name: str, count: int
) -> None:
    variant, dimension = _helper_variant(_backend(account_id, region), endpoint_name, variant_name)
    _set_variant_value(variant, dimension, count)


def variant_capacity(account_id: str, region: str, endpoint_name: str, variant_name: str) -> int:
    variant, dimension = _helper_variant(_backend(account_id, region), endpoint_name, variant_name)
    return int(_variant_value(variant, dimension) or 0)


def _helper_component(account_id: str, region: str, name: str) -> FakeInferenceComponent:
    component = store(_backend(account_id, region)).get(name)
    if component is None:
        raise KeyError(f"no inference component {name!r} in {account_id}/{region}")
    return component


def set_component_copies(account_id: str, region: str, name: str, count: int) -> None:
    component = _helper_component(account_id, region, name)
    component.desired_copy_count = component.current_copy_count = count


def component_copies(account_id: str, region: str, name: str) -> int:
    return int(_helper_component(account_id, region, name).desired_copy_count or 0)
