"""Refresh the price snapshot from AWS's Price List Query API.

    scripts/refresh_prices.sh [--regions eu-west-1,us-east-1] [--instance-types ml.g5.12xlarge,...]

For each Region and instance type (by default those the snapshot already holds), the API's on-demand
SageMaker hosting price replaces the snapshot's, citing the API and the day it was read. A price the API
does not give exactly (none, or more than one) keeps the snapshot's entry and its source. Needs
credentials allowed ``pricing:GetProducts``; it writes only the snapshot file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sagemaker_autoscaler.aws.pricing import SERVICE_CODE, SNAPSHOT_PATH, PriceList


def refreshed(
    snapshot: dict[str, Any], prices: PriceList, regions: Sequence[str], kinds: Sequence[str], today: str
) -> int:
    """Update ``snapshot`` in place from the API; the number of prices it now cites from the API."""
    source_id = f"aws-price-list-api-{today}"
    hosting = snapshot.setdefault("hosting_usd_per_instance_hour", {})
    updated = 0
    for region in regions:
        for kind in kinds:
            price = prices.hosting_price(region, kind)
            if price is not None:
                hosting.setdefault(region, {})[kind] = {"usd": price.usd, "source": source_id}
                updated += 1
    if updated:
        snapshot.setdefault("sources", {})[source_id] = (
            f"AWS Price List Query API (pricing:GetProducts, {SERVICE_CODE}, component Hosting), read {today}"
        )
        # as_of stays the oldest date a price may be from; "refreshed" says when some were renewed.
        snapshot["refreshed"] = today
    return updated


def _listed(text: str | None, default: Sequence[str]) -> list[str]:
    return sorted(default) if not text else [item.strip() for item in text.split(",") if item.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--regions", help="comma-separated Regions (default: the snapshot's)")
    parser.add_argument("--instance-types", help="comma-separated instance types (default: the snapshot's)")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT_PATH)
    args = parser.parse_args(argv)
    snapshot = json.loads(args.snapshot.read_text(encoding="utf-8"))
    held = snapshot.get("hosting_usd_per_instance_hour", {})
    regions = _listed(args.regions, list(held))
    kinds = _listed(args.instance_types, sorted({kind for prices in held.values() for kind in prices}))
    print(f"Asking the Price List API for {len(kinds)} instance type(s) in {', '.join(regions)}...")
    updated = refreshed(snapshot, PriceList(), regions, kinds, datetime.now(UTC).date().isoformat())
    args.snapshot.write_text(json.dumps(snapshot, indent=2) + "\n", encoding="utf-8")
    print(f"{updated} price(s) now cite the Price List API; the others keep their source: {args.snapshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
