"""A service's error on a form that is drawn again (lianxin/web/forms.py): next to the fields it names, the message
above the form when it names none of them; and the public forms' refusals (lianxin.errors.PUBLIC_REFUSALS)."""

from django import forms

from lianxin.errors import PUBLIC_REFUSALS, REFUSALS, InvalidInput, NotAllowed, NotFound
from lianxin.throttle.limits import ChallengeRequired, Throttled
from lianxin.throttle.traps import FormRejected
from lianxin.web.forms import DomainErrorsMixin, add_domain_error


class Form(DomainErrorsMixin, forms.Form):
    title = forms.CharField(required=False)
    station = forms.CharField(required=False)


def test_field_messages_go_next_to_their_fields():
    form = Form({})
    form.is_valid()
    form.add_domain_error(InvalidInput("标题太长。", fields={"title": ["最多 100 个字。"]}))
    assert form.errors == {"title": ["最多 100 个字。"]}


def test_a_message_without_fields_goes_above_the_form():
    form = Form({})
    form.is_valid()
    form.add_domain_error(NotAllowed("当前状态下不能这样做。"))
    assert form.non_field_errors() == ["当前状态下不能这样做。"]


def test_service_names_are_mapped_and_an_unknown_field_keeps_the_message():
    form = Form({})
    form.is_valid()
    add_domain_error(
        form,
        InvalidInput("有误。", fields={"station_code": ["联络站无效。"], "grid_code": ["网格无效。"]}),
        names={"station_code": "station"},
    )
    assert form.errors["station"] == ["联络站无效。"]
    assert form.non_field_errors() == ["有误。"]  # grid_code is not on this form: its message is not lost


def test_public_forms_show_abuse_refusals_and_no_form_shows_a_not_found():
    for exc in (Throttled(120), ChallengeRequired(), FormRejected("x")):
        assert isinstance(exc, PUBLIC_REFUSALS) and not isinstance(exc, REFUSALS)
    assert (FormRejected("x").status, Throttled(60).status) == (400, 429)
    assert not isinstance(NotFound("x"), PUBLIC_REFUSALS)  # left to the middleware's 404
