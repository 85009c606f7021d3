"""One place that parses service input (from a web form, the API, a task or a command).

Every parser takes the raw value, the input field's name (`field`, the key of `InvalidInput.fields`) and
the label users read (`label`, already translated by the caller: ``label=_("标题")``). A problem is an
`InvalidInput` (422) whose message is translated at the moment it is raised, in the caller's language.

Two ways to call each parser:

- alone: the first problem raises at once;
- with ``errors=Errors()``: the problem is added to ``errors`` and a neutral value is returned (``""``
  or ``None``); ``errors.check()`` raises once, listing every field at fault, before anything is stored.

Text is always cleaned the same way: line ends normalised, whitespace and invisible format characters
(zero-width spaces and joiners, BOM, word joiner…) stripped from both ends; text made only of such
characters counts as empty; control characters are refused (NUL breaks PostgreSQL, a newline in a
one-line field forges log lines): one-line fields refuse every control character, multi-line fields
allow the newline and the tab only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin import privacy
from lianxin.errors import InvalidInput

ID_MAX = 2**63 - 1
ID_LIST_MAX = 200

# Whitespace and characters that print as nothing (Unicode Cf, the Hangul fillers, the Mongolian vowel
# separator…): stripped from both ends; a value made only of them is empty.
_INVISIBLE = (
    r"\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
_BLANK = re.compile(f"[{_INVISIBLE}]*")
_EDGES = re.compile(f"^[{_INVISIBLE}]+|[{_INVISIBLE}]+$")
# C0 and C1 control characters and lone surrogates (which no database can store).
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029]")


class Errors(dict):
    """Problems by field, collected over several parsers; `check()` raises them all at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(str(message))

    def check(self, code: str | None = None) -> None:
        if self:
            raise InvalidInput(next(iter(self.values()))[0], fields=self, code=code)


def fail(field: str, message: str, *, code: str | None = None) -> NoReturn:
    """Raise one problem of one field (the message is the field's message and the error's)."""
    raise InvalidInput(message, fields={field: [str(message)]}, code=code)


def _problem(errors: Errors | None, field: str, message: str) -> None:
    if errors is None:
        fail(field, message)
    errors.add(field, message)


# --- text -------------------------------------------------------------------------------------------------


def is_blank(value: str) -> bool:
    """True for text made only of whitespace and invisible characters."""
    return _BLANK.fullmatch(value) is not None


def strip(value: str) -> str:
    """Whitespace and invisible characters removed from both ends."""
    return _EDGES.sub("", value)


def control_problem(value: str, *, label: str, multiline: bool) -> str | None:
    """The message for a control character in `value` (after line ends are normalised), or None."""
    if multiline:
        if _CONTROL_MULTI_LINE.search(value):
            return _("%(label)s含有不允许的控制字符。") % {"label": label}
        return None
    found = _CONTROL_ONE_LINE.search(value)
    if found is None:
        return None
    if found.group() in "\r\n\u2028\u2029":
        return _("%(label)s只能填写一行。") % {"label": label}
    return _("%(label)s含有不允许的控制字符。") % {"label": label}


def text(
    value: Any,
    *,
    field: str,
    label: str,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
    errors: Errors | None = None,
) -> str:
    """Cleaned text (see the module's docstring); ``""`` for a missing optional value."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        _problem(errors, field, _("%(label)s须为文字。") % {"label": label})
        return ""
    if multiline and ("\r" in value or "\u2028" in value or "\u2029" in value):
        value = _LINE_ENDS.sub("\n", value)
    problem = control_problem(value, label=label, multiline=multiline)
    if problem:
        _problem(errors, field, problem)
        return ""
    value = strip(value)
    if not value:
        if required:
            _problem(errors, field, _("请填写%(label)s。") % {"label": label})
        return ""
    if len(value) > max_length:
        _problem(errors, field, _("%(label)s不能超过 %(max)s 个字。") % {"label": label, "max": max_length})
        return ""
    return value


def choice(
    value: Any,
    *,
    field: str,
    label: str,
    choices: Iterable[str] | Mapping[str, Any],
    required: bool = True,
    errors: Errors | None = None,
) -> str:
    """One of `choices` (values of a TextChoices, keys of a mapping); ``""`` when optional and missing."""
    if value in (None, "") and not required:
        return ""
    if not isinstance(value, str) or value not in choices:
        _problem(errors, field, _("%(label)s无效。") % {"label": label})
        return ""
    return value


def boolean(value: Any, *, field: str, label: str, errors: Errors | None = None) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in {"true", "1", "on", "yes"}:
            return True
        if word in {"false", "0", "off", "no"}:
            return False
    _problem(errors, field, _("%(label)s须为是或否。") % {"label": label})
    return False


# --- numbers ----------------------------------------------------------------------------------------------


def integer(
    value: Any,
    *,
    field: str,
    label: str,
    minimum: int | None = None,
    maximum: int | None = None,
    errors: Errors | None = None,
) -> int | None:
    """A whole number (an int, or a string of at most 18 digits) within the bounds given."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        digits = value.strip()
        if digits.lstrip("-").isascii() and digits.lstrip("-").isdigit() and len(digits) <= 18:
            number = int(digits)
    if number is None:
        if value in (None, ""):
            _problem(errors, field, _("请填写%(label)s。") % {"label": label})
        else:
            _problem(errors, field, _("%(label)s须为整数。") % {"label": label})
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        _problem(errors, field, _range_message(label, minimum, maximum))
        return None
    return number


