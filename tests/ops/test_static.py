"""Only the front-end files the pages use are found (and so collected): every `{% static 'vendor/…' %}` of a template
is among them, and they are served in development as in production."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from lianxin.web.finders import VendorFinder

SRC = Path(__file__).resolve().parents[2] / "src" / "lianxin"


def _vendor_references() -> set[str]:
    pattern = re.compile(r"""\{%\s*static\s+['"](vendor/[^'"]+)['"]""")
    return {match for path in SRC.rglob("*.html") for match in pattern.findall(path.read_text())}


def test_every_vendor_file_a_template_names_is_found():
    references = _vendor_references()
    assert "vendor/bootstrap/css/bootstrap.min.css" in references
    missing = sorted(name for name in references if finders.find(name) is None)
    assert missing == []


def test_nothing_else_of_node_modules_is_collected():
    listed = {f"{storage.prefix}/{name}" for name, storage in VendorFinder().list(None)}
    assert not any(name.startswith("vendor/echarts/") for name in listed)  # the cockpit has its own smaller build
    assert "vendor/leaflet/images/marker-icon-2x.png" in listed  # Leaflet builds this URL itself
    assert not any(name.endswith(("echarts.js", ".esm.js", "bootstrap.css")) for name in listed)
    assert len(listed) < 20


@pytest.mark.django_db
def test_served_by_whitenoise_from_node_modules(client):
    response = client.get("/static/vendor/leaflet/leaflet.js")
    assert response.status_code == 200
    assert client.get("/static/vendor/echarts/echarts.js").status_code == 404
