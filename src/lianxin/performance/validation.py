"""Input checks shared by the performance services: one Chinese message per field, nothing stored half-way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from lianxin.errors import InvalidInput


class Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise InvalidInput(next(iter(self.values()))[0], fields=self)


def text(value, errors: Errors, key: str, label: str, *, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(key, f"{label}须为文字。")
        return ""
    value = value.strip()
    if required and not value:
        errors.add(key, f"请填写{label}。")
    elif len(value) > limit:
        errors.add(key, f"{label}不能超过 {limit} 个字。")
    return value


def number(value, errors: Errors, key: str, label: str, *, low, high, places: int = 1) -> Decimal | None:
    """A decimal in [low, high] with at most `places` decimals; bools, NaN and infinities are refused."""
    if isinstance(value, bool) or value is None or value == "":
        errors.add(key, f"请填写{label}。")
        return None
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add(key, f"{label}须为数字。")
        return None
    if not result.is_finite():
        errors.add(key, f"{label}须为数字。")
        return None
    if result != result.quantize(Decimal(1).scaleb(-places)):
        errors.add(key, f"{label}最多 {places} 位小数。")
        return None
    if not Decimal(low) <= result <= Decimal(high):
        errors.add(key, f"{label}须在 {low} 到 {high} 之间。")
        return None
    return result


def date(value, errors: Errors, key: str, label: str) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            errors.add(key, f"请填写正确的{label}。")
            return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date) or value.year < 2000:
        errors.add(key, f"请填写正确的{label}。")
        return None
    return value


def year(value, errors: Errors, key: str = "year") -> int | None:
    try:
        result = int(value)
    except (TypeError, ValueError):
        errors.add(key, "请填写正确的年度。")
        return None
    if isinstance(value, bool) or not 2000 <= result <= 2100:
        errors.add(key, "请填写正确的年度。")
        return None
    return result


def quarter(value, errors: Errors, key: str = "quarter") -> int | None:
    try:
        result = int(value)
    except (TypeError, ValueError):
        errors.add(key, "季度须为 0（全年）或 1–4。")
        return None
    if isinstance(value, bool) or not 0 <= result <= 4:
        errors.add(key, "季度须为 0（全年）或 1–4。")
        return None
    return result
