"""The supervisor's desk pages."""

from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("oversight/", views.index, name="index"),
    path("oversight/region/<int:region_pk>/<int:year>/", views.overview, name="overview"),
    path("oversight/region/<int:region_pk>/<int:year>/collect/", views.collect, name="collect"),
    path("oversight/region/<int:region_pk>/<int:year>/rollup/", views.rollup, name="rollup"),
    path("oversight/region/<int:region_pk>/<int:year>/export/<slug:fmt>/", views.export, name="export"),
    path("oversight/report/<int:pk>/", views.submission, name="submission"),
    path("oversight/report/<int:pk>/cell/<str:key>/", views.cell, name="cell"),
    path("oversight/report/<int:pk>/cell/<str:key>/image.png", views.cell_image, name="cell_image"),
    path("oversight/report/<int:pk>/export/<slug:fmt>/", views.report_export, name="report_export"),
    path("oversight/report/<int:pk>/compare/", views.compare, name="compare"),
    path("oversight/report/<int:pk>/compare/<slug:fmt>/", views.compare_export, name="compare_export"),
    path("oversight/version/<int:pk>/source/", views.source, name="source"),
    path("oversight/file/<int:agency_pk>/<int:year>/", views.file, name="file"),
    path("oversight/file/<int:agency_pk>/<int:year>/form/", views.form, name="form"),
]
