"""Benchmark of indicator races on a province's towns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saima python -m benchmarks.races

Builds a throw-away database (``bench_races_<pid>``): 11 cities, 88 counties, 1,300 towns
competing in 11 groups (the towns of each city); 11 indicators; 12 quarters of values, the first
11 computed and published. Then it times (a) compute-and-freeze of the 12th quarter (engine with
explanations and robustness, JSON, rows, audit), (b) the leaderboard page of the largest group
and (c) unit pages, through Django's test client (middleware, templates, everything).
The last line printed is exactly:

    RESULT units=1300 freeze_s=<seconds> leaderboard_p50_ms=<ms> unit_page_p50_ms=<ms>

Targets: freeze_s <= 3, leaderboard_p50_ms <= 50, unit_page_p50_ms <= 50.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time

from benchmarks.province import province_cities_counties, setup_django

UNITS = 1300
CITIES = 11
COUNTIES_PER_CITY = 8
PERIODS = 12
REQUESTS = 40


def _units() -> tuple[object, list[object]]:
    from saima.org.models import PeerGroup, Unit, UnitLevel

    province, cities, counties = province_cities_counties(CITIES, COUNTIES_PER_CITY)
    towns = Unit.objects.bulk_create(
        Unit(
            code=f"{county.code}T{t:03d}",
            name=f"{county.name}镇{t:03d}",
            level=UnitLevel.TOWN,
            parent=county,
            path=f"{county.path}{county.code}T{t:03d}/",
        )
        for t, county in ((i // len(counties), counties[i % len(counties)]) for i in range(UNITS))
    )
    by_city: dict[int, list[object]] = {}
    for town in towns:
        by_city.setdefault(town.parent.parent_id, []).append(town)
    for city in cities:
        group = PeerGroup.objects.create(
            code=f"towns-{city.code}", name=f"{city.name}乡镇", owner=province
        )
        group.members.set(by_city[city.pk])
    return province, cities


def _scheme(cities: list[object]) -> str:
    from saima.engine import scheme_from_dict, scheme_to_toml
    from saima.races.schemes.templates import zhejiang_investment_doc

    doc = zhejiang_investment_doc()
    doc["name"] = "基准乡镇赛马"
    doc["groups"] = [
        {"code": f"towns-{c.code}", "name": f"{c.name}乡镇", "quota": 10} for c in cities
    ]
    return scheme_to_toml(scheme_from_dict(doc))


def _quarter(index: int) -> tuple[int, int]:
    return 2024 + index // 4, index % 4 + 1


def _load_periods(race: object, organiser: object) -> object:
    import numpy as np
    from django.utils import timezone

    from saima.races.demo import synthetic_values
    from saima.races.models import Report
    from saima.races.reporting import services as reporting
    from saima.races.reporting.imports import import_values
    from saima.races.results import services as result_services
    from saima.races.schemes.selectors import parse_scheme

    scheme = parse_scheme(race.scheme_toml)
    rng = np.random.default_rng(7)
    strength = rng.standard_normal(UNITS)
    period = None
    for t in range(PERIODS):
        year, quarter = _quarter(t)
        period = reporting.period_open(
            actor=organiser,
            race=race,
            year=year,
            number=quarter,
            deadline=timezone.now() + dt.timedelta(days=1),
        )
        reports = list(Report.objects.filter(period=period).select_related("unit").order_by("pk"))
        values = synthetic_values(scheme, strength + 0.3 * rng.standard_normal(UNITS), rng, t)
        rows = {
            r.unit.code: {c: float(values[i, j]) for j, c in enumerate(scheme.codes)}
            for i, r in enumerate(reports)
        }
        import_values(actor=organiser, period=period, values=rows, filename="benchmark.csv")
        reporting.reports_verify_bulk(
            actor=organiser, period=period, report_ids=[r.pk for r in reports]
        )
        reporting.period_close(actor=organiser, period=period)
        if t < PERIODS - 1:
            result = result_services.result_compute(actor=organiser, period=period)
            result_services.result_publish(actor=organiser, result=result)
        print(f"  quarter {year}Q{quarter} loaded", file=sys.stderr)
    return period


def _p50(client: object, urls: list[str]) -> float:
    timings = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return statistics.median(timings)


def _run() -> str:
    from django.test import Client
    from django.urls import reverse

    from saima.org.models import User
    from saima.races.results import services as result_services
    from saima.races.schemes import services as scheme_services

    province, cities = _units()
    organiser = User.objects.create_superuser("bench", password="bench-only")
    race = scheme_services.race_create(
        actor=organiser,
        code="bench",
        name="基准乡镇赛马",
        owner=province,
        scheme_toml=_scheme(cities),
    )
    period = _load_periods(race, organiser)
    start = time.perf_counter()
    result = result_services.result_compute(actor=organiser, period=period)
    freeze_s = time.perf_counter() - start
    result_services.result_publish(actor=organiser, result=result)
    group = result.rows.values_list("group_code", flat=True).order_by("group_code").first()
    client = Client()
    board = reverse("races:board", args=[result.pk]) + f"?group={group}"
    client.get(board)  # warm up template loading and caches
    board_ms = _p50(client, [board] * REQUESTS)
    codes = list(result.rows.order_by("?").values_list("unit__code", flat=True)[:REQUESTS])
    unit_ms = _p50(client, [reverse("races:unit", args=[result.pk, code]) for code in codes])
    rows = result.rows.count()
    return f"RESULT units={rows} freeze_s={freeze_s:.2f} leaderboard_p50_ms={board_ms:.1f} unit_page_p50_ms={unit_ms:.1f}"


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    if connection.vendor != "postgresql":
        print(
            f"note: running on {connection.vendor}; the benchmark's figures are meant for PostgreSQL",
            file=sys.stderr,
        )
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        f"bench_races_{os.getpid()}" if connection.vendor == "postgresql" else None
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        line = _run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print(line)


if __name__ == "__main__":
    main()
