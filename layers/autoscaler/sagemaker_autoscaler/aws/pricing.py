"""Prices: the snapshot shipped with the app, and AWS's Price List Query API where the caller reaches it.

The Query API answers only from a few Regions (us-east-1 among them) whatever Region the prices are
for; a product's on-demand price is ``terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD`` in the JSON
string each ``PriceList`` entry holds. SageMaker hosting products carry the attributes ``component``
(``Hosting``), ``instanceName`` and ``regionCode``. An answer that is not exactly one positive hourly
price is treated as no price: a guess would be worse than "unknown".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sagemaker_autoscaler.aws import make_client
from sagemaker_autoscaler.core.costs import Price
from sagemaker_autoscaler.core.prices import PriceBook, price_book_from_snapshot

SNAPSHOT_PATH = Path(__file__).resolve().parent.parent / "data" / "prices.json"
PRICE_LIST_REGION = "us-east-1"
SERVICE_CODE = "AmazonSageMaker"


@cache
def snapshot_prices() -> PriceBook:
    return price_book_from_snapshot(json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8")))


def _hourly_usd(product: dict[str, Any]) -> set[float]:
    found = set()
    for term in (product.get("terms") or {}).get("OnDemand", {}).values():
        for dimension in (term.get("priceDimensions") or {}).values():
            usd = (dimension.get("pricePerUnit") or {}).get("USD")
            if str(dimension.get("unit", "")).lower() in {"hrs", "hours", "hour"} and usd is not None:
                found.add(float(usd))
    return {usd for usd in found if usd > 0}


class PriceList:
    """The Price List Query API, one question per Region and instance type, each answer kept for the
    life of the process (prices change a few times a year; a Lambda container lives hours)."""

    def __init__(self, client: Any = None) -> None:
        self._client = client
        self._answers: dict[tuple[str, str], Price | None] = {}

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client("pricing", region_name=PRICE_LIST_REGION)
        return self._client

    def hosting_price(self, region: str, instance_type: str) -> Price | None:
        key = (region, instance_type)
        if key not in self._answers:
            self._answers[key] = self._ask(region, instance_type)
        return self._answers[key]

    def _ask(self, region: str, instance_type: str) -> Price | None:
        filters = [
            {"Type": "TERM_MATCH", "Field": field, "Value": value}
            for field, value in (
                ("regionCode", region),
                ("component", "Hosting"),
                ("instanceName", instance_type),
            )
        ]
        prices: set[float] = set()
        for page in self.client.get_paginator("get_products").paginate(
            ServiceCode=SERVICE_CODE, Filters=filters
        ):
            for raw in page.get("PriceList", []):
                prices |= _hourly_usd(json.loads(raw) if isinstance(raw, str) else raw)
        if len(prices) != 1:
            return None
        today = datetime.now(UTC).date().isoformat()
        return Price(prices.pop(), f"AWS Price List API, {SERVICE_CODE} {region} Hosting, read {today}")

    def book(self, region: str, instance_types: Iterable[str]) -> PriceBook:
        hosting = {
            kind: price for kind in sorted(set(instance_types)) if (price := self.hosting_price(region, kind))
        }
        return PriceBook({region: hosting}, described_as="AWS Price List API")
