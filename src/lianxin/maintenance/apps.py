from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "lianxin.maintenance"
    verbose_name = _("备份与密钥")

    def ready(self) -> None:
        from lianxin.maintenance import checks  # noqa: F401, PLC0415 — registers the field key's system check
