"""The demo: sagemaker-autoscaler's main job, offline, on an emulated AWS account.

It starts the emulator (moto plus the project's gap layer) on 127.0.0.1, deploys the stack's rules and
queues from template.yaml, creates a realistic mix of SageMaker resources, delivers their events through
the template's own rules to the real handler, and prints the resulting scaling state and the action log.
Then it deletes one endpoint and shows the clean-up.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REGION = "eu-west-1"
ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def emulated_account() -> Iterator[str]:
    """Start the emulator on a free loopback port; point every AWS client of this process at it."""
    from moto.server import ThreadedMotoServer

    from local_account import moto_gaps

    moto_gaps.install()
    # The emulator's HTTP request log would drown the demo's tables.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    os.environ.update(
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID="demo",
        AWS_SECRET_ACCESS_KEY="demo",
        AWS_DEFAULT_REGION=REGION,
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_METRICS_NAMESPACE="SageMakerAutoscaler",
    )
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    try:
        yield url
    finally:
        server.stop()


def scaling_rows() -> list[list[Any]]:
    from local_account.stack import describe_scaling

    state = describe_scaling()
    alarms = state.pop("_alarms")
    rows = []
    for resource_id, target in sorted(state.items()):
        owner = "app" if target["tags"].get("managed-by") == "sagemaker-autoscaler" else "someone else"
        own_alarms = [
            a.rsplit("/", 1)[-1] for a in alarms if a.startswith(f"sagemaker-autoscaler-{resource_id}/")
        ]
        rows.append(
            [
                resource_id,
                target["dimension"].split(":")[-1],
                target["min"],
                target["max"],
                owner,
                ", ".join(p.removeprefix("sagemaker-autoscaler-") for p in target["policies"]) or "-",
                ", ".join(own_alarms) or "-",
            ]
        )
    return rows


def print_state(title: str) -> None:
    from sagemaker_autoscaler_cli.render import table

    print(f"\n{title}")
    rows = scaling_rows()
    if not rows:
        print("  (no scalable targets)")
        return
    print(table(["resource", "dimension", "min", "max", "owner", "policies", "alarms"], rows))


def print_actions(entries: list[dict[str, Any]]) -> None:
    from sagemaker_autoscaler_cli.render import describe_value, table

    rows = []
    for entry in entries:
        if entry["action"] == "Decision":
            if entry["decision"] in {"configured", "released"}:
                continue  # the changes above it already say so
            rows.append([entry["decision"], entry["resource_id"], "", "", entry["reason"]])
        elif entry["action"] == "Warning":
            rows.append(["warning", entry["resource_id"], "", "", entry["message"]])
        elif entry["action"] == "ConfigProblem":
            rows.append(
                ["tag " + entry["severity"], entry["resource_id"], entry["value"], "", entry["message"]]
            )
        else:
            rows.append(
                [
                    entry["action"],
                    entry["resource_id"],
                    describe_value(entry["old"]),
                    describe_value(entry["new"]),
                    entry["outcome"],
                ]
            )
    print(table(["action", "resource", "old", "new", "outcome / reason"], rows))


def print_week(out_dir: Path) -> None:
    """The coming week of every scheduled resource, replayed from the scheduled actions the app wrote."""
    from local_account.preview import plot_png, render_text, resource_weeks

    scheduled = [
        week for week in resource_weeks() if len({(h.min_capacity, h.max_capacity) for h in week.hours}) > 1
    ]
    print("\nThe week ahead, replayed from the scheduled actions the app wrote (in each resource's zone):")
    print(render_text(scheduled))
    png = plot_png(scheduled, out_dir / "week-preview.png")
    print(f"Chart: {png}")


def deliver(stack: Any, quiet_logs: io.TextIOBase, timeout_seconds: float = 30.0) -> None:
    """Drain the queue until nothing is pending, including delayed rechecks (the demo uses 1 s delays)."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        with contextlib.redirect_stdout(quiet_logs):
            stack.drain()
        if stack.pending() == 0 or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def show_plan(url: str, title: str) -> int:
    """What ``sagemaker-autoscaler plan`` prints for the emulated account (it only reads)."""
    from sagemaker_autoscaler_cli.main import EXIT_CHANGES, main

    print(f"\n{title}\n$ sagemaker-autoscaler plan --endpoint-url {url} --region {REGION}")
    code = main(["plan", "--endpoint-url", url, "--region", REGION])
    print(f"(exit code {code}: {'changes pending' if code == EXIT_CHANGES else 'nothing pending'})")
    return code


