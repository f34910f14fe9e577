from django.urls import path

from congvu.registers import catalogue_views, views

app_name = "registers"
urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("dossiers/", views.dossiers, name="dossiers"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/switch/", views.import_switch, name="import_switch"),
    path("template/<str:register>/", views.template, name="template"),
    path("procedures/", catalogue_views.procedures, name="procedures"),
    path("procedures/new/", catalogue_views.procedure_edit, name="procedure_new"),
    path("procedures/<int:pk>/", catalogue_views.procedure_edit, name="procedure_edit"),
    path("imports/<int:pk>/procedures/", catalogue_views.import_procedures, name="import_procedures"),
]
