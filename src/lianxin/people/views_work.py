"""The office's people screen (/work/people/): the accounts of station staff, handling units and deputies in its
divisions — search and filter, create, deactivate and reactivate, reset, memberships, and the one-time activation
link sent through the outbox or printed with a QR code for hand-out. Views parse input, call accounts'
services and selectors (which check the actor: a foreign account is a 404) and render; the office never sees or
sets a password."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lianxin import validation
from lianxin.accounts import people_services as services
from lianxin.accounts.people_selectors import people_list, person_memberships
from lianxin.accounts.rules import can_manage_people, user_for_actor
from lianxin.errors import REFUSALS, InvalidInput
from lianxin.people.forms import STATE_LABELS, AccountForm, MembershipForm, PeopleFilterForm
from lianxin.people.notices import activation_url, can_send, send_activation

PAGE_SIZE = 50
PRINT_MAX = 200


def _require_office(request) -> None:
    if not can_manage_people(request.user):
        raise Http404


def state_of(user) -> str:
    if not user.is_active:
        return "deactivated"
    return "pending" if services.is_pending(user) else "active"


def _rows(users):
    for user in users:
        state = state_of(user)
        yield {
            "user": user,
            "state": state,
            "state_label": STATE_LABELS[state],
            "memberships": getattr(user, "active_memberships", []),
            "deputy": getattr(user, "deputy", None),
        }


@login_required
def people(request):
    _require_office(request)
    form = PeopleFilterForm(request.GET, actor=request.user)
    page = Paginator(people_list(request.user, form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "rows": list(_rows(page.object_list)), "query": params.urlencode()}
    if request.htmx and not request.htmx.boosted:
        return render(request, "people/work/_results.html", context)
    return render(request, "people/work/people.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    _require_office(request)
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raw = services.AccountInput(
            username=data["username"],
            display_name=data["display_name"],
            email=data["email"],
            phone=data["phone"],
            role=data["role"],
            station=data.get("station"),
            unit=data.get("unit"),
            deputy=data.get("deputy"),
        )
        try:
            with transaction.atomic():
                user = services.account_create(actor=request.user, data=raw)
                sent = _send(request, user) if data["delivery"] == "send" else 0
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("账号 %(username)s 已创建。") % {"username": user.username})
            if not sent:
                messages.info(request, _("请打印激活单，当面交给本人。"))
            return redirect("people:detail", user_id=user.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "people/work/create.html", {"form": form}, status=status)


def _send(request, user) -> int:
    """Issue a link and queue it to the account's e-mail/phone (in the caller's transaction)."""
    user, token = services.activation_issue(actor=request.user, user_id=user.pk, via="send")
    sent = send_activation(user, token)
    if sent:
        messages.success(request, _("激活链接已发送到该账号的邮箱或手机。"))
    return sent


@login_required
def detail(request, user_id: int):
    _require_office(request)
    user = user_for_actor(request.user, user_id)
    context = {
        "person": user,
        "state": state_of(user),
        "state_label": STATE_LABELS[state_of(user)],
        "memberships": person_memberships(user),
        "deputy": getattr(user, "deputy", None),
        "phone": services.phone_masked(user),
        "expires_at": services.activation_expires_at(user),
        "can_send": can_send(user),
        "membership_form": MembershipForm(actor=request.user),
    }
    return render(request, "people/work/detail.html", context)


def _act(request, user_id: int, action, done: str):
    _require_office(request)
    try:
        action(actor=request.user, user_id=user_id)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("people:detail", user_id=user_id)


@login_required
@require_POST
def deactivate(request, user_id: int):
    return _act(request, user_id, services.account_deactivate, _("账号已停用：不能再登录，令牌和激活链接失效。"))


@login_required
@require_POST
def reactivate(request, user_id: int):
    return _act(request, user_id, services.account_reactivate, _("账号已重新启用。"))


@login_required
@require_POST
def reset(request, user_id: int):
    return _act(
        request,
        user_id,
        services.account_reset,
        _("账号已重置：原密码和两步验证已失效。请发送或打印新的激活链接。"),
    )


@login_required
@require_POST
def send(request, user_id: int):
    _require_office(request)
    user = user_for_actor(request.user, user_id)
    if not can_send(user):
        messages.error(request, _("该账号没有邮箱或手机号，请打印激活单。"))
        return redirect("people:detail", user_id=user.pk)
    try:
        with transaction.atomic():
            _send(request, user)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    return redirect("people:detail", user_id=user.pk)


@login_required
@require_POST
def print_sheet(request):
    """Issue a fresh link for each chosen account (earlier links stop working) and show them with QR codes."""
    _require_office(request)
    field = "pending_ids" if request.POST.get("all_pending") else "user_ids"
    try:
        ids = validation.id_list(request.POST.getlist(field), field="user_ids", label=_("账号"))
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("people:list")
    ids = list(dict.fromkeys(ids))[:PRINT_MAX]
    if not ids:
        messages.error(request, _("请先勾选要打印激活单的账号。"))
        return redirect("people:list")
    try:
        issued = services.activation_issue_many(actor=request.user, user_ids=ids, via="print")
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("people:list")
    sheets = []
    for user, token in issued:
        url = activation_url(token)
        sheets.append(
            {
                "user": user,
                "url": url,
                "qr": segno.make(url, error="m").svg_inline(scale=3),
                "expires_at": services.activation_expires_at(user),
                "memberships": person_memberships(user),
                "deputy": getattr(user, "deputy", None),
            }
        )
    return render(request, "people/work/print.html", {"sheets": sheets, "days": settings.ACCOUNT_ACTIVATION_DAYS})


@login_required
@require_POST
def membership_add(request, user_id: int):
    _require_office(request)
    user = user_for_actor(request.user, user_id)
    form = MembershipForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(request, _("请选择本辖区的联络站或承办单位。"))
        return redirect("people:detail", user_id=user.pk)
    data = form.cleaned_data
    try:
        services.membership_add(
            actor=request.user, user_id=user.pk, role=data["role"], station=data.get("station"), unit=data.get("unit")
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已添加授权。"))
    return redirect("people:detail", user_id=user.pk)


@login_required
@require_POST
def membership_end(request, user_id: int, membership_id: int):
    _require_office(request)
    try:
        services.membership_end(actor=request.user, user_id=user_id, membership_id=membership_id)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销授权。"))
    return redirect("people:detail", user_id=user_id)
