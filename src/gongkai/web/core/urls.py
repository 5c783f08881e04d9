"""The shared pages: health, the stylesheet, login and logout."""

from pathlib import Path

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.static import serve

from .views import health

STATIC = Path(__file__).parent / "static" / "core"

app_name = "core"
urlpatterns = [
    path("health/", health, name="health"),
    # The one stylesheet, served by the app itself: offline, no CDN, works without DEBUG.
    path("static/core/<path:path>", serve, {"document_root": STATIC}, name="static"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="core/login.html", next_page="requests:home"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="core:login"), name="logout"),
]
