"""Placeholder URLs: a health check until the staff and public views arrive."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path


def health(request: HttpRequest) -> JsonResponse:
    """Liveness plus a trivial query, so a monitor sees a dead database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


app_name = "desk"
urlpatterns = [path("health/", health, name="health")]
