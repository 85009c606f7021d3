from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelSource(models.TextChoices):
    REPOSITORY = "repository", _("仓库数据（泰迪杯 2020）")
    CASES = "cases", _("本地办结民意件")
