"""Account endpoints: exchange a username and password (and a second factor) for a bearer token; list and revoke
tokens; who am I."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from lianxin.accounts.enums import Role
from lianxin.accounts.models import ApiToken
from lianxin.accounts.schemas import ApiTokenOut, MeOut, TokenIn, TokenOut
from lianxin.accounts.security import otp_match, otp_required
from lianxin.accounts.selectors import tokens_managed_by, user_deputy, user_memberships
from lianxin.accounts.services import api_token_issue, api_token_revoke, password_change_due
from lianxin.api.auth import token_auth
from lianxin.api.errors import error_response, errors_documented
from lianxin.api.schemas import MAX_ID
from lianxin.errors import NotFound

router = Router(tags=["accounts"])
TOKEN_LIST_MAX = 200


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **errors_documented(400, 401, 403, 422, 429)},
    summary="用户名和密码换取令牌",
    description=(
        "连续失败达到上限（默认 5 次）后账号锁定（默认 30 分钟），锁定期间返回 429、code=`locked`。"
        "启用两步验证的账号须提交 `otp`（401 `otp_required` / `invalid_otp`）；须修改密码的账号得到 403。"
        "令牌在以下情况失效：到期、闲置超时、被撤销、账号锁定或停用、签发时的角色授权失效、密码修改。"
    ),
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
    if otp_required(user):
        if not payload.otp:
            return error_response(401, "otp_required", _("该账号已启用两步验证，请同时提交验证码（otp）。"))
        if otp_match(user, payload.otp) is None:
            return error_response(401, "invalid_otp", _("验证码不正确。"))
    if password_change_due(user):
        return error_response(
            403, "password_change_required", _("请先登录网页修改密码（首次登录、密码被重置或已过期），再申请令牌。")
        )
    key, token = api_token_issue(user=user)
    return {"token": key, "expires_at": token.expires_at}


@router.get(
    "/auth/tokens",
    auth=token_auth,
    response={200: list[ApiTokenOut], **errors_documented(401, 404, 422)},
    summary="接口令牌列表（本人的；人大办可按用户查看所管辖账号的）",
)
def token_list(request: HttpRequest, user_id: int | None = Query(None, ge=1, le=MAX_ID)):
    actor = request.auth
    if user_id is None or user_id == actor.pk:
        tokens = ApiToken.objects.filter(user=actor)
    else:
        tokens = tokens_managed_by(actor).filter(user_id=user_id)
        if not tokens.exists():
            raise NotFound(_("找不到该用户的令牌。"))
    return list(tokens.select_related("user").order_by("-id")[:TOKEN_LIST_MAX])


@router.delete(
    "/auth/tokens/{token_id}",
    auth=token_auth,
    response={200: ApiTokenOut, **errors_documented(401, 404, 422)},
    summary="撤销接口令牌（本人的，或人大办所管辖账号的）",
)
def token_revoke(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)):
    actor = request.auth
    token = (
        ApiToken.objects.filter(pk=token_id, user=actor).first() or tokens_managed_by(actor).filter(pk=token_id).first()
    )
    if token is None:
        raise NotFound(_("找不到该令牌。"))
    return api_token_revoke(actor=actor, token=token)


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
