"""Resource Groups Tagging API: report inference components too.

WHY: moto's ``GetResources`` walks each backend's ``iter_tagged_resources``; SageMaker's lists endpoints
but knows nothing of inference components (they live in this gap layer's own store), so a
``ResourceTypeFilters=["sagemaker:inference-component"]`` query would always come back empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from moto.core.resource_tagging import TaggedResource
from moto.sagemaker.models import SageMakerModelBackend

from .sagemaker_inference_components import store


def _with_inference_components(original: Any) -> Any:
    def iter_tagged_resources(self: SageMakerModelBackend) -> Iterator[TaggedResource]:
        yield from original(self)
        for component in store(self).values():
            yield TaggedResource(
                arn=component.arn,
                tags={tag["Key"]: tag["Value"] for tag in component.tags},
                resource_type="sagemaker:inference-component",
            )

    iter_tagged_resources.__gap_patched__ = True  # type: ignore[attr-defined]
    return iter_tagged_resources


def install() -> None:
    current = SageMakerModelBackend.iter_tagged_resources
    if not getattr(current, "__gap_patched__", False):
        SageMakerModelBackend.iter_tagged_resources = _with_inference_components(current)  # type: ignore[method-assign]
