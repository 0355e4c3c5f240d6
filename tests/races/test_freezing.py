"""Compute, freeze, publish, correct; and the verification kit re-run by `saima rank`."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile

import numpy as np
import pytest
from django.db import IntegrityError, transaction

from saima.core.models import AuditEvent
from saima.engine import ENGINE_VERSION, Dataset, load_scheme, rank, result_digest
from saima.races.errors import RaceError
from saima.races.models import PeriodStatus, Result, ResultRow
from saima.races.reporting import services as reporting
from saima.races.results import exports
from saima.races.results import services as result_services


def _closed(world, verify=True):
    period = world.period()
    world.fill(period, verify=verify)
    reporting.period_close(actor=world.users["organiser"], period=period)
    return period


def test_a_result_cannot_be_computed_while_reporting_is_open(world):
    period = world.period()
    world.fill(period)
    with pytest.raises(RaceError, match="请先截止填报"):
        result_services.result_compute(actor=world.users["organiser"], period=period)


def test_a_result_needs_verified_values(world):
    period = _closed(world, verify=False)
    with pytest.raises(RaceError, match="还没有已审核的数据"):
        result_services.result_compute(actor=world.users["organiser"], period=period)


def test_the_frozen_result_holds_inputs_scheme_engine_version_outputs_and_digest(world):
    period = _closed(world)
    result = result_services.result_compute(actor=world.users["organiser"], period=period)
    assert result.version == 1 and result.engine_version == ENGINE_VERSION
    assert result.scheme_toml == world.race.scheme_toml
    assert result.inputs["names"][:2] == ["上城区", "淳安县"]
    assert result.inputs["values"][0] == [9.0, 5.0, 0.0]
    assert len(result.outputs["rows"]) == 6 and "gap:fai" in result.outputs["rows"][0]
    assert "p_selected" in result.outputs["rows"][0]
    assert len(result.digest) == 64
    period.refresh_from_db()
    assert period.status == PeriodStatus.COMPUTED
    top = ResultRow.objects.get(result=result, rank=1)
    assert top.unit == world.counties["西湖区"] and top.selected


def test_the_digest_is_the_engines_digest_of_the_frozen_inputs(world):
    result = result_services.result_compute(actor=world.users["organiser"], period=_closed(world))
    assert result_services.result_matches_inputs(result)


def test_recomputing_the_same_inputs_gives_the_same_version_back(world):
    period = _closed(world)
    first = result_services.result_compute(actor=world.users["organiser"], period=period)
    second = result_services.result_compute(actor=world.users["organiser"], period=period)
    assert second.pk == first.pk and second.version == 1
    assert period.results.count() == 1


def test_a_correction_with_unchanged_inputs_is_refused(world):
    first = world.published()
    with pytest.raises(RaceError, match="数据与现行第 1 版相同，无需更正"):
        result_services.result_compute(
            actor=world.users["organiser"], period=first.period, reason="复核"
        )


def test_a_changed_value_changes_the_hash(world):
    period = _closed(world)
    first = result_services.result_compute(actor=world.users["organiser"], period=period)
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(period, "桐庐县"),
        values={"fai": 4.5},
        reason="更正",
    )
    assert (
        result_services.result_compute(actor=world.users["organiser"], period=period).digest
        != first.digest
    )


def test_units_not_verified_are_left_out_and_named(world):
    period = world.period()
    world.fill(period, verify=False)
    reporting.report_verify(actor=world.users["organiser"], report=world.report(period, "上城区"))
    reporting.report_verify(actor=world.users["organiser"], report=world.report(period, "淳安县"))
    reporting.period_close(actor=world.users["organiser"], period=period)
    result = result_services.result_compute(actor=world.users["organiser"], period=period)
    assert result.inputs["units"] == [world.counties["上城区"].code, world.counties["淳安县"].code]
    assert {e["name"] for e in result.inputs["excluded"]} == {
        "西湖区",
        "萧山区",
        "余杭区",
        "桐庐县",
    }


def test_publishing_makes_the_result_current_and_the_period_published(world):
    result = world.published()
    assert result.is_current and result.published_at is not None
    assert result.period.__class__.objects.get(pk=result.period_id).status == PeriodStatus.PUBLISHED
    actions = list(
        AuditEvent.objects.filter(action__startswith="races.").values_list("action", flat=True)
    )
    for step in (
        "races.period.open",
        "races.report.import",
        "races.period.close",
        "races.result.compute",
        "races.result.publish",
    ):
        assert step in actions


def _published(world):
    return world.published()


def _superseded_draft(world):
    period = _closed(world)
    old = result_services.result_compute(actor=world.users["organiser"], period=period)
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(period, "桐庐县"),
        values={"fai": 4.5},
        reason="更正",
    )
    result_services.result_compute(actor=world.users["organiser"], period=period)
    return old


@pytest.mark.parametrize(
    "make, reason",
    [(_published, "该版本已经发布"), (_superseded_draft, "只能发布最新版本")],
    ids=["already-published", "not-the-newest"],
)
def test_only_the_newest_unpublished_version_can_be_published(world, make, reason):
    result = make(world)
    with pytest.raises(RaceError, match=reason):
        result_services.result_publish(actor=world.users["organiser"], result=result)


def test_a_correction_needs_a_reason_and_keeps_the_old_version_linked(world):
    first = world.published()
    period = first.period
    with pytest.raises(RaceError, match="须写明原因"):
        result_services.result_compute(actor=world.users["organiser"], period=period)
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(period, "桐庐县"),
        values={"fai": 30.0},
        reason="异议成立",
    )
    second = result_services.result_compute(
        actor=world.users["organiser"], period=period, reason="桐庐县异议成立"
    )
    result_services.result_publish(actor=world.users["organiser"], result=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert (
        first.published_at is not None
        and second.supersedes == first
        and second.reason == "桐庐县异议成立"
    )
    assert first.superseded_by == second


@pytest.mark.parametrize(
    "published, clash",
    [(False, {"version": 1}), (True, {"version": 2, "is_current": True})],
    ids=["two-results-with-one-version", "two-current-versions"],
)
def test_the_database_refuses_a_clashing_result(world, published, clash):
    organiser = world.users["organiser"]
    result = (
        world.published()
        if published
        else result_services.result_compute(actor=organiser, period=_closed(world))
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(
            period=result.period,
            scheme_toml="",
            engine_version="x",
            inputs={},
            outputs={},
            digest="0" * 64,
            published_at=result.published_at,
            **clash,
        )


def test_the_database_refuses_an_unpublished_current_version(world):
    result = result_services.result_compute(actor=world.users["organiser"], period=_closed(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=result.pk).update(is_current=True)


def test_a_tampered_frozen_input_no_longer_matches_its_digest(world):
    result = world.published()
    result.inputs["values"][0][0] = 99.0
    assert not result_services.result_matches_inputs(result)


# ---------------------------------------------------------------- verification kit (核验包)


def _kit(result):
    archive = zipfile.ZipFile(io.BytesIO(exports.kit_zip(result)))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_kit_holds_data_scheme_result_and_hash(world):
    result = world.published()
    files = _kit(result)
    assert set(files) == {
        "data.csv",
        "scheme.toml",
        "result.csv",
        "SHA256.txt",
        "README.txt",
        "audit-checkpoint.json",
    }
    assert files["scheme.toml"] == result.scheme_toml
    assert files["SHA256.txt"].strip() == result.digest
    header = next(csv.reader(io.StringIO(files["data.csv"])))
    assert header == ["unit", "group", "fai", "projects", "snails"]
    assert f"--robustness 200 --seed {result.seed}" in files["README.txt"]


def test_the_kit_result_columns_follow_the_engine_whatever_order_the_database_keeps(world):
    # PostgreSQL's jsonb hands keys back sorted; the kit must not follow the stored order.
    result = world.published()
    files = _kit(result)
    scheme = load_scheme(files["scheme.toml"])
    rows = list(csv.DictReader(io.StringIO(files["data.csv"])))
    data = Dataset(
        tuple(r["unit"] for r in rows),
        tuple(r["group"] for r in rows),
        np.array([[float(r[c]) for c in scheme.codes] for r in rows]),
    )
    outcome = rank(scheme, data, explain=True, robustness=result.robustness_draws, seed=result.seed)
    expected = ["name", *outcome.columns()]
    outputs = result.outputs
    outputs["rows"] = [dict(sorted(row.items(), reverse=True)) for row in outputs["rows"]]
    Result.objects.filter(pk=result.pk).update(outputs=outputs)
    header = next(csv.reader(io.StringIO(_kit(Result.objects.get(pk=result.pk))["result.csv"])))
    assert header == expected


def test_the_kit_reproduces_the_scores_and_hash_with_the_engine(world):
    result = world.published()
    files = _kit(result)
    scheme = load_scheme(files["scheme.toml"])
    rows = list(csv.DictReader(io.StringIO(files["data.csv"])))
    data = Dataset(
        tuple(r["unit"] for r in rows),
        tuple(r["group"] for r in rows),
        np.array([[float(r[c]) for c in scheme.codes] for r in rows]),
    )
    outcome = rank(scheme, data, explain=True, robustness=result.robustness_draws, seed=result.seed)
    assert result_digest(scheme, data, outcome) == result.digest
    assert outcome.score.tolist() == [row["score"] for row in result.outputs["rows"]]


def test_saima_rank_on_the_kit_prints_the_published_hash(world, tmp_path):
    rank_cli = pytest.importorskip("saima.rank_cli")
    result = world.published()
    for name, text in _kit(result).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    stderr, stdout = io.StringIO(), io.StringIO()
    args = [
        "--scheme",
        str(tmp_path / "scheme.toml"),
        "--data",
        str(tmp_path / "data.csv"),
        "--explain",
        "--robustness",
        str(result.robustness_draws),
        "--seed",
        str(result.seed),
    ]
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        status = rank_cli.main(args)
    assert status == 0
    assert stderr.getvalue().strip().splitlines()[-1] == f"sha256={result.digest}"
    scores = {
        row["unit"]: float(row["score"]) for row in csv.DictReader(io.StringIO(stdout.getvalue()))
    }
    assert scores == {row["unit"]: row["score"] for row in result.outputs["rows"]}
