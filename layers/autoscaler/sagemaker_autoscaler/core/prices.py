"""Prices as a value: USD per instance-hour by Region and instance type, each with where it comes from.

A price the book does not hold is unknown (None): never invented, never zero. Pure; the snapshot shipped
with the app and the AWS Price List API are read by ``aws/pricing``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec import Struct, field

from sagemaker_autoscaler.core.costs import Price


class PriceBookError(ValueError):
    """A price snapshot that cannot be trusted (a price that is not a positive number, or no source)."""


class PriceBook(Struct, frozen=True):
    # Region -> instance type -> on-demand SageMaker hosting price per instance-hour.
    hosting: Mapping[str, Mapping[str, Price]] = field(default_factory=dict)
    # Region -> price of one GB of serverless provisioned concurrency for one second.
    provisioned_concurrency_gb_second: Mapping[str, Price] = field(default_factory=dict)
    described_as: str = "no prices"

    def instance_hour(self, region: str, instance_type: str | None) -> Price | None:
        if instance_type is None:
            return None
        return self.hosting.get(region, {}).get(instance_type)

    def provisioned_concurrency_hour(self, region: str, memory_mb: int | None) -> Price | None:
        """One provisioned concurrency of ``memory_mb`` for an hour."""
        per_gb_second = self.provisioned_concurrency_gb_second.get(region)
        if per_gb_second is None or not memory_mb:
            return None
        return Price(per_gb_second.usd * memory_mb / 1024 * 3600, per_gb_second.source)

    def merged_over(self, fallback: PriceBook) -> PriceBook:
        """This book's prices, and the fallback's where this one has none."""
        hosting = {region: dict(prices) for region, prices in fallback.hosting.items()}
        for region, prices in self.hosting.items():
            hosting.setdefault(region, {}).update(prices)
        concurrency = {**fallback.provisioned_concurrency_gb_second, **self.provisioned_concurrency_gb_second}
        return PriceBook(hosting, concurrency, f"{self.described_as}, else {fallback.described_as}")


def _price(raw: Any, where: str, sources: Mapping[str, str]) -> Price:
    usd, source = (raw.get("usd"), raw.get("source")) if isinstance(raw, Mapping) else (None, None)
    if isinstance(usd, bool) or not isinstance(usd, int | float) or usd <= 0:
        raise PriceBookError(f"{where}: the price must be a positive number of US dollars, not {usd!r}")
    if not isinstance(source, str) or source not in sources:
        raise PriceBookError(f"{where}: source {source!r} is not one of the snapshot's sources")
    return Price(float(usd), sources[source])


def price_book_from_snapshot(data: Mapping[str, Any]) -> PriceBook:
    """The snapshot's JSON: ``sources`` (id -> citation) and prices that each name one of them."""
    sources = {str(key): str(value) for key, value in (data.get("sources") or {}).items()}
    hosting = {
        region: {kind: _price(raw, f"{region} {kind}", sources) for kind, raw in prices.items()}
        for region, prices in (data.get("hosting_usd_per_instance_hour") or {}).items()
    }
    concurrency = {
        region: _price(raw, f"{region} provisioned concurrency", sources)
        for region, raw in (data.get("provisioned_concurrency_usd_per_gb_second") or {}).items()
    }
    return PriceBook(hosting, concurrency, f"price snapshot of {data.get('as_of', 'an unknown date')}")
