"""Forms of the work screens: queue filters, the action panel's fields, walk-in and visit registration.

Forms only parse and render. The rules of the case loop (what is required, limits, who may act) live in
the services; their InvalidInput errors are put back next to the fields they name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import Action, Channel, Light, RequestType
from lianxin.cases.selectors import QueueFilters, Tab
from lianxin.errors import DomainError, InvalidInput
from lianxin.organisation.enums import UnitLevel
from lianxin.organisation.models import Category, Deputy, Division, HandlingUnit, Station
from lianxin.privacy import mask_personal_data
from lianxin.web.forms import add_domain_error

SELECT = {"class": "form-select form-select-sm"}
INPUT = {"class": "form-control form-control-sm"}


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—")] + [(str(value), str(label)) for value, label in choices]


class QueueFilterForm(forms.Form):
    tab = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"id": "queue-tab"}))
    light = forms.ChoiceField(label=_("亮灯"), required=False, widget=forms.Select(attrs=SELECT))
    channel = forms.ChoiceField(label=_("渠道"), required=False, widget=forms.Select(attrs=SELECT))
    station = forms.ModelChoiceField(
        label=_("联络站"),
        queryset=Station.objects.none(),
        required=False,
        empty_label="—",
        widget=forms.Select(attrs=SELECT),
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        empty_label="—",
        widget=forms.Select(attrs=SELECT),
    )
    category = forms.ModelChoiceField(
        label=_("分类"),
        queryset=Category.objects.none(),
        required=False,
        empty_label="—",
        widget=forms.Select(attrs=SELECT),
    )
    date_from = forms.DateField(
        label=_("提交自"), required=False, widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("提交至"), required=False, widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d")
    )
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={**INPUT, "type": "search", "placeholder": _("查询码或标题")}),
    )

    spam = forms.ChoiceField(
        label=_("垃圾信息"),
        required=False,
        choices=[("", _("隐藏")), ("only", _("只看垃圾信息")), ("all", _("全部显示"))],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, data, *, tabs: list[Tab], default_tab: str):
        super().__init__(data)
        self.tabs = tabs
        self.default_tab = default_tab
        self.fields["light"].choices = _blank(Light.choices)
        self.fields["channel"].choices = _blank(Channel.choices)
        self.fields["station"].queryset = Station.objects.filter(active=True).order_by("code")
        self.fields["unit"].queryset = HandlingUnit.objects.filter(active=True).order_by("code")
        self.fields["category"].queryset = Category.objects.filter(active=True, level=1).order_by("id")

    def clean_tab(self):
        value = self.cleaned_data.get("tab") or self.default_tab
        if value not in {tab.key for tab in self.tabs}:
            raise forms.ValidationError(_("没有这个分类标签。"))
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return cleaned

    def filters(self) -> QueueFilters:
        """The valid filters; an invalid one is dropped (and listed in `self.errors` for the page)."""
        self.is_valid()
        c = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        return QueueFilters(
            tab=c.get("tab") or self.default_tab,
            light=c.get("light") or "",
            channel=c.get("channel") or "",
            station_id=c["station"].pk if c.get("station") else None,
            unit_id=c["unit"].pk if c.get("unit") else None,
            category_id=c["category"].pk if c.get("category") else None,
            date_from=c.get("date_from"),
            date_to=c.get("date_to"),
            q=(c.get("q") or "").strip(),
            spam=c.get("spam") or "",
        )


# --- The action panel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionField:
    name: str
    label: str
    kind: str  # textarea, number, unit, request_type, files
    required: bool = True


def _message(label, required=True) -> ActionField:
    return ActionField("message", label, "textarea", required)


def _reason(label) -> ActionField:
    return ActionField("reason", label, "textarea")


ACTION_FIELDS: dict[str, list[ActionField]] = {
    Action.ACKNOWLEDGE: [_message(_("回应内容"))],
    Action.RESOLVE_ON_SPOT: [_message(_("解决情况"))],
    Action.DISPATCH: [
        ActionField("unit_id", _("承办单位"), "unit"),
        ActionField("request_type", _("诉求类型"), "request_type"),
        _message(_("交办意见"), required=False),
        ActionField("instruction_public", _("公开给群众"), "checkbox", required=False),
    ],
    Action.CLAIM: [],
    Action.RETURN: [_reason(_("退回理由"))],
    Action.REPLY: [_message(_("答复内容")), ActionField("attachments", _("附件"), "files", required=False)],
    Action.REQUEST_EXTENSION: [ActionField("workdays", _("延期工作日数"), "number"), _reason(_("延期理由"))],
    Action.APPROVE_EXTENSION: [_message(_("说明"), required=False)],
    Action.REJECT_EXTENSION: [_message(_("驳回理由"))],
    Action.ESCALATE: [_message(_("提级理由"))],
    Action.DECLINE: [_reason(_("不予受理理由"))],
    Action.CONVERT: [_message(_("说明"), required=False)],
    Action.FEEDBACK: [_message(_("反馈内容"))],
    Action.CLOSE: [_message(_("说明"), required=False)],
    Action.URGE: [_message(_("催办意见"))],
    Action.NOTE: [_message(_("备注"))],
    Action.CALL_BACK: [_message(_("回访情况"))],
}
DANGER_ACTIONS = {Action.RETURN, Action.DECLINE, Action.REJECT_EXTENSION}


def unit_groups(suggested=None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Active units as (level label, [(id, name)]) in level order, sorted by name within a level; the suggested
    unit's name carries a mark so it stands out in the picker."""
    by_level: dict[str, list[tuple[str, str]]] = {level: [] for level in UnitLevel.values}
    for unit in HandlingUnit.objects.filter(active=True).order_by("name", "code"):
        name = unit.name
        if suggested is not None and unit.pk == suggested.pk:
            name = _("%(name)s（建议）") % {"name": unit.name}
        by_level.setdefault(unit.level, []).append((str(unit.pk), name))
    labels = dict(UnitLevel.choices)
    return [(str(labels.get(level, level)), units) for level, units in by_level.items() if units]


