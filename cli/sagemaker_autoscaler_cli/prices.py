"""Which prices ``report`` uses: the AWS Price List API where this caller reaches it, the snapshot shipped
with the app otherwise (and always for an emulated account, which has no price list)."""

from __future__ import annotations

import sys

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from sagemaker_autoscaler.aws import make_client
from sagemaker_autoscaler.aws.pricing import PRICE_LIST_REGION, PriceList, snapshot_prices
from sagemaker_autoscaler.core.prices import PriceBook


def report_prices(
    choice: str,
    endpoint_url: str | None,
    session: boto3.session.Session,
    region: str,
    instance_types: set[str],
) -> PriceBook:
    """``instance_types``: the ones the account's variants use (read by the report's run, not again)."""
    snapshot = snapshot_prices()
    if choice == "snapshot" or (choice == "auto" and endpoint_url):
        return snapshot
    price_list = PriceList(make_client("pricing", session, region_name=PRICE_LIST_REGION))
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
