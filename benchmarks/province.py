"""The synthetic province the database benchmarks build: one province, its cities and their
counties, with codes and materialised paths (``B33`` > ``B00`` > ``B0000``)."""

from __future__ import annotations

import os
from typing import Any


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saima.config.settings")
    import django

    django.setup()


def province_cities_counties(
    cities: int, counties_per_city: int
) -> tuple[Any, list[Any], list[Any]]:
    from saima.org.models import Unit, UnitLevel

    province = Unit.objects.create(
        code="B33", name="基准省", level=UnitLevel.PROVINCE, path="/B33/"
    )
    city_units = Unit.objects.bulk_create(
        Unit(
            code=f"B{c:02d}",
            name=f"基准市{c:02d}",
            level=UnitLevel.CITY,
            parent=province,
            path=f"/B33/B{c:02d}/",
        )
        for c in range(cities)
    )
    counties = Unit.objects.bulk_create(
        Unit(
            code=f"{city.code}{k:02d}",
            name=f"{city.name}县{k:02d}",
            level=UnitLevel.COUNTY,
            parent=city,
            path=f"{city.path}{city.code}{k:02d}/",
        )
        for city in city_units
        for k in range(counties_per_city)
    )
    return province, city_units, counties
