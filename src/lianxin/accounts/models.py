from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.enums import Role


class User(AbstractUser):
    display_name = models.CharField(_("显示名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A role held by a user, scoped to a division, a station or a handling unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    division = models.ForeignKey(
        "organisation.Division", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("行政区划")
    )
    station = models.ForeignKey(
        "organisation.Station", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("联络站")
    )
    unit = models.ForeignKey(
        "organisation.HandlingUnit", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("承办单位")
    )
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self) -> str:
        scope = self.station or self.unit or self.division or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
