from django.urls import path

from congvu.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("year/compute/", views.year_compute, name="year_compute"),
    path("year/quota-group/", views.quota_group, name="quota_group"),
    path("year/unit-rating/", views.unit_rating, name="unit_rating"),
    path("year/conditions/", views.year_conditions, name="year_conditions"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/decide/", views.result_decide, name="result_decide"),
    path("sheets/", views.sheets, name="sheets"),
    path("sheets/generate/", views.sheets_generate, name="sheets_generate"),
    path("sheets/generate-province/", views.sheets_generate_province, name="sheets_generate_province"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/products/", views.product_add, name="product_add"),
    path("sheets/<int:pk>/<str:step>/", views.sheet_step, name="sheet_step"),
    path("products/<int:pk>/excuse/", views.product_excuse, name="product_excuse"),
    path("discipline/", views.discipline, name="discipline"),
    path("conclusions/", views.conclusions, name="conclusions"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/period/", views.unit_setting, name="unit_setting"),
    path("rules/", views.rules, name="rules"),
]
