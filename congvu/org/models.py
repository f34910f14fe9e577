"""The organisation: units with their lineage, fields, officials and appointments."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet


class UnitKind(models.TextChoices):
    PPC = "ppc", _("UBND tỉnh")
    PPC_OFFICE = "ppc_office", _("Văn phòng UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ngành")
    BOARD = "board", _("Ban, ngành")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    DISTRICT = "district", _("Huyện, thị xã, thành phố (cũ)")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập")
    PROVINCE = "province", _("Tỉnh")


class UnitQuerySet(ScopedQuerySet):
    def valid_on(self, day) -> "UnitQuerySet":
        """Units that exist on `day` (both validity ends inclusive; an open end is unbounded)."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Unit(models.Model):
    """An agency or locality (cơ quan, đơn vị), valid from one date to another.

    Units are never edited into something else: a merge, split or rename closes the old unit
    (valid_to) and opens new ones linked by `UnitLineage`, so 2024 records keep their 2024 unit."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    abbreviation = models.CharField(
        _("viết tắt"), max_length=30, blank=True, help_text=_("dùng trong số, ký hiệu văn bản")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hiệu lực đến"), null=True, blank=True, help_text=_("ngày cuối cùng còn tồn tại")
    )
    name_folded = models.CharField(
        _("tên không dấu"), max_length=255, editable=False, db_index=True, default=""
    )

    objects = UnitQuerySet.as_manager()
    scope_unit_field = "id"

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="unit_valid_range",
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class LineageEvent(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")


class UnitLineage(models.Model):
    """Predecessor → successor (đơn vị tiền thân → đơn vị kế thừa), effective on `date`
    (the successor's first day)."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiền thân"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị kế thừa"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    event = models.CharField(_("sự kiện"), max_length=10, choices=LineageEvent.choices)
    date = models.DateField(_("ngày hiệu lực"))
    document = models.CharField(_("văn bản quyết định"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "successor_id"

    class Meta:
        verbose_name = _("quan hệ kế thừa")
        verbose_name_plural = _("quan hệ kế thừa")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_unique_pair"),
            models.CheckConstraint(
                name="lineage_not_self", condition=~models.Q(predecessor=models.F("successor"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_event_display()})"


class Field(models.Model):
    """A field of work or of administrative procedures (lĩnh vực)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    name_folded = models.CharField(
        _("tên không dấu"), max_length=255, editable=False, db_index=True, default=""
    )

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffType(models.TextChoices):
    CADRE = "cadre", _("Cán bộ")
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")


class Sex(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")


class Official(models.Model):
    """A cadre, civil servant or public employee (cán bộ, công chức, viên chức)."""

    code = models.CharField(_("mã cán bộ"), max_length=40, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    staff_type = models.CharField(
        _("loại"), max_length=20, choices=StaffType.choices, default=StaffType.CIVIL_SERVANT
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    # Cadre planning needs the age against the retirement date (NĐ 135/2020 differs by sex).
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=3, choices=Sex.choices, blank=True)
    # Lower case, without diacritics: the same search on SQLite and PostgreSQL.
    name_folded = models.CharField(
        _("tên không dấu"), max_length=200, editable=False, db_index=True, default=""
    )

    objects = ScopedQuerySet.as_manager()
    # Officials belong to no unit themselves: a unit user sees those ever appointed in their unit or
    # in a unit it absorbed, through their appointments.
    scope_unit_field = "appointments__unit_id"
    scope_unit_many = True

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class AppointmentRole(models.TextChoices):
    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó")
    OTHER = "other", _("Khác")


class Appointment(models.Model):
    """An official holding a post at a unit from `start` to `end` (inclusive; open when null)."""

    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="appointments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="appointments"
    )
    role = models.CharField(_("vị trí"), max_length=10, choices=AppointmentRole.choices)
    title = models.CharField(_("chức danh"), max_length=200)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    fields = models.ManyToManyField(
        Field, verbose_name=_("lĩnh vực phụ trách"), blank=True, related_name="appointments"
    )
    decision = models.CharField(
        _("quyết định"), max_length=200, blank=True, help_text=_("số, ký hiệu quyết định bổ nhiệm, phân công")
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("bổ nhiệm")
        verbose_name_plural = _("bổ nhiệm")
        ordering = ["unit", "role", "start"]
        indexes = [
            models.Index(fields=["unit", "role", "start"], name="appointment_lookup_idx"),
            models.Index(fields=["official", "start"], name="appointment_official_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="appointment_valid_range",
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.title}, {self.unit}"