def decimal(
    value: Any,
    *,
    field: str,
    label: str,
    minimum: Decimal | int | str | None = None,
    maximum: Decimal | int | str | None = None,
    places: int = 2,
    errors: Errors | None = None,
) -> Decimal | None:
    """A finite decimal with at most `places` decimals within the bounds; bools, NaN and infinities are refused."""
    if isinstance(value, bool) or value is None or value == "":
        _problem(errors, field, _("请填写%(label)s。") % {"label": label})
        return None
    try:
        number = Decimal(str(value).strip()) if len(str(value)) <= 40 else Decimal("NaN")
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite():
        _problem(errors, field, _("%(label)s须为数字。") % {"label": label})
        return None
    if number != number.quantize(Decimal(1).scaleb(-places)):
        _problem(errors, field, _("%(label)s最多 %(places)s 位小数。") % {"label": label, "places": places})
        return None
    low = Decimal(minimum) if minimum is not None else None
    high = Decimal(maximum) if maximum is not None else None
    if (low is not None and number < low) or (high is not None and number > high):
        _problem(errors, field, _range_message(label, minimum, maximum))
        return None
    return number


def _range_message(label: str, minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return _("%(label)s须在 %(min)s 到 %(max)s 之间。") % {"label": label, "min": minimum, "max": maximum}
    if minimum is not None:
        return _("%(label)s不能小于 %(min)s。") % {"label": label, "min": minimum}
    return _("%(label)s不能大于 %(max)s。") % {"label": label, "max": maximum}


def object_id(value: Any, *, field: str, label: str, errors: Errors | None = None) -> int | None:
    """A positive database id; anything else is "please choose a valid …"."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 18:
        number = int(value.strip())
    if number is None or not 1 <= number <= ID_MAX:
        _problem(errors, field, _("请选择有效的%(label)s。") % {"label": label})
        return None
    return number


def id_list(value: Any, *, field: str, label: str, errors: Errors | None = None) -> list[int]:
    """Ids from a JSON list, a QueryDict list or a comma-separated string; duplicates removed, order kept."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        _problem(errors, field, _("%(label)s格式不正确。") % {"label": label})
        return []
    if len(value) > ID_LIST_MAX:
        _problem(errors, field, _("%(label)s太多。") % {"label": label})
        return []
    ids: list[int] = []
    for item in value:
        number = object_id(item, field=field, label=label, errors=errors)
        if number is None:
            return []
        if number not in ids:
            ids.append(number)
    return ids


# --- dates and times --------------------------------------------------------------------------------------


def date(
    value: Any,
    *,
    field: str,
    label: str,
    required: bool = True,
    not_after: dt.date | None = None,
    errors: Errors | None = None,
) -> dt.date | None:
    """A calendar day (a `date` or ``YYYY-MM-DD``) from the year 2000 on, and not after `not_after` if given."""
    if value in (None, ""):
        if required:
            _problem(errors, field, _("请填写%(label)s。") % {"label": label})
        return None
    day = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and len(value.strip()) == 10:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None or day.year < 2000:
        _problem(errors, field, _("%(label)s格式不正确（应为 年-月-日）。") % {"label": label})
        return None
    if not_after is not None and day > not_after:
        _problem(errors, field, _("%(label)s不能晚于今天。") % {"label": label})
        return None
    return day


def time(value: Any, *, field: str, label: str, errors: Errors | None = None) -> dt.time | None:
    """A time of day to the minute (a `time` or ``HH:MM``)."""
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if value in (None, ""):
        _problem(errors, field, _("请填写%(label)s。") % {"label": label})
        return None
    try:
        if not isinstance(value, str) or len(value.strip()) > 8:
            raise ValueError
        return dt.time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
    except ValueError:
        _problem(errors, field, _("%(label)s格式不正确（应为 时:分）。") % {"label": label})
        return None


def datetime(value: Any, *, field: str, label: str, errors: Errors | None = None) -> dt.datetime | None:
    """An aware moment (a `datetime`, or ISO 8601 text); a naive one is in the site's time zone."""
    moment = None
    if value in (None, ""):
        _problem(errors, field, _("请填写%(label)s。") % {"label": label})
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and len(value.strip()) <= 40:
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None or moment.year < 2000:
        _problem(errors, field, _("%(label)s格式不正确（应为 年-月-日 时:分）。") % {"label": label})
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- contacts ---------------------------------------------------------------------------------------------


def phone(value: Any, *, field: str, label: str, required: bool = True, errors: Errors | None = None) -> str:
    """A mainland mobile or landline number, normalised (no spaces, brackets or +86)."""
    raw = value if isinstance(value, str) else ""
    if control_problem(raw, label=label, multiline=False):
        _problem(errors, field, _("请填写正确的手机号码或固定电话。"))
        return ""
    number = privacy.normalise_phone(strip(raw))
    if not number:
        if required:
            _problem(errors, field, _("请填写%(label)s。") % {"label": label})
        return ""
    if not privacy.is_valid_phone(number):
        _problem(errors, field, _("请填写正确的手机号码或固定电话。"))
        return ""
    return number
