from django.urls import path

from congvu.core import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("object/<str:object_type>/<str:object_id>/", views.audit_object, name="object"),
    path("<int:pk>/", views.audit_detail, name="detail"),
]