def action_forms(
    case,
    actions: list[str],
    *,
    failed: str = "",
    data=None,
    error: DomainError | None = None,
    suggestion=(None, None),
):
    """One small form per allowed action, with the posted values and errors put back on the one that failed.
    `suggestion` is the (unit, rule) the routing rules suggest: preselected in the dispatch form."""
    units = None
    forms_ = []
    for action in actions:
        posted = data if action == failed and data is not None else {}
        field_errors = error.fields if action == failed and isinstance(error, InvalidInput) else {}
        fields = []
        for spec in ACTION_FIELDS.get(action, []):
            value = posted.get(spec.name, "") if posted else _initial(case, action, spec, suggestion[0])
            choices = None
            if spec.kind == "unit":
                if units is None:
                    units = unit_groups(suggestion[0])
                choices = units
            elif spec.kind == "request_type":
                choices = [(str(v), str(label)) for v, label in RequestType.choices]
            fields.append(
                {
                    "spec": spec,
                    "value": value,
                    "choices": choices,
                    "errors": field_errors.get(spec.name, []),
                    "id": f"{action}-{spec.name}",
                    "suggestion": suggestion if spec.kind == "unit" and suggestion[0] is not None else None,
                }
            )
        forms_.append(
            {
                "action": action,
                "label": str(Action(action).label),
                "fields": fields,
                "danger": action in DANGER_ACTIONS,
                "error": error.message if action == failed and error is not None else "",
                "files": any(f["spec"].kind == "files" for f in fields),
            }
        )
    return forms_


