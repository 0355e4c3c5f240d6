"""The register side of the two imports: rows checked against what is stored, the stored state
the preview compares with (and fingerprints), and applying a confirmed preview in bulk.

The state of a row is text per field (``import_rows.text``), so that the preview shows, the
fingerprint hashes and the audit event records the same strings. Reading the state costs a
fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.core.tabular.importing import Preview, RowStatus
from saima.org.models import Unit, UnitLevel
from saima.org.permissions import may_edit_unit_data, may_organise
from saima.projects.import_rows import RowReader, text
from saima.projects.models import (
    PLAN_FIELDS,
    AnnualPlan,
    ListMembership,
    Milestone,
    MilestoneReached,
    MonthlyReport,
    Project,
    ProjectList,
    ReportStatus,
)
from saima.projects.permissions import may_manage_list
from saima.projects.reporting import due_at

Rows = dict[str, tuple[int, dict[str, str]]]
REGISTER = (
    "name",
    "owner_unit",
    "locality",
    "category",
    "total_investment",
    "leader_name",
    "contact_name",
    "contact_phone",
    "description",
)
PLAN = ("invested_before", *PLAN_FIELDS, *(f"planned_{c}" for c in Milestone.values))
REPORT = (
    "cumulative_investment",
    "physical_progress",
    "progress_note",
    "problems",
    "problems_public",
    "correction_reason",
)
LABELS: dict[str, Any] = {
    "name": gettext_lazy("项目名称"),
    "owner_unit": gettext_lazy("责任单位"),
    "locality": gettext_lazy("所在地"),
    "category": gettext_lazy("类别"),
    "total_investment": gettext_lazy("总投资（万元）"),
    "leader_name": gettext_lazy("责任领导"),
    "contact_name": gettext_lazy("联系人"),
    "contact_phone": gettext_lazy("联系电话"),
    "description": gettext_lazy("建设内容"),
    "invested_before": gettext_lazy("以前年度累计完成投资"),
    "on_list": gettext_lazy("列入清单"),
    "cumulative_investment": gettext_lazy("本年累计完成投资（万元）"),
    "physical_progress": gettext_lazy("形象进度（%）"),
    "progress_note": gettext_lazy("本月进展"),
    "problems": gettext_lazy("需协调解决的问题"),
    "problems_public": gettext_lazy("问题可公开"),
    "correction_reason": gettext_lazy("累计投资下调说明"),
    "status": gettext_lazy("状态"),
}


def label_of(key: str) -> str:
    if key.startswith("plan_"):
        return _("%(m)s月计划投资") % {"m": int(key[5:])}
    if key.startswith(("planned_", "reached_")):
        prefix, code = key.split("_", 1)
        name = str(Milestone(code).label)
        return (
            _("计划%(m)s日期") % {"m": name}
            if prefix == "planned"
            else _("%(m)s日期") % {"m": name}
        )
    return str(LABELS.get(key, key))


# ---------------------------------------------------------------- projects


def check_projects(
    plist: ProjectList, actor: Any, reader: RowReader, rows: Rows
) -> dict[str, dict[str, str]]:
    """The valid rows (code → values, with ``on_list``); every other row's problems recorded."""
    codes = {v[k] for _n, v in rows.values() for k in ("owner_unit", "locality") if v.get(k)}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    stored = {
        p.code: p for p in Project.objects.filter(code__in=list(rows)).select_related("owner_unit")
    }
    valid: dict[str, dict[str, str]] = {}
    for code, (number, values) in rows.items():
        before = len(reader.issues)
        owner = units.get(values.get("owner_unit", ""))
        locality = units.get(values.get("locality", ""))
        if owner is None and values.get("owner_unit"):
            reader.problem(
                number, "owner_unit", _("单位代码「%(c)s」不存在") % {"c": values["owner_unit"]}
            )
        elif owner is not None and actor is not None and not may_organise(actor, owner):
            reader.problem(
                number, "owner_unit", _("「%(u)s」不在你的管理范围内") % {"u": owner.name}
            )
        if locality is None and values.get("locality"):
            reader.problem(
                number, "locality", _("单位代码「%(c)s」不存在") % {"c": values["locality"]}
            )
        elif locality is None:
            pass
        elif locality.level != UnitLevel.COUNTY:
            reader.problem(
                number, "locality", _("「%(u)s」不是县（市、区）") % {"u": locality.name}
            )
        elif not locality.is_within(plist.owner):
            reader.problem(
                number,
                "locality",
                _("「%(u)s」不在%(o)s范围内") % {"u": locality.name, "o": plist.owner.name},
            )
        existing = stored.get(code)
        if (
            existing is not None
            and actor is not None
            and not may_organise(actor, existing.owner_unit)
        ):
            reader.problem(number, "code", _("项目「%(c)s」属于其他单位，不能修改") % {"c": code})
        if len(reader.issues) == before:
            valid[code] = {**values, "on_list": text(True)}
    return valid


def projects_state(plist: ProjectList, codes: list[str], *, lock: bool = False) -> dict[str, Any]:
    """code → the stored register values, the list year's plan and whether it is on the list."""
    projects = Project.objects.filter(code__in=codes).select_related("owner_unit", "locality")
    if lock:
        projects = projects.select_for_update(of=("self",)).order_by("pk")
    found = {p.code: p for p in projects}
    plans = {
        plan.project_id: plan
        for plan in AnnualPlan.objects.filter(project__in=list(found.values()), year=plist.year)
    }
    on_list = set(
        ListMembership.objects.filter(
            project_list=plist, project__in=list(found.values()), removed_at__isnull=True
        ).values_list("project_id", flat=True)
    )
    state: dict[str, Any] = {}
    for code in codes:
        project = found.get(code)
        if project is None:
            state[code] = {"exists": False, "on_list": text(False)}
            continue
        row: dict[str, Any] = {"exists": True, "on_list": text(project.pk in on_list)}
        for name in REGISTER:
            value = getattr(project, name)
            row[name] = value.code if isinstance(value, Unit) else text(value)
        plan = plans.get(project.pk)
        for name in PLAN:
            row[name] = text(getattr(plan, name)) if plan is not None else ""
        state[code] = row
    return state


def apply_projects(actor: Any, plist: ProjectList, preview: Preview, filename: str) -> int:
    """Write the new and changed rows: projects, the year's plans, list memberships."""
    rows = [r for r in preview.rows if r.status in (RowStatus.NEW, RowStatus.CHANGED)]
    unit_codes = {r.data[k] for r in rows for k in ("owner_unit", "locality") if r.data.get(k)}
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}
    existing = {p.code: p for p in Project.objects.filter(code__in=[r.key for r in rows])}
    new_projects: list[Project] = []
    changed: list[Project] = []
    for row in rows:
        project = existing.get(row.key) or Project(code=row.key)
        for name in REGISTER:
            if name not in row.data:
                continue
            value = row.data[name]
            if name in ("owner_unit", "locality"):
                setattr(project, name, units[value])
            elif name == "total_investment":
                project.total_investment = Decimal(value)
            else:
                setattr(project, name, value)
        if project.pk is None:
            new_projects.append(project)
        elif any(change.key in REGISTER for change in row.changes):
            changed.append(project)
        existing[row.key] = project
    Project.objects.bulk_create(new_projects, batch_size=1000)
    if changed:
        Project.objects.bulk_update(changed, list(REGISTER), batch_size=1000)
    if new_projects and new_projects[0].pk is None:  # backends that return no ids
        existing.update(
            Project.objects.filter(code__in=[p.code for p in new_projects]).in_bulk(
                field_name="code"
            )
        )
    _apply_plans(plist, rows, existing)
    _apply_memberships(actor, plist, rows, existing, filename)
    return len(rows)


def _apply_plans(plist: ProjectList, rows: list[Any], projects: Mapping[str, Project]) -> None:
    plans = {
        plan.project_id: plan
        for plan in AnnualPlan.objects.filter(
            project__in=[projects[r.key] for r in rows], year=plist.year
        )
    }
    new, changed = [], []
    for row in rows:
        project = projects[row.key]
        plan = plans.get(project.pk)
        if plan is None:
            plan = AnnualPlan(project=project, year=plist.year)
            new.append(plan)
        elif any(change.key in PLAN for change in row.changes):
            changed.append(plan)
        for name in PLAN:
            if name in row.data:
                value = row.data[name]
                setattr(
                    plan,
                    name,
                    dt.date.fromisoformat(value) if name.startswith("planned_") else Decimal(value),
                )
    AnnualPlan.objects.bulk_create(new, batch_size=1000)
    if changed:
        AnnualPlan.objects.bulk_update(changed, list(PLAN), batch_size=1000)


