from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.organisation.enums import DeputyLevel, DivisionKind, ReceptionRule, StationKind, UnitLevel


class Division(models.Model):
    """District → street/town → community/village → grid. `path` holds the ancestor ids for subtree queries."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("层级"), max_length=20, choices=DivisionKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    code = models.CharField(_("区划代码"), max_length=12, blank=True, help_text=_("GB/T 2260 六位或统计用十二位代码"))
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    polygon = models.JSONField(_("网格范围 (GeoJSON)"), null=True, blank=True)
    grid_worker = models.CharField(_("网格员"), max_length=50, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="division_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Station(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True, help_text=_("二维码链接 /s/<编码> 使用"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=StationKind.choices, default=StationKind.STATION)
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="stations", verbose_name=_("所属区划")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    reception_rule = models.CharField(
        _("接待日规则"), max_length=20, choices=ReceptionRule.choices, default=ReceptionRule.NONE
    )
    reception_weekday = models.PositiveSmallIntegerField(_("每周接待日 (1=周一)"), null=True, blank=True)
    reception_monthday = models.PositiveSmallIntegerField(_("每月接待日"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("联络站")
        verbose_name_plural = _("联络站")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class HandlingUnit(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=20, choices=UnitLevel.choices, default=UnitLevel.DISTRICT)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="units", verbose_name=_("管辖区划"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Deputy(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True, help_text=_("二维码链接 /d/<编码> 使用"))
    name = models.CharField(_("姓名"), max_length=50)
    user = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="deputy", verbose_name=_("账号")
    )
    constituency = models.CharField(_("选区"), max_length=100, blank=True)
    sector = models.CharField(_("界别/行业"), max_length=100, blank=True)
    photo = models.ImageField(_("照片"), upload_to="deputies/", blank=True)
    bio = models.TextField(_("简介"), blank=True, max_length=2000)
    public = models.BooleanField(_("公开个人信息"), default=False)
    stations = models.ManyToManyField(Station, blank=True, related_name="deputies", verbose_name=_("进驻联络站"))
    grids = models.ManyToManyField(
        Division,
        blank=True,
        related_name="deputies",
        limit_choices_to={"kind": DivisionKind.GRID},
        verbose_name=_("联系网格"),
    )
    active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def photo_url(self) -> str:
        """The photo through the site's own view (`/media/deputies/…`, public profiles only), whatever storage
        holds the file: an object store's `.url` would hand out the bucket's address and skip that check."""
        if not self.photo:
            return ""
        return reverse("deputy_photo", args=[self.photo.name.removeprefix("deputies/")])


class DeputyMandate(models.Model):
    """A deputy may hold seats at several levels at once."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="mandates")
    level = models.CharField(_("层级"), max_length=20, choices=DeputyLevel.choices)
    constituency = models.CharField(_("选区"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("代表职务")
        verbose_name_plural = _("代表职务")
        constraints = [models.UniqueConstraint(fields=["deputy", "level"], name="deputy_level_unique")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.get_level_display()}"


class Category(models.Model):
    """Topic categories, three levels (seeded from the teddy2020 government taxonomy)."""

    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级")
    )
    level = models.PositiveSmallIntegerField(_("级别"), default=1)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["level", "id"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="category_name_unique")]

    def __str__(self) -> str:
        return self.name


class RoutingRuleSet(models.Model):
    """A version of the routing table; exactly one is active, history keeps the old ones."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("生效"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("派单规则版本")
        verbose_name_plural = _("派单规则版本")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class RoutingRule(models.Model):
    """Category × division → handling unit. A rule for a division applies to its whole subtree."""

    ruleset = models.ForeignKey(RoutingRuleSet, on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("分类"))
    division = models.ForeignKey(Division, on_delete=models.PROTECT, verbose_name=_("区划"))
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, verbose_name=_("承办单位"))

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单规则")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "category", "division"], name="routing_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category} × {self.division} → {self.unit}"


class RegistryImportDraft(models.Model):
    """A registry upload waiting for its preview to be confirmed: the parsed sheets, kept for a day.

    Only its own uploader can confirm or discard it; confirming rebuilds the plan from these sheets
    and refuses when the changes are no longer the ones whose digest was previewed."""

    token = models.CharField(max_length=64, unique=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    tables = models.JSONField()
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("登记表导入预览")
        verbose_name_plural = _("登记表导入预览")

    def __str__(self) -> str:
        return f"{self.actor_id} {self.created_at:%Y-%m-%d %H:%M}"
