from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "congvu.proposals"
    label = "proposals"
    verbose_name = _("Báo cáo, đề xuất lên Chủ tịch UBND tỉnh")
