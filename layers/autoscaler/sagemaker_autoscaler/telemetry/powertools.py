"""The Powertools logger and metrics, shared by the package and the handlers.

No Powertools Tracer: it is built on the AWS X-Ray SDK (in maintenance mode, and most of a handler's
import time). Tracing comes from Lambda itself (`Tracing: Active` in template.yaml records the sampled
invocations with no SDK in the function), and span-level tracing of AWS calls is the stack's opt-in
OpenTelemetry layer (`AdotLayerArn`), which instruments botocore from outside the code.
"""

import os

from aws_lambda_powertools import Logger, Metrics

SERVICE = "sagemaker-autoscaler"
METRICS_NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "SageMakerAutoscaler"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)
