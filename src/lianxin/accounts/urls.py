from django.urls import path

from lianxin.accounts import views, views_activation

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("activate/", views_activation.activate, name="activate"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("account/otp/verify/", views.otp_verify, name="otp_verify"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("work/security/otp/", views.otp_policy_edit, name="otp_policy"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
