"""Personas and suggestions in every state, moved there through the real services by the right people.

Personas (on top of tests.factories.make_district): deputy (lead, 领衔), cosigner (附议), office (reviewer),
lead_unit (区住建局), co_unit (区教育局), leader (包抓), outsider (staff of another station), auditor,
third_unit_user (a third unit, for reassignment).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianxin.accounts.enums import Role
from lianxin.accounts.models import User
from lianxin.organisation.models import Category, Deputy, HandlingUnit
from lianxin.suggestions.models import Suggestion
from lianxin.suggestions.services import suggestion_create, suggestion_transition
from tests.factories import District, make_user, submit_case


@dataclass
class World:
    d: District
    cosigner: User
    cosigner_deputy: Deputy
    third_unit: HandlingUnit
    third_unit_user: User
    category: Category

    def __getattr__(self, name):
        aliases = {"deputy": "deputy_user", "lead_unit": "unit_user", "co_unit": "other_unit_user"}
        return getattr(self.d, aliases.get(name, name))


def make_world(district: District) -> World:
    cosigner = make_user("cosigner")
    cosigner_deputy = Deputy.objects.create(code="d-zhao", name="赵代表", user=cosigner, public=True)
    cosigner_deputy.stations.add(district.station)
    third_unit = HandlingUnit.objects.create(code="jtj", name="区交通局", division=district.district)
    third_unit_user = make_user("third_unit", Role.UNIT, unit=third_unit)
    category = Category.objects.filter(level=1, active=True).order_by("pk").first()
    return World(district, cosigner, cosigner_deputy, third_unit, third_unit_user, category)


def fields(world: World, **overrides) -> dict:
    values = {
        "title": "关于春晖小区周边路灯改造的建议",
        "situation": "春晖小区周边多条道路路灯老化，夜间照明不足，群众多次反映出行不便。",
        "proposals": "建议区住建局对春晖小区周边道路路灯进行统一改造，并建立定期巡检制度。",
        "category_id": world.category.pk,
        "urgency": "冬季天黑早，安全隐患突出。",
        "breadth": "涉及周边三个小区约五千居民。",
        "importance": "关系群众夜间出行安全。",
    }
    values.update(overrides)
    return values


def act(user, suggestion, action: str, document=None, **data) -> Suggestion:
    result = suggestion_transition(actor=user, suggestion_id=suggestion.pk, action=action, data=data, document=document)
    result.refresh_from_db()
    return result


def pdf_upload(name: str = "答复函.pdf") -> SimpleUploadedFile:
    data = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").getvalue()
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def acknowledged_case(world: World, **fields):
    """A citizen's case the deputy has answered (我应): ready to become part of a suggestion."""
    from lianxin.cases.services import case_acknowledge

    case = submit_case(**fields)
    case_acknowledge(actor=world.deputy, case_id=case.pk, message="收到，我来跟进。")
    case.refresh_from_db()
    return case


def converted_cases(world: World, n: int = 2) -> list:
    return [acknowledged_case(world, title=f"路灯不亮{i}") for i in range(n)]


STEPS = [
    "draft",
    "reviewing",
    "accepted",
    "assigned",
    "handling",
    "answered",
    "rechecking",
    "second_assigned",
    "closed",
]


def suggestion_at(
    world: World, state: str, *, with_cases: int = 0, category: str = "A", key: bool = False, **overrides
) -> Suggestion:
    """A suggestion moved through the real services to `state`:
    draft, reviewing, returned, accepted, assigned, handling, answered, following, rechecking, second_assigned,
    closed, not_accepted, merged, queued is set by window tests."""
    case_ids = [c.pk for c in converted_cases(world, with_cases)] if with_cases else []
    s = suggestion_create(actor=world.deputy, data={**fields(world, **overrides), "case_ids": case_ids})
    if state == "draft":
        return s
    s = act(world.deputy, s, "submit")
    if state == "reviewing":
        return s
    if state == "returned":
        return act(world.office, s, "return_for_revision", message="请补充具体数据。")
    if state == "not_accepted":
        return act(world.office, s, "not_accept", reason="属于个人诉求，建议通过信访渠道反映。")
    while s.state == "reviewing":
        s = act(world.office, s, "accept")
    if state == "accepted":
        return s
    s = act(world.office, s, "assign", mode="lead", lead_unit_id=world.d.unit.pk, co_unit_ids=[world.d.other_unit.pk])
    if key:
        s = act(world.office, s, "mark_key", leader_id=world.leader.pk)
    if state == "assigned":
        return s
    s = act(world.lead_unit, s, "sign")
    s = act(world.co_unit, s, "sign")
    if state == "handling":
        return s
    s = act(world.co_unit, s, "send_opinion", message="教育局将配合做好学校周边路段照明。")
    s = act(
        world.lead_unit,
        s,
        "record_contact",
        kind="face_to_face",
        happened_on=str(timezone.localdate()),
        note="与王代表面商改造方案。",
    )
    s = act(
        world.lead_unit, s, "answer", category=category, text="已完成春晖小区周边32盏路灯改造。", signed_by="李局长"
    )
    if state in ("answered", "following"):
        if state == "following":
            s = act(world.deputy, s, "rate", rating="satisfied")
        return s
    if state == "closed":
        return act(world.deputy, s, "rate", rating="satisfied")
    s = act(world.deputy, s, "rate", rating="unsatisfied", comment="改造范围不够。")
    if state == "rechecking":
        return s
    s = act(world.office, s, "second_assign", message="请扩大改造范围。", mode="lead", lead_unit_id=world.d.unit.pk)
    return s
