"""The API's account schemas: token exchange and the caller's own roles."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from lianxin.api.schemas import Input


class TokenIn(Input):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=256)


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
