"""The account's coming week in money: every billing unit's saving under the plans the app makes for it.

Read-only. The inventory is the one the account-wide run reads; each resource is planned by the same
pure planner; what follows from the plans is counted by ``core.costs``. A resource whose reads fail is
reported by the runner and left out; the others are counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from sagemaker_autoscaler.core.costs import Saving, baseline_of, variant_saving
from sagemaker_autoscaler.core.domain import Plan, ResourceKind, ScalableResource
from sagemaker_autoscaler.core.host_costs import HostedComponent, host_saving
from sagemaker_autoscaler.core.planner import plan_resource
from sagemaker_autoscaler.core.prices import PriceBook
from sagemaker_autoscaler.core.sagemaker_resources import component_running_copies, managed_instance_scaling
from sagemaker_autoscaler.engine.account_run import Inventory, read_inventory
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.runner import Runner

WEEK = timedelta(days=7)


class AccountWeek(Struct):
    start: datetime
    end: datetime
    prices: str  # where the prices come from
    savings: list[Saving] = field(default_factory=list)
    failed: int = 0  # resources that could not be read or counted (reported by the runner)
    # Endpoints in transition or whose reads failed: not counted this time.
    not_counted: list[str] = field(default_factory=list)


def _variant_config(inventory: Inventory, resource: ScalableResource) -> dict[str, Any]:
    _, config = inventory.configs.get(resource.endpoint_name, ({}, None))
    variants = (config or {}).get("ProductionVariants", [])
    return next((v for v in variants if v.get("VariantName") == resource.variant_name), {})


def _with_copies(resource: ScalableResource, deps: Dependencies) -> ScalableResource:
    """Components listed account-wide do not say how many copies they run; ask, once each."""
    if resource.running_capacity is not None or resource.component_name is None:
        return resource
    described = deps.sagemaker.describe_inference_component(resource.component_name) or {}
    return replace(resource, running_capacity=component_running_copies(described))


def _hosted(plan: Plan) -> HostedComponent:
    low = plan.phases.open_bounds[0] if plan.phases else 0
    return HostedComponent(plan, baseline_of(plan.resource.running_capacity, low))


class _Week(Struct):
    deps: Dependencies
    inventory: Inventory
    prices: PriceBook
    region: str
    start: datetime
    end: datetime
    describe_components: bool = True

    def plan(self, resource: ScalableResource) -> Plan:
        if self.describe_components:
            resource = _with_copies(resource, self.deps)
        return plan_resource(resource, self.deps.settings, self.start)

    def saving(self, plan: Plan, components: list[Plan], unseen: list[str]) -> Saving:
        resource = plan.resource
        variant = _variant_config(self.inventory, resource)
        instance_type = variant.get("InstanceType")
        if resource.kind is ResourceKind.SERVERLESS_VARIANT:
            memory = (variant.get("ServerlessConfig") or {}).get("MemorySizeInMB")
            price = self.prices.provisioned_concurrency_hour(self.region, memory)
            return variant_saving(plan, None, price, self.start, self.end)
        price = self.prices.instance_hour(self.region, instance_type)
        if resource.kind is ResourceKind.COMPONENT_HOST_VARIANT:
            # The variant's managed instance scaling, from its config (else as its components saw it).
            scaling = managed_instance_scaling(variant) if variant else None
            seen = [c.resource.host_instance_scaling for c in components if c.resource.host_instance_scaling]
            host = replace(resource, host_instance_scaling=scaling or next(iter(seen), None))
            hosted = [_hosted(component) for component in components]
            host_plan = replace(plan, resource=host)
            return host_saving(host_plan, instance_type, hosted, price, self.start, self.end, unseen)
        return variant_saving(plan, instance_type, price, self.start, self.end)


def account_week(
    deps: Dependencies,
    prices: PriceBook,
    region: str,
    inventory: Inventory | None = None,
    describe_components: bool | None = None,
) -> AccountWeek:
    """Every billing unit's week from now, under the app's plans and the given prices. Given the inventory
    an account-wide run already read, it reads the account no more; then, unless ``describe_components``,
    a component whose copies that listing does not say is counted at its business-hours minimum or one
    copy (the periodic estimate does so; the report reads them)."""
    runner = Runner(deps)
    read = inventory is None
    inventory = read_inventory(deps, runner) if inventory is None else inventory
    start = deps.clock()
    describe = read if describe_components is None else describe_components
    week = _Week(deps, inventory, prices, region, start, start + WEEK, describe_components=describe)
    variants: list[Plan] = []
    components: dict[tuple[str, str], list[Plan]] = defaultdict(list)
    unseen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rid in sorted(inventory.protected_components):
        if rid in inventory.component_hosts:
            unseen[inventory.component_hosts[rid]].append(rid.split("/", 1)[1])
    for candidate in inventory.candidates:
        resource = candidate.resource
        ok, plan = runner.attempt(resource.resource_id, partial(week.plan, resource))
        if not ok:
            if resource.component_name is not None:
                unseen[(resource.endpoint_name, resource.variant_name)].append(resource.component_name)
            continue
        if resource.kind is ResourceKind.INFERENCE_COMPONENT:
            components[(resource.endpoint_name, resource.variant_name)].append(plan)
        else:
            variants.append(plan)
    result = AccountWeek(
        start, week.end, prices.described_as, not_counted=sorted(inventory.protected_endpoints)
    )
    for plan in variants:
        resource = plan.resource
        if resource.kind is ResourceKind.SERVERLESS_VARIANT and not resource.provisioned_concurrency:
            continue  # on-demand serverless bills per request: nothing here for the app to scale
        key = (resource.endpoint_name, resource.variant_name)
        step = partial(week.saving, plan, components.get(key, []), unseen.get(key, []))
        ok, saving = runner.attempt(plan.resource.resource_id, step)
        if ok:
            result.savings.append(saving)
    result.failed = runner.summary.resources_failed
    return result


def instance_types(inventory: Inventory) -> set[str]:
    """The instance types of every variant the inventory's endpoint configs name: what needs a price."""
    return {
        variant["InstanceType"]
        for _, config in inventory.configs.values()
        for variant in (config or {}).get("ProductionVariants", [])
        if variant.get("InstanceType")
    }


