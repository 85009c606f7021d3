"""The registry workbook's `accounts` sheet (账号): accounts of station staff, handling units and deputies in bulk.

A sheet handler beside the others, kept apart from their update logic: the rows are checked and created after the
other sheets are written, inside the import's one transaction (so a row may name a station or unit created by the
same workbook), through the office's account service (`accounts.people_services`, one `account.created` entry per
account). Any bad row rolls the whole import back, each error naming the row, the column and the problem. An
account is matched by its user name: a row whose account already exists with the same role and station, unit or
deputy is unchanged; a user name taken by anything else is an error. New accounts have no password: the office
sends or prints their activation links on the people screen (/work/people/?state=pending).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin import validation
from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.accounts.people_services import AccountInput, account_input, accounts_create_many
from lianxin.accounts.rules import (
    assignable_deputies,
    assignable_stations,
    assignable_units,
    can_manage_people,
    managed_users,
)
from lianxin.errors import InvalidInput
from lianxin.organisation.registry_sheets import SHEETS

KEY = "accounts"
ROLE_WORDS = {
    "station": Role.STATION,
    "联络站": Role.STATION,
    "联络员": Role.STATION,
    "联络站工作人员": Role.STATION,
    "工作人员": Role.STATION,
    "unit": Role.UNIT,
    "承办单位": Role.UNIT,
    "经办人": Role.UNIT,
    "deputy": Role.DEPUTY,
    "代表": Role.DEPUTY,
}
# The service's field → the sheet's column.
COLUMN_OF = {
    "username": "username",
    "display_name": "display_name",
    "role": "role",
    "station": "station",
    "unit": "unit",
    "deputy": "deputy",
    "email": "email",
    "phone": "phone",
}


def _where(row: int, column: str | None) -> str:
    spec = SHEETS[KEY]
    label = f"「{spec.column(column).label}」" if column else ""
    return f"【{spec.label}】" + _("第 %d 行") % row + label + "："


def accounts_precheck(actor, rows, errors) -> None:
    """Before anything is written: only the office may create accounts (the registry's `errors` collection)."""
    if rows and not can_manage_people(actor):
        errors.add(SHEETS[KEY], _("只有人大办账号可以导入账号，且只能导入本辖区的账号。"))


def _existing_unchanged(actor, user: User, role: str, code: str) -> bool:
    if not managed_users(actor).filter(pk=user.pk).exists():
        return False
    if role == Role.DEPUTY:
        return getattr(getattr(user, "deputy", None), "code", None) == code
    lookup = {"station__code": code} if role == Role.STATION else {"unit__code": code}
    return Membership.objects.filter(user=user, role=role, active=True, **lookup).exists()


def accounts_apply(actor, rows, result) -> None:
    """Check every row, then create the accounts; raise InvalidInput listing every bad row (nothing is kept: the
    caller's transaction rolls back)."""
    problems: list[str] = []
    inputs: list[AccountInput] = []
    seen_usernames: dict[str, int] = {}
    seen_deputies: dict[str, int] = {}
    unchanged = 0
    stations, units, deputies = assignable_stations(actor), assignable_units(actor), assignable_deputies(actor)
    for number, record in rows:
        errors = validation.Errors()
        username = record.get("username", "")
        role = ROLE_WORDS.get(record.get("role", "").strip().lower(), record.get("role", ""))
        code = {Role.STATION: record.get("station", ""), Role.UNIT: record.get("unit", "")}.get(
            role, record.get("deputy", "")
        )
        lowered = username.strip().lower()
        if lowered and lowered in seen_usernames:
            problems.append(
                _where(number, "username") + _("与第 %(row)d 行的用户名重复") % {"row": seen_usernames[lowered]}
            )
            continue
        seen_usernames[lowered] = number
        existing = User.objects.filter(username__iexact=username.strip()).first() if lowered else None
        if existing is not None and _existing_unchanged(actor, existing, role, code):
            unchanged += 1
            continue
        if role == Role.DEPUTY and code:
            if code in seen_deputies:
                problems.append(
                    _where(number, "deputy") + _("与第 %(row)d 行是同一位代表") % {"row": seen_deputies[code]}
                )
                continue
            seen_deputies[code] = number
        bad_role = ""
        if role not in (Role.STATION, Role.UNIT, Role.DEPUTY):
            bad_role = (
                _("无效的取值「%(value)s」，可填：联络站工作人员、承办单位、代表") % {"value": role}
                if role
                else _("必填")
            )
            role = ""
        station = stations.filter(code=code).first() if role == Role.STATION and code else None
        unit = units.filter(code=code).first() if role == Role.UNIT and code else None
        deputy = deputies.filter(code=code).first() if role == Role.DEPUTY and code else None
        data = account_input(
            actor,
            username=username,
            role=role or None,
            display_name=record.get("display_name", ""),
            email=record.get("email", ""),
            phone=record.get("phone", ""),
            station=station,
            unit=unit,
            deputy=deputy,
            errors=errors,
        )
        if bad_role:
            errors["role"] = [bad_role]
        if role and code and station is None and unit is None and deputy is None:
            column = {Role.STATION: "station", Role.UNIT: "unit", Role.DEPUTY: "deputy"}[role]
            errors.pop(column, None)
            errors.add(column, _("找不到本辖区编码为 %(code)s 的记录") % {"code": code})
        if errors:
            for field, messages in errors.items():
                problems += [_where(number, COLUMN_OF.get(field)) + message for message in messages]
            continue
        inputs.append(data)
    if problems:
        raise InvalidInput(problems[0], code="accounts_invalid", fields={"rows": problems[1:]})
    created = accounts_create_many(actor=actor, inputs=inputs, via="import")
    result.counts[KEY] = {"created": len(created), "updated": 0, "unchanged": unchanged}
