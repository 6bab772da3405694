"""sagemaker-autoscaler: gives SageMaker endpoints and inference components autoscaling of their own.

The package is a functional core (``planner``, ``overrides``, ``diff``, ``events``) wrapped by a thin
imperative shell (``aws`` adapters, ``reconcile``, ``service``). Lambda handlers in ``functions/`` call
``service`` and nothing else.
"""
