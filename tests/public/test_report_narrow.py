"""The report page on a narrow phone (320 px) in a district without grid polygons: nothing sticks out of the form."""

import pytest

from lianxin.organisation.models import Division

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible element inside the form whose box leaves the form's card, or the page wider than the screen.
OVERFLOWS = """() => {
  const card = document.getElementById("report-form").getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll("#report-form *")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (box.left < card.left - 0.5 || box.right > card.right + 0.5) {
      out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} ${Math.round(box.left)}–${Math.round(box.right)}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth}px`);
  return out;
}"""


@pytest.mark.parametrize("path", ["/report/", "/s/donghu"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_nothing_overflows_the_form_at_320_px_without_grids(district, live_server, phone, path, language):
    assert not Division.objects.filter(polygon__isnull=False).exists()
    page = phone
    page.set_viewport_size({"width": 320, "height": 640})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-map").is_hidden()  # no grid to draw and no tiles: the map stays hidden
    assert page.locator("#show-map").count() == 0  # and is not offered
    page.click("#location-more > summary")  # the pickers and address, opened
    button = page.locator("#locate-me")
    assert button.is_visible()
    card = page.locator("#report-form").bounding_box()
    box = button.bounding_box()
    assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
    assert page.evaluate(OVERFLOWS) == []
