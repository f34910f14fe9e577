"""The working-day calendar (lịch ngày làm việc) and its ordinal table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarDay(models.Model):
    """An official exception to the Monday–Friday week: a day off (holiday, day in lieu, swapped
    weekday) or a worked weekend day (làm bù), each with the document that decided it.

    Rows with source 'holidays' are defaults from the `holidays` package; 'decision' rows are the
    official decisions and win over defaults on the same date."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=DayKind.choices)
    name = models.CharField(_("tên ngày"), max_length=200)
    source = models.CharField(
        _("nguồn"),
        max_length=10,
        choices=[("holidays", _("Mặc định (gói holidays)")), ("decision", _("Quyết định chính thức"))],
        default="decision",
    )
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)

    class Meta:
        verbose_name = _("ngày đặc biệt")
        verbose_name_plural = _("ngày đặc biệt")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class WorkdayOrdinal(models.Model):
    """date → number of working days from the table's first date through `date` inclusive.

    So the working days in the closed range [a, b] are ordinal(b) − ordinal(a − 1 day): a
    subtraction the database does in a join. `date` is a real DateField (a TEXT key makes SQLite
    ignore the index, DESIGN "Measured pitfalls")."""

    date = models.DateField(_("ngày"), primary_key=True)
    ordinal = models.IntegerField(_("số thứ tự ngày làm việc"), db_index=True)
    is_working = models.BooleanField(_("là ngày làm việc"))

    class Meta:
        verbose_name = _("thứ tự ngày làm việc")
        verbose_name_plural = _("bảng thứ tự ngày làm việc")

    def __str__(self) -> str:
        return f"{self.date}: {self.ordinal}"
