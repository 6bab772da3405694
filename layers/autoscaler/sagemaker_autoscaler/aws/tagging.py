"""Resource Groups Tagging API: the tags of every endpoint and inference component in a few requests.

SageMaker's own ListTags answers for one resource at a time; the account-wide reconcile reads all tags
here instead, 100 resources a page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sagemaker_autoscaler.aws import make_client

if TYPE_CHECKING:
    from mypy_boto3_resourcegroupstaggingapi import ResourceGroupsTaggingAPIClient

SAGEMAKER_RESOURCE_TYPES = ["sagemaker:endpoint", "sagemaker:inference-component"]


class Tagging:
    def __init__(self, client: ResourceGroupsTaggingAPIClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> ResourceGroupsTaggingAPIClient:
        if self._client is None:
            self._client = make_client("resourcegroupstaggingapi")
        return self._client

    def sagemaker_tags(self) -> dict[str, dict[str, str]]:
        """ARN -> tags, for every tagged endpoint and inference component (untagged ones are absent)."""
        tags: dict[str, dict[str, str]] = {}
        paginator = self.client.get_paginator("get_resources")
        for page in paginator.paginate(
            ResourceTypeFilters=SAGEMAKER_RESOURCE_TYPES, PaginationConfig={"PageSize": 100}
        ):
            for mapping in page.get("ResourceTagMappingList", []):
                tags[mapping["ResourceARN"]] = {t["Key"]: t["Value"] for t in mapping.get("Tags", [])}
        return tags
