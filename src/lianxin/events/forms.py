"""Forms of the events pages. They only parse input; the services validate the rules and store."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import RequestType
from lianxin.events.enums import EventKind
from lianxin.events.rules import manageable_stations
from lianxin.events.services import EventInput
from lianxin.organisation.models import Category, HandlingUnit
from lianxin.web.forms import DomainErrorsMixin

TEXT = forms.TextInput(attrs={"class": "form-control"})
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")


class SignUpForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("姓名"), max_length=30, widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意：联络站仅为组织本次活动收集姓名和手机号，加密保存，活动结束后按规定期限删除。"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the period the erasing job uses (events/retention.py), quoted from the setting
        self.fields["consent"].label = _(
            "我已阅读并同意：联络站仅为组织本次活动收集姓名和手机号，加密保存，活动结束 %(days)s 天后删除。"
        ) % {"days": settings.EVENT_SIGNUP_RETENTION_DAYS}


class EventForm(DomainErrorsMixin, forms.Form):
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=EventKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    unit = forms.ModelChoiceField(
        label=_("进站部门"),
        queryset=HandlingUnit.objects.filter(active=True),
        required=False,
        help_text=_("部门进站（局长·代表面对面）时必选，计入该部门的进站次数。"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(label=_("标题"), max_length=100, widget=TEXT)
    description = forms.CharField(
        label=_("活动介绍"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
    location = forms.CharField(label=_("地点"), required=False, max_length=200, widget=TEXT)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME_INPUT)
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, widget=forms.NumberInput(attrs={"class": "form-control", "min": 1})
    )
    publish = forms.BooleanField(
        label=_("立即发布"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = manageable_stations(user).order_by("code")

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            station_id=data["station"].pk,
            kind=data["kind"],
            title=data["title"],
            description=data.get("description", ""),
            location=data.get("location", ""),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            unit_id=data["unit"].pk if data.get("unit") else None,
        )


class CheckInForm(forms.Form):
    checkin_code = forms.CharField(
        label=_("签到码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off", "autofocus": True}
        ),
    )


class CancelEventForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, widget=TEXT)


class EventCaseForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(label=_("问题标题"), max_length=100, widget=TEXT)
    details = forms.CharField(
        label=_("具体内容"), max_length=5000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    category = forms.ModelChoiceField(
        label=_("分类"),
        queryset=Category.objects.filter(active=True, level=1),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    request_type = forms.ChoiceField(
        label=_("诉求类型"), choices=RequestType.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    contact_name = forms.CharField(label=_("群众姓名"), required=False, max_length=30, widget=TEXT)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20, widget=TEXT)
    consent = forms.BooleanField(
        label=_("群众已知悉并同意个人信息告知"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
