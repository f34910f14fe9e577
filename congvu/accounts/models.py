"""Users, their unit and their role (DESIGN "Who uses it")."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    INSPECTOR = "inspector", _("Thành viên đoàn kiểm tra")
    LEAD = "lead", _("Lãnh đạo kiểm tra")
    LEADERSHIP = "leadership", _("Lãnh đạo UBND tỉnh")
    FOCAL = "focal", _("Cán bộ đầu mối đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")


PROVINCE_WIDE_ROLES = frozenset({Role.ADMIN, Role.INSPECTOR, Role.LEAD, Role.LEADERSHIP})
UNIT_ROLES = frozenset({Role.FOCAL, Role.UNIT_HEAD})
# Roles that sign in with a second factor (issue #14 item 8): they decide, conclude and administer.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.LEAD, Role.LEADERSHIP})


class User(AbstractUser):
    """An account (tài khoản). Province-wide roles see every unit; unit roles only their own."""

    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.INSPECTOR)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                name="unit_role_has_unit",
                condition=~models.Q(role__in=["focal", "unit_head"]) | models.Q(unit__isnull=False),
                violation_error_message=_("Vai trò của đơn vị phải gắn với một đơn vị."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_province_wide(self) -> bool:
        return self.role in PROVINCE_WIDE_ROLES

    @property
    def is_unit_role(self) -> bool:
        return self.role in UNIT_ROLES

    @property
    def is_read_only(self) -> bool:
        """Leadership reads dashboards and decides proposals; it edits no register."""
        return self.role == Role.LEADERSHIP

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES or self.is_superuser

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles

    def visible_unit_ids(self) -> frozenset[int] | None:
        """The one rule of who sees which unit (STYLE §7): None means every unit. Province-wide roles
        see all; a unit role sees its unit and every unit it absorbed (lineage); an inactive user, a
        unit role without a unit or an unknown role sees nothing. Cached on the user object."""
        cached = self.__dict__.get("_visible_unit_ids", False)
        if cached is not False:
            return cached
        if not self.is_active:
            result: frozenset[int] | None = frozenset()
        elif self.is_province_wide:
            result = None
        elif self.is_unit_role and self.unit_id:
            from congvu.org.selectors import unit_with_predecessor_ids

            result = frozenset(unit_with_predecessor_ids(self.unit_id))
        else:
            result = frozenset()
        self._visible_unit_ids = result
        return result


class RecoveryCodeDevice(Device):
    """The recovery codes (mã khôi phục) of one user, as a django-otp device: each code signs in
    once, when the authenticator app is lost. Only salted SHA-256 hashes are stored; the codes
    themselves are shown once, when generated (80 random bits each, so a hash cannot be reversed
    by trying)."""

    class Meta:
        verbose_name = _("bộ mã khôi phục")
        verbose_name_plural = _("bộ mã khôi phục")

    def verify_token(self, token) -> bool:
        """Uses up the matching code. Runs inside django-otp's verification transaction, with
        this device locked (`for_verify`), so one code cannot be used twice concurrently."""
        from congvu.accounts.otp import recovery_code_matches

        for code in self.codes.filter(used_at__isnull=True):
            if recovery_code_matches(str(token), code.code_hash):
                code.used_at = timezone.now()
                code.save(update_fields=["used_at"])
                return True
        return False


class RecoveryCode(models.Model):
    """One single-use recovery code, hashed."""

    device = models.ForeignKey(
        RecoveryCodeDevice, verbose_name=_("bộ mã"), on_delete=models.CASCADE, related_name="codes"
    )
    code_hash = models.CharField(_("mã băm"), max_length=100)
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã khôi phục")
        verbose_name_plural = _("mã khôi phục")

    def __str__(self) -> str:
        return f"#{self.pk} ({'đã dùng' if self.used_at else 'chưa dùng'})"
