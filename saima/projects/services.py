"""Writes to the project register: lists, projects, annual plans, list membership.

Each write is one transaction with one audit event and checks who acts (``actor=None`` is the
system: the demo and management commands). Refusals are ``ProjectError`` (meant for the user)
or ``ActionForbidden`` (403). Monthly reports are written in ``saima.projects.reporting``,
imports in ``saima.projects.imports``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event, snapshot
from saima.core.publications import publication_changed
from saima.core.workflow import ActionForbidden
from saima.org.models import Unit, UnitLevel
from saima.org.permissions import may_organise
from saima.projects.errors import ProjectError
from saima.projects.models import (
    PLAN_FIELDS,
    AnnualPlan,
    Category,
    ListMembership,
    Project,
    ProjectList,
)
from saima.projects.permissions import may_manage_list

MAX_MONEY = Decimal("999999999999.99")  # 14 digits, 2 decimals (万元)
PROJECT_FIELDS = (
    "name",
    "owner_unit",
    "locality",
    "category",
    "total_investment",
    "leader_name",
    "contact_name",
    "contact_phone",
    "description",
    "site_private",
)
MILESTONE_FIELDS = (
    "planned_signing",
    "planned_land",
    "planned_approval",
    "planned_start",
    "planned_completion",
)


def require(actor: Any, allowed: bool) -> None:
    """The system (``actor=None``) may do anything; a person only what the predicates allow."""
    if actor is not None and not allowed:
        raise ActionForbidden(_("你没有执行此操作的权限"))


def reason_required(reason: str, what: str) -> str:
    text = reason.strip()
    if not text:
        raise ProjectError(_("%(what)s须写明理由") % {"what": what})
    return text


# ---------------------------------------------------------------- lists


def list_create(
    *,
    actor: Any,
    code: str,
    name: str,
    owner: Unit,
    year: int,
    report_day: int = 5,
    description: str = "",
) -> ProjectList:
    """A new year's key-project list owned by ``owner`` (its organisers manage it)."""
    require(actor, may_organise(actor, owner))
    if not 1 <= report_day <= 28:
        raise ProjectError(_("每月填报截止日须在 1–28 之间"))
    try:
        with transaction.atomic():
            plist = ProjectList.objects.create(
                code=code,
                name=name,
                owner=owner,
                year=year,
                report_day=report_day,
                description=description,
            )
            record_event(
                actor=actor, action="projects.list.create", obj=plist, after=snapshot(plist)
            )
    except IntegrityError:
        raise ProjectError(_("清单代码「%(code)s」已被使用") % {"code": code}) from None
    return plist


def list_publish(*, actor: Any, plist: ProjectList) -> ProjectList:
    """Make a list public (公开): its projects' pages open to everyone, without private parts."""
    require(actor, may_manage_list(actor, plist))
    with transaction.atomic():
        plist = ProjectList.objects.select_for_update().get(pk=plist.pk)
        if plist.published_at is not None:
            raise ProjectError(_("清单已经公开"))
        plist.published_at = timezone.now()
        plist.save(update_fields=["published_at"])
        record_event(actor=actor, action="projects.list.publish", obj=plist, after=snapshot(plist))
        publication_changed(kind="projects.list", object_id=plist.pk)
    return plist


# ---------------------------------------------------------------- projects and plans


def project_check(values: Mapping[str, Any]) -> list[str]:
    """Every problem with a project's register values, worded for the user."""
    problems = []
    if not str(values.get("name", "")).strip():
        problems.append(_("项目名称不能为空"))
    if values.get("category") not in Category.values:
        problems.append(_("类别「%(value)s」不在可选范围内") % {"value": values.get("category")})
    total = values.get("total_investment")
    if not isinstance(total, Decimal) or not Decimal("0") <= total <= MAX_MONEY:
        problems.append(_("总投资须是 0 到 %(max)s 万元之间的数") % {"max": MAX_MONEY})
    locality = values.get("locality")
    if isinstance(locality, Unit) and locality.level != UnitLevel.COUNTY:
        problems.append(_("所在地须是县（市、区）"))
    return problems


def project_save(
    *, actor: Any, code: str, values: Mapping[str, Any], reason: str = ""
) -> tuple[Project, bool]:
    """Create the project ``code`` or change its register values; (project, created).

    ``values`` holds ``PROJECT_FIELDS`` (units as ``Unit``). Whoever organises the responsible
    unit may write it (the key-project office for the province's projects).
    """
    problems = project_check(values)
    if problems:
        raise ProjectError("；".join(problems))
    require(actor, may_organise(actor, values["owner_unit"]))
    with transaction.atomic():
        project = Project.objects.select_for_update().filter(code=code).first()
        created = project is None
        if project is None:
            project = Project(code=code)
        else:
            require(actor, may_organise(actor, project.owner_unit))
        before = None if created else snapshot(project, list(PROJECT_FIELDS))
        for name in PROJECT_FIELDS:
            if name in values:
                setattr(project, name, values[name])
        project.save()
        after = snapshot(project, list(PROJECT_FIELDS))
        if created or before != after:
            record_event(
                actor=actor,
                action="projects.project.create" if created else "projects.project.change",
                obj=project,
                before=before,
                after=after,
                reason=reason,
            )
    return project, created


