"""Key-project objects in every state a page can show, built with the services as users would.

Used by ``tests.factories.build_sample_objects`` (the URL sweep) and the projects tests.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from saima.org.models import Unit, User
from saima.projects import imports, reporting, services
from saima.projects.models import (
    ImportBatch,
    ImportKind,
    MonthlyReport,
    Project,
    ProjectList,
    ReportPhoto,
)
from saima.projects.reporting import ReportInput

YEAR = 2026
PLAN = [Decimal("100")] * 12


def png_bytes(size: tuple[int, int] = (40, 30), color: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def photo_upload(name: str = "现场.png", color: str = "green") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(color=color), content_type="image/png")


@dataclass
class ProjectSamples:
    """``plist``: 杭州市's published 2026 list (organiser_a manages it) with ``project`` (责任单位
    上城区: reporter_a reports it) and ``other_project`` (淳安县); ``quiet_list``: unpublished,
    with ``quiet_project`` only. ``report``: project's January, submitted, with a private
    ``photo`` and a ``public_photo`` and non-public problems; ``draft``: its February, a draft.
    ``batch``: a reports import for March, previewed; ``project_batch``: a projects import,
    previewed."""

    plist: ProjectList
    quiet_list: ProjectList
    project: Project
    other_project: Project
    quiet_project: Project
    report: MonthlyReport
    draft: MonthlyReport
    photo: ReportPhoto
    public_photo: ReportPhoto
    batch: ImportBatch
    project_batch: ImportBatch


def make_project(
    organiser: User, plist: ProjectList, code: str, owner: Unit, locality: Unit, **extra: Any
) -> Project:
    values = {
        "name": extra.pop("name", f"{locality.name}示范项目{code}"),
        "owner_unit": owner,
        "locality": locality,
        "category": extra.pop("category", "transport"),
        "total_investment": extra.pop("total", Decimal("5000")),
        "leader_name": "王建国",
        **extra,
    }
    project, _created = services.project_save(actor=organiser, code=code, values=values)
    services.plan_save(
        actor=organiser,
        project=project,
        year=plist.year,
        monthly=PLAN,
        milestones={
            "planned_start": dt.date(YEAR, 3, 15),
            "planned_completion": dt.date(YEAR + 1, 6, 30),
        },
    )
    services.membership_add(actor=organiser, plist=plist, project=project, reason="列入年度计划")
    return project


def build_project_samples(
    *, city_a: Unit, unit_a: Unit, unit_a2: Unit, users: dict[str, User]
) -> ProjectSamples:
    organiser, reporter = users["organiser_a"], users["reporter_a"]
    plist = services.list_create(
        actor=organiser, code="hz-2026", name="2026年杭州市重点建设项目", owner=city_a, year=YEAR
    )
    quiet_list = services.list_create(
        actor=organiser, code="hz-2026-b", name="2026年杭州市预备项目", owner=city_a, year=YEAR
    )
    project = make_project(organiser, plist, "HZ-001", unit_a, unit_a, name="上城区综合交通枢纽")
    other = make_project(organiser, plist, "HZ-002", unit_a2, unit_a2, name="千岛湖配水工程")
    quiet = make_project(organiser, quiet_list, "HZ-003", unit_a, unit_a, name="未公开预备项目")
    services.list_publish(actor=organiser, plist=plist)
    report = reporting.report_save(
        actor=reporter,
        project=project,
        year=YEAR,
        month=1,
        data=ReportInput(
            Decimal("90"),
            Decimal("8"),
            problems="征地拆迁需市里协调",
            milestones={"signing": dt.date(YEAR, 1, 10)},
        ),
        submit=True,
        photos=[photo_upload(), photo_upload("公开.png", "blue")],
    )
    photo, public_photo = list(report.photos.order_by("pk"))
    public_photo = reporting.photo_publish(actor=reporter, photo=public_photo, public=True)
    draft = reporting.report_save(
        actor=reporter,
        project=project,
        year=YEAR,
        month=2,
        data=ReportInput(Decimal("150"), Decimal("12")),
        submit=False,
    )
    batch = imports.import_start(
        actor=organiser,
        plist=plist,
        kind=ImportKind.REPORTS,
        month=3,
        upload=SimpleUploadedFile(
            "3月.csv", "项目代码,本年累计完成投资（万元）,形象进度（%）\nHZ-002,250,20\n".encode()
        ),
    )
    batch = imports.import_run(batch.pk)
    project_batch = imports.import_start(
        actor=organiser,
        plist=plist,
        kind=ImportKind.PROJECTS,
        upload=SimpleUploadedFile("项目.csv", project_csv([("HZ-010", unit_a, "新项目")]).encode()),
    )
    project_batch = imports.import_run(project_batch.pk)
    return ProjectSamples(
        plist=plist,
        quiet_list=quiet_list,
        project=project,
        other_project=other,
        quiet_project=quiet,
        report=report,
        draft=draft,
        photo=photo,
        public_photo=public_photo,
        batch=batch,
        project_batch=project_batch,
    )


PROJECT_HEADER = (
    "项目代码,项目名称,责任单位代码,所在县（市、区）代码,类别,总投资（万元）,"
    + ",".join(f"{m}月计划投资（万元）" for m in range(1, 13))
    + ",计划开工日期"
)


def project_csv(rows: list[tuple[str, Unit, str]]) -> str:
    lines = [PROJECT_HEADER]
    for code, unit, name in rows:
        lines.append(
            f"{code},{name},{unit.code},{unit.code},交通,1200,"
            + ",".join(["100"] * 12)
            + ",2026-04-01"
        )
    return "\n".join(lines) + "\n"
