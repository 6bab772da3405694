"""SageMaker ARNs are lower-case; names keep their case.

WHY: SageMaker lower-cases the name part of its ARNs: the endpoint ``LLM-Chat`` has the ARN
``arn:aws:sagemaker:<region>:<account>:endpoint/llm-chat`` (EventBridge and CloudTrail samples in the
SageMaker guide), while ``EndpointName`` and every name-based call keep the real case.  moto 5.2
builds ARNs from the name as given, so code that reads a name back out of an ARN (AddTags/DeleteTags
events, a component's ARN) and uses it as a name looks right against moto and is wrong against AWS.
moto also lets a second endpoint, endpoint config or model silently replace one of the same name,
where SageMaker answers ``Cannot create already existing ...``.

What the emulator does, for endpoints, endpoint configs, models and inference components:

* every ARN it answers (Create*, Describe*, List*, the Tagging API's GetResources, error messages)
  has the name part in lower case;
* names are unique case-insensitively: creating ``llm-chat`` while ``LLM-Chat`` exists fails like a
  duplicate (their ARNs would be the same);
* lookups by name use the exact case: ``DescribeEndpoint(EndpointName="llm-chat")`` does not find
  ``LLM-Chat``.  AWS does not document case-insensitive lookups, so the emulator takes the stricter
  reading (the same holds for Application Auto Scaling resource ids, see :mod:`.sagemaker_capacity`);
* ``AddTags``/``ListTags``/``DeleteTags`` find a resource by its lower-case ARN.  What AWS does with
  a mixed-case ARN is not documented; the emulator answers it as not found (ValidationException).

moto's endpoint config also stored its ``arn`` as a one-element tuple, which reached the Tagging
API's ``GetResources`` as the text ``"('arn:...',)"``; it is a string here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from moto.sagemaker import models as sagemaker_models
from moto.sagemaker.models import SageMakerModelBackend
from moto.utilities.utils import get_partition

from .errors import GapValidationException

LOWER_CASE_TYPES = ("endpoint", "endpoint-config", "model", "inference-component")

_DUPLICATE_NOUNS = {
    "endpoint": "endpoint",
    "endpoint-config": "endpoint configuration",
    "model": "model",
    "inference-component": "inference component",
}


def sagemaker_arn(resource_type: str, name: str, account_id: str, region: str) -> str:
    """The ARN SageMaker gives ``name`` (lower-cased name part)."""
    return f"arn:{get_partition(region)}:sagemaker:{region}:{account_id}:{resource_type}/{name.lower()}"


def check_new_name(
    backend: SageMakerModelBackend, resource_type: str, name: str, existing: Iterable[str]
) -> None:
    """Refuse ``name`` if a resource of that type exists whose name differs from it only in case."""
    wanted = name.lower()
    if any(other.lower() == wanted for other in existing):
        arn = sagemaker_arn(resource_type, name, backend.account_id, backend.region_name)
        raise GapValidationException(
            f'Cannot create already existing {_DUPLICATE_NOUNS[resource_type]} "{arn}".'
        )


def _arn_of(resource: Any) -> Any:
    return getattr(resource, "endpoint_config_arn", None) or getattr(resource, "arn", None)


def resource_by_arn(backend: SageMakerModelBackend, resource_type: str, arn: str) -> Any | None:
    """The endpoint, endpoint config or model whose ARN is exactly ``arn`` (None if none)."""
    stores: dict[str, dict[str, Any]] = {
        "endpoint": backend.endpoints,
        "endpoint-config": backend.endpoint_configs,
        "model": backend._models,
    }
    return next((r for r in stores[resource_type].values() if _arn_of(r) == arn), None)


# --- patches -----------------------------------------------------------------------------------------


def _lower_case_arn_formatter(original: Callable[..., str]) -> Callable[..., str]:
    """Wrap ``moto.sagemaker.models.arn_formatter``, which every endpoint/config/model ARN goes through."""

    @functools.wraps(original)
    def arn_formatter(_type: str, _id: str, account_id: str, region_name: str) -> str:
        if _type in LOWER_CASE_TYPES:
            _id = _id.lower()
        return original(_type, _id, account_id, region_name)

    arn_formatter.__gap_patched__ = True  # type: ignore[attr-defined]
    return arn_formatter


def _unique_endpoint(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_endpoint(self: SageMakerModelBackend, endpoint_name: str, *args: Any, **kwargs: Any) -> Any:
        check_new_name(self, "endpoint", endpoint_name, self.endpoints)
        return original(self, endpoint_name, *args, **kwargs)

    create_endpoint.__gap_patched__ = True  # type: ignore[attr-defined]
    return create_endpoint


def _unique_endpoint_config(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_endpoint_config(
        self: SageMakerModelBackend, endpoint_config_name: str, *args: Any, **kwargs: Any
    ) -> Any:
        check_new_name(self, "endpoint-config", endpoint_config_name, self.endpoint_configs)
        config = original(self, endpoint_config_name, *args, **kwargs)
        config.arn = config.endpoint_config_arn  # moto: a one-element tuple
        return config

    create_endpoint_config.__gap_patched__ = True  # type: ignore[attr-defined]
    return create_endpoint_config


def _unique_model(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_model(self: SageMakerModelBackend, model_name: str, *args: Any, **kwargs: Any) -> Any:
        check_new_name(self, "model", model_name, self._models)
        return original(self, model_name, *args, **kwargs)

    create_model.__gap_patched__ = True  # type: ignore[attr-defined]
    return create_model


def _patch(owner: Any, name: str, wrap: Callable[[Any], Any]) -> None:
    """Wrap ``owner.name`` once (wrappers copy the wrapped function's markers: see functools.wraps)."""
    current = getattr(owner, name)
    if not getattr(current, "__gap_patched__", False):
        setattr(owner, name, wrap(current))


def install() -> None:
    _patch(sagemaker_models, "arn_formatter", _lower_case_arn_formatter)
    _patch(SageMakerModelBackend, "create_endpoint", _unique_endpoint)
    _patch(SageMakerModelBackend, "create_endpoint_config", _unique_endpoint_config)
    _patch(SageMakerModelBackend, "create_model", _unique_model)
