"""The annual report pages."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<int:agency_pk>/<int:year>/", views.report, name="report"),
    path("reports/<int:agency_pk>/<int:year>/publish/", views.publish, name="publish"),
    path("reports/<int:agency_pk>/<int:year>/export/<slug:fmt>/", views.export, name="export"),
]
