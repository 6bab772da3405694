"""Property: whatever the order, duplication and timing of the events, the event path ends in the desired
state that SageMaker's final state calls for.

Each example builds a fresh emulated account with 10-12 resources (real-time, async, serverless with and
without provisioned concurrency, inference components), then applies a random sequence of SageMaker
changes (create, update to a new config, tag changes, delete) and event deliveries (random subsets in
random order, duplicates of old events), then delivers whatever is left, and once more nothing. Then:

* nothing is dead-lettered or left on the queue;
* the periodic reconcile, which plans every resource from what SageMaker says now, finds nothing to write
  (so every target, policy, alarm and scheduled action is what ``plan_resource`` wants);
* nothing is orphaned: no alarm without its policy, no policy without its target, and nothing of the
  app's for a resource that no longer exists.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonpath_ng import ext as jsonpath_ext

from local_account import aws_events, moto_gaps, resources
from local_account import template as local_template
from local_account.emulated import REGION
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.account import emulated_account
from tests.support.faults import orphans
from tests.support.functions import run_reconcile

HOST = "llm-host"
KINDS = ("realtime", "async", "serverless-pc", "serverless", "component")
TAGS = (
    ("autoscaler:max-capacity", ("2", "3", "6", "8")),
    ("autoscaler:min-capacity", ("0", "1", "2")),
    ("autoscaler:enabled", ("false", "true")),
    ("autoscaler:schedule", ("Mon-Fri 08:00-19:00", "Sat-Sun 10:00-14:00 Europe/Berlin")),
    ("autoscaler:target-value", ("10", "0.5")),
    ("autoscaler:off-hours", ("zero", "idle")),
)
TAG_KEYS = tuple(key for key, _ in TAGS)


@dataclass
class Slot:
    name: str
    kind: str
    exists: bool = False
    generation: int = 0
    variant: str = "AllTraffic"

    @property
    def arn(self) -> str:
        if self.kind == "component":
            return aws_events.component_arn(self.name)
        return aws_events.endpoint_arn(self.name)


@dataclass
class World:
    """The account as the test drives it, and the events SageMaker and CloudTrail owe the app."""

    sagemaker: Any
    stack: EmulatedStack
    slots: list[Slot]
    pending: list[dict[str, Any]] = field(default_factory=list)
    published: list[dict[str, Any]] = field(default_factory=list)

    def create(self, slot: Slot) -> None:
        slot.generation += 1
        slot.exists = True
        model = resources.create_model(self.sagemaker, f"{slot.name}-m{slot.generation}")
        if slot.kind == "component":
            self.sagemaker.create_inference_component(
                InferenceComponentName=slot.name,
                EndpointName=HOST,
                VariantName="AllTraffic",
                Specification={
                    "ModelName": model,
                    "ComputeResourceRequirements": {
                        "NumberOfAcceleratorDevicesRequired": 1,
                        "MinMemoryRequiredInMb": 1024,
                    },
                },
                RuntimeConfig={"CopyCount": 1},
            )
            self.pending.append(aws_events.component_call("CreateInferenceComponent", slot.name, HOST))
            return
        self.sagemaker.create_endpoint(EndpointName=slot.name, EndpointConfigName=self.config(slot, model))
        self.pending.append(aws_events.endpoint_state_change(slot.name, "IN_SERVICE"))

    def config(self, slot: Slot, model: str) -> str:
        """A new endpoint config for the slot (configs are immutable: one per change)."""
        name = f"{slot.name}-c{slot.generation}-{slot.variant}"
        variant: dict[str, Any] = {"VariantName": slot.variant, "ModelName": model}
        extra: dict[str, Any] = {}
        if slot.kind.startswith("serverless"):
            serverless: dict[str, Any] = {"MemorySizeInMB": 2048, "MaxConcurrency": 5}
            if slot.kind == "serverless-pc":
                serverless["ProvisionedConcurrency"] = 2
            variant["ServerlessConfig"] = serverless
        else:
            variant.update(InstanceType="ml.g5.xlarge", InitialInstanceCount=1)
        if slot.kind == "async":
            extra["AsyncInferenceConfig"] = {"OutputConfig": {"S3OutputPath": f"s3://out/{slot.name}/"}}
        self.sagemaker.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[variant], **extra)
        return name

    def update(self, slot: Slot) -> None:
        slot.generation += 1
        if slot.kind == "component":
            self.sagemaker.update_inference_component(
                InferenceComponentName=slot.name, RuntimeConfig={"CopyCount": 1 + slot.generation % 3}
            )
            self.pending.append(aws_events.component_call("UpdateInferenceComponent", slot.name, HOST))
            return
        # A blue/green update that renames the variant: the old one's scaling must go, the new one's come.
        slot.variant = "Blue" if slot.variant != "Blue" else "AllTraffic"
        model = resources.create_model(self.sagemaker, f"{slot.name}-m{slot.generation}")
        self.sagemaker.update_endpoint(EndpointName=slot.name, EndpointConfigName=self.config(slot, model))
        self.pending.append(aws_events.endpoint_state_change(slot.name, "IN_SERVICE"))

    def tag(self, slot: Slot, key: str, value: str) -> None:
        self.sagemaker.add_tags(ResourceArn=slot.arn, Tags=[{"Key": key, "Value": value}])
        self.pending.append(aws_events.tags_call("AddTags", slot.arn, {key: value}))

    def untag(self, slot: Slot, key: str) -> None:
        self.sagemaker.delete_tags(ResourceArn=slot.arn, TagKeys=[key])
        self.pending.append(aws_events.tags_call("DeleteTags", slot.arn, {key: ""}))

    def delete(self, slot: Slot) -> None:
        slot.exists = False
        if slot.kind == "component":
            self.sagemaker.delete_inference_component(InferenceComponentName=slot.name)
            self.pending.append(aws_events.component_call("DeleteInferenceComponent", slot.name, HOST))
            return
        self.sagemaker.delete_endpoint(EndpointName=slot.name)
        self.pending.append(aws_events.endpoint_state_change(slot.name, "DELETING"))

    def deliver(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            self.pending.remove(event)
        self.published.extend(events)
        if events:
            self.stack.publish(*events)
        self.stack.drain()


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The environment restored after the test (each example's EmulatedStack sets variables of its own),
    and two parse caches: each example builds a new EmulatedStack, which reads template.yaml, and moto
    parses the same JSONPath expressions for every event it routes. Neither changes what is tested.
    The account itself is made per example, with ``emulated_account`` (what the ``aws`` fixture uses): a
    fixture would be made once per test, for all its examples."""
    saved = dict(os.environ)
    template = local_template.load_template()
    monkeypatch.setattr(local_template, "load_template", lambda path=None: copy.deepcopy(template))
    monkeypatch.setattr(jsonpath_ext, "parse", functools.lru_cache(maxsize=256)(jsonpath_ext.parse))
    monkeypatch.delenv("AUTOSCALER_QUEUE_URL", raising=False)
    yield
    os.environ.clear()
    os.environ.update(saved)


