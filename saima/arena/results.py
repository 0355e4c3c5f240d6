"""From the stored scores to a frozen, verifiable result (``saima.engine.judging``).

``engine_contest(contest)`` reads every live score into the engine's judges × contestants ×
criteria array (NaN where a judge did not score: a conflict, an absence). ``freeze_result``
runs the engine (all three methods, the official one named by the contest), stores inputs,
outputs and the digest in a ``ContestResult`` and copies each contestant's rank and score.
``frozen_results_problems`` (the verifier ``arena.results``) re-runs every frozen result from
its stored inputs, re-hashes it, and compares the inputs with the scores in the database.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from saima.arena.errors import ArenaError
from saima.arena.models import Contest, Contestant, ContestResult, ContestStatus, Score
from saima.engine import ENGINE_VERSION
from saima.engine.judging import (
    Contest as EngineContest,
)
from saima.engine.judging import (
    ContestError,
    Criterion,
    Panel,
    Rules,
    contest_digest,
    contest_to_dict,
    judge_contest,
    published_contest,
)


def _nullable(value: Any) -> Any:
    """JSON-storable (PostgreSQL's jsonb has no NaN): NaN → None, recursively."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {k: _nullable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nullable(v) for v in value]
    return value


def engine_contest(contest: Contest) -> tuple[EngineContest, dict[str, Any]]:
    """The engine's view of ``contest`` and the ids and names behind its codes.

    Contestants are named by their unit's code, judges by ``seat:<id>`` (names may repeat);
    only seats that gave at least one score take part."""
    criteria = list(contest.criteria.all())
    panels = list(contest.panels.all())
    scores = list(
        Score.objects.filter(contestant__contest=contest).values_list(
            "seat_id", "contestant_id", "criterion_id", "value"
        )
    )
    scored = {s[1] for s in scores}
    everyone = list(contest.contestants.select_related("unit").order_by("position", "pk"))
    contestants = [c for c in everyone if c.pk in scored]
    seat_ids = sorted({s[0] for s in scores})
    seats = {s.pk: s for s in contest.seats.filter(pk__in=seat_ids).select_related("panel")}
    j_of = {pk: j for j, pk in enumerate(seat_ids)}
    c_of = {c.pk: i for i, c in enumerate(contestants)}
    k_of = {k.pk: i for i, k in enumerate(criteria)}
    array = np.full((len(seat_ids), len(contestants), len(criteria)), np.nan)
    for seat_id, contestant_id, criterion_id, value in scores:
        array[j_of[seat_id], c_of[contestant_id], k_of[criterion_id]] = float(value)
    used_panels = [p for p in panels if any(seats[pk].panel_id == p.pk for pk in seat_ids)]
    built = EngineContest(
        contestants=tuple(c.unit.code for c in contestants),
        judges=tuple(f"seat:{pk}" for pk in seat_ids),
        criteria=tuple(
            Criterion(k.code, k.name, float(k.maximum), float(k.weight)) for k in criteria
        ),
        panels=tuple(Panel(p.code, p.name, float(p.weight)) for p in used_panels),
        judge_panels=tuple(seats[pk].panel.code for pk in seat_ids),
        scores=array,
        rules=Rules(
            method=contest.method,  # type: ignore[arg-type]  # the model's choices are the engine's
            trim=contest.trim,
            min_kept=contest.min_kept,
            tiebreak=contest.tiebreak or None,
            outlier_below=contest.outlier_below,
        ),
    )
    meta = {
        "absent": [c.unit.name for c in everyone if c.pk not in scored],
        "contestant_ids": [c.pk for c in contestants],
        "contestant_names": [c.unit.name for c in contestants],
        "seat_ids": seat_ids,
        "seat_names": [seats[pk].name for pk in seat_ids],
    }
    return built, meta


def coverage_problems(contest: Contest) -> list[str]:
    """Contestants some panel did not score at all (the result cannot be computed), in words.
    A contestant nobody scored (absent on the day) is left out instead, and named."""
    panels = list(contest.panels.all())
    criteria = list(contest.criteria.all())
    seen = set(
        Score.objects.filter(contestant__contest=contest).values_list(
            "contestant_id", "seat__panel_id", "criterion_id"
        )
    )
    scored = {c for c, _p, _k in seen}
    used = {p for _c, p, _k in seen}
    problems = []
    for entry in contest.contestants.select_related("unit").order_by("position", "pk"):
        if entry.pk not in scored:
            continue
        for panel in panels:
            if panel.pk not in used:
                continue
            missing = [k.name for k in criteria if (entry.pk, panel.pk, k.pk) not in seen]
            if missing:
                problems.append(
                    _("%(u)s 没有“%(p)s”的评分（%(k)s）")
                    % {"u": entry.unit.name, "p": panel.name, "k": "、".join(missing)}
                )
    return problems


def contest_from_inputs(inputs: dict[str, Any]) -> EngineContest:
    """Rebuild the engine's contest from a frozen result's stored inputs."""
    rules = inputs["rules"]
    return EngineContest(
        contestants=tuple(inputs["contestants"]),
        judges=tuple(inputs["judges"]),
        criteria=tuple(
            Criterion(k["code"], k["name"], float(k["maximum"]), float(k["weight"]))
            for k in inputs["criteria"]
        ),
        panels=tuple(Panel(p["code"], p["name"], float(p["weight"])) for p in inputs["panels"]),
        judge_panels=tuple(inputs["judge_panels"]),
        scores=np.array(
            [
                [[np.nan if v is None else v for v in row] for row in judge]
                for judge in inputs["scores"]
            ],
            dtype=float,
        ).reshape(len(inputs["judges"]), len(inputs["contestants"]), len(inputs["criteria"])),
        rules=Rules(
            method=rules["method"],
            trim=rules["trim"],
            min_kept=rules["min_kept"],
            tiebreak=rules["tiebreak"],
            outlier_below=rules["outlier_below"],
        ),
    )


def freeze_result(contest: Contest, *, actor: Any) -> ContestResult:
    """Run the engine on the contest's scores and store the frozen result (inside the caller's
    transaction; the caller holds the contest's row lock)."""
    built, meta = engine_contest(contest)
    try:
        result = judge_contest(built)
    except ContestError as exc:
        raise ArenaError(_("评分数据不能计算：%(p)s") % {"p": "；".join(exc.problems[:5])}) from exc
    outputs = _nullable(published_contest(result))
    digest = contest_digest(built, outputs)
    version = (
        contest.results.order_by("-version").values_list("version", flat=True).first() or 0
    ) + 1
    frozen = ContestResult.objects.create(
        contest=contest,
        version=version,
        method=contest.method,
        engine_version=ENGINE_VERSION,
        inputs={**_nullable(contest_to_dict(built)), "meta": meta},
        outputs=outputs,
        digest=digest,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for pk, row in zip(meta["contestant_ids"], outputs["contestants"], strict=True):
        Contestant.objects.filter(pk=pk).update(rank=row["rank"], final_score=row["score"])
    return frozen


def current_result(contest: Contest) -> ContestResult | None:
    return contest.results.order_by("-version").first()


def result_problems(frozen: ContestResult) -> list[str]:
    """What is wrong with one frozen result (empty when it re-computes to its digest and the
    database still holds the scores it was computed from)."""
    name = _("擂台赛结果 #%(pk)s（%(c)s）") % {"pk": frozen.pk, "c": frozen.contest}
    problems = []
    try:
        rebuilt = contest_from_inputs(frozen.inputs)
        recomputed = _nullable(published_contest(judge_contest(rebuilt)))
    except (ContestError, KeyError, TypeError, ValueError) as exc:
        return [f"{name}: stored inputs do not compute ({exc})"]
    if contest_digest(rebuilt, frozen.outputs) != frozen.digest:
        problems.append(f"{name}: stored outputs do not match the digest")
    if contest_digest(rebuilt, recomputed) != frozen.digest:
        problems.append(f"{name}: recomputing the stored inputs gives another digest")
    live, live_meta = engine_contest(frozen.contest)
    if _nullable(contest_to_dict(live)) != {k: v for k, v in frozen.inputs.items() if k != "meta"}:
        problems.append(f"{name}: the scores in the database differ from the frozen inputs")
    meta = frozen.inputs.get("meta") or {}
    if any(meta.get(key) != live_meta[key] for key in ("contestant_ids", "seat_ids")):
        # the ids the pages use to name each row are outside the digest: check them here
        problems.append(f"{name}: the stored contestant or judge ids differ from the scores")
    elif frozen == current_result(frozen.contest):
        problems.extend(_copy_problems(name, meta["contestant_ids"], frozen.outputs))
    return problems


def _copy_problems(name: str, ids: list[int], outputs: dict[str, Any]) -> list[str]:
    """The rank and score copied onto each contestant (read by the board, the contestant page
    and the person's record) must be the frozen result's."""
    rows = {
        pk: (rank, score)
        for pk, rank, score in Contestant.objects.filter(pk__in=ids).values_list(
            "pk", "rank", "final_score"
        )
    }
    return [
        f"{name}: contestant #{pk} shows rank {rows.get(pk, (None, None))[0]} and score "
        f"{rows.get(pk, (None, None))[1]}, the frozen result {row['rank']} and {row['score']}"
        for pk, row in zip(ids, outputs["contestants"], strict=True)
        if rows.get(pk) != (row["rank"], row["score"])
    ]


def frozen_results_problems() -> list[str]:
    problems: list[str] = []
    revealed = ContestResult.objects.filter(contest__status=ContestStatus.REVEALED)
    for frozen in revealed.select_related("contest").order_by("pk"):
        problems.extend(result_problems(frozen))
    return problems
