from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("人大办/代表工委")
    STATION = "station", _("联络站工作人员")
    DEPUTY = "deputy", _("代表")
    UNIT = "unit", _("承办单位")
    LEADER = "leader", _("领导")
    AUDITOR = "auditor", _("审计员")


STAFF_ROLES = {Role.OFFICE, Role.STATION}
