from django.urls import path

from congvu.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/transition/", views.inspection_transition, name="transition"),
    path("<int:pk>/team/add/", views.team_add, name="team_add"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team_remove"),
    path("<int:pk>/checklists/create/", views.checklists_create, name="checklists_create"),
    path("<int:pk>/checklists/refresh/", views.snapshot_refresh, name="snapshot_refresh"),
    path("<int:pk>/checklists/<int:checklist_pk>/save/", views.checklist_save, name="checklist_save"),
    path("<int:pk>/checklists/save/", views.checklists_save, name="checklists_save"),
    path("items/<int:item_pk>/records/<str:group>/<str:figure>/", views.item_records, name="item_records"),
    path("<int:pk>/evidence/upload/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/requests/add/", views.request_add, name="request_add"),
    path(
        "responses/<str:kind>/<int:response_pk>/<str:action>/", views.response_action, name="response_action"
    ),
    path("<int:pk>/findings/add/", views.finding_add, name="finding_add"),
    path("<int:pk>/findings/records/", views.finding_records_search, name="finding_records"),
    path("findings/<int:finding_pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:finding_pk>/<str:action>/", views.finding_action, name="finding_action"),
    path("<int:pk>/recommendations/add/", views.recommendation_add, name="recommendation_add"),
    path("recommendations/<int:rec_pk>/report/", views.remediation_add, name="remediation_add"),
    path("recommendations/<int:rec_pk>/remind/", views.recommendation_remind, name="recommendation_remind"),
    path("reports/<int:report_pk>/<str:decision>/", views.remediation_review, name="remediation_review"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/add/", views.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/remove/", views.plan_item_remove, name="plan_item_remove"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_pk>/read/", views.notice_read, name="notice_read"),
    path("notices/read-all/", views.notices_read_all, name="notices_read_all"),
]
