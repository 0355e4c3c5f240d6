"""Bulletin pages: the archive (public), drafting, progress, preview, publishing, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.bulletins import selectors, services
from saima.bulletins.actions import EditBulletin, GenerateBulletin, PublishBulletin
from saima.bulletins.forms import HEADER, BulletinEditForm, BulletinNewForm
from saima.bulletins.models import Bulletin, BulletinStatus, BulletinVersion
from saima.bulletins.permissions import may_draft_any, may_manage_bulletin, may_read_bulletin
from saima.core.exports import stored_attachment
from saima.core.workflow import take
from saima.org.permissions import units_organised_by

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def index(request: HttpRequest) -> HttpResponse:
    bulletins = list(selectors.bulletins_for(request.user)[:200])
    return render(
        request,
        "bulletins/index.html",
        {
            "published": [b for b in bulletins if b.status == BulletinStatus.PUBLISHED],
            "drafts": [b for b in bulletins if b.status != BulletinStatus.PUBLISHED],
            "may_draft": may_draft_any(request.user),
        },
    )


@login_required
def bulletin_new(request: HttpRequest) -> HttpResponse:
    if not may_draft_any(request.user):
        raise Http404
    units = units_organised_by(request.user)
    form = BulletinNewForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = services.bulletin_create(
                actor=request.user,
                owner=data["owner"],
                kind=data["kind"],
                year=data["year"],
                quarter=data.get("quarter"),
                **{name: data.get(name) or "" for name in HEADER if name != "issue_date"},
                issue_date=data.get("issue_date"),
            )
        except services.BulletinError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已起草，请生成通报后核对"))
            return redirect("bulletins:detail", bulletin.pk)
    return render(request, "bulletins/new.html", {"form": form})


def _readable(request: HttpRequest, pk: int) -> Bulletin:
    bulletin = get_object_or_404(Bulletin.objects.select_related("owner"), pk=pk)
    if not may_read_bulletin(request.user, bulletin):
        raise Http404
    return bulletin


def _managed(request: HttpRequest, pk: int) -> Bulletin:
    bulletin = get_object_or_404(Bulletin.objects.select_related("owner"), pk=pk)
    if not may_manage_bulletin(request.user, bulletin):
        raise Http404
    return bulletin


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _readable(request, pk)
    manager = may_manage_bulletin(request.user, bulletin)
    context = {"bulletin": bulletin, "manager": manager}
    if request.headers.get("HX-Request"):
        return render(request, "bulletins/_progress.html", context)
    if bulletin.status == BulletinStatus.PUBLISHED:
        version = selectors.newest_version(bulletin)
    else:
        version = selectors.newest_version(bulletin) if manager else None
    context.update(
        {
            "version": version,
            "content": selectors.preview_content(version),
            "versions": list(bulletin.versions.all()) if manager else [],
            "generate": GenerateBulletin(request.user, bulletin),
            "publish": PublishBulletin(request.user, bulletin),
        }
    )
    return render(request, "bulletins/detail.html", context)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _managed(request, pk)
    form = BulletinEditForm(request.POST or None, instance=bulletin)
    refusal = services.edit_refusal(bulletin)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in HEADER}
        fresh = Bulletin.objects.get(pk=bulletin.pk)  # the form validated; the service writes
        if take(request, EditBulletin(request.user, fresh, **values), _("已保存")) is not None:
            return redirect("bulletins:detail", bulletin.pk)
    return render(
        request, "bulletins/edit.html", {"bulletin": bulletin, "form": form, "refusal": refusal}
    )


@login_required
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _managed(request, pk)
    take(request, GenerateBulletin(request.user, bulletin), _("已开始生成"))
    return redirect("bulletins:detail", bulletin.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = _managed(request, pk)
    take(request, PublishBulletin(request.user, bulletin), _("已发布"))
    return redirect("bulletins:detail", bulletin.pk)


def _filename(bulletin: Bulletin, suffix: str) -> str:
    return f"{bulletin.doc_number} {bulletin.title}{suffix}"


def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The published document (public once published)."""
    bulletin = _readable(request, pk)
    if bulletin.status != BulletinStatus.PUBLISHED or fmt not in ("pdf", "docx"):
        raise Http404
    file = bulletin.pdf if fmt == "pdf" else bulletin.docx
    return stored_attachment(file, _filename(bulletin, f".{fmt}"), PDF if fmt == "pdf" else DOCX)


@login_required
def draft_download(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponseBase:
    bulletin = _managed(request, pk)
    version = get_object_or_404(BulletinVersion, bulletin=bulletin, number=number)
    if fmt not in ("pdf", "docx"):
        raise Http404
    file = version.pdf if fmt == "pdf" else version.docx
    name = _filename(bulletin, _("（草稿 第%(n)s版）") % {"n": number} + f".{fmt}")
    return stored_attachment(file, name, PDF if fmt == "pdf" else DOCX)
