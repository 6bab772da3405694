"""CloudWatch alarm fixes for moto.

Checked against what the project needs (alarms in ``AWS/SageMaker`` with Period 30/60,
AlarmActions = a scaling-policy ARN, Tags, DescribeAlarms with AlarmNamePrefix,
DeleteAlarms, alarm tag calls).  Those work in moto 5.2 except:

* DeleteAlarms naming an alarm that does not exist: moto deletes the others and succeeds;
  real CloudWatch answers ``ResourceNotFound`` and deletes nothing.
* DeleteAlarms leaves the alarm's tags in moto's tagger, so a re-created alarm of the same
  name inherits them.
* PutMetricAlarm on an *existing* alarm applies ``Tags``; real CloudWatch ignores them on
  update (TagResource is the way to change them).
* PutMetricAlarm accepts any Period; real CloudWatch accepts 10, 20, 30 or a multiple of 60.
* ListTagsForResource on an alarm ARN that does not exist returns no tags instead of
  ``ResourceNotFoundException``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.cloudwatch.exceptions import ResourceNotFoundException, ValidationError
from moto.cloudwatch.models import CloudWatchBackend, cloudwatch_backends
from moto.cloudwatch.responses import CloudWatchResponse

from .errors import CloudWatchResourceNotFound

_MARK = "__gap_patched__"


def _backend(response: Any) -> CloudWatchBackend:
    return cloudwatch_backends[response.current_account][response.region]


def _valid_period(period: int) -> bool:
    return period in (10, 20, 30) or (period > 0 and period % 60 == 0)


def _wrap_put_metric_alarm(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(original)
    def put_metric_alarm(self: Any) -> Any:
        period = self._get_param("Period")
        if period is not None and not _valid_period(int(period)):
            raise ValidationError(f"Period ({period}) must be 10, 20, 30 or a multiple of 60")
        if self._get_param("AlarmName") in _backend(self).alarms and isinstance(self.params, dict):
            self.params.pop("Tags", None)
        return original(self)

    return put_metric_alarm


def _wrap_delete_alarms(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(original)
    def delete_alarms(self: Any) -> Any:
        backend = _backend(self)
        names = list(self._get_param("AlarmNames", []) or [])
        missing = [name for name in names if name not in backend.alarms]
        if missing:
            raise CloudWatchResourceNotFound(f"{len(missing)} of {len(names)} alarms not found: {missing}")
        arns = [backend.alarms[name].alarm_arn for name in names]
        result = original(self)
        for arn in arns:
            backend.tagger.delete_all_tags_for_resource(arn)
        return result

    return delete_alarms


def _wrap_list_tags(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(original)
    def list_tags_for_resource(self: Any) -> Any:
        arn = self._get_param("ResourceARN") or ""
        if ":alarm:" in arn:
            known = {alarm.alarm_arn for alarm in _backend(self).alarms.values()}
            if arn not in known:
                raise ResourceNotFoundException()
        return original(self)

    return list_tags_for_resource


_WRAPPERS = {
    "put_metric_alarm": _wrap_put_metric_alarm,
    "delete_alarms": _wrap_delete_alarms,
    "list_tags_for_resource": _wrap_list_tags,
}


def install() -> None:
    for name, wrap in _WRAPPERS.items():
        current = getattr(CloudWatchResponse, name)
        if getattr(current, _MARK, False):
            continue
        patched = wrap(current)
        setattr(patched, _MARK, True)
        setattr(CloudWatchResponse, name, patched)
