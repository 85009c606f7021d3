"""/demo/messages/ exists only with the demo district: on a real district's data it is a 404, even for the office."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/demo/messages/"


def test_no_page_without_the_demo_data(district, client):
    client.force_login(district.office)
    assert client.get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302  # to the login
