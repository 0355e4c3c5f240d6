"""Every migration of every Saima app runs backwards to zero and forwards again, with data in."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from saima.core.audit import verify_chain
from tests.factories import build_small_province

SAIMA_APPS = [
    config.label
    for config in apps.get_app_configs()
    if config.name.startswith("saima.") and config.label in MigrationLoader(None).migrated_apps
]  # apps without models (the portal) have no migrations


@pytest.mark.django_db(transaction=True)
def test_every_migration_runs_down_and_up_with_data_loaded():
    build_small_province()
    assert verify_chain().ok
    for label in reversed(SAIMA_APPS):
        call_command("migrate", label, "zero", verbosity=0)
    applied = {
        name
        for app, name in MigrationRecorder(connection).applied_migrations()
        if app in SAIMA_APPS
    }
    assert applied == set()
    assert "org_unit" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)
    assert "org_unit" in connection.introspection.table_names()
    build_small_province()  # the schema takes data again
    assert verify_chain().ok
