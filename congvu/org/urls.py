from django.urls import path

from congvu.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("lineage/new/", views.lineage_record, name="lineage_record"),
    path("officials/", views.officials, name="officials"),
    path("officials/new/", views.official_new, name="official_new"),
    path("officials/<str:code>/", views.official_detail, name="official"),
    path("officials/<str:code>/appointments/new/", views.appointment_new, name="appointment_new"),
    path("officials/<str:code>/personal/", views.official_personal, name="official_personal"),
    path("appointments/<int:pk>/end/", views.appointment_close, name="appointment_end"),
    path("fields/", views.fields, name="fields"),
]
