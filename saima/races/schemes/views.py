"""Organiser pages for a race and its scheme: creating a race, the scheme editor and settings.

Each view authorises, validates a form, calls one service and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from saima.org.models import Unit
from saima.org.permissions import units_organised_by
from saima.races.errors import RaceError
from saima.races.models import Race
from saima.races.permissions import may_create_race, may_manage_race
from saima.races.schemes import services
from saima.races.schemes.editor import SchemeEditor, editor_context
from saima.races.schemes.forms import (
    SETTINGS_FIELDS,
    RaceCreateForm,
    RaceSettingsForm,
    SchemeTomlForm,
)
from saima.races.schemes.selectors import parse_scheme
from saima.races.schemes.templates import template_toml


@login_required
def race_new(request: HttpRequest) -> HttpResponse:
    if not may_create_race(request.user):
        raise PermissionDenied
    owners = Unit.objects.all() if request.user.is_superuser else units_organised_by(request.user)
    form = RaceCreateForm(
        request.POST or None, request.FILES or None, owners=owners.exclude(level="department")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = (
            template_toml(data["template"], data["owner"])
            if data["template"]
            else data["scheme_text"]
        )
        try:
            race = services.race_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                owner=data["owner"],
                scheme_toml=text,
                cadence=data["cadence"],
            )
        except RaceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("赛马已创建。下一步：开启第一个填报周期。"))
            return redirect("races:race", race.code)
    return render(request, "races/race_new.html", {"form": form})


def managed_race(request: HttpRequest, code: str) -> Race:
    """The race ``code``, or 403 for a user who may not manage it."""
    race = get_object_or_404(Race.objects.select_related("owner"), code=code)
    if not may_manage_race(request.user, race):
        raise PermissionDenied
    return race


@login_required
def race_edit(request: HttpRequest, code: str) -> HttpResponse:
    """方案与设置: the structured scheme editor with the race settings, or the raw TOML panel."""
    race = managed_race(request, code)
    mode = request.POST.get("mode") if request.method == "POST" else None
    structured = request.POST if mode == "structured" else None
    settings_form = RaceSettingsForm(structured, instance=race)
    editor = SchemeEditor(parse_scheme(race.scheme_toml), race, structured)
    toml_form = SchemeTomlForm(
        request.POST if mode == "toml" else None,
        prefix="toml",
        initial={"scheme_toml": race.scheme_toml},
    )
    saved = False
    if mode == "structured":
        saved = _save_structured(request, race, settings_form, editor)
    elif mode == "toml":
        saved = _save_toml(request, race, toml_form)
    if saved:
        messages.success(request, _("已保存。已冻结的结果仍按计算时的方案保存，不受影响。"))
        return redirect("races:race", race.code)
    context = {
        "race": race,
        "form": settings_form,
        "editor": editor,
        "toml_form": toml_form,
        **editor_context(editor),
    }
    return render(request, "races/race_edit.html", context)


def _save_structured(
    request: HttpRequest, race: Race, form: RaceSettingsForm, editor: SchemeEditor
) -> bool:
    valid = form.is_valid()
    if not (editor.is_valid() and valid):
        return False
    reason = form.cleaned_data["reason"].strip()
    if editor.changed and not reason:
        form.add_error("reason", _("修改了方案，请写明修改说明"))
        return False
    try:
        services.race_update(
            actor=request.user,
            race=race,
            scheme_toml=editor.toml if editor.changed else None,
            reason=reason,
            **{f: form.cleaned_data[f] for f in SETTINGS_FIELDS},
        )
    except RaceError as exc:
        form.add_error(None, str(exc))
        return False
    return True


def _save_toml(request: HttpRequest, race: Race, form: SchemeTomlForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.race_update(
            actor=request.user,
            race=race,
            scheme_toml=form.cleaned_data["scheme_toml"],
            reason=form.cleaned_data["reason"].strip(),
        )
    except RaceError as exc:
        form.add_error("scheme_toml", str(exc))
        return False
    return True
