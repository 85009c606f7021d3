"""Forms only parse input into Python values; the services validate the meaning and store."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.cases.enums import Rating
from lianxin.voters.enums import CheckResult, ContactWay

# A date input takes only ISO dates: without the format the widget would render the language's own
# ("2026/12/03" in Chinese), which the browser rejects, and the box would open empty.
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}


class HouseholdForm(forms.Form):
    grid = forms.TypedChoiceField(label=_("网格"), coerce=int, widget=forms.Select(attrs={"class": "form-select"}))
    address = forms.CharField(label=_("地址"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    head_name = forms.CharField(label=_("户主姓名"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    head_phone = forms.CharField(label=_("户主电话"), max_length=20, widget=forms.TextInput(attrs=TEXT))
    paired_on = forms.DateField(label=_("结对日期"), required=False, widget=DATE)

    def __init__(self, *args, grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [("", "—")] + [(g.pk, g.name) for g in grids]


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("联系日期"), widget=DATE)
    way = forms.ChoiceField(
        label=_("方式"), choices=ContactWay.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    household = forms.TypedChoiceField(
        label=_("结对户"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    summary = forms.CharField(label=_("联系情况"), max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    raised = forms.CharField(
        label=_("反映的问题"), max_length=2000, required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
    create_case = forms.BooleanField(label=_("转为民意件办理"), required=False)
    case_title = forms.CharField(
        label=_("民意件标题"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", _("（不针对某一户）"))] + [
            (h.pk, f"{h.head_name_masked} · {h.address_masked}") for h in households
        ]


class DrawForm(forms.Form):
    month = forms.DateField(
        label=_("月份"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month", "class": "form-control"}, format="%Y-%m"),
    )
    seed = forms.IntegerField(
        label=_("随机种子"), min_value=0, max_value=2**62 - 1, widget=forms.NumberInput(attrs=TEXT)
    )


class CheckForm(forms.Form):
    result = forms.ChoiceField(
        label=_("回访结果"),
        # Nothing chosen until the clerk chooses: a preselected "confirmed" would be stored by a careless click.
        choices=[("", _("请选择结果"))] + [c for c in CheckResult.choices if c[0] != CheckResult.PENDING],
        error_messages={"required": _("请选择回访结果。")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class ReportForm(forms.Form):
    deputy = forms.TypedChoiceField(label=_("代表"), coerce=int, widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("标题"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    held_on = forms.DateField(label=_("述职日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    rating_closes_at = forms.DateTimeField(
        label=_("评议截止"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, deputies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].choices = [("", "—")] + [(d.pk, f"{d.name}（{d.code}）") for d in deputies]


class PublishForm(forms.Form):
    text = forms.CharField(label=_("述职报告"), max_length=20000, widget=forms.Textarea(attrs={**TEXT, "rows": 10}))


class RatingForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, required=False, widget=forms.RadioSelect)
    name = forms.CharField(label=_("姓名（可不填）"), max_length=30, required=False, widget=forms.TextInput(attrs=TEXT))
    comment = forms.CharField(
        label=_("意见建议"), max_length=1000, required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )
