"""The templates users download to fill in (导入模板): the projects of the list already filled
in (so the file can also update them), under the import's Chinese headers."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from saima.core.tabular.writing import append_row, csv_text
from saima.projects.import_rows import PROJECT_COLUMNS, REPORT_COLUMNS
from saima.projects.models import PLAN_FIELDS, AnnualPlan, ImportKind, Milestone, ProjectList
from saima.projects.permissions import may_manage_list, reporter_units
from saima.projects.selectors import list_projects

NOTES = {
    ImportKind.PROJECTS: [
        "每行一个项目；项目代码全省唯一，已有代码的行更新该项目，新代码新建项目并列入本清单。",
        "责任单位代码、所在县（市、区）代码为平台单位代码；类别填 交通、产业、能源、水利、城建、社会民生、生态环保、数字基础设施、其他。",
        "金额单位为万元；1–12月计划投资为各月计划完成额（不是累计数）。",
        "日期写成 2026-03-09；空白单元格不会覆盖已有数据；公式请先“粘贴为数值”。",
    ],
    ImportKind.REPORTS: [
        "每行一个项目的本月进展；导入即报送。",
        "本年累计完成投资为1月至本月的累计数（万元），不能低于上月已报数，确需下调请填写下调说明。",
        "形象进度为占项目全部工程量的百分比（0–100）；节点日期写成 2026-03-09。",
        "问题可公开填“是”或“否”（默认否）；公式请先“粘贴为数值”。",
    ],
}


def headers(kind: str) -> list[str]:
    columns = PROJECT_COLUMNS if kind == ImportKind.PROJECTS else REPORT_COLUMNS
    return [c.label for c in columns]


def _rows(plist: ProjectList, kind: str, user: Any) -> list[list[Any]]:
    projects = list(list_projects(plist))
    if kind == ImportKind.REPORTS:
        if not may_manage_list(user, plist):
            units = set(reporter_units(user))
            projects = [p for p in projects if p.owner_unit_id in units]
        return [[p.code, p.name] for p in projects]
    plans = {
        plan.project_id: plan
        for plan in AnnualPlan.objects.filter(project__in=projects, year=plist.year)
    }
    rows = []
    for p in projects:
        plan = plans.get(p.pk)
        amounts = [getattr(plan, f) if plan else "" for f in ("invested_before", *PLAN_FIELDS)]
        dates = [getattr(plan, f"planned_{c}") if plan else None for c in Milestone.values]
        rows.append(
            [
                p.code,
                p.name,
                p.owner_unit.code,
                p.owner_unit.name,
                p.locality.code,
                p.locality.name,
                p.get_category_display(),
                p.total_investment,
                *amounts,
                *[d.isoformat() if d else "" for d in dates],
                p.leader_name,
                p.contact_name,
                p.contact_phone,
                p.description,
                "",
            ]
        )
    return rows


def workbook(plist: ProjectList, kind: str, user: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "项目" if kind == ImportKind.PROJECTS else "月度填报"
    append_row(sheet, headers(kind))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDECEA")
    for row in _rows(plist, kind, user):
        append_row(
            sheet,
            [str(v) if v is not None and not isinstance(v, int | float | str) else v for v in row],
        )
    sheet.freeze_panes = "C2"
    notes = book.create_sheet("说明")
    for line in NOTES[ImportKind(kind)]:
        append_row(notes, [line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(plist: ProjectList, kind: str, user: Any) -> bytes:
    rows = [[str(v) if v is not None else "" for v in row] for row in _rows(plist, kind, user)]
    return ("\ufeff" + csv_text(headers(kind), rows)).encode("utf-8")
