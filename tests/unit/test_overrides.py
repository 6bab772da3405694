"""Tag overrides: pure tests of tags + account settings -> resource configuration."""

import pytest

from sagemaker_autoscaler.core.domain import Severity
from sagemaker_autoscaler.core.overrides import merge_tags, resolve_config
from sagemaker_autoscaler.core.settings import ManagementMode, MetricChoice, Settings

DEFAULTS = Settings(min_capacity=1, max_capacity=4)


def test_no_tags_gives_the_account_defaults() -> None:
    # Given no tags / When resolved
    config, problems = resolve_config({}, DEFAULTS)
    # Then everything comes from the account settings
    assert (config.enabled, config.min_capacity, config.max_capacity) == (True, 1, 4)
    assert config.metric is None and config.target_value is None
    assert (config.scale_in_cooldown, config.scale_out_cooldown) == (300, 60)
    assert problems == ()


def test_every_setting_can_be_overridden_by_tag() -> None:
    tags = {
        "autoscaler:min-capacity": "0",
        "autoscaler:max-capacity": "12",
        "autoscaler:metric": "Concurrency",
        "autoscaler:target-value": "2.5",
        "autoscaler:scale-in-cooldown": "600",
        "autoscaler:scale-out-cooldown": " 30 ",
        "team": "nlp",
    }
    config, problems = resolve_config(tags, DEFAULTS)
    assert (config.min_capacity, config.max_capacity) == (0, 12)
    assert config.metric is MetricChoice.CONCURRENCY
    assert config.target_value == 2.5
    assert (config.scale_in_cooldown, config.scale_out_cooldown) == (600, 30)
    assert problems == ()
    assert "min-capacity" in config.from_tags


def test_a_custom_prefix_is_honoured_and_the_default_prefix_then_means_nothing() -> None:
    settings = Settings(tag_prefix="platform/scaling.")
    config, problems = resolve_config(
        {"platform/scaling.max-capacity": "9", "autoscaler:max-capacity": "2"}, settings
    )
    assert config.max_capacity == 9
    assert problems == ()


@pytest.mark.parametrize(
    ("mode", "tag", "expected"),
    [
        (ManagementMode.OPT_OUT, None, True),
        (ManagementMode.OPT_OUT, "false", False),
        (ManagementMode.OPT_OUT, "Off", False),
        (ManagementMode.OPT_OUT, "no", False),
        (ManagementMode.OPT_IN, None, False),
        (ManagementMode.OPT_IN, "true", True),
        (ManagementMode.OPT_IN, "YES", True),
        (ManagementMode.OPT_IN, "on", True),
    ],
)
def test_opt_in_and_opt_out(mode: ManagementMode, tag: str | None, expected: bool) -> None:
    tags = {} if tag is None else {"autoscaler:enabled": tag}
    config, problems = resolve_config(tags, Settings(mode=mode))
    assert config.enabled is expected
    assert problems == ()


BAD_VALUES = [
    ("min-capacity", "abc", "not a whole number"),
    ("min-capacity", "1.5", "not a whole number"),
    ("min-capacity", "-1", "outside 0..1000"),
    ("min-capacity", "", "not a whole number"),
    ("min-capacity", "1e3", "not a whole number"),
    ("max-capacity", "0", "outside 1..1000"),
    ("max-capacity", "100000", "outside 1..1000"),
    ("max-capacity", "four", "not a whole number"),
    ("max-capacity", "0x10", "not a whole number"),
    ("metric", "cpu", "unknown metric"),
    ("metric", "SageMakerVariantInvocationsPerInstance", "unknown metric"),
    ("target-value", "-5", "greater than 0"),
    ("target-value", "0", "greater than 0"),
    ("target-value", "nan", "finite number"),
    ("target-value", "inf", "finite number"),
    ("target-value", "fast", "not a number"),
    ("scale-in-cooldown", "-60", "outside 0..86400"),
    ("scale-in-cooldown", "5m", "not a whole number"),
    ("scale-out-cooldown", "1000000", "outside 0..86400"),
    ("enabled", "maybe", "not one of true/false"),
    ("enabled", "", "not one of true/false"),
]


@pytest.mark.parametrize(("setting", "value", "message"), BAD_VALUES)
def test_a_bad_tag_value_is_reported_and_the_default_applies(setting: str, value: str, message: str) -> None:
    # Given one bad value among good ones
    tags = {f"autoscaler:{setting}": value, "autoscaler:scale-out-cooldown": "45"}
    if setting == "scale-out-cooldown":
        tags = {f"autoscaler:{setting}": value}
    # When resolved
    config, problems = resolve_config(tags, DEFAULTS)
    # Then exactly that setting is reported, with a message naming the problem...
    assert len(problems) == 1
    problem = problems[0]
    assert problem.setting == f"autoscaler:{setting}"
    assert problem.severity is Severity.INVALID
    assert message in problem.message
    # ...the setting falls back to the account default, and the good tags still apply
    fallback = resolve_config({}, DEFAULTS)[0]
    attribute = setting.replace("-", "_")
    assert getattr(config, attribute) == getattr(fallback, attribute)
    if setting != "scale-out-cooldown":
        assert config.scale_out_cooldown == 45


def test_minimum_above_maximum_falls_back_to_both_defaults() -> None:
    config, problems = resolve_config(
        {"autoscaler:min-capacity": "8", "autoscaler:max-capacity": "3"}, DEFAULTS
    )
    assert (config.min_capacity, config.max_capacity) == (1, 4)
    assert {p.setting for p in problems} == {"autoscaler:min-capacity", "autoscaler:max-capacity"}
    assert all("greater than maximum" in p.message for p in problems)


def test_a_minimum_tag_above_the_default_maximum_is_a_conflict() -> None:
    config, problems = resolve_config({"autoscaler:min-capacity": "6"}, DEFAULTS)
    assert (config.min_capacity, config.max_capacity) == (1, 4)
    assert [p.setting for p in problems] == ["autoscaler:min-capacity"]


def test_an_unknown_setting_under_the_prefix_is_reported_as_ignored() -> None:
    config, problems = resolve_config({"autoscaler:max-capcity": "8"}, DEFAULTS)
    assert config.max_capacity == 4
    assert problems[0].severity is Severity.IGNORED
    assert "unknown setting 'max-capcity'" in problems[0].message


def test_component_tags_win_over_endpoint_tags_key_by_key() -> None:
    merged = merge_tags(
        {"autoscaler:max-capacity": "8", "autoscaler:metric": "invocations"},
        {"autoscaler:max-capacity": "2"},
    )
    assert merged == {"autoscaler:max-capacity": "2", "autoscaler:metric": "invocations"}
