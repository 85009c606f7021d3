"""Organisation endpoints: the public list of stations, and the handling units staff may dispatch to."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from lianxin.accounts.enums import STAFF_ROLES
from lianxin.accounts.selectors import user_roles
from lianxin.api.auth import token_auth
from lianxin.api.errors import Forbidden, errors_documented
from lianxin.organisation.models import HandlingUnit, Station
from lianxin.organisation.schemas import StationOut, UnitOut

router = Router(tags=["organisation"])


@router.get("/stations", auth=None, response={200: list[StationOut]}, summary="联络站列表（公开）")
def station_list(request: HttpRequest):
    stations = Station.objects.filter(active=True).select_related("division").order_by("code")
    return [
        {
            "code": station.code,
            "kind": station.kind,
            "kind_label": station.get_kind_display(),
            "name": station.name,
            "division": {"id": station.division_id, "name": station.division.name},
        }
        for station in stations
    ]


@router.get(
    "/units",
    auth=token_auth,
    response={200: list[UnitOut], **errors_documented(401, 403)},
    summary="可交办的承办单位",
    description="只有人大办和联络站工作人员（可交办的角色）能看到，其余角色得到 403。",
)
def unit_list(request: HttpRequest):
    if not (user_roles(request.auth) & STAFF_ROLES):
        raise Forbidden(_("只有人大办和联络站工作人员可以查看承办单位。"))
    units = HandlingUnit.objects.filter(active=True).order_by("code")
    return [
        {"id": u.pk, "code": u.code, "name": u.name, "level": u.level, "level_label": u.get_level_display()}
        for u in units
    ]
