"""Routing rules: most specific rule first, versions kept for history."""

import pytest

from lianxin.audit.models import AuditEntry
from lianxin.errors import InvalidInput
from lianxin.organisation.models import Category, HandlingUnit, RoutingRuleSet
from lianxin.organisation.routing import RuleChange, routing_suggest, ruleset_activate, ruleset_create_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    urban = Category.objects.get(name="城乡建设", level=1)
    municipal = Category.objects.get(name="城市建设和市政管理", parent=urban)
    greening = Category.objects.get(name="园林绿化环卫", parent=municipal)
    education = Category.objects.get(name="教育文体", level=1)
    return urban, municipal, greening, education


@pytest.fixture
def street_office(district):
    return HandlingUnit.objects.create(code="dh-jd", name="东湖街道办", level="street", division=district.street)


def first_version(district, topics, street_office):
    urban, municipal, _greening, _education = topics
    return ruleset_create_version(
        actor=district.office,
        note="初始规则",
        rules=[
            RuleChange(urban, district.district, district.other_unit),
            RuleChange(municipal, district.district, district.unit),
            RuleChange(urban, district.street, street_office),
        ],
    )


def test_most_specific_rule_wins(district, topics, street_office):
    urban, municipal, greening, education = topics
    v1 = first_version(district, topics, street_office)

    # In 东湖街道 a street rule exists: the street office takes every 城乡建设 matter there.
    assert routing_suggest(greening, district.grid) == (street_office, v1.rules.get(division=district.street))
    # Elsewhere the district rules apply, the deeper category first.
    unit, rule = routing_suggest(greening, district.other_grid)
    assert (unit, rule.category, rule.division) == (district.unit, municipal, district.district)
    assert routing_suggest(urban, district.other_grid)[0] == district.other_unit
    assert routing_suggest(education, district.grid) == (None, None)
    assert routing_suggest(None, district.grid) == (None, None)


def test_suggestion_costs_few_queries(district, topics, street_office, django_assert_max_num_queries):
    first_version(district, topics, street_office)
    greening = Category.objects.select_related("parent__parent").get(pk=topics[2].pk)
    with django_assert_max_num_queries(1):
        routing_suggest(greening, district.grid)


def test_a_new_version_copies_the_active_one_and_keeps_the_old(district, topics, street_office):
    urban, _municipal, greening, education = topics
    v1 = first_version(district, topics, street_office)

    v2 = ruleset_create_version(
        actor=district.office,
        note="街道规则取消，增加教育",
        rules=[RuleChange(urban, district.street, None), RuleChange(education, district.district, district.other_unit)],
    )

    v1.refresh_from_db()
    assert (v1.version, v1.active, v1.rules.count()) == (1, False, 3)
    assert (v2.version, v2.active, v2.rules.count()) == (2, True, 3)
    assert list(RoutingRuleSet.objects.filter(active=True)) == [v2]
    assert routing_suggest(greening, district.grid)[0] == district.unit
    assert routing_suggest(education, district.grid)[0] == district.other_unit

    ruleset_activate(actor=district.office, ruleset_id=v1.pk)
    assert routing_suggest(greening, district.grid)[0] == street_office
    assert list(AuditEntry.objects.filter(subject_type="routing_ruleset").values_list("action", flat=True)) == [
        "routing.version_created",
        "routing.version_created",
        "routing.version_activated",
    ]


def test_bad_changes_create_no_version(district, topics, street_office):
    urban, *_rest = topics
    first_version(district, topics, street_office)
    with pytest.raises(InvalidInput, match="只能有一条规则"):
        ruleset_create_version(
            actor=district.office,
            rules=[
                RuleChange(urban, district.street, district.unit),
                RuleChange(urban, district.street, street_office),
            ],
        )
    street_office.active = False
    street_office.save()
    with pytest.raises(InvalidInput, match="已停用"):
        ruleset_create_version(actor=district.office, rules=[RuleChange(urban, district.district, street_office)])
    with pytest.raises(InvalidInput, match="200"):
        ruleset_create_version(actor=district.office, note="长" * 201)
    assert list(RoutingRuleSet.objects.values_list("version", "active")) == [(1, True)]


def test_an_inactive_unit_is_never_suggested(district, topics, street_office):
    first_version(district, topics, street_office)
    street_office.active = False
    street_office.save()
    assert routing_suggest(topics[2], district.grid)[0] == district.unit