def _apply_memberships(
    actor: Any, plist: ProjectList, rows: list[Any], projects: Mapping[str, Project], filename: str
) -> None:
    on_list = set(
        ListMembership.objects.filter(project_list=plist, removed_at__isnull=True).values_list(
            "project_id", flat=True
        )
    )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    default = _("按年度重点项目计划导入（%(file)s）") % {"file": filename}
    ListMembership.objects.bulk_create(
        [
            ListMembership(
                project_list=plist,
                project=projects[row.key],
                added_at=now,
                added_by=user,
                added_reason=row.data.get("reason") or default,
            )
            for row in rows
            if projects[row.key].pk not in on_list
        ],
        batch_size=1000,
    )


# ---------------------------------------------------------------- monthly reports


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def check_reports(
    plist: ProjectList, month: int, actor: Any, reader: RowReader, rows: Rows
) -> dict[str, dict[str, str]]:
    """The valid rows of one month's reports (code → values, with ``status``)."""
    projects = {
        p.code: p
        for p in Project.objects.filter(
            code__in=list(rows),
            memberships__project_list=plist,
            memberships__removed_at__isnull=True,
        ).select_related("owner_unit")
    }
    previous = _previous_cumulative(plist.year, month, projects.values())
    following = _previous_cumulative(plist.year, month, projects.values(), later=True)
    manager = actor is None or may_manage_list(actor, plist)
    end = _month_end(plist.year, month)
    valid: dict[str, dict[str, str]] = {}
    for code, (number, values) in rows.items():
        before = len(reader.issues)
        project = projects.get(code)
        if project is None:
            reader.problem(number, "code", _("项目「%(c)s」不在本清单中") % {"c": code})
            continue
        if not manager and not may_edit_unit_data(actor, project.owner_unit):
            reader.problem(number, "code", _("项目「%(c)s」不属于你的填报单位") % {"c": code})
            continue
        _check_cumulative(reader, number, values, previous.get(project.pk))
        _check_cumulative(reader, number, values, following.get(project.pk), later=True)
        for key, value in values.items():
            if key.startswith("reached_") and dt.date.fromisoformat(value) > end:
                reader.problem(
                    number, key, _("日期 %(d)s 晚于本月月底（%(e)s）") % {"d": value, "e": end}
                )
        if len(reader.issues) == before:
            valid[code] = {**values, "status": str(ReportStatus.SUBMITTED.label)}
    return valid


def _previous_cumulative(
    year: int, month: int, projects: Iterable[Project], *, later: bool = False
) -> dict[int, tuple[int, Decimal]]:
    """project id → (month, cumulative investment) of its latest earlier report of the year
    (``later``: of its earliest later report, for a month filed late)."""
    latest: dict[int, tuple[int, Decimal]] = {}
    months = {"month__gt" if later else "month__lt": month}
    for pk, m, value in (
        MonthlyReport.objects.filter(project__in=list(projects), year=year, **months)
        .order_by("project_id", "-month" if later else "month")
        .values_list("project_id", "month", "cumulative_investment")
    ):
        latest[pk] = (m, value)
    return latest


def _check_cumulative(
    reader: RowReader,
    number: int,
    values: dict[str, str],
    previous: tuple[int, Decimal] | None,
    *,
    later: bool = False,
) -> None:
    if previous is None or "cumulative_investment" not in values:
        return
    new = Decimal(values["cumulative_investment"])
    if later and new > previous[1] and not values.get("correction_reason"):
        reader.problem(
            number,
            "cumulative_investment",
            _("本年累计完成投资 %(new)s 万元高于 %(m)s月已报的 %(old)s 万元；如确需，请填写说明")
            % {"new": new, "m": previous[0], "old": previous[1]},
        )
    elif not later and new < previous[1] and not values.get("correction_reason"):
        reader.problem(
            number,
            "cumulative_investment",
            _(
                "本年累计完成投资 %(new)s 万元低于 %(m)s月已报的 %(old)s 万元；如确需下调，请填写“累计投资下调说明”"
            )
            % {"new": new, "m": previous[0], "old": previous[1]},
        )


