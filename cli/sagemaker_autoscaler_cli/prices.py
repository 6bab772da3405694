"""Which prices ``report`` uses: the AWS Price List API where this caller reaches it, the snapshot shipped
with the app otherwise (and always for an emulated account, which has no price list)."""

from __future__ import annotations

import sys

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from sagemaker_autoscaler.aws import make_client
from sagemaker_autoscaler.aws.pricing import PRICE_LIST_REGION, PriceList, snapshot_prices
from sagemaker_autoscaler.core.prices import PriceBook
from sagemaker_autoscaler.engine.dependencies import Dependencies


def _instance_types(deps: Dependencies) -> set[str]:
    types = set()
    for endpoint in deps.sagemaker.list_endpoints():
        described = deps.sagemaker.describe_endpoint(endpoint["EndpointName"]) or {}
        config = deps.sagemaker.describe_endpoint_config(str(described.get("EndpointConfigName", ""))) or {}
        types |= {v["InstanceType"] for v in config.get("ProductionVariants", []) if v.get("InstanceType")}
    return types


def report_prices(
    choice: str, endpoint_url: str | None, session: boto3.session.Session, deps: Dependencies, region: str
) -> PriceBook:
    snapshot = snapshot_prices()
    if choice == "snapshot" or (choice == "auto" and endpoint_url):
        return snapshot
    price_list = PriceList(make_client("pricing", session, region_name=PRICE_LIST_REGION))
    instance_types = _instance_types(deps)  # SageMaker's errors are the report's, not the price list's
    try:
        answered = price_list.book(region, instance_types)
    except (BotoCoreError, ClientError) as error:
        if choice == "api":
            raise
        print(
            f"sagemaker-autoscaler: the Price List API did not answer ({error}); using the snapshot",
            file=sys.stderr,
        )
        return snapshot
    return answered if choice == "api" else answered.merged_over(snapshot)
