"""Forms of the people screen. They only parse input; accounts.people_services checks the rules and stores."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.enums import Role
from lianxin.accounts.people_selectors import STATES, PeopleFilters
from lianxin.accounts.rules import assignable_deputies, assignable_stations, assignable_units
from lianxin.errors import InvalidInput

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control"}
ROLE_CHOICES = [
    (Role.STATION.value, Role.STATION.label),
    (Role.UNIT.value, Role.UNIT.label),
    (Role.DEPUTY.value, Role.DEPUTY.label),
]
STATE_LABELS = {"active": _("已激活"), "pending": _("待激活"), "deactivated": _("已停用")}
DELIVERY_CHOICES = [("print", _("打印激活单当面交给本人")), ("send", _("发送激活链接到邮箱或手机"))]


class DomainErrorsMixin:
    def add_domain_error(self, exc: InvalidInput) -> None:
        mapped = False
        for name, messages in (exc.fields or {}).items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
            mapped = True
        if not mapped:
            self.add_error(None, exc.message)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={**TEXT, "class": "form-control form-control-sm", "type": "search", "placeholder": _("用户名或姓名")}
        ),
    )
    role = forms.ChoiceField(
        label=_("角色"), required=False, choices=[("", _("全部")), *ROLE_CHOICES], widget=forms.Select(attrs=SELECT)
    )
    station = forms.ModelChoiceField(
        label=_("联络站"), required=False, queryset=None, empty_label=_("全部"), widget=forms.Select(attrs=SELECT)
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"), required=False, queryset=None, empty_label=_("全部"), widget=forms.Select(attrs=SELECT)
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部"))] + [(s, STATE_LABELS[s]) for s in STATES],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = assignable_stations(actor)
        self.fields["unit"].queryset = assignable_units(actor)

    def filters(self) -> PeopleFilters:
        self.is_valid()  # an invalid filter is ignored (cleaned_data keeps only the valid ones)
        data = self.cleaned_data
        return PeopleFilters(
            q=data.get("q") or "",
            role=data.get("role") or "",
            station_id=data["station"].pk if data.get("station") else None,
            unit_id=data["unit"].pk if data.get("unit") else None,
            state=data.get("state") or "",
        )


class AccountForm(DomainErrorsMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, widget=forms.TextInput(attrs=TEXT))
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False, widget=forms.TextInput(attrs=TEXT))
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES, widget=forms.Select(attrs={"class": "form-select"}))
    station = forms.ModelChoiceField(
        label=_("联络站"), required=False, queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"), required=False, queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    deputy = forms.ModelChoiceField(
        label=_("代表"), required=False, queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False, widget=forms.EmailInput(attrs=TEXT))
    phone = forms.CharField(
        label=_("手机号"), max_length=20, required=False, widget=forms.TextInput(attrs={**TEXT, "inputmode": "tel"})
    )
    delivery = forms.ChoiceField(
        label=_("激活链接"), choices=DELIVERY_CHOICES, initial="print", widget=forms.RadioSelect
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = assignable_stations(actor)
        self.fields["unit"].queryset = assignable_units(actor)
        self.fields["deputy"].queryset = assignable_deputies(actor).filter(user__isnull=True)

    def clean(self):
        data = super().clean()
        if data.get("delivery") == "send" and not (data.get("email") or data.get("phone")):
            self.add_error("delivery", _("发送激活链接须填写电子邮箱或手机号；没有的请选择打印。"))
        return data


class MembershipForm(forms.Form):
    role = forms.ChoiceField(
        label=_("角色"), choices=ROLE_CHOICES[:2], widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    station = forms.ModelChoiceField(
        label=_("联络站"),
        required=False,
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        required=False,
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = assignable_stations(actor)
        self.fields["unit"].queryset = assignable_units(actor)