def is_in_place(saving: Saving, not_in_place: Collection[str]) -> bool:
    """Whether the scaling a billing unit's saving rests on is in place: none of its scalable resources
    (the variant, or its host's components) has changes pending or failed."""
    variant = f"endpoint/{saving.endpoint}/variant/{saving.variant}"
    resources = [variant, *(f"inference-component/{name}" for name in saving.components)]
    return all(resource not in not_in_place for resource in resources)


def in_place(week: AccountWeek, not_in_place: Collection[str]) -> AccountWeek:
    """The week without the units whose scaling is not in place (changes pending, or failed)."""
    return replace(week, savings=[s for s in week.savings if is_in_place(s, not_in_place)])


def week_totals(week: AccountWeek) -> tuple[float, float, int]:
    """The priced units' average spend per hour over the week (at most: under the scheduled maxima),
    their saving over the week, and how many units have no price."""
    priced = [s for s in week.savings if s.price is not None]
    spend = sum(s.usd(s.hours.scheduled) or 0.0 for s in priced)
    hours = (week.end - week.start).total_seconds() / 3600
    return spend / hours, sum(s.saved_usd_week or 0.0 for s in priced), len(week.savings) - len(priced)


def running_capacity(inventory: Inventory) -> tuple[int, int]:
    """Instances of every instance-based variant (component hosts included) and provisioned concurrency
    of every serverless variant, as the run read them."""
    instances = concurrency = 0
    for candidate in inventory.candidates:
        resource = candidate.resource
        if resource.kind is ResourceKind.SERVERLESS_VARIANT:
            concurrency += resource.running_capacity or 0
        elif resource.kind is not ResourceKind.INFERENCE_COMPONENT:
            instances += resource.running_capacity or 0
    return instances, concurrency
