"""The public pages, under public/."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/apply/<int:agency_pk>/", views.apply, name="apply"),
    path("public/submitted/<str:code>/", views.submitted, name="submitted"),
    path("public/track/", views.track_form, name="track_form"),
    path("public/track/<str:code>/", views.track, name="track"),
    path("public/track/<str:code>/letters/<int:pk>/", views.letter, name="letter"),
]
