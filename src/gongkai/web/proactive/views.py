"""The register's staff pages: the list with items late or about to be, an item's form, and its page
with the review chain, the personal-data findings and the actions. Public pages live in the portal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.proactive.catalogue import CHANNEL_BY_KEY
from gongkai.web.agencies import selectors as agencies
from gongkai.web.agencies.permissions import can, visible_agencies
from gongkai.web.core.errors import ServiceError
from gongkai.web.core.views import form_error, staff_user
from gongkai.web.requests import selectors as requests

from . import selectors, services
from .forms import AttachmentForm, CommentForm, ItemForm, ReasonForm, SettingsForm
from .models import EDITABLE_STATES, Item, ItemState

MAX_UPLOAD = 20 * 1024 * 1024


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    items = selectors.items_for(user).select_related("agency").order_by("-formed", "-pk")[:100]
    convertible = (
        requests.requests_for(user)
        .filter(outcome__in=services.RELEASED_OUTCOMES, register_items__isnull=True)
        .order_by("-closed_on")[:50]
    )
    return render(
        request,
        "proactive/index.html",
        {
            "items": items,
            "attention": selectors.needing_attention(user),
            "convertible": convertible,
            "agencies": visible_agencies(user),
            "admin_agencies": [a for a in visible_agencies(user)[:200] if can(user, "admin", a)],
        },
    )


def _form_data(form: ItemForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    scope = visible_agencies(user)
    agency = (
        scope.filter(pk=request.GET.get("agency") or request.POST.get("agency") or 0).first() or scope.first()
    )
    if agency is None:
        raise Http404(_("没有可登记的机关"))
    catalogue = selectors.catalogue(agency)
    form = ItemForm(request.POST or None, catalogue=catalogue)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(user, agency, **_form_data(form))
        except ServiceError as error:
            form_error(request, form, error)
        else:
            messages.success(request, _("已登记，索引号 %(n)s") % {"n": item.index_number})
            return redirect("proactive:item", pk=item.pk)
    return render(request, "proactive/form.html", {"form": form, "agency": agency, "agencies": scope})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    item = selectors.get_item(user, pk)
    catalogue = selectors.catalogue(item.agency)
    initial = {f: getattr(item, f) for f in ItemForm.base_fields}
    form = ItemForm(request.POST or None, initial=initial, catalogue=catalogue)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(user, item, **_form_data(form))
        except ServiceError as error:
            form_error(request, form, error)
        else:
            return redirect("proactive:item", pk=item.pk)
    return render(request, "proactive/form.html", {"form": form, "agency": item.agency, "item": item})


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    found = selectors.get_item(user, pk)
    review = services.scan(found) if found.state in (*EDITABLE_STATES, ItemState.IN_REVIEW) else None
    settings = services.register_settings(found.agency)
    return render(
        request,
        "proactive/item.html",
        {
            "item": found,
            "channels": [CHANNEL_BY_KEY[c].name for c in found.channels if c in CHANNEL_BY_KEY],
            "area": selectors.area_name(found.area, selectors.catalogue(found.agency)),
            "due": selectors.due(found),
            "review": review,
            "maskable": services.maskable(found) if review else set(),
            "chain": services.chain_of(settings),
            "step": services.current_step(found),
            "trail": found.review_events.select_related("actor"),
            "attachments": found.attachments.order_by("pk"),
            "editable": found.state in EDITABLE_STATES,
            "attachment_form": AttachmentForm(),
            "comment_form": CommentForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on an item; a refusal comes back as a message in Chinese."""
    user = staff_user(request)
    found = selectors.get_item(user, pk)
    post = request.POST
    try:
        _do(request, user, found, action, post)
    except ServiceError as error:
        messages.error(request, error.zh)
    return redirect("proactive:item", pk=found.pk)


def _do(request: HttpRequest, user: Any, found: Item, action: str, post: Any) -> None:
    if action == "submit":
        services.submit(user, found)
        messages.success(request, _("已提交审核"))
    elif action == "approve":
        done = services.approve(user, found, post.get("comment", ""))
        messages.success(request, _("已公开") if done.state == ItemState.PUBLISHED else _("审核通过"))
    elif action == "return":
        services.send_back(user, found, post.get("comment", ""))
        messages.success(request, _("已退回修改"))
    elif action == "withdraw":
        services.withdraw(user, found, post.get("reason", ""))
        messages.success(request, _("已撤回"))
    elif action == "accept":
        services.accept_hit(user, found, post.get("fingerprint", ""), post.get("reason", ""))
        messages.success(request, _("已确认该处信息可以公开"))
    elif action == "redact":
        services.redact_hit(user, found, post.get("fingerprint", ""))
        messages.success(request, _("已遮盖"))
    elif action == "attach":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_UPLOAD:
            messages.error(request, _("请选择不超过 20 MB 的附件"))
            return
        services.add_attachment(user, found, upload.name or "attachment", upload.read())
        messages.success(request, _("附件已上传，元数据已清除"))
    elif action == "detach":
        attachment = found.attachments.filter(pk=post.get("attachment") or 0).first()
        if attachment is None:
            raise Http404(_("没有找到该附件"))
        services.remove_attachment(user, attachment)
    else:
        raise Http404(_("未知的操作"))


@login_required
@require_POST
def from_request(request: HttpRequest) -> HttpResponse:
    """依申请转主动公开 in one step: the request's released information becomes a draft item."""
    user = staff_user(request)
    try:
        source = requests.get_request(user, request.POST.get("request", ""))
        created = services.from_request(user, source)
    except ServiceError as error:
        messages.error(request, error.zh)
        return redirect("proactive:index")
    messages.success(request, _("已转为主动公开事项，请核对后提交审核"))
    return redirect("proactive:item", pk=created.pk)


@login_required
def settings(request: HttpRequest, agency_pk: int) -> HttpResponse:
    """An agency's catalogue, 索引号 rule, review chain and guide facts (its admin only)."""
    user = staff_user(request)
    agency = agencies.agency_in_scope(user, agency_pk)
    if agency is None or not can(user, "admin", agency):
        raise Http404(_("没有找到该机关"))
    current = services.register_settings(agency)
    try:
        selection = services.catalogue_of(current)
    except ServiceError:
        selection = None  # a broken selection is shown as stored and replaced on saving
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(current), catalogue=selection)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        catalogue = {
            "covered": data.pop("covered"),
            "not_applicable": data.pop("not_applicable"),
            "matters": data.pop("matters"),
            "own_areas": [{"key": a.key, "name": a.name} for a in form.own_areas],
        }
        try:
            services.save_settings(user, agency, catalogue=catalogue, **data)
        except ServiceError as error:
            form_error(request, form, error)
        else:
            messages.success(request, _("主动公开设置已保存"))
            return redirect("proactive:settings", agency_pk=agency.pk)
    return render(request, "proactive/settings.html", {"form": form, "agency": agency})
