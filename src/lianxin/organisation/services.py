"""Changes to the organisation registry. Each writes an audit entry."""

from __future__ import annotations

from django.db import transaction

from lianxin.organisation.enums import CHILD_KIND, DivisionKind
from lianxin.organisation.models import Division
from lianxin.errors import InvalidInput


@transaction.atomic
def division_create(*, name: str, kind: str, parent: Division | None = None, code: str = "", actor=None,
                    polygon=None, lat=None, lng=None, grid_worker: str = "") -> Division:
    if kind not in DivisionKind.values:
        raise InvalidInput("区划层级无效。", fields={"kind": ["无效"]})
    if parent is None and kind != DivisionKind.DISTRICT:
        raise InvalidInput("除区/县外，区划必须有上级。", fields={"parent": ["必填"]})
    if parent is not None and CHILD_KIND.get(parent.kind) != kind:
        raise InvalidInput("上级区划的层级不对。", fields={"parent": ["层级不对"]})
    division = Division.objects.create(
        name=name, kind=kind, parent=parent, code=code, polygon=polygon, lat=lat, lng=lng, grid_worker=grid_worker
    )
    division.path = f"{parent.path if parent else '/'}{division.pk}/"
    division.save(update_fields=["path"])
    if actor is not None:
        from lianxin.audit.services import log_action

        log_action(actor=actor, action="division.created", subject_type="division", subject_id=division.pk)
    return division
