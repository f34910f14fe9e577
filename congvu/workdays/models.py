"""The working-day calendar (lịch ngày làm việc) and its ordinal table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarDay(models.Model):
    """An official decision about one date (ngày nghỉ, ngày làm bù), with the document that decided it.

    Defaults come from the `holidays` package (`congvu.workdays.defaults`) and are not stored; a row
    here wins over the default on its date. `day_off` makes a weekday a day off (holiday, day in lieu,
    swapped weekday); `working_day` makes a date worked: a Saturday worked in exchange (làm bù), or a
    weekday the package wrongly thinks is a holiday. The official period of a holiday is stored day by
    day as the notice states it ("nghỉ từ … đến hết …"), weekends included, so the list reads like the
    notice; a weekend `day_off` changes no count."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=DayKind.choices)
    name = models.CharField(_("tên ngày"), max_length=200)
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)

    class Meta:
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = _("ngày đặc biệt")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKING_DAY


class WorkdayOrdinal(models.Model):
    """date → number of working days from the table's first date through `date` inclusive.

    So the working days in the closed range [a, b] are ordinal(b) − ordinal(a − 1 day): a
    subtraction the database does in a join. `date` is a real DateField (a TEXT key makes SQLite
    ignore the index, DESIGN "Measured pitfalls"). The table is derived data: `calendar_rebuild`
    rewrites it from the defaults and the `CalendarDay` decisions, and every change to a decision
    rewrites it in the same transaction."""

    date = models.DateField(_("ngày"), primary_key=True)
    ordinal = models.IntegerField(_("số thứ tự ngày làm việc"), db_index=True)
    is_working = models.BooleanField(_("là ngày làm việc"))

    class Meta:
        verbose_name = _("thứ tự ngày làm việc")
        verbose_name_plural = _("bảng thứ tự ngày làm việc")

    def __str__(self) -> str:
        return f"{self.date}: {self.ordinal}"
