"""The staff pages of requests: the home page, the list, registration, a request and its actions,
and the agencies' letter templates. All behind login."""

from django.urls import path

from .views import letters, office, staff

app_name = "requests"
urlpatterns = [
    path("", staff.home, name="home"),
    path("requests/", staff.request_list, name="request_list"),
    path("requests/new/", staff.request_new, name="request_new"),
    path("requests/<int:pk>/", staff.request_detail, name="request_detail"),
    path("requests/<int:pk>/do/<slug:name>/", staff.request_action, name="request_action"),
    path("requests/<int:pk>/attachments/<int:attachment_pk>/", staff.attachment, name="attachment"),
    path("requests/ledger.<slug:fmt>", office.ledger_export, name="ledger_export"),
    path("requests/import/", office.ledger_import, name="ledger_import"),
    path("requests/import/confirm/", office.ledger_confirm, name="ledger_confirm"),
    path("requests/bulk/", office.bulk, name="bulk"),
    path("notifications/read/", office.notifications_read, name="notifications_read"),
    path("signoff/", office.signoff_chain, name="signoff_chain"),
    path("letters/templates/", letters.templates, name="letter_templates"),
    path("letters/settings/", letters.letter_settings, name="letter_settings"),
    path("letters/templates/docx/", letters.template_docx, name="letter_template_docx"),
]
