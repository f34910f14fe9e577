from django.urls import path

from congvu.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="home"),
    path("new/", views.draft_open, name="draft_open"),
    path("inspection/<int:pk>/", views.inspection_documents, name="inspection"),
    path("plan/<int:pk>/", views.plan_documents, name="plan"),
    path("year/<int:year>/", views.year_documents, name="year"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/issue/", views.document_issue, name="issue"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("issuers/", views.issuer_list, name="issuers"),
    path("issuers/<int:pk>/", views.issuer_detail, name="issuer"),
    path("issuers/<int:pk>/counters/", views.counter_set, name="counter_set"),
    path("issuers/<int:pk>/templates/", views.template_upload, name="template_upload"),
    path("issuers/<int:pk>/templates/<str:kind>/reset/", views.template_reset, name="template_reset"),
    path("issuers/<int:pk>/templates/<str:kind>/preview/", views.template_preview, name="template_preview"),
]
