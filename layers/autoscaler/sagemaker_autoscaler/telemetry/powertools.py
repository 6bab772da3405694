"""The Powertools logger, metrics and tracer, shared by the package and the handlers."""

import os

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "sagemaker-autoscaler"
METRICS_NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "SageMakerAutoscaler"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)
tracer = Tracer(service=SERVICE)
