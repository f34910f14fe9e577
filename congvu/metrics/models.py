"""The data version of each register: the part of the figures cache's key that an import changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """Phiên bản dữ liệu of one register (tasks, dossiers). Every import that writes the register sets
    a new random token in the import's own transaction, so a cached figure keyed by the old token is
    never read again once the new records are visible. Random rather than a counter: a database
    re-created from scratch (a new demo, a restore) never meets the keys of the old one in a cache
    that outlived it (Redis)."""

    register = models.CharField(_("sổ"), max_length=20, primary_key=True)
    token = models.CharField(_("mã phiên bản"), max_length=32)
    changed_at = models.DateTimeField(_("thay đổi lúc"), auto_now=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu sổ")
        verbose_name_plural = _("phiên bản dữ liệu sổ")

    def __str__(self) -> str:
        return f"{self.register}: {self.token}"
