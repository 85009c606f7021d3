"""Domain errors on web pages: a NotFound a view lets through is a 404; another DomainError is its page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from lianxin.errors import InvalidInput, NotAllowed, NotFound
from lianxin.web.errors import DomainErrorMiddleware

pytestmark = pytest.mark.django_db


def _request(htmx=False):
    request = RequestFactory().get("/somewhere/", headers={"HX-Request": "true"} if htmx else {})
    request.htmx = htmx
    request.user = AnonymousUser()
    return request


def test_not_found_becomes_the_404_page():
    middleware = DomainErrorMiddleware(lambda request: None)
    with pytest.raises(Http404):
        middleware.process_exception(_request(), NotFound("找不到该民意件。"))


def test_other_domain_errors_are_a_page_with_their_message_and_status():
    middleware = DomainErrorMiddleware(lambda request: None)
    page = middleware.process_exception(_request(), NotAllowed("该民意件当前不能评价。"))
    assert page.status_code == 409
    assert "该民意件当前不能评价。" in page.content.decode()
    fragment = middleware.process_exception(_request(htmx=True), InvalidInput("<b>标题</b>太长"))
    assert fragment.status_code == 422
    assert fragment.content.decode() == '<div class="alert alert-danger" role="alert">&lt;b&gt;标题&lt;/b&gt;太长</div>'


def test_other_exceptions_are_left_alone():
    assert DomainErrorMiddleware(lambda request: None).process_exception(_request(), ValueError("x")) is None


def test_a_foreign_shift_is_a_404_without_the_view_catching_it(client, django_user_model):
    """duty's shift page no longer catches NotFound itself: the middleware turns it into the 404."""
    user = django_user_model.objects.create_user(username="nobody", password="Secret-pass-123")
    client.force_login(user)
    assert client.get("/work/duty/shifts/999999/").status_code == 404
