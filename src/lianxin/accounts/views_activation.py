"""The activation page: the holder of a new or reset account opens the one-time link (`/activate/?token=…`; the
query's token is redacted from every log, lianxin/logredact.py), chooses a password under the password rules and is
signed in; where their role needs a second factor, the account gate then takes them to its enrolment."""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from lianxin.accounts.people_services import ActivationRefused, account_activate, activation_user
from lianxin.errors import InvalidInput
from lianxin.throttle.limits import check

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


class ActivationForm(forms.Form):
    new_password1 = forms.CharField(label=_lazy("新密码"), strip=False, max_length=128, widget=forms.PasswordInput)
    new_password2 = forms.CharField(
        label=_lazy("再次输入新密码"), strip=False, max_length=128, widget=forms.PasswordInput
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _lazy("两次输入的密码不一致。"))
        return data


@require_http_methods(["GET", "POST"])
def activate(request):
    check(request, "activation")
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    try:
        user = activation_user(token)
    except ActivationRefused as exc:
        return render(request, "accounts/activate_refused.html", {"message": exc.message}, status=exc.status)
    form = ActivationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = account_activate(token=token, password=form.cleaned_data["new_password1"])
            except ActivationRefused as exc:
                return render(request, "accounts/activate_refused.html", {"message": exc.message}, status=exc.status)
            except InvalidInput as exc:
                for message in exc.fields.get("new_password1", [exc.message]):
                    form.add_error("new_password1", message)
            else:
                login(request, user, backend=LOGIN_BACKEND)
                return redirect("web:home")
        status = 422
    context = {"form": form, "token": token, "account": user, "help": password_validators_help_text_html()}
    return render(request, "accounts/activate.html", context, status=status)
