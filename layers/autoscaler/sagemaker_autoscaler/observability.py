"""The Powertools logger, metrics and tracer, shared by the package and the handlers."""

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "sagemaker-autoscaler"

logger = Logger(service=SERVICE)
metrics = Metrics(service=SERVICE)
tracer = Tracer(service=SERVICE)
