from django.urls import path

from congvu.api import views
from congvu.api.api import api

# No app_name: django-ninja reverses its own namespace ("api-v1") from the root.
urlpatterns = [
    path("v1/", api.urls),
    path("tokens/", views.tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
