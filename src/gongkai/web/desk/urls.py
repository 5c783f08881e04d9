"""The desk's URLs: staff pages behind login, the applicant portal under public/."""

from pathlib import Path

from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.static import serve

from .views import calendar, letters, public, reports, staff

STATIC = Path(__file__).parent / "static" / "desk"


def health(request: HttpRequest) -> JsonResponse:
    """Liveness plus a trivial query, so a monitor sees a dead database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


app_name = "desk"
urlpatterns = [
    path("health/", health, name="health"),
    # The one stylesheet, served by the app itself: offline, no CDN, works without DEBUG.
    path("static/desk/<path:path>", serve, {"document_root": STATIC}, name="static"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="desk/login.html", next_page="desk:home"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    path("", staff.home, name="home"),
    path("requests/", staff.request_list, name="request_list"),
    path("requests/new/", staff.request_new, name="request_new"),
    path("requests/<int:pk>/", staff.request_detail, name="request_detail"),
    path("requests/<int:pk>/do/<slug:name>/", staff.request_action, name="request_action"),
    path("requests/<int:pk>/attachments/<int:attachment_pk>/", staff.attachment, name="attachment"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/<str:day>/delete/", calendar.calendar_delete, name="calendar_delete"),
    path("reports/", reports.index, name="report_index"),
    path("reports/<int:agency_pk>/<int:year>/", reports.report, name="report"),
    path("reports/<int:agency_pk>/<int:year>/export/<slug:fmt>/", reports.export, name="report_export"),
    path("letters/templates/", letters.templates, name="letter_templates"),
    path("letters/templates/docx/", letters.template_docx, name="letter_template_docx"),
    path("public/", public.index, name="public_index"),
    path("public/apply/<int:agency_pk>/", public.apply, name="public_apply"),
    path("public/submitted/<str:code>/", public.submitted, name="public_submitted"),
    path("public/track/", public.track_form, name="public_track_form"),
    path("public/track/<str:code>/", public.track, name="public_track"),
]
