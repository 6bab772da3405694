"""Prices from AWS's Price List Query API (through a fake client that answers in the API's documented
shape), and the snapshot's checks: an answer that is not exactly one positive hourly price is unknown."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sagemaker_autoscaler.aws.pricing import PriceList, snapshot_prices
from sagemaker_autoscaler.core.costs import Price
from sagemaker_autoscaler.core.prices import PriceBook, PriceBookError, price_book_from_snapshot


def product(usd: str, unit: str = "Hrs") -> str:
    """One PriceList entry: a JSON string, as GetProducts returns it."""
    dimension = {"unit": unit, "pricePerUnit": {"USD": usd}, "description": "a hosting hour"}
    return json.dumps(
        {
            "product": {"attributes": {"component": "Hosting", "instanceName": "ml.g5.12xlarge"}},
            "terms": {"OnDemand": {"SKU.TERM": {"priceDimensions": {"SKU.TERM.RATE": dimension}}}},
        }
    )


class FakePricing:
    """GetProducts answering from a table keyed by the filters' values; it counts the questions."""

    def __init__(self, answers: dict[tuple[str, str], list[str]]) -> None:
        self.answers, self.questions = answers, 0

    def get_paginator(self, operation: str) -> FakePricing:
        assert operation == "get_products"
        return self

    def paginate(self, ServiceCode: str, Filters: list[dict[str, str]]) -> list[dict[str, Any]]:
        assert ServiceCode == "AmazonSageMaker"
        fields = {f["Field"]: f["Value"] for f in Filters}
        assert fields["component"] == "Hosting"
        self.questions += 1
        return [{"PriceList": self.answers.get((fields["regionCode"], fields["instanceName"]), [])}]


def test_a_single_hourly_price_is_read_and_kept_for_the_life_of_the_process() -> None:
    client = FakePricing({("eu-west-1", "ml.g5.12xlarge"): [product("7.9100000000")]})
    prices = PriceList(client)
    first = prices.hosting_price("eu-west-1", "ml.g5.12xlarge")
    again = prices.hosting_price("eu-west-1", "ml.g5.12xlarge")
    assert first is not None and first.usd == pytest.approx(7.91)
    assert "Price List API" in first.source
    assert again == first
    assert client.questions == 1


@pytest.mark.parametrize(
    "answer",
    [
        [],  # no such product in that Region
        [product("0.0000000000")],  # a zero price is not a price
        [product("7.91"), product("8.02")],  # two prices: which one is unknown
        [product("7.91", unit="GB-Mo")],  # not an hourly price
    ],
)
def test_anything_but_one_positive_hourly_price_is_unknown(answer: list[str]) -> None:
    prices = PriceList(FakePricing({("eu-west-1", "ml.g5.12xlarge"): answer}))
    assert prices.hosting_price("eu-west-1", "ml.g5.12xlarge") is None


def test_the_api_answers_first_and_the_snapshot_fills_in_what_it_does_not_know() -> None:
    api = PriceList(FakePricing({("eu-west-1", "ml.g4dn.xlarge"): [product("0.9")]})).book(
        "eu-west-1", ["ml.g4dn.xlarge", "ml.g5.12xlarge"]
    )
    merged = api.merged_over(snapshot_prices())
    assert merged.instance_hour("eu-west-1", "ml.g4dn.xlarge") == Price(
        0.9, api.hosting["eu-west-1"]["ml.g4dn.xlarge"].source
    )
    cited = merged.instance_hour("eu-west-1", "ml.g5.12xlarge")
    assert cited is not None and cited.usd == 7.91 and "sagemaker-ssh-helper" in cited.source


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"usd": 0, "source": "a"}, "positive"),
        ({"usd": "1.2", "source": "a"}, "positive"),
        ({"usd": 1.2, "source": "nowhere"}, "not one of the snapshot's sources"),
    ],
)
def test_a_snapshot_price_without_a_positive_amount_or_a_known_source_is_refused(
    raw: dict[str, Any], message: str
) -> None:
    data = {"sources": {"a": "somewhere"}, "hosting_usd_per_instance_hour": {"eu-west-1": {"ml.x": raw}}}
    with pytest.raises(PriceBookError, match=message):
        price_book_from_snapshot(data)


def test_an_empty_book_knows_no_price() -> None:
    assert PriceBook().instance_hour("eu-west-1", "ml.g5.12xlarge") is None
    assert PriceBook().provisioned_concurrency_hour("eu-west-1", 2048) is None


def test_the_refresh_replaces_what_the_api_answers_and_keeps_the_rest_with_its_source(tmp_path: Any) -> None:
    from sagemaker_autoscaler.aws.pricing import SNAPSHOT_PATH
    from sagemaker_autoscaler_cli.refresh_prices import refreshed

    # Given the shipped snapshot, and an API that knows one of its prices
    snapshot = json.loads(SNAPSHOT_PATH.read_text())
    api = PriceList(FakePricing({("eu-west-1", "ml.g5.12xlarge"): [product("8.1")]}))
    # When it is refreshed
    updated = refreshed(snapshot, api, ["eu-west-1"], ["ml.g5.12xlarge", "ml.g4dn.xlarge"], "2026-12-02")
    # Then that price cites the API and the day, the other keeps its own source, and the book reads both
    assert updated == 1
    assert snapshot["as_of"] == "2023-12" and snapshot["refreshed"] == "2026-12-02"  # the oldest stays
    book = price_book_from_snapshot(snapshot)
    fresh, kept = (
        book.instance_hour("eu-west-1", "ml.g5.12xlarge"),
        book.instance_hour("eu-west-1", "ml.g4dn.xlarge"),
    )
    assert (
        fresh is not None
        and fresh.usd == 8.1
        and "Price List Query API" in fresh.source
        and "2026-12-02" in fresh.source
    )
    assert kept is not None and kept.usd == 0.821 and "sagemaker-ssh-helper" in kept.source
