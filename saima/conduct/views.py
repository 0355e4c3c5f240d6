"""Officers' pages (clues, rounds, rectification) and the public page of awards.

Each view authorises, validates a form, takes one action and renders. A clue is read only by
an officer who may handle it, and every read is recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from saima.conduct import actions, awards, clues, selectors
from saima.conduct.errors import ConductError
from saima.conduct.forms import (
    ConsequenceForm,
    DecideForm,
    OfficerClueForm,
    RoundForm,
    TextForm,
    VerifyForm,
)
from saima.conduct.models import (
    Award,
    AwardRound,
    Clue,
    ClueEvidence,
    ClueStatus,
    Rectification,
)
from saima.conduct.permissions import (
    may_enter_clues,
    may_handle_clue,
    may_run_round,
    may_view_rectification,
)
from saima.core.workflow import ActionRefused, take
from saima.org.models import Person, User


def _id(value: object) -> int:
    """A posted id as a number (0 for anything else: it matches no row)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0


def _officer(request: HttpRequest) -> None:
    if not may_enter_clues(request.user):
        raise PermissionDenied(_("只有纪检监察人员可以办理线索"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """线索办理: the queue of the officer's scope, by status."""
    _officer(request)
    status = request.GET.get("status", "")
    if status and status not in ClueStatus.values:
        status = ""
    queue = list(selectors.clues_for(request.user, status)[:200])
    if queue:
        clues.clue_list_read(actor=request.user, shown=queue)
    context = {
        "clues": queue,
        "status": status,
        "counts": selectors.status_counts(request.user),
        "statuses": ClueStatus.choices,
        "rectifications": list(selectors.rectifications_for(request.user)[:50]),
        "rounds": list(selectors.rounds_for(request.user)[:20]),
    }
    return render(request, "conduct/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def clue_new(request: HttpRequest) -> HttpResponse:
    """录入线索: from a special inspection, a referral, or a report received otherwise."""
    _officer(request)
    units = selectors.units_in_discipline_scope(request.user)
    form = OfficerClueForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            clue = clues.clue_enter(
                actor=request.user,
                data=form.clue_input(),
                source=form.cleaned_data["source"],
                evidence=form.cleaned_data["evidence"],
            )
        except ConductError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("conduct:clue", clue.pk)
    return render(request, "conduct/clue_new.html", {"form": form})


def _clue_for(request: HttpRequest, pk: int) -> Clue:
    clue = get_object_or_404(Clue.objects.select_related("unit", "person", "assignee"), pk=pk)
    if not may_handle_clue(request.user, clue):
        raise PermissionDenied(_("此线索不在您的办理范围内，或涉及您本人或本单位（回避）"))
    return clue


@login_required
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = _clue_for(request, pk)
    clues.clue_read(actor=request.user, clue=clue)
    user = request.user
    steps = {name: cls(user, clue) for name, cls in actions.CLUE_ACTIONS.items()}
    context = {
        "clue": clue,
        "evidence": list(clue.evidence.defer("content")),
        "messages_": list(clue.messages.select_related("author")),
        "steps": steps,
        "assignees": selectors.eligible_assignees(clue) if steps["assign"].allowed() else [],
        "text_form": TextForm(),
        "decide_form": DecideForm(),
    }
    return render(request, "conduct/clue_detail.html", context)


def _clue_inputs(request: HttpRequest, name: str, clue: Clue) -> dict[str, Any]:
    post = request.POST
    if name == "assign":
        assignee = (
            User.objects.filter(pk=_id(post.get("assignee"))).select_related("person").first()
        )
        if assignee is None:
            raise ActionRefused(_("请选择承办人"))
        return {"assignee": assignee}
    if name in ("note", "ask"):
        return {"text": post.get("text", "")}
    if name == "decide":
        return {"decision": post.get("decision", ""), "findings": post.get("findings", "")}
    return {}


@login_required
@require_POST
def clue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    step = actions.CLUE_ACTIONS.get(action)
    if step is None:
        raise Http404
    clue = _clue_for(request, pk)
    try:
        inputs = _clue_inputs(request, action, clue)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("conduct:clue", clue.pk)
    take(request, step(request.user, clue, **inputs), _("已保存"))
    return redirect("conduct:clue", clue.pk)


@login_required
def clue_evidence(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    clue = _clue_for(request, pk)
    evidence = get_object_or_404(ClueEvidence, clue=clue, number=number)
    clues.clue_evidence_read(actor=request.user, evidence=evidence)
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    response["Content-Disposition"] = f'inline; filename="{evidence.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- rounds


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest) -> HttpResponse:
    _officer(request)
    owners = selectors.round_scopes_for(request.user)
    form = RoundForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            award_round = awards.round_open(
                actor=request.user,
                owner=form.cleaned_data["owner"],
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
            )
        except ConductError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("conduct:round", award_round.pk)
    context = {"rounds": selectors.rounds_for(request.user), "form": form}
    return render(request, "conduct/rounds.html", context)


def _round_for(request: HttpRequest, pk: int) -> AwardRound:
    award_round = get_object_or_404(AwardRound.objects.select_related("owner"), pk=pk)
    if not may_run_round(request.user, award_round):
        raise PermissionDenied(_("此评定不在您的纪检监察范围内"))
    return award_round


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award_round = _round_for(request, pk)
    scope_units = selectors.units_under(award_round.owner)
    context = {
        "round": award_round,
        "awards": list(award_round.awards.select_related("unit", "person", "clue")),
        "flag": getattr(award_round, "flag", None),
        "candidates": awards.snail_clues(award_round),
        "units": scope_units,
        "people": Person.objects.filter(unit__in=scope_units).select_related("unit"),
        "publish": actions.PublishRound(request.user, award_round),
        "editing": actions.AddRedFlagAward(request.user, award_round),
        "form": ConsequenceForm(),
        "history": selectors.flag_history(award_round.owner),
    }
    return render(request, "conduct/round_detail.html", context)


def _round_inputs(request: HttpRequest, award_round: AwardRound, action: str) -> dict[str, Any]:
    post = request.POST
    if action == "publish":
        return {"note": post.get("note", "")}
    if action == "remove":
        return {"award": get_object_or_404(Award, pk=_id(post.get("award")), round=award_round)}
    form = ConsequenceForm(post)
    if not form.is_valid():
        raise ActionRefused(_("请填写事由，加减分和奖金填数字"))
    inputs: dict[str, Any] = {
        "reason": form.cleaned_data["reason"],
        "points": form.cleaned_data["points"] or 0,
        "bonus": form.cleaned_data["bonus"] or 0,
    }
    units = selectors.units_under(award_round.owner)
    if action == "snail":
        inputs["clue"] = get_object_or_404(Clue, pk=_id(post.get("clue")))
    else:
        inputs["unit"] = get_object_or_404(units, pk=_id(post.get("unit")))
        if post.get("person"):
            inputs["person"] = get_object_or_404(
                Person, pk=_id(post["person"]), unit=inputs["unit"]
            )
    return inputs


ROUND_ACTIONS: dict[str, type[actions.RoundAction]] = {
    "snail": actions.AddSnailAward,
    "red_flag": actions.AddRedFlagAward,
    "flag": actions.PassFlag,
    "remove": actions.RemoveAward,
    "publish": actions.PublishRound,
}


@login_required
@require_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    step = ROUND_ACTIONS.get(action)
    if step is None:
        raise Http404
    award_round = _round_for(request, pk)
    try:
        inputs = _round_inputs(request, award_round, action)
        if action == "flag":
            inputs.pop("points", None)
            inputs.pop("bonus", None)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("conduct:round", award_round.pk)
    take(request, step(request.user, award_round, **inputs), _("已保存"))
    return redirect("conduct:round", award_round.pk)


# ---------------------------------------------------------------- rectification


@login_required
@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """整改事项: the unit reports what it did; a discipline officer verifies and closes it."""
    item = get_object_or_404(
        Rectification.objects.select_related("unit", "award__round", "award__person"), pk=pk
    )
    if not may_view_rectification(request.user, item):
        raise PermissionDenied(_("此整改事项不在您的范围内"))
    if request.method == "POST":
        if "opinion" in request.POST:
            _verify_rectification(request, item)
        else:
            report = actions.ReportRectification(request.user, item, request.POST.get("report", ""))
            take(request, report, _("整改情况已报送，等待验收"))
        return redirect("conduct:rectification", item.pk)
    context = {
        "item": item,
        "reporting": actions.ReportRectification(request.user, item),
        "verifying": actions.VerifyRectification(request.user, item),
        "verify_form": VerifyForm(),
    }
    return render(request, "conduct/rectification.html", context)


def _verify_rectification(request: HttpRequest, item: Rectification) -> None:
    form = VerifyForm(request.POST)
    if not form.is_valid():
        if not actions.VerifyRectification(request.user, item).permitted():
            raise PermissionDenied  # a stranger learns nothing about the form
        messages.error(request, _("请选择验收结论并填写验收意见"))
        return
    verifying = actions.VerifyRectification(
        request.user,
        item,
        accept=form.cleaned_data["accept"],
        opinion=form.cleaned_data["opinion"],
    )
    take(request, verifying, _("已验收"))


# ---------------------------------------------------------------- public


def public_awards(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """The old public page (作风建设评定结果) lives on the portal now: ``?owner=<code>`` goes to
    that scope's page when it has published rounds, anything else to the portal's index."""
    code = request.GET.get("owner", "")[:32]
    if code and selectors.public_owners().filter(code=code).exists():
        return HttpResponsePermanentRedirect(reverse("portal:conduct:scope", args=[code]))
    return HttpResponsePermanentRedirect(reverse("portal:conduct:index"))
