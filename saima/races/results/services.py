"""Compute, freeze and publish a period's result (计算、冻结、发布).

``result_compute`` loads the verified values, runs the engine with explanations and robustness,
and stores a frozen ``Result``: the inputs, the scheme text, the engine version, the outputs and
the engine's SHA-256 digest. The same inputs give the same digest (the seed is derived from the
race and period, and stored). A result computed after publication is a correction: it needs a
reason and links to the version it supersedes, which stays visible.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, SupportsFloat, cast

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event
from saima.core.publications import publication_changed
from saima.engine import (
    ENGINE_VERSION,
    DataError,
    Dataset,
    RankResult,
    Scheme,
    canonical_json,
    rank,
    result_digest,
)
from saima.races.errors import RaceError, refuse
from saima.races.models import (
    Period,
    PeriodStatus,
    Report,
    ReportedValue,
    ReportStatus,
    Result,
    ResultRow,
)
from saima.races.schemes.selectors import parse_scheme


@dataclass(frozen=True)
class PeriodInputs:
    """What the engine ranks, and who was left out because their values were not verified."""

    scheme: Scheme
    data: Dataset
    unit_ids: tuple[int, ...]
    names: tuple[str, ...]
    excluded: tuple[dict[str, str], ...]


def period_seed(period: Period) -> int:
    text = f"{period.race.code}/{period.short_label}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")


def period_inputs(period: Period, scheme_toml: str | None = None) -> PeriodInputs:
    scheme = parse_scheme(scheme_toml or period.race.scheme_toml)
    order = {g.code: i for i, g in enumerate(scheme.groups)}
    reports = sorted(
        Report.objects.filter(period=period).select_related("unit"),
        key=lambda r: (order.get(r.group_code, len(order)), r.unit.path),
    )
    verified = [r for r in reports if r.status == ReportStatus.VERIFIED]
    column = {code: j for j, code in enumerate(scheme.codes)}
    row_of = {r.pk: i for i, r in enumerate(verified)}
    values = np.full((len(verified), len(scheme.codes)), np.nan)
    for report_id, indicator, value in ReportedValue.objects.filter(
        report_id__in=list(row_of), indicator__in=list(column)
    ).values_list("report_id", "indicator", "value"):
        if value is not None:
            values[row_of[report_id], column[indicator]] = value
    excluded = tuple(
        {
            "unit": r.unit.code,
            "name": r.unit.name,
            "status": r.get_status_display(),
            "state": r.status,
            "group": r.group_code,
        }
        for r in reports
        if r.status != ReportStatus.VERIFIED
    )
    return PeriodInputs(
        scheme=scheme,
        data=Dataset(
            tuple(r.unit.code for r in verified), tuple(r.group_code for r in verified), values
        ),
        unit_ids=tuple(r.unit_id for r in verified),
        names=tuple(r.unit.name for r in verified),
        excluded=excluded,
    )


def _nullable(values: np.ndarray) -> list[float | None]:
    return [None if v != v else float(v) for v in values.tolist()]


def _inputs_json(inputs: PeriodInputs) -> dict[str, Any]:
    return {
        "units": list(inputs.data.units),
        "names": list(inputs.names),
        "groups": list(inputs.data.groups),
        "indicators": list(inputs.scheme.codes),
        "values": [_nullable(row) for row in inputs.data.values],
        "excluded": list(inputs.excluded),
    }


def _outputs_json(result: RankResult) -> dict[str, Any]:
    return {
        "rows": result.to_rows(),
        "tie_at_boundary": [bool(t) for t in result.tie_at_boundary.tolist()],
        "weights": result.weights,
    }


def _optional_float(value: object) -> float | None:
    """An engine row's optional number (None where the engine had NaN)."""
    return None if value is None else float(cast(SupportsFloat, value))


def _rows(frozen: Result, inputs: PeriodInputs, result: RankResult) -> list[ResultRow]:
    rows = []
    for i, out in enumerate(result.to_rows()):
        detail = {
            "sections": {k.split(":", 1)[1]: v for k, v in out.items() if k.startswith("section:")},
            "contrib": {k.split(":", 1)[1]: v for k, v in out.items() if k.startswith("contrib:")},
            "gaps": {k.split(":", 1)[1]: v for k, v in out.items() if k.startswith("gap:")},
            "gap_kinds": {
                k.split(":", 1)[1]: v for k, v in out.items() if k.startswith("gap_kind:")
            },
            "values": _nullable(inputs.data.values[i]),
            "rank_median": out.get("rank_median"),
        }
        rows.append(
            ResultRow(
                result=frozen,
                unit_id=inputs.unit_ids[i],
                unit_name=inputs.names[i],
                group_code=inputs.data.groups[i],
                score=float(result.score[i]),
                rank=int(result.rank[i]),
                selected=bool(result.selected[i]),
                tie_at_boundary=bool(result.tie_at_boundary[i]),
                rank_p05=_optional_float(out.get("rank_p05")),
                rank_p95=_optional_float(out.get("rank_p95")),
                p_selected=_optional_float(out.get("p_selected")),
                detail=detail,
            )
        )
    return rows


def _run_engine(inputs: PeriodInputs, draws: int, seed: int) -> RankResult:
    try:
        return rank(inputs.scheme, inputs.data, explain=True, robustness=draws, seed=seed)
    except DataError as exc:
        where = ""
        if exc.row is not None:
            where = inputs.names[exc.row - 1] + " "
        raise RaceError(
            _("数据不能计算：%(where)s%(reason)s") % {"where": where, "reason": exc.reason}
        ) from exc


