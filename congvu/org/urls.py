from django.urls import path

from congvu.org import views

app_name = "org"
urlpatterns = [
    path("units/<str:code>/", views.unit_detail, name="unit"),
]
