"""Forms of the consultation pages: they parse input; the services check the rules and store."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lianxin.consultations.enums import ConsultationKind, Decision
from lianxin.consultations.services import ConsultationInput
from lianxin.events.forms import DATETIME_INPUT, TEXT
from lianxin.events.rules import manageable_stations
from lianxin.web.forms import DomainErrorsMixin


class CommentForm(DomainErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("我的意见"), max_length=5000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    name = forms.CharField(label=_("姓名（选填，公开时只显示姓氏）"), required=False, max_length=30, widget=TEXT)
    phone = forms.CharField(
        label=_("手机号（选填，仅用于联系您，不公开）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "我已阅读并同意：意见经审核后公开（不显示电话，姓名只显示姓氏），个人信息加密保存，仅用于本次征求意见。"
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the period the erasing job uses (consultations/retention.py), quoted from the setting
        self.fields["consent"].label = _(
            "我已阅读并同意：意见经审核后公开（不显示电话，姓名只显示姓氏），个人信息加密保存，仅用于本次征求意见，"
            "征求结束 %(days)s 天后删除姓名和电话。"
        ) % {"days": settings.CONSULTATION_CONTACT_RETENTION_DAYS}


class ConsultationForm(DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=ConsultationKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    station = forms.ModelChoiceField(
        label=_("联络站 / 联系点"),
        queryset=None,
        required=False,
        help_text=_("人大办可留空：属于本级区划。"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(label=_("标题"), max_length=200, widget=TEXT)
    summary = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    deadline = forms.DateTimeField(label=_("截止时间"), widget=DATETIME_INPUT)
    articles_text = forms.CharField(
        label=_("条文"),
        help_text=_("每条之间空一行；以“第×条”开头的保留原条目。"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 12}),
    )
    publish = forms.BooleanField(
        label=_("立即发布"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = manageable_stations(user).order_by("code")

    def consultation_input(self) -> ConsultationInput:
        data = self.cleaned_data
        return ConsultationInput(
            title=data["title"],
            summary=data.get("summary", ""),
            kind=data["kind"],
            station_id=data["station"].pk if data.get("station") else None,
            deadline=data["deadline"],
            articles_text=data["articles_text"],
        )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    reason = forms.CharField(required=False, max_length=200, widget=TEXT)
