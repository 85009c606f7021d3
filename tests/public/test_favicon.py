"""Every page names the site's icon, and /favicon.ico (asked by browsers whatever the page says) finds it."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon(client, district):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/static/lianxin/favicon.ico")
    assert finders.find("lianxin/favicon.ico") and finders.find("lianxin/favicon.svg")
    for url in ("/report/", "/login/"):
        body = client.get(url).content.decode()
        assert '<link rel="icon" href="/static/lianxin/favicon.svg" type="image/svg+xml">' in body, url
