"""The citizen's report form: parse what the phone posted into a Submission, and the pickers' choices.

Validation of the matter itself (lengths, consent, phone, location range, existence of codes) is the
intake's job (`intake.validate_submission`); this module only turns strings into typed values, checks
that the street → community → grid picks form one chain inside the page's area, and keeps what the
citizen typed so that a form with errors comes back filled in.
"""

from __future__ import annotations

import itertools
import math
import uuid

from django.utils.translation import gettext as _

from lianxin.cases.enums import Channel, RequestType
from lianxin.cases.intake import Submission
from lianxin.errors import DomainError
from lianxin.organisation.enums import DivisionKind
from lianxin.organisation.models import Category, Division

TEXT_FIELDS = ("title", "details", "address", "contact_name", "contact_phone")
CHOICE_FIELDS = ("category1", "category2", "request_type", "street", "community", "grid", "lat", "lng")
CHECK_FIELDS = ("anonymous", "consent")
PICKER_LEVELS = (DivisionKind.STREET, DivisionKind.COMMUNITY, DivisionKind.GRID)
# A value longer than this is not echoed back whole (the intake has already refused it as too long).
ECHO_MAX = 20_000


def _level_label(level: str) -> str:
    return {DivisionKind.STREET: _("街道/乡镇"), DivisionKind.COMMUNITY: _("社区/村"), DivisionKind.GRID: _("网格")}[
        level
    ]


def _int_or_none(raw: str) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


class ReportForm:
    """Holds the raw values (for re-rendering) and the errors by field."""

    def __init__(self, data=None):
        data = data or {}
        self.values: dict[str, str] = {}
        for name in (*TEXT_FIELDS, *CHOICE_FIELDS):
            value = data.get(name, "")
            self.values[name] = value[:ECHO_MAX] if isinstance(value, str) else ""
        for name in CHECK_FIELDS:
            self.values[name] = data.get(name, "") in {"on", "1", "true", "yes"}
        key = data.get("idempotency_key", "")
        self.values["idempotency_key"] = key[:100] if isinstance(key, str) and key.strip() else uuid.uuid4().hex
        self.errors: dict[str, list[str]] = {}
        self.photos_dropped = False  # photos were chosen but the form came back: they must be chosen again

    # --- errors -------------------------------------------------------------------------------

    def add_error(self, field: str, message: str) -> None:
        messages = self.errors.setdefault(field, [])
        if message not in messages:
            messages.append(message)

    def add_domain_error(self, exc: DomainError) -> None:
        if not exc.fields:
            self.add_error("__all__", exc.message)
        for field, messages in exc.fields.items():
            for message in messages:
                self.add_error(field, message)

    def renew_key(self) -> None:
        self.values["idempotency_key"] = uuid.uuid4().hex

    @property
    def all_errors(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]

    # --- parsing ------------------------------------------------------------------------------

    def submission(
        self, *, channel: str = Channel.WEB, station_code: str = "", deputy_code: str = "", root: Division | None = None
    ) -> Submission:
        """The Submission for the intake; type errors are recorded in `self.errors`."""
        values = self.values
        request_type = values["request_type"].strip() or RequestType.HELP
        return Submission(
            title=values["title"],
            details=values["details"],
            channel=channel,
            category_id=self._category_id(),
            request_type=request_type,
            station_code=station_code,
            deputy_code=deputy_code,
            division_id=self._division_id(root),
            lat=self._coordinate("lat"),
            lng=self._coordinate("lng"),
            address=values["address"],
            contact_name=values["contact_name"],
            contact_phone=values["contact_phone"],
            anonymous=values["anonymous"],
            consent=values["consent"],
        )

    @property
    def idempotency_key(self) -> str:
        return self.values["idempotency_key"]

    def _coordinate(self, name: str) -> float | None:
        raw = self.values[name].strip()
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.add_error("location", _("位置坐标无效。"))
            return None
        return value

    def _category_id(self) -> int | None:
        raw = (self.values["category2"] or self.values["category1"]).strip()
        if not raw:
            return None
        value = _int_or_none(raw)
        if value is None:
            self.add_error("category", _("分类无效。"))
        return value

    def _division_id(self, root: Division | None) -> int | None:
        """The finest of street → community → grid picked; they must form one chain inside `root`."""
        picked: dict[str, int] = {}
        for level in PICKER_LEVELS:
            raw = self.values[level].strip()
            if not raw:
                continue
            value = _int_or_none(raw)
            if value is None:
                self.add_error("division", _("找不到该%(level)s。") % {"level": _level_label(level)})
                return None
            picked[level] = value
        if not picked:
            return None
        found = {d.pk: d for d in Division.objects.filter(pk__in=picked.values()).only("id", "kind", "path")}
        chain: list[Division] = []
        for level, pk in picked.items():
            division = found.get(pk)
            if division is None or division.kind != level:
                self.add_error("division", _("找不到该%(level)s。") % {"level": _level_label(level)})
                return None
            chain.append(division)
        for upper, lower in itertools.pairwise(chain):
            if not lower.path.startswith(upper.path):
                self.add_error("division", _("所选的街道、社区和网格不一致，请重新选择。"))
                return None
        finest = chain[-1]
        if root is not None and not finest.path.startswith(root.path):
            self.add_error("division", _("所选网格不在本联络站的范围内。"))
            return None
        return finest.pk


# --- Choices for the pickers --------------------------------------------------------------------


def division_picker(root: Division | None, form: ReportForm) -> list[dict]:
    """Three levels of choices; levels at or above `root` are fixed. At most four queries."""
    fixed: dict[str, Division] = {}
    if root is not None and root.kind != DivisionKind.DISTRICT:
        for division in Division.objects.filter(pk__in=root.ancestor_ids()).only("id", "name", "kind", "path"):
            if division.kind in PICKER_LEVELS:
                fixed[division.kind] = division
    selected = {level: _int_or_none(form.values[level]) for level in PICKER_LEVELS}
    levels = []
    parent_id: int | None = None
    for index, level in enumerate(PICKER_LEVELS):
        if level in fixed:
            options = [fixed[level]]
            chosen = fixed[level].pk
        else:
            if index == 0:
                options = Division.objects.filter(kind=level)
                if root is not None:
                    options = options.filter(path__startswith=root.path)
                options = list(options.only("id", "name").order_by("id"))
            elif parent_id is not None:
                options = Division.objects.filter(parent_id=parent_id, kind=level)
                options = list(options.only("id", "name").order_by("id"))
            else:
                options = []
            chosen = selected[level] if any(o.pk == selected[level] for o in options) else None
        label = _level_label(level)
        levels.append({"name": level, "label": label, "options": options, "selected": chosen, "fixed": level in fixed})
        parent_id = chosen
    return levels


def category_choices(form: ReportForm) -> tuple[list[Category], list[Category]]:
    """Level-1 categories, and the level-2 children of the chosen one (two queries at most)."""
    first = list(Category.objects.filter(level=1, active=True).only("id", "name").order_by("id"))
    chosen = _int_or_none(form.values["category1"])
    second: list[Category] = []
    if chosen is not None and any(c.pk == chosen for c in first):
        second = list(Category.objects.filter(parent_id=chosen, active=True).only("id", "name").order_by("id"))
    return first, second
