from django.urls import path

from congvu.metrics import tthc_views, views

app_name = "metrics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("units/<str:code>/", views.unit_scorecard, name="unit"),
    path("officials/<str:code>/", views.official_scorecard, name="official"),
    path("records/", views.records, name="records"),
    path("tthc/", tthc_views.tthc, name="tthc"),
]
