"""Account endpoints: exchange a username and password for a bearer token; who am I."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from lianxin.accounts.enums import Role
from lianxin.accounts.schemas import MeOut, TokenIn, TokenOut
from lianxin.accounts.selectors import user_deputy, user_memberships
from lianxin.accounts.services import api_token_issue
from lianxin.api.auth import token_auth
from lianxin.api.errors import error_response, errors_documented

router = Router(tags=["accounts"])


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **errors_documented(400, 401, 422, 429)},
    summary="用户名和密码换取令牌",
    description="连续失败达到上限（默认 5 次）后账号锁定（默认 30 分钟），锁定期间返回 429、code=`locked`。",
)
def token_create(request: HttpRequest, payload: TokenIn):
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            # Answer the lockout here in the API's shape; without this AxesMiddleware renders an HTML page.
            request.axes_locked_out = False
            minutes = round(settings.AXES_COOLOFF_TIME * 60)
            return error_response(429, "locked", _("登录失败次数过多，账号已锁定 %(n)s 分钟。") % {"n": minutes})
        return error_response(401, "invalid_credentials", _("用户名或密码不正确。"))
    key, token = api_token_issue(user=user)
    return {"token": key, "expires_at": token.expires_at}


@router.get("/me", auth=token_auth, response={200: MeOut, **errors_documented(401)}, summary="当前用户和角色")
def me(request: HttpRequest):
    user = request.auth
    roles = [
        {
            "role": m.role,
            "role_label": m.get_role_display(),
            "station_id": m.station_id,
            "division_id": m.division_id,
            "unit_id": m.unit_id,
        }
        for m in user_memberships(user)
    ]
    deputy = user_deputy(user)
    if deputy is not None and not any(r["role"] == Role.DEPUTY for r in roles):
        roles.append({"role": Role.DEPUTY, "role_label": str(Role.DEPUTY.label)})
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name or user.username,
        "roles": roles,
        "deputy_id": deputy.pk if deputy else None,
    }
