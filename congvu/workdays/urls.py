from django.urls import path

from congvu.workdays import views

app_name = "workdays"
urlpatterns = [
    # One name for both: reverse("workdays:calendar") is this year, with args=[2024] that year.
    path("", views.calendar, name="calendar"),
    path("<int:year>/", views.calendar, name="calendar"),
    path("days/new/", views.day_create, name="day_create"),
    path("days/<str:day>/edit/", views.day_edit, name="day_edit"),
    path("days/<str:day>/delete/", views.day_delete, name="day_delete"),
]