def inputs_digest(
    *, scheme_toml: str, engine_version: str, draws: int, seed: int, inputs: dict[str, Any]
) -> str:
    """SHA-256 of everything a computation depends on: equal digests give equal results."""
    payload = {
        "scheme": scheme_toml,
        "engine": engine_version,
        "draws": draws,
        "seed": seed,
        "inputs": inputs,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def _unchanged(previous: Result | None, digest: str) -> bool:
    """Whether ``previous`` was computed from exactly the inputs that give ``digest``."""
    return previous is not None and digest == inputs_digest(
        scheme_toml=previous.scheme_toml,
        engine_version=previous.engine_version,
        draws=previous.robustness_draws,
        seed=previous.seed,
        inputs=previous.inputs,
    )


def compute_refusal(period: Period) -> str | None:
    """Why ``period`` cannot be computed now (None when it can); asked by the action and again
    by ``result_compute`` under the row lock."""
    if period.status == PeriodStatus.OPEN:
        return _("请先截止填报，再计算结果")
    return None


def publish_refusal(result: Result) -> str | None:
    """Why ``result`` cannot be published (None when it can): only the newest, unpublished one."""
    if result.published_at is not None:
        return _("该版本已经发布")
    latest = result.period.results.order_by("-version").values_list("pk", flat=True).first()
    if latest != result.pk:
        return _("只能发布最新版本")
    return None


def result_compute(*, actor: Any, period: Period, reason: str = "") -> Result:
    """Rank the verified values and freeze a new result version.

    The period is locked while computing, and a period whose inputs (values, scheme, engine,
    draws, seed) have not changed since its latest version gets that version back: ten
    simultaneous clicks freeze one result, not ten identical ones."""
    with transaction.atomic():
        period = Period.objects.select_for_update().select_related("race").get(pk=period.pk)
        refuse(compute_refusal(period))
        previous = period.results.order_by("-version").first()
        if period.status == PeriodStatus.PUBLISHED and not reason.strip():
            raise RaceError(_("结果已发布；重新计算即为更正，须写明原因"))
        inputs = period_inputs(period)
        if not inputs.data.units:
            raise RaceError(_("还没有已审核的数据，无法计算"))
        seed = period_seed(period)
        digest = inputs_digest(
            scheme_toml=period.race.scheme_toml,
            engine_version=ENGINE_VERSION,
            draws=period.race.robustness_draws,
            seed=seed,
            inputs=_inputs_json(inputs),
        )
        if previous is not None and _unchanged(previous, digest):
            if previous.published_at is None:
                return previous
            raise RaceError(_("数据与现行第 %(v)s 版相同，无需更正") % {"v": previous.version})
        outcome = _run_engine(inputs, period.race.robustness_draws, seed)
        version = (period.results.aggregate(v=Max("version"))["v"] or 0) + 1
        frozen = Result.objects.create(
            period=period,
            version=version,
            supersedes=previous,
            reason=reason.strip(),
            scheme_toml=period.race.scheme_toml,
            engine_version=ENGINE_VERSION,
            explain=True,
            robustness_draws=period.race.robustness_draws,
            seed=seed,
            inputs=_inputs_json(inputs),
            outputs=_outputs_json(outcome),
            excluded=list(inputs.excluded),
            digest=result_digest(inputs.scheme, inputs.data, outcome),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        ResultRow.objects.bulk_create(_rows(frozen, inputs, outcome), batch_size=1000)
        if period.status == PeriodStatus.CLOSED:
            period.status = PeriodStatus.COMPUTED
            period.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="races.result.compute",
            obj=frozen,
            reason=reason,
            after={
                "version": version,
                "digest": frozen.digest,
                "engine": ENGINE_VERSION,
                # the inputs as frozen (names and the left-out list too), so ``saima verify``
                # catches an edit of what the digest of the outputs does not cover
                "inputs_digest": digest,
                "units": len(inputs.data.units),
                "excluded": [e["unit"] for e in inputs.excluded],
                "supersedes": previous.pk if previous else None,
            },
        )
    return frozen


def result_publish(*, actor: Any, result: Result) -> Result:
    """Make a computed result public (and the current version of its period)."""
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=result.period_id)
        result = Result.objects.select_for_update().get(pk=result.pk)
        refuse(publish_refusal(result))
        current = period.results.filter(is_current=True).first()
        if current is not None:
            Result.objects.filter(pk=current.pk).update(is_current=False)
        now = timezone.now()
        Result.objects.filter(pk=result.pk).update(published_at=now, is_current=True)
        result.published_at, result.is_current = now, True
        before_status = period.status
        period.status = PeriodStatus.PUBLISHED
        period.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="races.result.publish",
            obj=result,
            reason=result.reason,
            before={"period_status": before_status, "current": current.pk if current else None},
            after={"version": result.version, "digest": result.digest},
        )
        publication_changed(kind="races.result", object_id=result.pk)
    return result


def frozen_dataset(result: Result, scheme: Scheme) -> Dataset:
    """The engine's dataset of a frozen result's stored inputs."""
    return Dataset(
        tuple(result.inputs["units"]),
        tuple(result.inputs["groups"]),
        np.array(
            [[np.nan if v is None else v for v in row] for row in result.inputs["values"]],
            dtype=float,
        ).reshape(len(result.inputs["units"]), len(scheme.codes)),
    )


def result_matches_inputs(result: Result) -> bool:
    """Recompute ``result`` from its own frozen inputs and compare digests (tamper check; run by
    ``saima verify`` through ``saima.races.results.verification``)."""
    scheme = parse_scheme(result.scheme_toml)
    data = frozen_dataset(result, scheme)
    outcome = rank(
        scheme, data, explain=result.explain, robustness=result.robustness_draws, seed=result.seed
    )
    return result_digest(scheme, data, outcome) == result.digest
