"""Official documents in Decree 30/2020 form (văn bản hành chính): the issuing bodies, the numbering
registry, the drafts and issued copies, and the DOCX templates an administrator may replace."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet

USER = settings.AUTH_USER_MODEL

KIND_CHOICES = [
    ("plan", _("Kế hoạch kiểm tra công vụ năm")),
    ("decision", _("Quyết định thành lập Đoàn kiểm tra")),
    ("notice", _("Thông báo kiểm tra")),
    ("minutes", _("Biên bản kiểm tra")),
    ("conclusion", _("Thông báo kết luận kiểm tra")),
    ("report", _("Báo cáo kết quả kiểm tra gửi Chủ tịch UBND tỉnh")),
    ("proposal", _("Tờ trình đề xuất xử lý, xếp loại")),
    ("year-report", _("Báo cáo tổng hợp công tác kiểm tra công vụ năm")),
]


class Issuer(models.Model):
    """An issuing body (cơ quan ban hành văn bản) as its documents' header prints it: the superior
    body over the body's own name, the abbreviation that ends every number ("15/QĐ-SNV"), the place
    in the date line and the default signer."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="issuer"
    )
    superior = models.CharField(
        _("cơ quan cấp trên"), max_length=200, help_text=_("in hoa, ví dụ: UBND TỈNH VĨNH LONG")
    )
    name = models.CharField(_("tên cơ quan ban hành"), max_length=200, help_text=_("ví dụ: SỞ NỘI VỤ"))
    abbreviation = models.CharField(
        _("chữ viết tắt"), max_length=20, help_text=_("dùng trong ký hiệu văn bản, ví dụ: SNV")
    )
    place = models.CharField(_("địa danh"), max_length=100, help_text=_("ví dụ: Vĩnh Long"))
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, default="GIÁM ĐỐC")
    signer_name = models.CharField(_("họ và tên người ký"), max_length=200, blank=True)
    is_default = models.BooleanField(_("cơ quan ban hành mặc định"), default=False)

    class Meta:
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="issuer_one_default",
                violation_error_message=_("Chỉ một cơ quan ban hành được đặt làm mặc định."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"


class NumberCounter(models.Model):
    """The numbering registry (sổ đăng ký văn bản đi): the last number given per issuing body, year and
    type code. Locked for update while a document is issued, so two issues never get one number."""

    issuer = models.ForeignKey(
        Issuer, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="counters"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number_code = models.CharField(_("loại văn bản"), max_length=10)
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = _("sổ đăng ký số văn bản")
        ordering = ["issuer", "-year", "number_code"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number_code"], name="number_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.issuer.abbreviation} {self.year} {self.number_code}: {self.last_number}"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class PdfStatus(models.TextChoices):
    NONE = "", _("Chưa chuyển")
    PENDING = "pending", _("Đang chuyển sang PDF")
    DONE = "done", _("Đã có PDF")
    UNAVAILABLE = "unavailable", _("Máy chủ chưa cài LibreOffice")
    FAILED = "failed", _("Chuyển PDF lỗi")


def document_upload_to(instance, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    return f"documents/{instance.issued_on:%Y}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Document(models.Model):
    """One official document: a draft regenerated from the data with the team's text blocks, until it
    is issued — then it has its number, and its DOCX (and PDF) are frozen with their SHA-256."""

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=KIND_CHOICES)
    issuer = models.ForeignKey(
        Issuer, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="documents"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("cuộc kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    plan = models.ForeignKey(
        "inspections.InspectionPlan",
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"), null=True, blank=True)
    target_ref = models.CharField(
        _("đối tượng"), max_length=40, editable=False, help_text=_("inspection:12, plan:3 hoặc year:2026")
    )
    # The unit the document is addressed to: its people see it once issued (empty: province-wide).
    addressed_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("tên văn bản"), max_length=400)
    blocks = models.JSONField(_("nội dung soạn thảo"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("năm cấp số"), null=True, blank=True)
    number_code = models.CharField(_("loại (ký hiệu)"), max_length=10)
    code = models.CharField(_("số, ký hiệu"), max_length=60, blank=True, db_index=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_by = models.ForeignKey(
        USER,
        verbose_name=_("người ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    template_sha256 = models.CharField(_("SHA-256 của mẫu đã dùng"), max_length=64, blank=True)
    docx = models.FileField(_("tệp DOCX"), upload_to=document_upload_to, max_length=255, blank=True)
    docx_sha256 = models.CharField(_("SHA-256 của DOCX"), max_length=64, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=document_upload_to, max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 của PDF"), max_length=64, blank=True)
    pdf_status = models.CharField(
        _("PDF"), max_length=12, choices=PdfStatus.choices, default=PdfStatus.NONE, blank=True
    )
    pdf_error = models.TextField(_("lỗi chuyển PDF"), blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("người soạn"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "addressed_unit_id"

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind"], name="document_status_kind_idx")]
        constraints = [
            # A number is never given twice (and, never reused, it stays with its document).
            models.UniqueConstraint(
                fields=["issuer", "number_year", "number_code", "number"],
                condition=Q(number__isnull=False),
                name="document_number_once",
                violation_error_message=_("Số văn bản này đã được cấp."),
            ),
            # One open draft per kind and subject: the team edits one text, not competing copies.
            models.UniqueConstraint(
                fields=["kind", "target_ref"],
                condition=Q(status="draft"),
                name="document_one_draft",
                violation_error_message=_("Văn bản này đã có một dự thảo đang soạn."),
            ),
            models.CheckConstraint(
                name="document_issued_is_frozen",
                condition=Q(status="draft")
                | (
                    Q(number__isnull=False, issued_on__isnull=False, number_year__isnull=False)
                    & ~Q(docx="")
                    & ~Q(docx_sha256="")
                ),
                violation_error_message=_("Văn bản đã ban hành phải có số, ngày và tệp DOCX."),
            ),
            models.CheckConstraint(
                name="document_one_target",
                condition=Q(inspection__isnull=False, plan__isnull=True, year__isnull=True)
                | Q(inspection__isnull=True, plan__isnull=False, year__isnull=True)
                | Q(inspection__isnull=True, plan__isnull=True, year__isnull=False),
                violation_error_message=_("Văn bản phải gắn với đúng một cuộc kiểm tra, kế hoạch hoặc năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED


def template_upload_to(instance, filename: str) -> str:
    import uuid

    return f"document-templates/{instance.issuer_id}/{instance.kind}-{uuid.uuid4().hex}.docx"


class DocumentTemplate(models.Model):
    """A DOCX template with Jinja fields (docxtpl) an administrator uploaded to replace the default of
    one kind for one issuing body. Replacing keeps the old row (inactive) so issued documents still
    name the template they came from by its SHA-256."""

    issuer = models.ForeignKey(
        Issuer, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="templates"
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=KIND_CHOICES)
    file = models.FileField(_("tệp mẫu"), upload_to=template_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    uploaded_by = models.ForeignKey(
        USER,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        ordering = ["issuer", "kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind"], condition=Q(is_active=True), name="document_template_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"
