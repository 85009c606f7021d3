from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.enums import Role


class User(AbstractUser):
    display_name = models.CharField(_("显示名称"), max_length=50, blank=True)
    # Set when the office creates the account or resets its password; the user must choose a new one before
    # anything else (web pages redirect, API tokens are refused).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # A phone number the activation link may be sent to (encrypted like every phone number, privacy.encrypt).
    phone_enc = models.TextField(_("手机号（加密）"), blank=True, default="")
    # The one activation link that may still be used: its random part (the link is signed with the server key and
    # carries this value). Empty: no link is open. A new link replaces it; using the link or a deactivation clears it.
    activation_nonce = models.CharField(max_length=64, blank=True, default="")
    activation_issued_at = models.DateTimeField(_("激活链接签发时间"), null=True, blank=True)
    # Set on every account when the office changes the second-factor policy: a session decided before it decides
    # again on its next request (middleware.py), without a query on the requests in between.
    otp_policy_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

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
    """A bearer token for the JSON API; only its SHA-256 is stored. It stops working when it expires (absolute
    and idle lifetime), is revoked, its user is locked or deactivated, the membership it was issued under ends,
    or the password changes (password_fingerprint no longer matches)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("角色授权")
    )
    # The membership was set at issue: a NULL membership_id then means it was deleted (the token is refused).
    had_membership = models.BooleanField(default=False)
    password_fingerprint = models.CharField(max_length=64, default="")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("撤销人")
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class OtpRolePolicy(models.Model):
    """Whether the members of a role must use a second factor, as the office set it (accounts/security.py). A
    role without a row follows LIANXIN_OTP_REQUIRED_ROLES, the initial default."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, unique=True)
    required = models.BooleanField(_("须两步验证"), default=False)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)
    changed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("修改人")
    )

    class Meta:
        verbose_name = _("两步验证要求")
        verbose_name_plural = _("两步验证要求")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.required}"
