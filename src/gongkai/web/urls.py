"""The site's URLs: each app keeps its own, under its own namespace; the paths are one flat tree."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("gongkai.web.core.urls")),
    path("", include("gongkai.web.requests.urls")),
    path("", include("gongkai.web.calendar.urls")),
    path("", include("gongkai.web.proactive.urls")),
    path("", include("gongkai.web.reports.urls")),
    path("", include("gongkai.web.portal.urls")),
    path("", include("gongkai.web.oversight.urls")),
]