def _initial(case, action: str, spec: ActionField, suggested=None) -> str:
    if action == Action.FEEDBACK and spec.name == "message":
        # the feedback goes to the citizen (and the tracking page): it starts from the answer with its numbers masked
        return mask_personal_data(case.public_answer)
    if spec.kind == "request_type":
        return case.request_type
    if spec.kind == "unit" and case.current_unit_id:
        return str(case.current_unit_id)
    if spec.kind == "unit" and suggested is not None:
        return str(suggested.pk)
    return ""


# --- Walk-in reception and deputy visits ------------------------------------------------------------------


# Fields named by intake.validate_submission → the form field that shows the error.
INTAKE_FIELDS = {
    "title": "title",
    "details": "details",
    "request_type": "request_type",
    "category": "category",
    "consent": "consent",
    "station_code": "station",
    "division": "grid",
    "grid_code": "grid",
    "address": "address",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "deputies_present": "deputies_present",
}


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


class RegistrationForm(forms.Form):
    """What staff or a deputy register on a citizen's behalf; the checks are intake's."""

    title = forms.CharField(label=_("标题"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    details = forms.CharField(
        label=_("具体内容"), max_length=5000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 5})
    )
    category = CategoryChoiceField(
        label=_("分类"),
        required=False,
        queryset=Category.objects.none(),
        empty_label="—",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    request_type = forms.ChoiceField(
        label=_("诉求类型"),
        choices=RequestType.choices,
        initial=RequestType.HELP,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    address = forms.CharField(
        label=_("地址"), required=False, max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    contact_name = forms.CharField(
        label=_("群众姓名"), required=False, max_length=30, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    contact_phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("已告知并取得同意"),
        error_messages={"required": _("请确认已向群众告知个人信息用途并取得同意。")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    resolve_on_spot = forms.BooleanField(
        label=_("当场答复"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    resolve_message = forms.CharField(
        label=_("答复内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            Category.objects.filter(active=True, level=2).select_related("parent").order_by("parent_id", "id")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolve_on_spot") and not (cleaned.get("resolve_message") or "").strip():
            self.add_error("resolve_message", _("选择当场答复时，请填写答复内容。"))
        return cleaned

    def submission_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "title": c["title"],
            "details": c["details"],
            "category_id": c["category"].pk if c.get("category") else None,
            "request_type": c["request_type"],
            "address": c.get("address", ""),
            "contact_name": c.get("contact_name", ""),
            "contact_phone": c.get("contact_phone", ""),
            "consent": bool(c.get("consent")),
        }

    def add_domain_error(self, exc: DomainError) -> None:
        add_domain_error(self, exc, names=INTAKE_FIELDS)


class WalkInForm(RegistrationForm):
    station = forms.ModelChoiceField(
        label=_("联络站"),
        queryset=Station.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    deputies_present = forms.ModelMultipleChoiceField(
        label=_("接待代表"),
        required=False,
        queryset=Deputy.objects.none(),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
    )
    field_order = ["station", "deputies_present", "title", "details"]

    def __init__(self, *args, stations, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        chosen = station or stations.first()
        if chosen is not None:
            self.fields["station"].initial = chosen.pk
        self.fields["deputies_present"].queryset = (
            Deputy.objects.filter(active=True, stations=chosen).order_by("code") if chosen else Deputy.objects.none()
        )

    def clean(self):
        cleaned = super().clean()
        station = cleaned.get("station")
        present = cleaned.get("deputies_present") or []
        if station is not None and present:
            allowed = set(Deputy.objects.filter(active=True, stations=station).values_list("pk", flat=True))
            if any(d.pk not in allowed for d in present):
                self.add_error("deputies_present", _("接待代表须是该联络站的代表。"))
        return cleaned


class VisitForm(RegistrationForm):
    grid = forms.ModelChoiceField(
        label=_("走访网格"),
        queryset=Division.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("请选择您联系的网格。")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    field_order = ["grid", "title", "details"]

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.photo_errors: list[str] = []  # the photos are read by the view (cases/photos.py), as on the report page