def reports_state(
    plist: ProjectList, month: int, codes: list[str], *, lock: bool = False
) -> dict[str, Any]:
    """code → the month's stored report (or none), its milestones and the earlier month's
    cumulative figure (which the check depended on)."""
    projects = Project.objects.filter(code__in=codes)
    if lock:
        projects = projects.select_for_update().order_by("pk")
    found = {p.pk: p for p in projects}
    reports = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(project__in=list(found), year=plist.year, month=month)
    }
    reached: dict[int, dict[str, str]] = {}
    for pk, code, date in MilestoneReached.objects.filter(project__in=list(found)).values_list(
        "project_id", "milestone", "reached_on"
    ):
        reached.setdefault(pk, {})[f"reached_{code}"] = text(date)
    previous = _previous_cumulative(plist.year, month, found.values())
    state: dict[str, Any] = {code: {"exists": False} for code in codes}
    for pk, project in found.items():
        report = reports.get(pk)
        row: dict[str, Any] = {"exists": report is not None, "name": project.name}
        row.update(reached.get(pk, {}))
        row["previous"] = [previous[pk][0], text(previous[pk][1])] if pk in previous else None
        if report is not None:
            row.update({name: text(getattr(report, name)) for name in REPORT})
            row["status"] = str(report.get_status_display())
            if report.status == ReportStatus.SUBMITTED:
                row["skip"] = True
                row["note"] = _("本月已报送")
        state[project.code] = row
    return state


def apply_reports(actor: Any, plist: ProjectList, month: int, preview: Preview) -> int:
    """Write the new and changed rows as submitted reports, with their milestones."""
    rows = [r for r in preview.rows if r.status in (RowStatus.NEW, RowStatus.CHANGED)]
    projects = {p.code: p for p in Project.objects.filter(code__in=[r.key for r in rows])}
    reports = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(
            project__in=list(projects.values()), year=plist.year, month=month
        )
    }
    now = timezone.now()
    late = now > due_at(plist, plist.year, month)
    user = actor if getattr(actor, "is_authenticated", False) else None
    new, changed = [], []
    for row in rows:
        project = projects[row.key]
        report = reports.get(project.pk)
        if report is None:
            report = MonthlyReport(project=project, year=plist.year, month=month)
            new.append(report)
        else:
            changed.append(report)
        for name in REPORT:
            if name in row.data:
                value = row.data[name]
                if name == "problems_public":
                    report.problems_public = value == text(True)
                elif name in ("cumulative_investment", "physical_progress"):
                    setattr(report, name, Decimal(value))
                else:
                    setattr(report, name, value)
        report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, now, user
        report.late = late
    MonthlyReport.objects.bulk_create(new, batch_size=1000)
    fields = [*REPORT, "status", "submitted_at", "submitted_by", "late"]
    if changed:
        MonthlyReport.objects.bulk_update(changed, fields, batch_size=1000)
    _apply_milestones(rows, projects, user)
    return len(rows)


def _apply_milestones(rows: list[Any], projects: Mapping[str, Project], user: Any) -> None:
    wanted = {
        (projects[row.key].pk, key[len("reached_") :]): dt.date.fromisoformat(value)
        for row in rows
        for key, value in row.data.items()
        if key.startswith("reached_")
    }
    if not wanted:
        return
    existing = {
        (m.project_id, m.milestone): m
        for m in MilestoneReached.objects.filter(project_id__in={pk for pk, _c in wanted})
    }
    new, changed = [], []
    for (pk, code), date in wanted.items():
        row = existing.get((pk, code))
        if row is None:
            new.append(
                MilestoneReached(project_id=pk, milestone=code, reached_on=date, recorded_by=user)
            )
        elif row.reached_on != date:
            row.reached_on, row.recorded_by = date, user
            changed.append(row)
    MilestoneReached.objects.bulk_create(new, batch_size=1000)
    if changed:
        MilestoneReached.objects.bulk_update(
            changed, ["reached_on", "recorded_by"], batch_size=1000
        )
