"""`{% register_link r %}` on a request's page: the register items made from it (依申请转主动公开),
and the button that makes one, for those allowed. A template tag, so the requests app that shows
it needs no import of the register."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.web.requests.models import Request

from .. import selectors, services

register = template.Library()


@register.inclusion_tag("proactive/_request_link.html", takes_context=True)
def register_link(context: template.Context, request: Request) -> dict[str, Any]:
    user = context["request"].user
    made = selectors.items_for(user).filter(source_request=request)  # the register's one visibility rule
    items = list(made.order_by("pk").only("pk", "title", "state"))
    return {
        "r": request,
        "items": items,
        "may_convert": services.may_convert(user, request),
        "csrf_token": context.get("csrf_token"),
    }
