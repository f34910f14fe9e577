from django.contrib.auth import views as auth_views
from django.urls import path

from congvu.accounts import views

urlpatterns = [
    path("login/", views.CongvuLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/enrol/", views.otp_enrol, name="otp_enrol"),
    path("second-factor/recovery-codes/", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
