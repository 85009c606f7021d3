"""Public, phone-first pages: a deputy's contact statistics (counts only) and a report to voters with its rating."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.cases.enums import Rating
from lianxin.errors import PUBLIC_REFUSALS
from lianxin.privacy import normalise_phone
from lianxin.throttle import limits
from lianxin.voters import conf, report_services, selectors


def deputy_contacts(request, code):
    deputy = selectors.public_deputy(code)
    if deputy is None:
        raise Http404
    today = timezone.localdate()
    context = {
        "deputy": deputy,
        "quarters": selectors.public_contact_stats(deputy, today),
        "households": deputy.households.filter(active=True).count(),
        "minimum": conf.pairing_minimum(),
        "reports": list(selectors.public_reports_of(deputy)[:10]),
    }
    return render(request, "voters/public/contacts.html", context)


def _page(request, report, *, values=None, error="", field_errors=None, notice="", status=200):
    context = {
        "report": report,
        "result": selectors.published_result(report),
        "rating_open": report_services.rating_open(report),
        "ratings": Rating.choices,
        "values": values or {},
        "error": error,
        "field_errors": field_errors or {},
        "notice": notice,
        "rated": request.GET.get("rated") == "1",
        "code_minutes": conf.rating_code_minutes(),
    }
    return render(request, "voters/public/report.html", context, status=status)


def _public_or_404(report_id):
    return report_services.public_report(report_id)


def report_page(request, report_id):
    return _page(request, _public_or_404(report_id))


@require_POST
def report_rate(request, report_id):
    """One form, two buttons: 获取验证码 sends the SMS code; 提交评价 stores the rating."""
    report = _public_or_404(report_id)
    values = {key: request.POST.get(key, "") for key in ("phone", "code", "rating", "name", "comment", "consent")}
    try:
        limits.check(request, "voter_rate", phone=normalise_phone(values["phone"]), target=report.pk)
        if request.POST.get("action") == "code":
            report_services.rating_code_send(report_id=report.pk, phone=values["phone"])
            notice = _("验证码已发送到 %(phone)s，%(minutes)d 分钟内有效。") % {
                "phone": values["phone"].strip(),
                "minutes": conf.rating_code_minutes(),
            }
            return _page(request, report, values=values, notice=notice)
        report_services.rating_submit(
            report_id=report.pk,
            phone=values["phone"],
            code=values["code"],
            rating=values["rating"],
            comment=values["comment"],
            name=values["name"],
            consent=request.POST.get("consent") == "on",
        )
    except PUBLIC_REFUSALS as exc:
        return _page(request, report, values=values, error=exc.message, field_errors=exc.fields, status=exc.status)
    return redirect(reverse("voters:public_report", args=[report.pk]) + "?rated=1")
