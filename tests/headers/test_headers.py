"""Response headers: the Content-Security-Policy, Permissions-Policy, no-store on everything with personal data,
HSTS and secure cookies when HTTPS is configured; no inline script or handler in any template."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.api.helpers import BASE, bearer

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "lianxin"


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_carry_a_csp_without_inline_scripts(client, district):
    for url in ("/s/donghu", "/login/"):
        csp = _csp(client.get(url))
        assert csp["script-src"] == ["'self'"]
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_permissions_policy_switches_off_unused_features(client, district):
    policy = client.get("/login/")["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=(self)" in policy


@pytest.mark.parametrize("who", ["office", "station_staff"])
def test_work_pages_and_api_are_no_store(client, district, who):
    user = district.persona(who)
    client.force_login(user)
    assert "no-store" in client.get("/work/cases/")["Cache-Control"]
    assert "no-store" in client.get("/account/")["Cache-Control"]
    assert "no-store" in client.get(f"{BASE}/me", **bearer(user))["Cache-Control"]


def test_public_pages_and_tracking_are_no_store(client, district):
    assert "no-store" in client.get("/s/donghu")["Cache-Control"]
    assert "no-store" in client.get("/track/NOPE?token=x")["Cache-Control"]


def test_static_files_keep_their_cache(client):
    response = client.get("/static/lianxin/behaviour.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Permissions-Policy" not in response


def test_hsts_and_secure_cookies_only_with_https(client, district, settings):
    plain = client.get("/login/", secure=True)
    assert "Strict-Transport-Security" not in plain and not plain.cookies["csrftoken"]["secure"]
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = Client().get("/login/", secure=True)  # a new client: SecurityMiddleware reads settings once
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.cookies["csrftoken"]["secure"]


def test_https_setting_turns_everything_on(monkeypatch):
    import importlib

    import lianxin.settings as live

    monkeypatch.setenv("LIANXIN_HTTPS", "true")
    try:
        fresh = importlib.reload(live)
        assert fresh.SECURE_SSL_REDIRECT and fresh.SECURE_HSTS_SECONDS >= 31_536_000
        assert fresh.SESSION_COOKIE_SECURE and fresh.CSRF_COOKIE_SECURE and fresh.SECURE_HSTS_PRELOAD
    finally:
        monkeypatch.delenv("LIANXIN_HTTPS")
        importlib.reload(live)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


HX_TRIGGER = re.compile(r'hx-trigger="([^"]*)"')
EVENT_FILTER = re.compile(r"(?:^|,)\s*[\w:.-]+\[")  # change[target.id !== 'x']: a filter is evaluated code


def test_no_template_needs_htmx_to_evaluate_code():
    """htmx runs with allowEval off (base.html, the CSP has no 'unsafe-eval'): it would turn an event filter into
    "always true" and refuse hx-on and js: values, silently, so none may be written."""
    offenders = []
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text()
        filters = [t for t in HX_TRIGGER.findall(text) if EVENT_FILTER.search(t)]
        if filters or re.search(r"\shx-on[:-]|hx-vals=[\"']js:", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
    assert EVENT_FILTER.search("change[target.id !== 'id_q'], input changed delay:400ms from:#id_q")
    assert not EVENT_FILTER.search("change from:(#f select, #f input[type=date]), input changed from:#id_q")


def test_csp_allows_the_tile_server_when_configured(monkeypatch):
    import importlib

    import lianxin.settings as live

    monkeypatch.setenv("LIANXIN_MAP_TILE_URL", "https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png")
    try:
        fresh = importlib.reload(live)
        assert "https://*.tiles.example.gov.cn" in fresh.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    finally:
        monkeypatch.delenv("LIANXIN_MAP_TILE_URL")
        importlib.reload(live)


def test_the_csp_header_is_built_once_and_follows_the_settings(client, district, settings):
    """The header kept per process is django-csp's own policy; a changed setting builds it again; a response a
    view changed (or one with a nonce) takes django-csp's own path."""
    from csp.middleware import CSPMiddleware
    from csp.utils import build_policy
    from django.http import HttpResponse
    from django.test import RequestFactory

    from lianxin.web.headers import ContentSecurityPolicyMiddleware

    first = client.get("/report/")["Content-Security-Policy"]
    assert first == build_policy() and "'unsafe-eval'" not in first
    assert client.get("/report/")["Content-Security-Policy"] is first  # the same string object: built once
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}}
    assert client.get("/report/")["Content-Security-Policy"] == build_policy() != first

    def view(request):
        response = HttpResponse("x")
        response._csp_update = {"img-src": ["https://tiles.example"]}
        return response

    request = RequestFactory().get("/x")
    for middleware in (ContentSecurityPolicyMiddleware(view), CSPMiddleware(view)):
        middleware.process_request(request)
        header = middleware.process_response(request, view(request))["Content-Security-Policy"]
        assert "https://tiles.example" in header


def test_api_answers_load_no_session_and_pages_keep_their_messages(client, district):
    """The API authenticates by token: its answers neither read the session nor vary on the cookie (the account gate
    lets /api/ through before the session's user is asked for); pages still carry their one-time messages (the
    messages storage is built only when a request adds or reads one)."""
    user = district.persona("station_staff")
    answer = client.get(f"{BASE}/me", **bearer(user))
    assert answer.status_code == 200 and "Cookie" not in answer.get("Vary", "")
    client.force_login(user)
    assert "Cookie" in client.get("/work/cases/").get("Vary", "")  # a page reads the session
    from django.contrib import messages
    from django.test import RequestFactory
    from django.utils.functional import empty

    from lianxin.web.messages import LazyMessageMiddleware

    request = RequestFactory().get("/")
    request.session = client.session
    middleware = LazyMessageMiddleware(lambda r: None)
    middleware.process_request(request)
    assert request._messages._wrapped is empty  # not built: nothing asked for it
    messages.success(request, "已保存。")
    assert [str(m) for m in request._messages] == ["已保存。"]
