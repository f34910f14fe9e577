from django.urls import path

from congvu.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/take-out/", views.entry_take_out, name="take_out"),
    path("units/<str:code>/", views.unit_sheet, name="unit_sheet"),
    path("officials/<str:code>/", views.official_record, name="official"),
]
