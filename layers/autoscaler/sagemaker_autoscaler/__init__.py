"""sagemaker-autoscaler: gives SageMaker endpoints and inference components autoscaling of their own.

The folders are the layers: ``core`` is the functional core (values in, values out: no boto3, no clock,
no I/O), ``engine`` the imperative shell that reads state, calls the core and applies the difference,
``aws`` one adapter per AWS service, and ``telemetry`` the log lines and metrics. Lambda handlers in
``functions/`` call ``engine.entrypoints`` and nothing else.
"""
