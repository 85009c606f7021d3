"""The API's account schemas: token exchange, listing and revocation, and the caller's own roles."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from lianxin.api.schemas import Input


class TokenIn(Input):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=256)
    otp: str | None = Field(
        None, max_length=16, description="两步验证码（验证器应用的 6 位数字或一个恢复码）；启用两步验证的账号必填。"
    )


class ApiTokenOut(Schema):
    id: int
    user_id: int
    username: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = None
    membership_id: int | None = None
    revoked_at: datetime | None = None

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username


class TokenOut(Schema):
    token: str = Field(..., description="只显示这一次；之后以 `Authorization: Bearer <token>` 使用。")
    expires_at: datetime


class RoleScopeOut(Schema):
    role: str
    role_label: str
    station_id: int | None = None
    division_id: int | None = None
    unit_id: int | None = None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[RoleScopeOut]
    deputy_id: int | None = None
