"""sagemaker-autoscaler: gives SageMaker endpoints and inference components autoscaling of their own.

The folders are the layers: ``core`` is the functional core (values in, values out: no boto3, no clock,
no I/O), ``engine`` the imperative shell that reads state, calls the core and applies the difference,
``aws`` one adapter per AWS service, and ``telemetry`` the log lines and metrics. Each Lambda handler in
``functions/`` calls ``engine.environment`` and its own entry module (``engine.messages``,
``engine.periodic`` or ``engine.installation``), and imports nothing the other paths need.
"""