def run(log_path: Path) -> int:
    with emulated_account() as url:
        import boto3

        from local_account import aws_events
        from local_account.demo_account import DESCRIPTION, create_demo_account, deploy_mistral
        from local_account.stack import EmulatedStack
        from sagemaker_autoscaler.telemetry.powertools import logger
        from sagemaker_autoscaler_cli.main import main as cli

        log_path.parent.mkdir(parents=True, exist_ok=True)
        logs = log_path.open("w")
        # The structured JSON logs and EMF metrics go to a file; the terminal gets readable tables.
        logger.registered_handler.setStream(logs)  # type: ignore[attr-defined]

        print(f"Emulated AWS account 123456789012 ({REGION}) listening on {url}")
        # A short recheck delay so the demo shows a component that is still loading without a long wait.
        stack = EmulatedStack(REGION, environment_overrides={"AUTOSCALER_RECHECK_DELAY_SECONDS": "1"})
        print(f"Deployed from template.yaml: rules {', '.join(stack.rule_names)} -> queue -> handler")

        sagemaker = boto3.client("sagemaker", region_name=REGION)
        autoscaling = boto3.client("application-autoscaling", region_name=REGION)
        account = create_demo_account(sagemaker, autoscaling, with_mistral=False)
        print(f"\nCreated: {DESCRIPTION}")

        show_plan(url, "Before the first write, what would the app do? (read-only)")

        # Mistral-7B is deployed now, and its weights take a moment to load (the demo's 5 s stand for
        # the 5 to 20 minutes of a real model): its creation is reported while it is still Creating.
        deploy_mistral(sagemaker, loading_seconds=5)
        stack.publish(*account.events())
        before = len(stack.journal_entries)
        deliver(stack, logs)
        print_state("Scaling state after the events were delivered (WriteMode apply):")
        print("\nAction log:")
        print_actions(list(stack.journal_entries)[before:])

        print_week(log_path.parent)

        print("\nDelivering the same events again (duplicates are normal with EventBridge)...")
        stack.publish(aws_events.endpoint_state_change("Doc-Embeddings", "IN_SERVICE"))
        before = len(stack.journal_entries)
        deliver(stack, logs)
        writes = [
            e
            for e in list(stack.journal_entries)[before:]
            if e["action"] not in {"Decision", "ConfigProblem", "Warning"}
        ]
        print(f"  writes made: {len(writes)}")
        show_plan(url, "And the plan now:")

        print("\nDeleting endpoint Doc-Embeddings...")
        sagemaker.delete_endpoint(EndpointName="Doc-Embeddings")
        stack.publish(aws_events.endpoint_state_change("Doc-Embeddings", "DELETING"))
        before = len(stack.journal_entries)
        deliver(stack, logs)
        print_actions(list(stack.journal_entries)[before:])
        print("\nWhat the app manages now:")
        print(f"$ sagemaker-autoscaler status --endpoint-url {url} --region {REGION}")
        cli(["status", "--endpoint-url", url, "--region", REGION])
        logs.close()
        print(f"\nStructured logs and EMF metrics of every invocation: {log_path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--log-file", type=Path, default=ROOT / "out" / "demo-logs.jsonl")
    args = parser.parse_args(argv)
    return run(args.log_file)


if __name__ == "__main__":
    sys.exit(main())
