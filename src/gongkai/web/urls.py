"""The desk's URLs; the views themselves live in `gongkai.web.desk.urls`."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [path("", include("gongkai.web.desk.urls"))]
