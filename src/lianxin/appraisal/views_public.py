"""Public pages of the department appraisal: the leaderboard anyone can check, its details, the opinion form.
Only published rounds are shown; no person's name or phone appears."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianxin.appraisal import compute, conf, exports, selectors, services
from lianxin.appraisal.enums import OpinionRating
from lianxin.errors import DomainError, InvalidInput, NotFound


def index(request):
    return render(request, "appraisal/public/index.html", {"years": selectors.published_years()})


def _published(year):
    round_ = selectors.published_round(year)
    if round_ is None:
        raise Http404
    return round_


def leaderboard(request, year):
    round_ = _published(year)
    results = selectors.leaderboard(round_)
    items = list(round_.items.order_by("order", "id"))
    context = {
        "round": round_,
        "results": results,
        "items": items,
        "methods": [(item, compute.formula(item, round_)) for item in items],
        "min_sample": conf.appraisal_min_sample(),
    }
    return render(request, "appraisal/public/leaderboard.html", context)


def leaderboard_export(request, year):
    round_ = _published(year)
    content = exports.leaderboard(round_, selectors.leaderboard(round_))
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="appraisal-{round_.year}.xlsx"'
    return response


def detail(request, year, unit_code, item_id):
    round_ = _published(year)
    row = selectors.item_result(round_, unit_code, item_id)
    if row is None:
        raise Http404
    context = {
        "round": round_,
        "row": row,
        "method": compute.formula(row.item, round_),
        "details": [(label, row.details.get(key)) for key, label in exports.DETAIL_KEYS if key in row.details],
    }
    return render(request, "appraisal/public/detail.html", context)


def opinion(request, year):
    """The citizens' opinion form (评议意见征集): one rating per unit and phone."""
    round_ = selectors.collecting_round(year)
    if round_ is None:
        raise Http404
    context = {
        "round": round_,
        "units": list(round_.units.order_by("code")),
        "ratings": OpinionRating.choices,
        "values": {},
        "field_errors": {},
    }
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("unit", "phone", "rating", "comment", "consent")}
        try:
            services.opinion_submit_citizen(
                year=round_.year,
                unit_id=values["unit"],
                phone=values["phone"],
                rating=values["rating"],
                comment=values["comment"],
                consent=values["consent"] == "on",
            )
        except NotFound as exc:
            context.update(error=exc.message, values=values, field_errors={"unit": [exc.message]})
            status = 422
        except InvalidInput as exc:
            context.update(error=exc.message, values=values, field_errors=exc.fields)
            status = 422
        except DomainError as exc:
            context.update(error=exc.message, values=values)
            status = 409
        else:
            context["done"] = _("感谢您的评议！")
    return render(request, "appraisal/public/opinion.html", context, status=status)