def plan_check(monthly: Sequence[Decimal], invested_before: Decimal) -> list[str]:
    problems = []
    if len(monthly) != 12:
        problems.append(_("月度计划投资须有 12 个月"))
    for month, amount in enumerate(monthly, start=1):
        if not Decimal("0") <= amount <= MAX_MONEY:
            problems.append(_("%(m)s月计划投资须是不小于 0 的数") % {"m": month})
    if not Decimal("0") <= invested_before <= MAX_MONEY:
        problems.append(_("以前年度累计完成投资须是不小于 0 的数"))
    return problems


def plan_save(
    *,
    actor: Any,
    project: Project,
    year: int,
    monthly: Sequence[Decimal],
    milestones: Mapping[str, dt.date | None],
    invested_before: Decimal = Decimal("0"),
    reason: str = "",
) -> AnnualPlan:
    """Set the project's plan for ``year``: 12 monthly planned amounts (万元, per month, not
    cumulative), the planned milestone dates (``MILESTONE_FIELDS``) and prior investment."""
    problems = plan_check(monthly, invested_before)
    if problems:
        raise ProjectError("；".join(problems))
    require(actor, may_organise(actor, project.owner_unit))
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().filter(project=project, year=year).first()
        created = plan is None
        plan = plan or AnnualPlan(project=project, year=year)
        fields = [*PLAN_FIELDS, "invested_before", *MILESTONE_FIELDS]
        before = None if created else snapshot(plan, fields)
        for name, amount in zip(PLAN_FIELDS, monthly, strict=True):
            setattr(plan, name, amount)
        plan.invested_before = invested_before
        for name in MILESTONE_FIELDS:
            if name in milestones:
                setattr(plan, name, milestones[name])
        plan.save()
        after = snapshot(plan, fields)
        if created or before != after:
            record_event(
                actor=actor,
                action="projects.plan.set",
                obj=plan,
                before=before,
                after=after,
                reason=reason,
            )
    return plan


# ---------------------------------------------------------------- list membership (列入/移出)


def membership_refusal(plist: ProjectList, project: Project, *, adding: bool) -> str | None:
    """Why the project cannot be added to (or removed from) the list now (None when it can)."""
    on_list = ListMembership.objects.filter(
        project_list=plist, project=project, removed_at__isnull=True
    ).exists()
    if adding and on_list:
        return _("项目已在清单中")
    if not adding and not on_list:
        return _("项目不在清单中")
    return None


def membership_add(
    *, actor: Any, plist: ProjectList, project: Project, reason: str
) -> ListMembership:
    """列入: put the project on the year's list, with a written reason (audited)."""
    reason = reason_required(reason, _("列入清单"))
    require(actor, may_manage_list(actor, plist))
    with transaction.atomic():
        ProjectList.objects.select_for_update().get(pk=plist.pk)  # serialise changes to the list
        refusal = membership_refusal(plist, project, adding=True)
        if refusal:
            raise ProjectError(refusal)
        row = ListMembership.objects.create(
            project_list=plist,
            project=project,
            added_at=timezone.now(),
            added_by=actor if getattr(actor, "is_authenticated", False) else None,
            added_reason=reason,
        )
        record_event(
            actor=actor,
            action="projects.list.add",
            obj=row,
            after={"list": plist.code, "project": project.code},
            reason=reason,
        )
    return row


def membership_remove(
    *, actor: Any, plist: ProjectList, project: Project, reason: str
) -> ListMembership:
    """移出: take the project off the list, with a written reason; its history stays."""
    reason = reason_required(reason, _("移出清单"))
    require(actor, may_manage_list(actor, plist))
    with transaction.atomic():
        ProjectList.objects.select_for_update().get(pk=plist.pk)
        row = (
            ListMembership.objects.select_for_update()
            .filter(project_list=plist, project=project, removed_at__isnull=True)
            .first()
        )
        if row is None:
            raise ProjectError(_("项目不在清单中"))
        row.removed_at = timezone.now()
        row.removed_by = actor if getattr(actor, "is_authenticated", False) else None
        row.removed_reason = reason
        row.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        record_event(
            actor=actor,
            action="projects.list.remove",
            obj=row,
            before={"list": plist.code, "project": project.code, "on_list": True},
            after={"on_list": False},
            reason=reason,
        )
    return row
