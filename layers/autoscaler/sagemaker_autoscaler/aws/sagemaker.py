"""SageMaker reads: the truth about endpoints and inference components."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from sagemaker_autoscaler.aws import make_client
from sagemaker_autoscaler.aws.errors import is_not_found, or_none

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient


class SageMaker:
    def __init__(self, client: SageMakerClient | None = None) -> None:
        self._client = client
        self._endpoints: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._configs: dict[str, dict[str, Any]] = {}

    @property
    def client(self) -> SageMakerClient:
        if self._client is None:
            self._client = make_client("sagemaker")
        return self._client

    def describe_endpoint(self, name: str) -> dict[str, Any] | None:
        found = or_none(self.client.describe_endpoint, EndpointName=name)
        return None if found is None else dict(found)

    def describe_endpoint_config(self, name: str) -> dict[str, Any] | None:
        found = or_none(self.client.describe_endpoint_config, EndpointConfigName=name)
        return None if found is None else dict(found)

    def describe_inference_component(self, name: str) -> dict[str, Any] | None:
        found = or_none(self.client.describe_inference_component, InferenceComponentName=name)
        return None if found is None else dict(found)

    def list_endpoints(self) -> list[dict[str, Any]]:
        """Every endpoint of the account and Region (name, ARN, status, LastModifiedTime), 100 a page."""
        endpoints: list[dict[str, Any]] = []
        for page in self.client.get_paginator("list_endpoints").paginate(PaginationConfig={"PageSize": 100}):
            endpoints.extend(dict(item) for item in page.get("Endpoints", []))
        return endpoints

    def list_all_inference_components(self) -> list[dict[str, Any]]:
        """Every inference component of the account and Region, with endpoint and variant, 100 a page."""
        components: list[dict[str, Any]] = []
        paginator = self.client.get_paginator("list_inference_components")
        for page in paginator.paginate(PaginationConfig={"PageSize": 100}):
            components.extend(dict(item) for item in page.get("InferenceComponents", []))
        return components

    def describe_endpoint_cached(self, name: str, last_modified: object) -> dict[str, Any] | None:
        """DescribeEndpoint, skipped when this container already saw the endpoint at the same
        LastModifiedTime (every change to an endpoint, an update included, moves that time)."""
        key = (name, str(last_modified))
        if key not in self._endpoints:
            self._endpoints[key] = self.describe_endpoint(name)
        return self._endpoints[key]

    def describe_endpoint_config_cached(self, name: str) -> dict[str, Any] | None:
        """Endpoint configs are immutable once created, so one read per name is enough."""
        if name not in self._configs:
            config = self.describe_endpoint_config(name)
            if config is None:
                return None
            self._configs[name] = config
        return self._configs[name]

    def list_inference_components(self, endpoint_name: str) -> list[dict[str, Any]]:
        components: list[dict[str, Any]] = []
        paginator = self.client.get_paginator("list_inference_components")
        for page in paginator.paginate(EndpointNameEquals=endpoint_name):
            components.extend(dict(item) for item in page.get("InferenceComponents", []))
        return components

    def list_tags(self, arn: str) -> dict[str, str]:
        """The resource's tags; none when it is not found."""
        return self.tags_or_none(arn) or {}

    def tags_or_none(self, arn: str) -> dict[str, str] | None:
        """The resource's tags, or None when it is not found (gone)."""
        tags: dict[str, str] = {}
        paginator = self.client.get_paginator("list_tags")
        try:
            for page in paginator.paginate(ResourceArn=arn):
                tags.update({tag["Key"]: tag.get("Value", "") for tag in page.get("Tags", [])})
        except ClientError as error:
            if is_not_found(error):
                return None
            raise
        return tags

    def delete_tags(self, arn: str, keys: list[str]) -> None:
        self.client.delete_tags(ResourceArn=arn, TagKeys=keys)
