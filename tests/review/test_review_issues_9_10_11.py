"""The outside review of issues 9, 10 and 11 (key projects, arena, safeguards): each test
reproduces one finding (fixed unless marked xfail) or recomputes a published figure
independently of the engine."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from saima.arena.models import Contestant, ContestResult, Score
from saima.arena.results import frozen_results_problems
from saima.projects.lights.verification import stored_lights_problems
from saima.projects.models import MonthlyLight
from tests.arena.conftest import world  # noqa: F401  (the fixture)
from tests.factories import build_small_province
from tests.projects_lights.helpers import computed
from tests.projects_lights.world import LightsWorld, build_lights_world


@pytest.fixture
def lights_world(db) -> LightsWorld:
    return build_lights_world(build_small_province())


def _independent_scores(contest) -> dict[int, float]:
    """The official score of every scored contestant from the stored Score rows: numpy only,
    following docs/judging.md (trimmed mean with its fallback, criteria weights on 0–100,
    panel weights), no engine code."""
    assert contest.method in ("mean", "trimmed")
    trim = contest.trim if contest.method == "trimmed" else 0
    criteria = {k.pk: k for k in contest.criteria.all()}
    panels = {p.pk: p for p in contest.panels.all()}
    cells: dict[tuple[int, int, int], list[float]] = defaultdict(list)
    for seat_panel, contestant, criterion, value in Score.objects.filter(
        contestant__contest=contest
    ).values_list("seat__panel_id", "contestant_id", "criterion_id", "value"):
        cells[(contestant, seat_panel, criterion)].append(float(value))
    out = {}
    for contestant in {c for c, _p, _k in cells}:
        used = [p for p in panels if any((contestant, p, k) in cells for k in criteria)]
        totals = []
        for p in used:
            parts = []
            for k, crit in criteria.items():
                values = np.sort(np.array(cells[(contestant, p, k)]))
                n = values.size
                cut = min(trim, max(0, (n - contest.min_kept) // 2))
                figure = values[cut : n - cut].mean()
                parts.append(float(crit.weight) * figure / float(crit.maximum))
            weights = sum(float(c.weight) for c in criteria.values())
            totals.append((float(panels[p].weight), 100 * sum(parts) / weights))
        out[contestant] = sum(v * t for v, t in totals) / sum(v for v, _t in totals)
    return out


def test_the_official_arena_result_recomputes_independently(world):  # noqa: F811
    for contest in (world.released, world.revealed):
        expected = _independent_scores(contest)
        stored = dict(
            Contestant.objects.filter(contest=contest, pk__in=expected).values_list(
                "pk", "final_score"
            )
        )
        assert stored.keys() == expected.keys()
        for pk, score in expected.items():
            assert stored[pk] == pytest.approx(score, abs=1e-9)
        order = sorted(expected, key=lambda pk: -expected[pk])
        ranks = dict(Contestant.objects.filter(pk__in=order).values_list("pk", "rank"))
        assert [ranks[pk] for pk in order] == sorted(ranks.values())


def test_an_edited_rank_or_score_on_a_contestant_is_caught_by_verify(world):  # noqa: F811
    # Finding: the board, the contestant page and the person's record read Contestant.rank and
    # .final_score, copies of the frozen result that `saima verify` never compared.
    assert frozen_results_problems() == []
    entry = Contestant.objects.filter(contest=world.released, rank=2).get()
    Contestant.objects.filter(pk=entry.pk).update(rank=1, final_score=99.0)
    problems = frozen_results_problems()
    assert len(problems) == 1 and f"contestant #{entry.pk}" in problems[0]


def test_swapped_contestant_ids_in_a_frozen_result_are_caught_by_verify(world):  # noqa: F811
    # Finding: the results page names each row by inputs["meta"]["contestant_ids"], which is
    # outside the digest; swapping two ids relabelled the published ranking unnoticed.
    result = world.released.results.get()
    inputs = result.inputs
    ids = inputs["meta"]["contestant_ids"]
    ids[0], ids[1] = ids[1], ids[0]
    ContestResult.objects.filter(pk=result.pk).update(inputs=inputs)
    problems = frozen_results_problems()
    assert any("ids differ" in p for p in problems)


@pytest.mark.parametrize("field", ["lag", "actual_share", "spi", "start_overdue"])
def test_an_edited_lag_share_or_spi_beside_a_light_is_caught_by_verify(lights_world, field):
    # Finding: the verifier compared only the colour and reasons; the lag, shares, SPI and
    # overdue months stored beside them (shown on the locality grid and the project page)
    # could be edited unnoticed.
    computed(lights_world, 3)
    assert stored_lights_problems() == []
    light = MonthlyLight.objects.filter(
        month=3, lag__isnull=False, spi__isnull=False, actual_share__isnull=False
    ).first()
    MonthlyLight.objects.filter(pk=light.pk).update(**{field: 7})
    problems = stored_lights_problems()
    assert len(problems) == 1
    assert f"project #{light.project_id}: stored {field}" in problems[0]


def test_a_quarters_snails_and_red_flags_recompute_from_the_stored_lights(lights_world):
    # Audit: the snails from the rule version's ratings rules applied by hand to the stored
    # MonthlyLight rows; red flags only among projects with no red or grey month, not snails.
    from saima.projects.lights.services import current_rules, rules_of
    from saima.projects.models import LightColour, RatingKind
    from saima.projects.ratings import services as ratings
    from tests.projects_lights.helpers import with_test_rules

    with_test_rules(lights_world)
    computed(lights_world, 6)
    organiser = lights_world.users["organiser"]
    rules = rules_of(current_rules(lights_world.plist)).ratings
    for quarter in (1, 2):
        months = [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
        rating = ratings.rating_propose(
            actor=organiser, project_list=lights_world.plist, quarter=quarter
        )
        by_project: dict[int, dict[int, MonthlyLight]] = defaultdict(dict)
        for light in MonthlyLight.objects.filter(project_list=lights_world.plist, month__in=months):
            by_project[light.project_id][light.month] = light
        snails, eligible = set(), set()
        for pid, row in by_project.items():
            reds = sum(row[m].light == LightColour.RED for m in months if m in row)
            end = row.get(months[-1])
            snail = (rules.snail_red_months > 0 and reds >= rules.snail_red_months) or (
                end is not None
                and (
                    (rules.snail_on_overdue_start and end.start_overdue > 0)
                    or (rules.snail_on_overdue_completion and end.completion_overdue > 0)
                )
            )
            assert not rules.snail_on_quarter_miss  # not recomputed here
            if snail:
                snails.add(pid)
            elif all(
                m in row and row[m].light not in (LightColour.RED, LightColour.GREY) for m in months
            ):
                eligible.add(pid)
        entries = rating.entries.filter(removed=False)
        assert set(entries.filter(kind=RatingKind.SNAIL).values_list("project_id", flat=True)) == (
            snails
        )
        flags = set(entries.filter(kind=RatingKind.RED_FLAG).values_list("project_id", flat=True))
        assert flags and flags <= eligible


# ---------------------------------------------------------------- attacks on the judge API (held)


def _post(client, token, contestant, values):
    from django.urls import reverse

    return client.post(
        reverse("arena:judge_submit", args=[token]),
        data={"contestant": contestant, "values": values},
        content_type="application/json",
    )


def test_the_judge_api_refuses_conflicts_maxima_other_contests_and_closed_scoring(
    world,  # noqa: F811
    client,
):
    from saima.arena import services

    running = world.running
    own = running.contestants.get(unit=world.departments["商务局"])
    declared = running.contestants.get(unit=world.departments["住建局"])
    first = running.contestants.get(unit=world.departments["发改局"])
    before = Score.objects.count()
    # a conflicted contestant, straight through the API (own unit, declared conflict)
    for contestant, seat in ((own, "商务局长"), (declared, "局长丙")):
        services.scoring_open(actor=world.organiser, contest=running, contestant=contestant)
        response = _post(client, world.tokens[seat], contestant.pk, {"progress": 60, "speech": 40})
        assert response.status_code == 409 and "回避" in response.json()["error"]
    assert Score.objects.count() == before
    # above the maximum, negative, not finite, exponent tricks
    for bad in (61, -1, "NaN", "Infinity", "1e3", "60.001", [1], {"a": 1}):
        response = _post(client, world.tokens["县长"], first.pk, {"progress": bad, "speech": 1})
        assert response.status_code in (400, 409), bad
    # a contestant of another contest
    other = world.released.contestants.first()
    assert (
        _post(client, world.tokens["县长"], other.pk, {"progress": 1, "speech": 1}).status_code
        == 404
    )
    assert Score.objects.count() == before
    # amending after scoring closed
    assert _post(client, world.tokens["县长"], first.pk, {"progress": 50, "speech": 30}).json()[
        "ok"
    ]
    services.scoring_close(actor=world.organiser, contest=running, contestant=first)
    response = _post(client, world.tokens["县长"], first.pk, {"progress": 10, "speech": 10})
    assert response.status_code == 409
    stored = Score.objects.filter(seat=world.seats["县长"], contestant=first)
    assert sorted(float(s.value) for s in stored) == [30.0, 50.0]


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()  # the throttle's counts must not follow this client into other tests


def test_judge_link_guessing_is_throttled(world, client, fresh_cache):  # noqa: F811
    from django.urls import reverse

    codes = [
        client.get(reverse("arena:judge", args=[f"guess{i:04d}" * 3])).status_code
        for i in range(40)
    ]
    assert codes[0] == 404 and 429 in codes
    # the throttle counts guesses per client, and a real link from elsewhere still works
    other = client_class_get(reverse("arena:judge", args=[world.tokens["县长"]]))
    assert other == 200


def client_class_get(url: str) -> int:
    from django.test import Client

    return Client(REMOTE_ADDR="10.9.9.9").get(url).status_code


# ---------------------------------------------------------------- monthly reports


@pytest.fixture
def projects_world(db):
    from tests.projects.conftest import build_world

    return build_world()


def test_an_earlier_month_filed_late_may_not_rise_above_a_later_months_total(projects_world):
    # Finding: the cumulative investment was checked only against the EARLIER month; a month
    # filed (or a draft submitted) after a later month could exceed it, so the later month's
    # cumulative total fell below its predecessor with no written correction.
    from decimal import Decimal

    from saima.projects import reporting
    from saima.projects.errors import ProjectError
    from saima.projects.models import MonthlyReport
    from saima.projects.reporting import ReportInput

    pw = projects_world

    def save(month, invested, **extra):
        return reporting.report_save(
            actor=pw.users["reporter_a"],
            project=pw.samples.project,
            year=2026,
            month=month,
            data=ReportInput(Decimal(invested), Decimal("10"), **extra),
            submit=True,
        )

    save(5, "300")
    with pytest.raises(ProjectError, match="高于 5月已报的 300.00 万元"):
        save(4, "400")
    assert not MonthlyReport.objects.filter(project=pw.samples.project, month=4).exists()
    assert save(4, "280").cumulative_investment == Decimal("280")
    report = save(3, "350", correction_reason="5月漏报了设备款，另行更正")
    assert report.correction_reason


def test_an_imported_month_may_not_rise_above_a_later_months_total(projects_world):
    # The same finding through the XLSX/CSV reports import (its own check of the rule).
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from saima.core.models import ImportStatus
    from saima.projects import imports, reporting
    from saima.projects.models import ImportKind, MonthlyReport
    from saima.projects.reporting import ReportInput

    pw = projects_world
    project = pw.samples.project
    reporting.report_save(
        actor=pw.users["reporter_a"],
        project=project,
        year=2026,
        month=5,
        data=ReportInput(Decimal("300"), Decimal("10")),
        submit=True,
    )
    header = "项目代码,本年累计完成投资（万元）,形象进度（%）,需协调解决的问题,问题可公开,开工日期"
    batch = imports.import_start(
        actor=pw.users["organiser_a"],
        plist=pw.samples.plist,
        kind=ImportKind.REPORTS,
        month=3,
        upload=SimpleUploadedFile("r.csv", f"{header}\n{project.code},400,10,,,\n".encode()),
    )
    batch = imports.import_run(batch.pk)
    assert batch.status == ImportStatus.FAILED
    assert any(e["row"] == 2 and "5月已报的 300.00" in e["reason"] for e in batch.errors)
    assert not MonthlyReport.objects.filter(project=project, month=3).exists()
