from django.urls import include, path

urlpatterns = [
    path("", include("congvu.web.urls")),
    path("accounts/", include("congvu.accounts.urls")),
    path("audit/", include("congvu.core.urls")),
    path("org/", include("congvu.org.urls")),
    path("calendar/", include("congvu.workdays.urls")),
    path("registers/", include("congvu.registers.urls")),
    path("metrics/", include("congvu.metrics.urls")),
    path("inspections/", include("congvu.inspections.urls")),
    path("sampling/", include("congvu.sampling.urls")),
    path("planning/", include("congvu.planning.urls")),
    path("proposals/", include("congvu.proposals.urls")),
    path("evaluation/", include("congvu.evaluation.urls")),
    path("documents/", include("congvu.documents.urls")),
    path("api/", include("congvu.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler403 = "congvu.web.views.error_403"
handler404 = "congvu.web.views.error_404"
handler500 = "congvu.web.views.error_500"
