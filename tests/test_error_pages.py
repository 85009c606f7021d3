"""With DEBUG off, errors are pages in the user's language, not Django's English defaults."""

import pytest

pytestmark = pytest.mark.django_db


def test_404_page_is_chinese(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_404_page_in_english(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "页面不存在" not in response.content.decode()