slot_index = st.integers(min_value=0, max_value=11)
step = st.one_of(
    st.tuples(st.just("create"), slot_index),
    st.tuples(st.just("update"), slot_index),
    st.tuples(st.just("tag"), slot_index, st.sampled_from(TAGS), st.integers(0, 3)),
    st.tuples(st.just("untag"), slot_index, st.sampled_from(TAG_KEYS)),
    st.tuples(st.just("delete"), slot_index),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("deliver"), st.integers(0, 10_000)),
)


# Two account set-ups, 150 examples each: 300 in all, and the two halves run in parallel under
# ``pytest -n 2`` (scripts/test.sh). An example costs about a second in the in-process emulator.
ACCOUNTS = {
    "defaults": {},
    "business-hours-zero": {
        "AUTOSCALER_SCHEDULE": "Mon-Fri 08:00-19:00 Europe/Berlin",
        "AUTOSCALER_OFF_HOURS_MODE": "zero",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize("account", sorted(ACCOUNTS))
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=10, max_size=12),
    steps=st.lists(step, min_size=5, max_size=25),
    data=st.data(),
)
def test_any_interleaving_of_events_ends_in_the_desired_state(
    environment: None,
    account: str,
    kinds: list[str],
    steps: list[tuple[Any, ...]],
    data: st.DataObject,
) -> None:
    with freeze_time("2026-03-03 20:30:00"), emulated_account() as recorder:
        # Given a fresh account with the stack, and 10-12 resources created (their events not yet delivered)
        moto_gaps.set_inference_component_ready_after(0)
        stack = EmulatedStack(REGION, environment_overrides=ACCOUNTS[account])
        stack.reset_dependencies()
        sagemaker = boto3.client("sagemaker", region_name=REGION)
        resources.create_component_endpoint(sagemaker, HOST)
        world = World(sagemaker, stack, [Slot(f"model-{i:02d}", kind) for i, kind in enumerate(kinds)])
        for slot in world.slots:
            world.create(slot)
        # When SageMaker changes and events are delivered in random subsets, orders and duplicates
        for action, *args in steps:
            if action == "duplicate":
                if world.published:  # EventBridge delivers at least once: an old event, again
                    stack.publish(world.published[args[0] % len(world.published)])
                continue
            if action == "deliver":
                owed = (
                    st.lists(st.sampled_from(world.pending), unique_by=id) if world.pending else st.just([])
                )
                world.deliver(data.draw(owed))
                continue
            slot = world.slots[args[0] % len(world.slots)]
            if action == "create":
                if not slot.exists:
                    world.create(slot)
            elif not slot.exists:
                continue
            elif action == "update":
                world.update(slot)
            elif action == "tag":
                (key, values), choice = args[1], args[2]
                world.tag(slot, key, values[choice % len(values)])
            elif action == "untag":
                world.untag(slot, args[1])
            elif action == "delete":
                world.delete(slot)
        # ...then everything still owed, in a random order, and then one more delivery of nothing
        world.deliver(data.draw(st.permutations(world.pending)))
        world.deliver([])
        # Then nothing failed for good and nothing is waiting
        assert stack.dead_letters() == []
        assert stack.pending() == 0
        # And the state is the desired one: the periodic reconcile, planning from SageMaker, writes nothing
        recorder.clear()
        summary = run_reconcile()
        assert recorder.writes() == [], summary
        # And nothing is orphaned, nor kept for a resource that is gone
        live = {
            f"inference-component/{s.name}"
            if s.kind == "component"
            else f"endpoint/{s.name}/variant/{s.variant}"
            for s in world.slots
            if s.exists
        }
        state = describe_scaling(full=True)
        assert orphans(state, live) == []
        for slot in world.slots:
            if not slot.exists:
                assert not [key for key in state["targets"] if slot.name in key], slot
