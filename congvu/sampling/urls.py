from django.urls import path

from congvu.sampling import views

app_name = "sampling"
urlpatterns = [
    path("", views.sample_list, name="list"),
    path("new/", views.sample_create, name="create"),
    path("how-to-verify/", views.how_to_verify, name="how_to_verify"),
    path("calculator/", views.calculator, name="calculator"),
    path("<int:pk>/", views.sample_detail, name="detail"),
    path("<int:pk>/commitment/", views.sample_commitment, name="commitment"),
    path("<int:pk>/draw/", views.sample_draw, name="draw"),
    path("<int:pk>/draw/progress/", views.draw_progress, name="draw_progress"),
    path("<int:pk>/fields/<int:stratum_pk>/extend/", views.sample_extend, name="extend"),
    path("<int:pk>/items/<int:item_pk>/", views.review, name="review"),
    path("<int:pk>/items/<int:item_pk>/finding/", views.review_finding, name="review_finding"),
    path("<int:pk>/items/<int:item_pk>/evidence/", views.review_evidence, name="review_evidence"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/worksheet.xlsx", views.worksheet, name="worksheet"),
    path("<int:pk>/population.txt", views.population, name="population"),
    path("<int:pk>/verify/", views.verify, name="verify"),
]
