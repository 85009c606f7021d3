from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionKind(models.TextChoices):
    DISTRICT = "district", _("区/县")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区/村")
    GRID = "grid", _("网格")


DIVISION_DEPTH = {DivisionKind.DISTRICT: 0, DivisionKind.STREET: 1, DivisionKind.COMMUNITY: 2, DivisionKind.GRID: 3}
CHILD_KIND = {
    DivisionKind.DISTRICT: DivisionKind.STREET,
    DivisionKind.STREET: DivisionKind.COMMUNITY,
    DivisionKind.COMMUNITY: DivisionKind.GRID,
}


class StationKind(models.TextChoices):
    HUB = "hub", _("联络总站")
    STATION = "station", _("联络站")
    ROOM = "room", _("联络室")
    POINT = "point", _("联络点")
    ONLINE = "online", _("网上联络站")
    LEGISLATIVE = "legislative", _("基层立法联系点")
    BUDGET = "budget", _("预算联系点")
    OVERSEAS = "overseas", _("涉侨联系点")
    ECONOMIC = "economic", _("经济运行观察点")
    ENTERPRISE = "enterprise", _("企业联系点")
    FARMING = "farming", _("农业联系点")
    AWAY = "away", _("在外代表联络站")


class ReceptionRule(models.TextChoices):
    NONE = "none", _("不固定")
    WEEKLY = "weekly", _("每周固定一天")
    MONTHLY = "monthly", _("每月固定一天")


class DeputyLevel(models.TextChoices):
    NATIONAL = "national", _("全国人大代表")
    PROVINCIAL = "provincial", _("省人大代表")
    CITY = "city", _("市人大代表")
    DISTRICT = "district", _("区/县人大代表")
    TOWNSHIP = "township", _("乡镇人大代表")


class UnitLevel(models.TextChoices):
    DISTRICT = "district", _("区级")
    STREET = "street", _("街道/乡镇级")
    COMMUNITY = "community", _("社区/村级")
