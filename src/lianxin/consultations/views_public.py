"""The citizen's consultation pages (phone-first, no account): the list, and a consultation's articles with
their approved comments and a comment form per article. Deputies who are logged in comment as deputies.
Commenters' personal data is never shown: names masked (surname only), phones never."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin import privacy
from lianxin.accounts.selectors import user_deputy
from lianxin.consultations import selectors, services
from lianxin.consultations.forms import CommentForm
from lianxin.errors import PUBLIC_REFUSALS
from lianxin.privacy import normalise_phone
from lianxin.throttle import limits, traps


def _not_found(request):
    return render(request, "consultations/public/not_found.html", status=404)


def consultation_list(request):
    return render(
        request,
        "consultations/public/list.html",
        {"consultations": selectors.public_consultations(), "now": timezone.now()},
    )


def _identity_key(consultation) -> str:
    return f"lx_consultation_identity_{consultation.pk}"


def _remember_identity(request, consultation, data: dict) -> None:
    """One identity per visit: the name, phone and consent given with a first comment fill every other article's
    form of this consultation for the rest of the session (kept encrypted in the session, never in a cookie)."""
    identity = {"name": data.get("name", ""), "phone": data.get("phone", ""), "consent": True}
    request.session[_identity_key(consultation)] = privacy.encrypt(json.dumps(identity))


def _remembered_identity(request, consultation) -> dict:
    stored = request.session.get(_identity_key(consultation)) if hasattr(request, "session") else None
    if not stored:
        return {}
    try:
        return json.loads(privacy.decrypt(stored))
    except (ValueError, TypeError):
        return {}


def _detail(request, consultation, *, failed_article: int | None = None, failed_form=None, status: int = 200):
    articles = list(consultation.articles.all())
    open_now = services.is_open(consultation)
    identity = _remembered_identity(request, consultation)
    for article in articles:
        prefix = f"a{article.pk}"
        article.form = failed_form if article.pk == failed_article else CommentForm(prefix=prefix, initial=identity)
    context = {
        "consultation": consultation,
        "articles": articles,
        "open": open_now,
        "as_deputy": user_deputy(request.user) is not None,
        "identity": identity,
    }
    response = render(request, "consultations/public/detail.html", context, status=status)
    if identity:
        add_never_cache_headers(response)  # the forms carry this visitor's phone: no shared cache keeps the page
    return response


def consultation_detail(request, consultation_id: int):
    consultation = selectors.public_consultation(consultation_id)
    if consultation is None:
        return _not_found(request)
    return _detail(request, consultation)


@require_POST
def comment(request, consultation_id: int, article_id: int):
    consultation = selectors.public_consultation(consultation_id)
    if consultation is None or not any(a.pk == article_id for a in consultation.articles.all()):
        return _not_found(request)
    form = CommentForm(request.POST, prefix=f"a{article_id}")
    if not form.is_valid():
        return _detail(request, consultation, failed_article=article_id, failed_form=form, status=422)
    deputy = user_deputy(request.user)
    try:
        if deputy is None:
            traps.check_form(request.POST)
            phone = normalise_phone(form.cleaned_data.get("phone", ""))
            limits.check(request, "comment", phone=phone, target=consultation.pk)
        services.comment_submit(
            consultation_id=consultation.pk,
            article_id=article_id,
            body=form.cleaned_data["body"],
            name=form.cleaned_data.get("name", ""),
            phone=form.cleaned_data.get("phone", ""),
            consent=form.cleaned_data["consent"],
            deputy=deputy,
            actor=request.user if deputy is not None else None,
        )
    except PUBLIC_REFUSALS as exc:
        form.add_domain_error(exc)
        return _detail(request, consultation, failed_article=article_id, failed_form=form, status=exc.status)
    if deputy is None:
        _remember_identity(request, consultation, form.cleaned_data)
    messages.success(request, _("感谢您的意见！审核通过后将在本页公开。"))
    return redirect(reverse("consultations:public_detail", args=[consultation.pk]) + f"#article-{article_id}")
