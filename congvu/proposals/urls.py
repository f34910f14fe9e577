from django.urls import path

from congvu.proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("inspection/<int:pk>/", views.for_inspection, name="for_inspection"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/refresh/", views.report_refresh, name="refresh"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/proposals/new/", views.proposal_add, name="proposal_add"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/delete/", views.proposal_delete, name="proposal_delete"),
    path("proposals/<int:pk>/decide/", views.decide, name="decide"),
]
