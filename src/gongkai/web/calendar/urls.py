"""The calendar page, for calendar managers."""

from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("calendar/", views.calendar, name="index"),
    path("calendar/<str:day>/delete/", views.calendar_delete, name="delete"),
]
