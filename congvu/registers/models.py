"""Registers of assigned tasks (nhiệm vụ được giao) and administrative-procedure dossiers (hồ sơ TTHC)."""

from django.conf import settings
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from congvu.core.scoping import ScopedQuerySet


class AssigningAuthority(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PARTY_COMMITTEE = "party_committee", _("Tỉnh ủy")
    PARTY_STANDING = "party_standing", _("Ban Thường vụ / Thường trực Tỉnh ủy")
    PEOPLES_COUNCIL = "peoples_council", _("HĐND tỉnh")
    PPC = "ppc", _("UBND tỉnh")
    PPC_CHAIRMAN = "ppc_chairman", _("Chủ tịch UBND tỉnh")


class ProductType(models.TextChoices):
    ADMIN_DOCUMENT = "admin_document", _("Văn bản hành chính")
    LEGAL_NORMATIVE = "legal_normative", _("Văn bản QPPL")
    COUNCIL_SUBMISSION = "council_submission", _("Nội dung trình HĐND")
    REPORT = "report", _("Báo cáo")
    OTHER = "other", _("Khác")


class Quality(models.TextChoices):
    PASSED = "passed", _("Đạt")
    FAILED = "failed", _("Không đạt")
    RETURNED = "returned", _("Trả lại để chỉnh sửa")


class ResponsibleResolution(models.TextChoices):
    FROM_FILE = "file", _("Ghi trong tệp")
    FIELD_DEPUTY = "field_deputy", _("Cấp phó phụ trách lĩnh vực")
    HEAD = "head", _("Người đứng đầu")
    UNRESOLVED = "unresolved", _("Chưa xác định")


# The stages after completion that hold a record back from being settled for the unit scorecard, per
# register (`settle_on`): one place for the rollups' queries and the index that serves them.
LATER_STAGES = {"dossiers": ("returned_on",), "tasks": ("handled_on", "advised_on")}


def latest_stage_on(later_stages: tuple[str, ...]) -> Greatest:
    """The latest of a completed record's receipt, completion and later stages (those not recorded
    count as the completion): the day it settles for the unit scorecard."""
    return Greatest("received_on", "completed_on", *(Coalesce(name, "completed_on") for name in later_stages))


def settle_on(later_stages: tuple[str, ...]) -> models.Case:
    """The day a record is settled for the unit scorecard (`congvu.registers.rollups`): the latest of
    its receipt, its completion and its later stages (those not recorded count as the completion), or
    31/12/9999 while it is open. The records a report of month M still computes live are those with
    `settle_on >= M`: one range of a unit's records in `dossier_unit_settle_idx`, not a scan of them.
    The far date is a literal, not a bound parameter, so that a query's expression is the index's
    on SQLite too (which matches an expression index only on an identical expression)."""
    return models.Case(
        models.When(
            completed_on__isnull=True, then=RawSQL("'9999-12-31'", (), output_field=models.DateField())
        ),
        default=latest_stage_on(later_stages),
        output_field=models.DateField(),
    )


class Task(models.Model):
    """An assigned task (nhiệm vụ được giao), DOMAIN §3. Dates follow the directive's stages:
    receipt (tiếp nhận) → handling (xử lý) → advice/submission (tham mưu) → completion."""

    source = models.CharField(_("nguồn dữ liệu"), max_length=50)
    external_code = models.CharField(_("mã nhiệm vụ"), max_length=100)
    content = models.TextField(_("nội dung"))
    # Lower case, without diacritics: the same search on SQLite and PostgreSQL.
    content_folded = models.TextField(_("nội dung không dấu"), editable=False, default="")
    authority = models.CharField(_("cơ quan giao"), max_length=20, choices=AssigningAuthority.choices)
    document_number = models.CharField(_("số văn bản giao"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản giao"), null=True, blank=True)
    # No single-column index on unit or responsible: the composite indexes below start with them.
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,
    )
    field = models.ForeignKey(
        "org.Field",
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    product_type = models.CharField(
        _("loại sản phẩm"), max_length=20, choices=ProductType.choices, default=ProductType.OTHER
    )
    responsible = models.ForeignKey(
        "org.Official",
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        db_index=False,
    )
    responsible_resolution = models.CharField(
        _("cách xác định người phụ trách"),
        max_length=15,
        choices=ResponsibleResolution.choices,
        default=ResponsibleResolution.UNRESOLVED,
    )
    received_on = models.DateField(_("ngày nhận"))
    handled_on = models.DateField(_("ngày xử lý"), null=True, blank=True)
    advised_on = models.DateField(_("ngày tham mưu"), null=True, blank=True)
    due_on = models.DateField(
        _("hạn hoàn thành"), null=True, blank=True, help_text=_("trống: không thời hạn")
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    quality = models.CharField(_("chất lượng"), max_length=10, choices=Quality.choices, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("số lần trả lại"), default=0)
    proactive = models.BooleanField(_("chủ động tham mưu"), default=False)
    import_run = models.ForeignKey(
        "registers.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lần nhập"),
        help_text=_("lần nhập gần nhất đã thêm hoặc sửa dòng này"),
        db_index=False,  # provenance only; every index slows the bulk import down
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["-received_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_code"], name="task_source_code_unique"),
        ]
        indexes = [
            models.Index(fields=["unit", "received_on", "due_on", "completed_on"], name="task_metrics_idx"),
            models.Index(fields=["responsible", "received_on"], name="task_responsible_idx"),
            # The register's default order (newest first, ties by id), as for dossiers.
            models.Index(fields=["received_on", "id"], name="task_received_id_idx"),
            # The records the rollups leave to the live computation (`congvu.registers.rollups`).
            models.Index(fields=["completed_on", "unit", "received_on", "due_on"], name="task_settle_idx"),
            models.Index(
                fields=["received_on"],
                condition=models.Q(completed_on__lt=models.F("received_on")),
                name="task_completed_early_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_code}: {self.content[:80]}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    DIRECT = "direct", _("Trực tiếp, dịch vụ bưu chính")


class Ending(models.TextChoices):
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    REJECTED = "rejected", _("Từ chối giải quyết")
    STOPPED = "stopped", _("Dừng giải quyết")


class Procedure(models.Model):
    """An administrative procedure of the catalogue (danh mục thủ tục hành chính): its name and
    national code, and the field (lĩnh vực) it belongs to. The official register (Sổ theo dõi hồ sơ)
    names the procedure but not the field; the importer finds the field here."""

    code = models.CharField(_("mã TTHC"), max_length=50, blank=True)
    name = models.CharField(_("tên thủ tục hành chính"), max_length=300)
    name_folded = models.CharField(_("tên không dấu"), max_length=300, editable=False, unique=True)
    field = models.ForeignKey(
        "org.Field", verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("danh mục thủ tục hành chính")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="procedure_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class Dossier(models.Model):
    """An administrative-procedure dossier (hồ sơ thủ tục hành chính), DOMAIN §4."""

    source = models.CharField(_("nguồn dữ liệu"), max_length=50)
    external_code = models.CharField(_("mã hồ sơ"), max_length=100)
    # No single-column index on unit or field: the composite indexes below start with them.
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,
    )
    field = models.ForeignKey(
        "org.Field",
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,
    )
    procedure = models.CharField(_("thủ tục"), max_length=300)
    procedure_folded = models.CharField(_("thủ tục không dấu"), max_length=300, editable=False, default="")
    handler = models.ForeignKey(
        "org.Official",
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    responsible_resolution = models.CharField(
        _("cách xác định người xử lý"),
        max_length=15,
        choices=ResponsibleResolution.choices,
        default=ResponsibleResolution.UNRESOLVED,
    )
    received_on = models.DateField(_("ngày tiếp nhận"))
    due_on = models.DateField(_("hạn xử lý"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    returned_on = models.DateField(_("ngày trả kết quả"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=100, blank=True)
    apology_slip = models.BooleanField(_("phiếu xin lỗi"), default=False)
    channel = models.CharField(
        _("hình thức nộp"),
        max_length=10,
        choices=Channel.choices,
        blank=True,
        db_default="",  # the import's set-based merge inserts rows without naming this column
        help_text=_("trống: tệp không ghi; Biểu 06a tính vào trực tiếp, bưu chính"),
    )
    # What ended the dossier other than a result (Decree 118/2025): withdrawn, rejected, stopped.
    ending = models.CharField(
        _("kết thúc khác"), max_length=10, choices=Ending.choices, blank=True, db_default=""
    )
    ended_on = models.DateField(_("ngày kết thúc khác"), null=True, blank=True)
    # The latest supplement request (Mẫu 02): the clock stands from `waiting_since` until the
    # applicant supplies the papers (`waiting_until`, empty while still waiting).
    waiting_since = models.DateField(_("ngày yêu cầu bổ sung"), null=True, blank=True)
    waiting_until = models.DateField(_("ngày nhận bổ sung"), null=True, blank=True)
    import_run = models.ForeignKey(
        "registers.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lần nhập"),
        help_text=_("lần nhập gần nhất đã thêm hoặc sửa dòng này"),
        db_index=False,  # provenance only; every index slows the bulk import down
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_code"], name="dossier_source_code_unique"),
        ]
        indexes = [
            # Covering index for the four buckets and lateness (DESIGN budgets), and on PostgreSQL for a
            # unit's whole scorecard (stage durations, apology slips, by official, field and month):
            # read from the index alone, not from rows scattered over the table.
            models.Index(
                fields=["unit", "received_on", "due_on", "completed_on"],
                include=["returned_on", "apology_slip", "handler", "field"],
                name="dossier_metrics_idx",
            ),
            models.Index(fields=["field", "received_on"], name="dossier_field_idx"),
            # The register's default order (newest first, ties by id) on millions of rows: the keys of
            # a deep page are read from this index alone, and a page is sought from a known row
            # (`congvu.metrics.cache.RecordPaginator`).
            models.Index(fields=["received_on", "id"], name="dossier_received_id_idx"),
            # The records the rollups leave to the live computation (`congvu.registers.rollups`).
            models.Index(fields=["completed_on", "unit", "received_on", "due_on"], name="dossier_settle_idx"),
            # A unit's records not settled before a month (its scorecard's live part, against the
            # rollups of the months before): one range per unit, read from the index alone. Without
            # it the live part of a unit of 66,000 dossiers scans all of them (SCALING.md).
            models.Index(
                models.F("unit"),
                settle_on(LATER_STAGES["dossiers"]),
                include=[
                    "received_on",
                    "due_on",
                    "completed_on",
                    "returned_on",
                    "apology_slip",
                    "handler",
                    "field",
                ],
                name="dossier_unit_settle_idx",
            ),
            models.Index(
                fields=["received_on"],
                condition=models.Q(completed_on__lt=models.F("received_on")),
                name="dossier_completed_early_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.external_code


class DossierEvent(models.Model):
    """Something that happened to a dossier between receipt and result and that moves its clock
    (Decree 118/2025, TT 03/2025 Mẫu 02, 04, 05): a supplement request and the papers' arrival, an
    apology with a new appointment date, a stop of handling, a withdrawal, a rejection. Read from the
    register's notes column ("Ghi chú"); the text it came from is kept."""

    class Kind(models.TextChoices):
        SUPPLEMENT_REQUEST = "supplement_request", _("Yêu cầu bổ sung hồ sơ")
        SUPPLEMENT_RECEIVED = "supplement_received", _("Nhận hồ sơ bổ sung")
        EXTENSION = "extension", _("Xin lỗi và hẹn lại ngày trả")
        STOP = "stop", _("Dừng giải quyết")
        WITHDRAWAL = "withdrawal", _("Công dân rút hồ sơ")
        REJECTION = "rejection", _("Từ chối giải quyết")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("sự kiện"), max_length=20, choices=Kind.choices)
    on = models.DateField(
        _("ngày"), null=True, blank=True, help_text=_("trống: ghi chú chỉ ghi ngày hẹn mới")
    )
    new_due_on = models.DateField(_("hẹn trả mới"), null=True, blank=True)
    text = models.CharField(_("ghi chú gốc"), max_length=500, blank=True)
    import_run = models.ForeignKey(
        "registers.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lần nhập"),
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "dossier__unit_id"

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class HandOver(models.Model):
    """One hand-over on the process control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ, TT
    01/2018 Mẫu 05, TT 03/2025 Mẫu 06): who gave the dossier to whom and when, who signed, and the
    receiving side's mark on the step just ended (trước hạn, đúng hạn, quá hạn). The sides are the
    slip's own words (a desk, a department of the agency, another agency), not units of the tree."""

    class Mark(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="handovers"
    )
    seq = models.PositiveSmallIntegerField(_("thứ tự"))
    from_side = models.CharField(_("bên giao"), max_length=200)
    to_side = models.CharField(_("bên nhận"), max_length=200)
    handed_at = models.DateTimeField(_("thời gian giao, nhận"))
    sender = models.CharField(_("người giao"), max_length=200, blank=True)
    receiver = models.CharField(_("người nhận"), max_length=200, blank=True)
    mark = models.CharField(_("kết quả giải quyết"), max_length=10, choices=Mark.choices, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "dossier__unit_id"

    class Meta:
        verbose_name = _("bàn giao hồ sơ")
        verbose_name_plural = _("phiếu kiểm soát quá trình giải quyết hồ sơ")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="handover_dossier_seq_unique")]

    def __str__(self) -> str:
        return f"{self.from_side} → {self.to_side} ({self.handed_at:%d/%m/%Y %H:%M})"


class ImportRun(models.Model):
    """One import of a register file: who, when, which file (SHA-256), counts and errors."""

    class Register(models.TextChoices):
        TASKS = "tasks", _("Nhiệm vụ")
        DOSSIERS = "dossiers", _("Hồ sơ")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang xử lý")
        STORED = "stored", _("Đã lưu")
        REJECTED = "rejected", _("Bị từ chối")
        DRY_RUN = "dry_run", _("Chạy thử")
        FAILED = "failed", _("Lỗi hệ thống")

    register = models.CharField(_("sổ"), max_length=10, choices=Register.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("đơn vị của người nhập khi là tài khoản đơn vị"),
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    finished_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/", blank=True)
    file_size = models.BigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source = models.CharField(
        _("nguồn dữ liệu"), max_length=50, default="import", help_text=_("cùng nguồn và mã thì cập nhật")
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.IntegerField(_("số dòng"), default=0)
    rows_done = models.IntegerField(_("đã xử lý"), default=0)
    created_count = models.IntegerField(_("thêm mới"), default=0)
    updated_count = models.IntegerField(_("cập nhật"), default=0)
    unchanged_count = models.IntegerField(_("không đổi"), default=0)
    error_count = models.IntegerField(_("số lỗi"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    notes = models.JSONField(
        _("ghi chú"),
        default=list,
        blank=True,
        help_text=_("dòng tiêu đề, dòng tổng cộng, chuyển mã TCVN3/VNI"),
    )
    dry_run = models.BooleanField(_("chạy thử"), default=False, help_text=_("kiểm tra và đếm, không lưu"))
    unknown_procedures = models.JSONField(
        _("thủ tục chưa có trong danh mục"),
        default=list,
        blank=True,
        help_text=_("tên thủ tục (sổ theo mẫu) chưa gắn lĩnh vực: cần bổ sung danh mục rồi nhập lại"),
    )
    resolutions = models.JSONField(
        _("cách xác định người chịu trách nhiệm"),
        default=dict,
        blank=True,
        help_text=_(
            "số dòng theo từng cách: mã cán bộ, họ tên, cấp phó phụ trách lĩnh vực, người đứng đầu, "
            "không xác định"
        ),
    )
    job_id = models.CharField(_("mã tác vụ nền"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(
        _("tín hiệu sống lúc"),
        null=True,
        blank=True,
        help_text=_("tác vụ nền ghi mỗi vài giây; lâu không ghi là tiến trình đã chết"),
    )

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit_id"

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("lần nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_register_display()} {self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def suggested_register(self) -> str:
        """The register the file's headers belong to, when it was refused for being the other
        register's file (`registers.detection`); "" otherwise."""
        if self.status != self.Status.REJECTED or len(self.errors) != 1:
            return ""
        return self.errors[0].get("register", "")


# --- Joins to the working-day calendar ----------------------------------------------------


def workday_relation_name(date_field: str) -> str:
    return f"wd_{date_field}"


def _add_workday_relations(model: type[models.Model], date_fields: tuple[str, ...]) -> None:
    """Read-only joins from a register's date columns to the working-day ordinal table.

    `Task.wd_due_on` relates `Task.due_on` to `WorkdayOrdinal.date`, so the metrics engine writes
    `F("wd_due_on__ordinal")` and the database does a LEFT JOIN on the date (a hash join in
    PostgreSQL). A correlated subquery gives the same numbers but runs one index probe per row
    (1M dossiers: 0.30 s against 0.17 s). The relations are private fields (the mechanism of
    `GenericRelation`): no column, no migration, not editable, no reverse accessor, and
    `DO_NOTHING` so rebuilding the calendar stays a fast delete."""
    for date_field in date_fields:
        relation = models.ForeignObject(
            "workdays.WorkdayOrdinal",
            on_delete=models.DO_NOTHING,
            from_fields=[date_field],
            to_fields=["date"],
            related_name="+",
            null=True,  # LEFT JOIN: an empty date (or one outside the table) gives NULL, not no row
            editable=False,
        )
        relation.contribute_to_class(model, workday_relation_name(date_field), private_only=True)


_add_workday_relations(Task, ("received_on", "handled_on", "advised_on", "due_on", "completed_on"))
_add_workday_relations(Dossier, ("received_on", "due_on", "completed_on", "returned_on"))


# --- Rollups of the settled records (the province-wide figures) --------------------------


class RegisterRollup(models.Model):
    """How many records of a unit settled in a month, by outcome and lateness: the province ranking's
    figures for the records that no report date can change any more (`congvu.registers.rollups`).

    A record is settled once it is both received and completed: in the month of the later of the two
    dates. As of any report date R on or after that month, it is in the report, done, and on time, late
    by `late_days` working days (None: a date outside the calendar), or without a deadline."""

    class Outcome(models.TextChoices):
        ON_TIME = "t", _("Hoàn thành đúng hạn")
        LATE = "l", _("Hoàn thành quá hạn")
        NO_DEADLINE = "n", _("Không thời hạn")
        OPEN = "o", _("Đang thực hiện")

    register = models.CharField(_("sổ"), max_length=10)
    unit_id = models.IntegerField(_("đơn vị"))  # the records' unit, not a relation: rebuilt, never edited
    # Empty for the open records (outcome "o"): counted per unit so that a list's total needs no COUNT
    # of the register; no report date reads them as settled.
    settled_month = models.DateField(_("tháng hoàn tất"), null=True)
    outcome = models.CharField(_("kết quả"), max_length=1, choices=Outcome.choices)
    late_days = models.IntegerField(_("số ngày làm việc chậm"), null=True)
    n = models.IntegerField(_("số bản ghi"))

    class Meta:
        verbose_name = _("số liệu tổng hợp sẵn")
        verbose_name_plural = _("số liệu tổng hợp sẵn")
        indexes = [
            models.Index(fields=["register", "settled_month"], name="rollup_register_month_idx"),
            # A unit's rows (its scorecard's buckets), and a list's total: the sum of `n`, read from
            # the index alone.
            models.Index(
                fields=["register", "unit_id", "settled_month"],
                include=["n"],
                name="rollup_register_unit_idx",
            ),
        ]

    def __str__(self) -> str:
        month = f"{self.settled_month:%m/%Y}" if self.settled_month else "-"
        return f"{self.register} {self.unit_id} {month} {self.outcome}: {self.n}"


class ScorecardRollup(models.Model):
    """A unit's full scorecard figures for its records settled in a month — counts, lateness, stage
    durations, apology slips, quality and initiative — in one row per (unit, month settled, grouping,
    group, outcome, working days late): the unit page's summary and its official, field and month
    tables without reading the unit's settled records (`congvu.registers.rollups`).

    Settled here also waits for the record's later stages (return of the result; a task's handling and
    advice): a record is settled in the month of the latest of its dates, so that no report date on or
    after that month changes any of its figures. `dim`: "s" one row for the unit (the summary, and the
    rows per unit), "o" per official scored (`grp`), "f" per field (`grp`), "m" per month of receipt
    (`grp_month`)."""

    register = models.CharField(_("sổ"), max_length=10)
    unit_id = models.IntegerField(_("đơn vị"))
    settled_month = models.DateField(_("tháng hoàn tất"))
    dim = models.CharField(_("cách nhóm"), max_length=1)
    grp = models.IntegerField(_("nhóm"), null=True)
    grp_month = models.DateField(_("tháng tiếp nhận"), null=True)
    outcome = models.CharField(_("kết quả"), max_length=1, choices=RegisterRollup.Outcome.choices)
    late_days = models.IntegerField(_("số ngày làm việc chậm"), null=True)
    n = models.IntegerField(_("số bản ghi"))
    # Of them, how many carry an apology slip (dossiers).
    with_apology = models.IntegerField()
    # Each stage duration as a sum of working days over the records where it is known, and their number
    # (0 and 0 where it is not known or does not apply).
    receipt_to_handling_sum = models.BigIntegerField()
    receipt_to_handling_n = models.IntegerField()
    handling_to_advice_sum = models.BigIntegerField()
    handling_to_advice_n = models.IntegerField()
    receipt_to_advice_sum = models.BigIntegerField()
    receipt_to_advice_n = models.IntegerField()
    receipt_to_completion_sum = models.BigIntegerField()
    receipt_to_completion_n = models.IntegerField()
    completion_to_return_sum = models.BigIntegerField()
    completion_to_return_n = models.IntegerField()
    # Tasks: the quality verdicts, the sum of the return counts, the tasks proposed by the agency.
    quality_passed = models.IntegerField()
    quality_failed = models.IntegerField()
    quality_returned = models.IntegerField()
    returned_total = models.BigIntegerField()
    proactive_count = models.IntegerField()

    class Meta:
        verbose_name = _("chỉ số đơn vị tổng hợp sẵn")
        verbose_name_plural = _("chỉ số đơn vị tổng hợp sẵn")
        indexes = [
            models.Index(fields=["register", "unit_id", "dim", "settled_month"], name="scorecard_rollup_idx")
        ]

    def __str__(self) -> str:
        return (
            f"{self.register} {self.unit_id} {self.settled_month:%m/%Y} {self.dim} {self.outcome}: {self.n}"
        )


class RollupState(models.Model):
    """What a register's rollups were built from: its data version and the working-day calendar. The
    engine reads the rollups only while both are still the same (`congvu.registers.rollups`)."""

    register = models.CharField(_("sổ"), max_length=10, primary_key=True)
    data_token = models.CharField(_("mã phiên bản dữ liệu"), max_length=32)
    calendar = models.CharField(_("dấu lịch ngày làm việc"), max_length=64)
    built_at = models.DateTimeField(_("tổng hợp lúc"), auto_now=True)

    class Meta:
        verbose_name = _("trạng thái số liệu tổng hợp sẵn")
        verbose_name_plural = _("trạng thái số liệu tổng hợp sẵn")

    def __str__(self) -> str:
        return f"{self.register}: {self.data_token}"
