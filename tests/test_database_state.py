"""Seeded rows survive a transactional (browser-style) test: the next one still has them.

(pytest-django runs transactional tests after the others, so both tests here are transactional.)"""

import pytest

from lianxin.organisation.models import Category
from lianxin.workdays.models import CalendarDay


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_seeded_rows():
    assert Category.objects.filter(level=1).count() == 15
    assert CalendarDay.objects.exists()
    Category.objects.all().update(active=False)


@pytest.mark.django_db(transaction=True)
def test_the_next_test_still_has_them():
    assert Category.objects.filter(level=1, active=True).count() == 15
    assert CalendarDay.objects.exists()
