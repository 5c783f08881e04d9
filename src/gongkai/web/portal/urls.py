"""The public pages, under public/."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from . import disclosure, views

app_name = "portal"
urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/apply/<int:agency_pk>/", views.apply, name="apply"),
    path("public/submitted/<str:code>/", views.submitted, name="submitted"),
    path("public/track/", views.track_form, name="track_form"),
    path("public/track/<str:code>/", views.track, name="track"),
    path("public/track/<str:code>/letters/<int:pk>/", views.letter, name="letter"),
    path("public/disclosure/", disclosure.index, name="disclosure"),
    path("public/search/", disclosure.search, name="search"),
    path("public/feed.atom", disclosure.feed, name="feed"),
    path(
        "public/sitemap.xml",
        sitemaps.index,
        {"sitemaps": disclosure.SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path(
        "public/sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": disclosure.SITEMAPS},
        name="sitemap_section",
    ),
    path("public/<int:agency_pk>/", disclosure.home, name="home"),
    path("public/<int:agency_pk>/guide/", disclosure.guide, name="guide"),
    path("public/<int:agency_pk>/system/", disclosure.system, name="system"),
    path("public/<int:agency_pk>/catalogue/", disclosure.catalogue, name="catalogue"),
    path("public/<int:agency_pk>/reports/", disclosure.reports, name="reports"),
    path("public/<int:agency_pk>/reports/<int:year>/", disclosure.report, name="report"),
    path("public/<int:agency_pk>/reports/<int:year>/<slug:fmt>/", disclosure.report_file, name="report_file"),
    path("public/<int:agency_pk>/catalogue/<slug:key>/", disclosure.area, name="area"),
    path("public/<int:agency_pk>/items/<int:pk>/", disclosure.item, name="item"),
    path(
        "public/<int:agency_pk>/items/<int:pk>/attachments/<int:attachment_pk>/",
        disclosure.attachment,
        name="attachment",
    ),
]
