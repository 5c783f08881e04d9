"""The register's staff pages, under register/."""

from django.urls import path

from . import views

app_name = "proactive"
urlpatterns = [
    path("register/", views.index, name="index"),
    path("register/new/", views.new, name="new"),
    path("register/from-request/", views.from_request, name="from_request"),
    path("register/settings/<int:agency_pk>/", views.settings, name="settings"),
    path("register/<int:pk>/", views.item, name="item"),
    path("register/<int:pk>/edit/", views.edit, name="edit"),
    path("register/<int:pk>/<slug:action>/", views.act, name="act"),
]
