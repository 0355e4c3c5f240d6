"""Rules, lights and exemptions (亮灯规则、月亮灯、不可抗力豁免): the writes.

- ``rules_version_create``: a new version of a list's rules (TOML checked by the engine; a
  change is a new version with a reason, never an edit);
- ``lights_compute``: one month's lights of a list, computed by the engine from arrays
  (``saima.projects.progress``) with the rules in force, stored in bulk with the run that made
  them (rule version, compressed inputs and their digest, outputs digest). Only that month's
  lights are written: a past month keeps the light its own run gave it;
- ``lights_publish``: the month's lights become public;
- ``exemption_grant``: a force-majeure exemption of one project-month, with a written reason.

Every write is one transaction with one audit event.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event
from saima.core.publications import publication_changed
from saima.engine import SchemeError
from saima.engine.progress import (
    Lights,
    ProgressRules,
    compute_lights,
    load_rules,
    preset,
    rules_to_toml,
)
from saima.engine.progress import rules_digest as engine_rules_digest
from saima.projects.errors import ProjectError, refuse
from saima.projects.models import (
    Exemption,
    LightRuleVersion,
    LightRun,
    MonthlyLight,
    Project,
    ProjectList,
    QuarterRating,
    RatingStatus,
)
from saima.projects.progress import ListMonths, arrays_digest, load_months, pack

BATCH = 2000


def parse_rules(text: str) -> ProgressRules:
    """The engine's rules from TOML, or a ProjectError naming the key and the reason."""
    try:
        return load_rules(text)
    except SchemeError as exc:
        raise ProjectError(_("规则有误：%(error)s") % {"error": exc}) from None


def current_rules(project_list: ProjectList) -> LightRuleVersion | None:
    return project_list.rule_versions.order_by("-version").first()


def rules_of(version: LightRuleVersion) -> ProgressRules:
    return parse_rules(version.rules_toml)


