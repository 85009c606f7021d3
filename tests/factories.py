"""Real objects for tests: a small district with one persona per role (no mocks)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.accounts.enums import Role
from lianxin.accounts.models import Membership, User
from lianxin.cases.intake import Submission, case_register
from lianxin.organisation.enums import DivisionKind, StationKind
from lianxin.organisation.models import Deputy, Division, HandlingUnit, Station
from lianxin.organisation.services import division_create

PASSWORD = "Lianxin-2026!"


def make_user(username: str, role: str | None = None, **scope) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    if role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


@dataclass
class District:
    district: Division
    street: Division
    community: Division
    grid: Division
    other_street: Division
    other_grid: Division
    station: Station
    other_station: Station
    unit: HandlingUnit
    other_unit: HandlingUnit
    deputy: Deputy
    other_deputy: Deputy
    office: User
    station_staff: User
    deputy_user: User
    unit_user: User
    leader: User
    auditor: User
    outsider: User  # staff of another station: must see nothing of ours
    other_unit_user: User

    def persona(self, name: str) -> User:
        return getattr(self, name)


def make_district() -> District:
    district = division_create(name="示范区", kind=DivisionKind.DISTRICT, code="330100")
    street = division_create(name="东湖街道", kind=DivisionKind.STREET, parent=district, code="330101")
    community = division_create(name="春晖社区", kind=DivisionKind.COMMUNITY, parent=street)
    grid = division_create(name="春晖一网格", kind=DivisionKind.GRID, parent=community, code="G0001")
    other_street = division_create(name="西山镇", kind=DivisionKind.STREET, parent=district, code="330102")
    other_community = division_create(name="西山村", kind=DivisionKind.COMMUNITY, parent=other_street)
    other_grid = division_create(name="西山一网格", kind=DivisionKind.GRID, parent=other_community, code="G0002")
    station = Station.objects.create(
        code="donghu", name="东湖街道代表联络站", kind=StationKind.STATION, division=street
    )
    other_station = Station.objects.create(
        code="xishan", name="西山镇代表联络站", kind=StationKind.STATION, division=other_street
    )
    unit = HandlingUnit.objects.create(code="zjj", name="区住建局", division=district)
    other_unit = HandlingUnit.objects.create(code="jyj", name="区教育局", division=district)
    deputy_user = make_user("deputy")
    deputy = Deputy.objects.create(code="d-wang", name="王代表", user=deputy_user, public=True)
    deputy.stations.add(station)
    deputy.grids.add(grid)
    other_deputy = Deputy.objects.create(code="d-li", name="李代表", public=True)
    other_deputy.stations.add(other_station)
    return District(
        district=district,
        street=street,
        community=community,
        grid=grid,
        other_street=other_street,
        other_grid=other_grid,
        station=station,
        other_station=other_station,
        unit=unit,
        other_unit=other_unit,
        deputy=deputy,
        other_deputy=other_deputy,
        office=make_user("office", Role.OFFICE, division=district),
        station_staff=make_user("station", Role.STATION, station=station),
        deputy_user=deputy_user,
        unit_user=make_user("unit", Role.UNIT, unit=unit),
        leader=make_user("leader", Role.LEADER, division=district),
        auditor=make_user("auditor", Role.AUDITOR),
        outsider=make_user("outsider", Role.STATION, station=other_station),
        other_unit_user=make_user("other_unit", Role.UNIT, unit=other_unit),
    )


def submit_case(station_code: str = "donghu", **fields):
    values = {
        "title": "小区路灯不亮",
        "details": "春晖小区3栋门口路灯坏了两周，晚上出行不便。",
        "channel": "qr_station",
        "station_code": station_code,
        "contact_name": "张三",
        "contact_phone": "13812341234",
        "consent": True,
    }
    values.update(fields)
    case, _ = case_register(submission=Submission(**values))
    return case


def jpeg_bytes(size=(64, 48), exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCamera"  # Make
        exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}  # GPSInfo
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def jpeg_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")
