"""Performance's input parsing: the shared rules of `lianxin/validation.py`, collected per field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from lianxin import validation


class Errors(validation.Errors):
    def raise_any(self) -> None:
        self.check()


def text(value, errors: Errors, key: str, label: str, *, limit: int, required: bool = True) -> str:
    return validation.text(
        value, field=key, label=label, max_length=limit, required=required, multiline=True, errors=errors
    )


def number(value, errors: Errors, key: str, label: str, *, low, high, places: int = 1) -> Decimal | None:
    """A decimal in [low, high] with at most `places` decimals; bools, NaN and infinities are refused."""
    return validation.decimal(value, field=key, label=label, minimum=low, maximum=high, places=places, errors=errors)


def date(value, errors: Errors, key: str, label: str) -> dt.date | None:
    return validation.date(value, field=key, label=label, errors=errors)


def year(value, errors: Errors, key: str = "year") -> int | None:
    return validation.integer(value, field=key, label=_("年度"), minimum=2000, maximum=2100, errors=errors)


def quarter(value, errors: Errors, key: str = "quarter") -> int | None:
    found = validation.integer(value, field=key, label=_("季度"), minimum=0, maximum=4, errors=validation.Errors())
    if found is None:
        errors.add(key, _("季度须为 0（全年）或 1–4。"))
    return found