def rules_version_create(
    *,
    actor: Any,
    project_list: ProjectList,
    rules_toml: str = "",
    preset_code: str = "",
    reason: str = "",
) -> LightRuleVersion:
    """A new version of the list's rules, from TOML or from an example preset."""
    if preset_code:
        try:
            rules = preset(preset_code)
        except KeyError:
            raise ProjectError(_("没有名为 %(code)s 的示例规则") % {"code": preset_code}) from None
    else:
        rules = parse_rules(rules_toml)
    with transaction.atomic():
        ProjectList.objects.select_for_update().get(pk=project_list.pk)
        latest = project_list.rule_versions.aggregate(v=Max("version"))["v"] or 0
        if latest and not reason.strip():
            raise ProjectError(_("修订规则须写明理由"))
        rules = replace(rules, version=latest + 1)
        version = LightRuleVersion.objects.create(
            project_list=project_list,
            version=latest + 1,
            rules_toml=rules_to_toml(rules),
            digest=engine_rules_digest(rules),
            preset=preset_code,
            reason=reason.strip(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_event(
            actor=actor,
            action="projects.rules.create",
            obj=version,
            after={"version": version.version, "digest": version.digest, "preset": preset_code},
            reason=reason.strip(),
        )
    return version


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def compute_refusal(project_list: ProjectList, month: int, reason: str = "") -> str | None:
    """Why the month's lights may not be (re)computed now; None when they may."""
    if not 1 <= month <= 12:
        return str(_("月份须在 1–12 之间"))
    if current_rules(project_list) is None:
        return str(_("请先设定本清单的亮灯规则"))
    published = QuarterRating.objects.filter(
        project_list=project_list, quarter=quarter_of(month), status=RatingStatus.PUBLISHED
    ).exists()
    if published:
        return str(_("该季度通报已发布，本月亮灯不再重算"))
    run = current_run(project_list, month)
    if run is not None and run.published_at is not None and not reason.strip():
        return str(_("本月亮灯已发布，重算须写明理由"))
    return None


def current_run(project_list: ProjectList, month: int) -> LightRun | None:
    """The month's current run (its stored inputs are read on access only: they are large)."""
    runs = LightRun.objects.filter(project_list=project_list, month=month, is_current=True)
    return runs.defer("inputs").first()


def _digest_rows(ids: np.ndarray, light: np.ndarray, reasons: np.ndarray) -> str:
    digest = hashlib.sha256()
    for part in (ids.astype(np.int64), light.astype(np.int8), reasons.astype(np.uint16)):
        digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()


def outputs_digest(ids: np.ndarray, lights: Lights, month: int) -> str:
    column = month - 1
    return _digest_rows(ids, lights.light[:, column], lights.reasons[:, column])


LIGHT_COLUMNS = (
    "project_list_id",
    "project_id",
    "month",
    "light",
    "reasons",
    "lag",
    "planned_share",
    "actual_share",
    "spi",
    "start_overdue",
    "completion_overdue",
    "run_id",
)


def _finite_column(values: np.ndarray) -> list[float | None]:
    rounded = np.round(values.astype(np.float64), 6)
    return [None if v != v else v for v in rounded.tolist()]


def light_rows(
    project_list: ProjectList, data: ListMonths, lights: Lights, month: int, run: LightRun
) -> list[tuple[Any, ...]]:
    """The month's MonthlyLight rows as tuples in ``LIGHT_COLUMNS`` order, from the arrays'
    columns (no model instances: 20,000 of them cost seconds)."""
    c = month - 1
    n = len(data.project_ids)
    return list(
        zip(
            [project_list.pk] * n,
            data.project_ids.tolist(),
            [month] * n,
            lights.light[:, c].tolist(),
            lights.reasons[:, c].tolist(),
            _finite_column(lights.lag[:, c]),
            np.round(lights.planned_share[:, c], 6).tolist(),
            _finite_column(lights.actual_share[:, c]),
            _finite_column(lights.spi[:, c]),
            np.minimum(lights.start_overdue[:, c], 32767).tolist(),
            np.minimum(lights.completion_overdue[:, c], 32767).tolist(),
            [run.pk] * n,
            strict=True,
        )
    )


def store_rows(rows: list[tuple[Any, ...]]) -> None:
    """Insert the rows: PostgreSQL's COPY (one round trip), elsewhere ``bulk_create``."""
    if connection.vendor == "postgresql":
        columns = ", ".join(LIGHT_COLUMNS)
        table = MonthlyLight._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    MonthlyLight.objects.bulk_create(
        (MonthlyLight(**dict(zip(LIGHT_COLUMNS, row, strict=True))) for row in rows),
        batch_size=BATCH,
    )


def lights_compute(
    *, actor: Any, project_list: ProjectList, month: int, reason: str = ""
) -> LightRun:
    """Compute and store one month's lights of the list (see the module doc)."""
    with transaction.atomic():
        project_list = ProjectList.objects.select_for_update().get(pk=project_list.pk)
        refuse(compute_refusal(project_list, month, reason))
        version = current_rules(project_list)
        assert version is not None
        rules = rules_of(version)
        data = load_months(project_list, through=month)
        lights = compute_lights(data.months, rules.lights)
        arrays = data.arrays()
        previous = current_run(project_list, month)
        if previous is not None:
            MonthlyLight.objects.filter(project_list=project_list, month=month).delete()
            LightRun.objects.filter(pk=previous.pk).update(is_current=False)
        run = LightRun.objects.create(
            project_list=project_list,
            month=month,
            rule_version=version,
            inputs=pack(arrays),
            inputs_digest=arrays_digest(arrays),
            outputs_digest=outputs_digest(data.project_ids, lights, month),
            projects=len(data.project_ids),
            reason=reason.strip(),
            computed_by=actor if getattr(actor, "is_authenticated", False) else None,
            published_at=timezone.now() if previous and previous.published_at else None,
        )
        store_rows(light_rows(project_list, data, lights, month, run))
        record_event(
            actor=actor,
            action="projects.lights.compute",
            obj=run,
            before=None
            if previous is None
            else {"run": previous.pk, "digest": previous.outputs_digest},
            after={
                "list": project_list.code,
                "month": month,
                "rule_version": version.version,
                "rules_digest": version.digest,
                "inputs_digest": run.inputs_digest,
                "outputs_digest": run.outputs_digest,
                "projects": run.projects,
                "counts": light_counts(lights.light[:, month - 1]),
            },
            reason=reason.strip(),
        )
        if run.published_at is not None:  # a published month corrected: public at once
            publication_changed(kind="projects.lights", object_id=run.pk)
    return run


def light_counts(column: np.ndarray) -> dict[str, int]:
    counts = np.bincount(column.astype(np.int64), minlength=4)
    return dict(zip(("green", "yellow", "red", "grey"), (int(c) for c in counts[:4]), strict=True))


def publish_refusal(run: LightRun) -> str | None:
    if not run.is_current:
        return str(_("这次计算已被重算取代"))
    if run.published_at is not None:
        return str(_("本月亮灯已发布"))
    return None


def lights_publish(*, actor: Any, run: LightRun) -> LightRun:
    with transaction.atomic():
        run = LightRun.objects.select_for_update().get(pk=run.pk)
        refuse(publish_refusal(run))
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        record_event(
            actor=actor,
            action="projects.lights.publish",
            obj=run,
            after={"month": run.month, "outputs_digest": run.outputs_digest},
        )
        publication_changed(kind="projects.lights", object_id=run.pk)
    return run


def exemption_grant(
    *, actor: Any, project: Project, year: int, month: int, reason: str
) -> Exemption:
    """Exempt one project-month for force majeure (不可抗力); the reason is required."""
    if not reason.strip():
        raise ProjectError(_("豁免须写明不可抗力的理由"))
    if not 1 <= month <= 12:
        raise ProjectError(_("月份须在 1–12 之间"))
    with transaction.atomic():
        exemption, created = Exemption.objects.select_for_update().get_or_create(
            project=project,
            year=year,
            month=month,
            defaults={
                "reason": reason.strip(),
                "granted_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if not created:
            raise ProjectError(_("该项目该月已有豁免"))
        record_event(
            actor=actor,
            action="projects.exemption.grant",
            obj=exemption,
            after={"project": project.code, "year": year, "month": month},
            reason=reason.strip(),
        )
    return exemption
