"""A farmer on a weak phone connection (slow 3G, 390×844) scans a station's QR code, reports and follows the case.

The pages are served as production serves them: the static files compressed (collectstatic's gzip copies, sent by
WhiteNoise or nginx's gzip_static; brotli is smaller still but browsers ask for it only over HTTPS), the pages
themselves not (nothing compresses them). The test server sends everything uncompressed, so the browser goes
through a small proxy that gzips /static/ answers (level 9, as WhiteNoise's copies) and passes the rest as it is.
Chromium's own network throttling (DevTools protocol) gives the slow connection; the bytes are what the browser
received (`encodedDataLength`: headers and compressed bodies).

The time is the network's, not this shared test machine's CPU: each page is loaded once unthrottled while the
proxy records the answers, then loaded again throttled with the proxy replaying them at once (as an idle server
answers in tens of milliseconds), so the measure is what slow 3G costs the page: its bytes, requests and
round trips. The rest of the walk (map, submission, tracking) runs live on the throttled connection."""

from __future__ import annotations

import gzip
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from lianxin.cases.models import Case
from lianxin.organisation.models import Deputy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET_BYTES = 150 * 1024  # transferred on first load
BUDGET_MS = 3000  # until the page is usable: parsed, its deferred scripts run (DOMContentLoaded)
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.10, 30.20], [120.20, 30.20], [120.20, 30.30], [120.10, 30.30], [120.10, 30.20]]],
}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class _CompressingProxy(BaseHTTPRequestHandler):
    target = ("127.0.0.1", 0)
    protocol_version = "HTTP/1.1"
    recorded: dict  # path -> (status, headers, body) of GET answers, set per proxy
    mode: dict  # {"record": bool, "replay": bool}

    def log_message(self, *args):
        pass

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.command == "GET" and self.mode["replay"] and self.path in self.recorded:
            status, answer_headers, data = self.recorded[self.path]
        else:
            upstream = http.client.HTTPConnection(*self.target, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in {"accept-encoding", "connection"}}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            status, answer_headers, data = answer.status, answer.getheaders(), answer.read()
            upstream.close()
            if self.command == "GET" and self.mode["record"]:
                self.recorded[self.path] = (status, answer_headers, data)
        compress = (
            self.path.startswith("/static/")
            and status == 200
            and "gzip" in self.headers.get("Accept-Encoding", "")
            and len(data) > 200
        )
        if compress:
            data = gzip.compress(data, 9)
        self.send_response(status)
        for key, value in answer_headers:
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_HEAD = _forward


@pytest.fixture
def production_like(live_server):
    parts = urlsplit(live_server.url)
    mode = {"record": False, "replay": False}
    attributes = {"target": (parts.hostname, parts.port), "recorded": {}, "mode": mode}
    handler = type("Proxy", (_CompressingProxy,), attributes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", mode
    server.shutdown()
    server.server_close()


class Meter:
    """Bytes received per URL and the requests made, through the DevTools protocol, on a throttled connection."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        self.cdp.on("Network.loadingFinished", lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))

    def throttle(self):
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # every load a first visit
        self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)

    def first_load(self, url: str, proxy_mode: dict) -> tuple[int, float]:
        """(bytes, ms until usable) of a first visit to `url` on slow 3G, the server's time left out."""
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {**SLOW_3G, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        proxy_mode.update(record=True, replay=False)
        self.page.goto(url, timeout=120000)
        self.page.wait_for_load_state("load", timeout=120000)
        proxy_mode.update(record=False, replay=True)
        self.throttle()
        self.reset()
        self.page.goto(url, timeout=120000)
        self.page.wait_for_load_state("load", timeout=120000)
        proxy_mode.update(replay=False)
        return self.total(), self.usable_ms()

    def reset(self):
        self.urls.clear()
        self.bytes.clear()

    def total(self) -> int:
        return sum(self.bytes.values())

    def requested(self) -> list[str]:
        return list(self.urls.values())

    def usable_ms(self) -> float:
        return self.page.evaluate("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")

    def report(self) -> str:
        rows = sorted(((self.bytes.get(k, 0), u) for k, u in self.urls.items()), reverse=True)
        return "\n".join(f"{size:>8} {url}" for size, url in rows)


def _station_with_thirteen_deputies(district):
    for n in range(12):
        deputy = Deputy.objects.create(code=f"d-{n:02d}", name=f"代表{n:02d}", public=True, sector="农业")
        deputy.stations.add(district.station)
    Deputy.objects.filter(pk=district.deputy.pk).update(public=True)
    for division in (district.district, district.street, district.community, district.grid):
        division.polygon = SQUARE
        division.save()


def test_a_farmer_on_slow_3g_reports_and_follows_within_the_budget(district, production_like, phone):
    base, proxy_mode = production_like
    _station_with_thirteen_deputies(district)
    page = phone
    page.set_default_timeout(60000)  # the live steps share a slow connection and a busy machine
    meter = Meter(page)
    report_bytes, report_ms = meter.first_load(f"{base}/s/donghu", proxy_mode)
    print(f"report page: {report_bytes} bytes, usable after {report_ms:.0f} ms\n{meter.report()}")
    assert report_bytes < BUDGET_BYTES, meter.report()
    assert report_ms < BUDGET_MS
    assert not [u for u in meter.requested() if "leaflet" in u or "bootstrap.min.css" in u or "altcha" in u]

    # The station's 13 deputies are one line; the form starts on the first screen and is at most 1.5 screens long.
    summary = page.locator("#station-deputies > summary")
    expect(summary).to_contain_text("13")
    assert page.locator(".deputy-list").is_hidden()
    form = page.locator("#report-form").bounding_box()
    assert form["y"] < 844 * 0.5
    assert form["height"] <= 844 * 1.5, form

    # The map's code comes only when the map is opened; the base layer is drawn from the registry, no tiles.
    meter.throttle()
    meter.reset()
    page.click("#show-map")
    expect(page.locator("#report-map .leaflet-tooltip.map-label-street")).to_have_text(district.street.name)
    expect(page.locator("#report-map .leaflet-tooltip.map-label-grid")).to_have_text(district.grid.name)
    assert page.locator("#report-map path").count() >= 4  # district, street, community outlines and the grid
    assert not page.locator("#report-map img.leaflet-tile").count()
    assert any("leaflet.js" in u for u in meter.requested())
    page.locator("#report-map").click(position={"x": 150, "y": 120})
    assert page.input_value("#id_lat") != ""

    page.fill("#id_title", "村口路灯不亮")
    page.fill("#id_details", "村口到小学的路上三盏路灯坏了，孩子晚上放学看不清路。")
    page.fill("#id_contact_phone", "13812341234")
    page.check("#id_consent")
    page.click("#report-submit")
    expect(page.locator("#tracking-code")).to_have_text(Case.objects.get().tracking_code, timeout=30000)

    with page.expect_navigation():
        page.click("a:text-is('查看办理进度')")
    track_bytes, track_ms = meter.first_load(page.url, proxy_mode)
    print(f"tracking page: {track_bytes} bytes, usable after {track_ms:.0f} ms\n{meter.report()}")
    assert track_bytes < BUDGET_BYTES, meter.report()
    assert track_ms < BUDGET_MS
    assert not [u for u in meter.requested() if "htmx" in u or "leaflet" in u or "bootstrap.min.css" in u]
    expect(page.locator(".timeline")).to_contain_text("已受理")
