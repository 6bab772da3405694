"""Unit tests of the generic botocore-model request validator (no moto involved)."""

from __future__ import annotations

from local_account.moto_gaps.model_validation import format_errors, validate_operation_input

AAS = "application-autoscaling"
VALID_REGISTER = {
    "ServiceNamespace": "sagemaker",
    "ResourceId": "inference-component/chat",
    "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
    "MinCapacity": 0,
    "MaxCapacity": 2,
}


def test_valid_request_has_no_errors() -> None:
    assert validate_operation_input(AAS, "RegisterScalableTarget", VALID_REGISTER) == []


def test_missing_required_member_is_named_in_lower_camel_case() -> None:
    params = {k: v for k, v in VALID_REGISTER.items() if k != "ResourceId"}
    errors = validate_operation_input(AAS, "RegisterScalableTarget", params)
    assert errors == ["Value null at 'resourceId' failed to satisfy constraint: Member must not be null"]


def test_enum_violation_lists_the_allowed_values() -> None:
    errors = validate_operation_input(
        AAS, "RegisterScalableTarget", {**VALID_REGISTER, "ServiceNamespace": "s3"}
    )
    assert len(errors) == 1
    assert errors[0].startswith("Value 's3' at 'serviceNamespace' failed to satisfy constraint")
    assert "sagemaker" in errors[0]


def test_numeric_range_of_nested_member() -> None:
    errors = validate_operation_input(
        "sagemaker",
        "CreateInferenceComponent",
        {
            "InferenceComponentName": "chat",
            "EndpointName": "llm",
            "Specification": {"StartupParameters": {"ContainerStartupHealthCheckTimeoutInSeconds": 10}},
        },
    )
    assert errors == [
        "Value '10' at 'specification.startupParameters.containerStartupHealthCheckTimeoutInSeconds' failed "
        "to satisfy constraint: Member must have value greater than or equal to 60"
    ]


def test_numeric_maximum() -> None:
    errors = validate_operation_input("sagemaker", "ListInferenceComponents", {"MaxResults": 101})
    assert errors == [
        "Value '101' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100"
    ]


def test_string_length_and_pattern() -> None:
    long_name = "a" * 64
    errors = validate_operation_input(
        "sagemaker", "DescribeInferenceComponent", {"InferenceComponentName": long_name}
    )
    assert errors == [
        f"Value '{long_name}' at 'inferenceComponentName' failed to satisfy constraint: "
        "Member must have length less than or equal to 63"
    ]
    errors = validate_operation_input(
        "sagemaker", "DescribeInferenceComponent", {"InferenceComponentName": "-x"}
    )
    assert len(errors) == 1
    assert "Member must satisfy regular expression pattern" in errors[0]


def test_list_items_and_list_length_are_checked() -> None:
    errors = validate_operation_input(
        AAS, "DescribeScalingPolicies", {"ServiceNamespace": "sagemaker", "PolicyNames": ["p"] * 51}
    )
    assert errors == [
        f"Value '{['p'] * 51}' at 'policyNames' failed to satisfy constraint: "
        "Member must have length less than or equal to 50"
    ]
    errors = validate_operation_input(
        AAS, "DescribeScalingPolicies", {"ServiceNamespace": "sagemaker", "PolicyNames": [""]}
    )
    assert errors and "policyNames.1.member" in errors[0]


def test_patterns_python_cannot_compile_are_skipped() -> None:
    # ResourceId's pattern uses a Java surrogate range that Python's re rejects.
    assert (
        validate_operation_input(AAS, "RegisterScalableTarget", {**VALID_REGISTER, "ResourceId": "x"}) == []
    )


def test_wrong_types_are_reported() -> None:
    errors = validate_operation_input(AAS, "RegisterScalableTarget", {**VALID_REGISTER, "MinCapacity": "one"})
    assert errors == ["Value 'one' at 'minCapacity' failed to satisfy constraint: Member must be a number"]


def test_format_errors_counts_like_aws() -> None:
    assert format_errors(["a"]) == "1 validation error detected: a"
    assert format_errors(["a", "b"]) == "2 validation errors detected: a; b"
