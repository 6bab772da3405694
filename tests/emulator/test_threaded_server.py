"""The gap layer also serves HTTP clients of a ThreadedMotoServer started in this process."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from local_account import moto_gaps
from local_account.emulated import REGION
from tests.emulator.emulator_support import error_code


@pytest.fixture
def server_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    moto_gaps.install()  # after the server started: patches still apply
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        yield url
    finally:
        # The server shares this process's moto backends: leave them empty for other tests.
        urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
        server.stop()
        moto_gaps.reset()


def client(service: str, url: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=url)  # type: ignore[call-overload]


def test_inference_component_and_its_scaling_target_over_http(server_url: str) -> None:
    # Given an endpoint and a component created over HTTP
    sagemaker = client("sagemaker", server_url)
    aas = client("application-autoscaling", server_url)
    sagemaker.create_endpoint_config(
        EndpointConfigName="srv-config",
        ProductionVariants=[
            {"VariantName": "AllTraffic", "InstanceType": "ml.g5.xlarge", "InitialInstanceCount": 1}
        ],
    )
    sagemaker.create_endpoint(EndpointName="srv", EndpointConfigName="srv-config")
    moto_gaps.set_inference_component_ready_after(0)
    sagemaker.create_inference_component(
        InferenceComponentName="srv-chat",
        EndpointName="srv",
        VariantName="AllTraffic",
        Specification={"ModelName": "llama"},
        RuntimeConfig={"CopyCount": 1},
    )
    # When it is described and registered for scaling by copy count
    described = sagemaker.describe_inference_component(InferenceComponentName="srv-chat")
    aas.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="inference-component/srv-chat",
        ScalableDimension="sagemaker:inference-component:DesiredCopyCount",
        MinCapacity=0,
        MaxCapacity=2,
        Tags={"managed-by": "sagemaker-autoscaler"},
    )
    # Then both work as in-process
    assert described["InferenceComponentStatus"] == "InService"
    target = aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"][0]
    assert target["ResourceId"] == "inference-component/srv-chat"
    assert aas.list_tags_for_resource(ResourceARN=target["ScalableTargetARN"])["Tags"] == {
        "managed-by": "sagemaker-autoscaler"
    }
    with pytest.raises(ClientError) as exc:
        aas.deregister_scalable_target(
            ServiceNamespace="sagemaker",
            ResourceId="inference-component/ghost",
            ScalableDimension="sagemaker:inference-component:DesiredCopyCount",
        )
    assert error_code(exc) == "ObjectNotFoundException"
