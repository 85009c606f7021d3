"""Who sees and does what in the department appraisal (部门工作评议). One place; everything fails closed.

- office: rounds, items and weights, office scores, publication;
- leaders: read the staff view, enter member scores;
- deputies: rate units during the opinion-collection period (appraisal services check their deputy record);
- everybody: the published leaderboard.

The role's reach is the one scope rule (`accounts/scopes.py`): an office or leader membership anywhere opens the
appraisal, whose rounds are the district's.
"""

from __future__ import annotations

from lianxin.accounts.enums import Role
from lianxin.accounts.scopes import scope_of


def is_office(user) -> bool:
    return bool(scope_of(user, Role.OFFICE))


def is_leader(user) -> bool:
    return bool(scope_of(user, Role.LEADER))


def can_open_appraisal(user) -> bool:
    return is_office(user) or is_leader(user)
