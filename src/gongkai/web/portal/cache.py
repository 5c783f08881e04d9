"""The public pages of one agency, rendered once per server process and version.

A page is kept under the agency's listing version (`proactive.listing`, read through the register's
selectors; every publication, withdrawal and settings change of the agency renews it in its own
transaction) and the directory stamp (its name, whether it takes online requests). Both are read
from the database on every request, so a withdrawn item leaves every process's pages with the transaction that
withdrew it; only anonymous visitors without a session or pending messages get a kept page, since
no one else's page is the same for everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language

from gongkai.web.agencies.models import Agency
from gongkai.web.core import versions
from gongkai.web.proactive import selectors

ALIAS = "portal"  # settings.CACHES
AGENCIES = 2000  # agencies kept per process with their settings, before the lot is dropped

# Agencies with their register settings, per process under the directory stamp and each one's
# listing version: an item page rendered afresh then reads only the item.
_AGENCIES: versions.Cache[tuple[int, int], Agency] = versions.Cache(versions.DIRECTORY, AGENCIES)


def agency(agency_id: int) -> Agency:
    """The agency with its register settings (if any), kept per process under the same version
    and directory stamp as its pages."""
    return _AGENCIES.get((agency_id, selectors.listing_version(agency_id)), lambda: _load(agency_id))


def _load(agency_id: int) -> Agency:
    found = Agency.objects.select_related("register_settings").filter(pk=agency_id).first()
    if found is None:
        raise Http404("没有找到该机关")
    return found


def _shared(request: HttpRequest) -> bool:
    """Whether the page is the same for everyone: no session, no messages waiting."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def page(
    request: HttpRequest, agency_id: int, parts: tuple[Hashable, ...], render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page `render` makes, kept under (the agency's version, the directory, `parts`); only
    a 200 response is kept, and an exception (a 404) passes through."""
    if not _shared(request):
        return render()
    stamps = (
        agency_id,
        selectors.listing_version(agency_id),
        versions.stamp(versions.DIRECTORY),
        get_language(),
    )
    key = ":".join(str(p) for p in (*stamps, *parts))  # no spaces: a portable cache key
    store = caches[ALIAS]
    kept = store.get(key)
    if kept is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        store.set(key, (response.content, response["Content-Type"]))
    return response
