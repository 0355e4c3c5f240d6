"""The audit chain: append-only through the application, tamper-evident in the database."""

from __future__ import annotations

import pytest
from django.db import connection

from saima.cli import main as saima_main
from saima.core.audit import GENESIS_HASH, event_hash, record_event, verify_chain
from saima.core.models import AppendOnlyError, AuditEvent, AuditHead


@pytest.fixture
def chain(db):
    """Five events, the third with before/after values in Chinese."""
    events = [
        record_event(actor=None, action="test.one", object_type="x", object_id="1", after={"v": 1}),
        record_event(actor=None, action="test.two", object_type="x", object_id="2", after={"v": 2}),
        record_event(
            actor=None,
            action="races.value.verify",
            object_type="races.value",
            object_id="3",
            object_repr="遂昌县 固定资产投资增速",
            before={"status": "submitted"},
            after={"status": "verified", "value": "12.5"},
            reason="与统计局数据一致",
        ),
        record_event(actor=None, action="test.four", object_type="x", object_id="4"),
        record_event(actor=None, action="test.five", object_type="x", object_id="5"),
    ]
    return events


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_events_link_to_their_predecessor_and_record_what_happened(chain):
    first, second, third = chain[0], chain[1], chain[2]
    assert first.seq == 1 and first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    stored = AuditEvent.objects.get(seq=3)
    assert stored.action == "races.value.verify"
    assert stored.object_repr == "遂昌县 固定资产投资增速"
    assert stored.before == {"status": "submitted"}
    assert stored.after == {"status": "verified", "value": "12.5"}
    assert stored.reason == "与统计局数据一致"
    assert stored.actor_label == "system"
    assert stored.hash == event_hash(stored) == third.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, chain[-1].hash)


def test_an_intact_chain_verifies(chain):
    report = verify_chain()
    assert report.ok and report.events == 5
    assert report.head_hash == chain[-1].hash


def test_the_actor_is_recorded_by_name(small_province):
    user = small_province.users["organiser"]
    event = record_event(actor=user, action="test.actor")
    assert event.actor_id == user.pk and event.actor_label == "org_hz"


def test_the_application_refuses_to_update_an_event(chain):
    event = AuditEvent.objects.get(seq=2)
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=2).update(action="forged")


def test_the_application_refuses_to_delete_an_event(chain):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.get(seq=2).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 5


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "test.forged"),
        ("reason", "改过的理由"),
        ("object_id", "999"),
        ("actor_label", "someone"),
    ],
)
def test_altering_any_field_of_one_row_in_sql_is_detected_at_that_row(chain, column, value):
    _sql(f"UPDATE core_auditevent SET {column} = %s WHERE seq = 3", [value])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == 3
    assert "altered" in report.reason


def test_altering_the_json_payload_in_sql_is_detected(chain):
    _sql(
        "UPDATE core_auditevent SET after = %s WHERE seq = 3",
        ['{"status": "verified", "value": "99"}'],
    )
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 3)


def test_rehashing_an_altered_row_breaks_the_next_link(chain):
    """A forger who recomputes the altered row's own hash still breaks its successor."""
    event = AuditEvent.objects.get(seq=3)
    event.reason = "改过的理由"
    forged_hash = event_hash(event)
    _sql(
        "UPDATE core_auditevent SET reason = %s, hash = %s WHERE seq = 3",
        ["改过的理由", forged_hash],
    )
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 4)
    assert "previous event" in report.reason


def test_deleting_a_row_in_the_middle_is_detected(chain):
    _sql("DELETE FROM core_auditevent WHERE seq = 2")
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "sequence number 3 where 2 was expected" in report.reason


def test_deleting_the_newest_row_is_detected_by_the_head(chain):
    _sql("DELETE FROM core_auditevent WHERE seq = 5")
    report = verify_chain()
    assert not report.ok
    assert "head records #5" in report.reason


def test_swapping_the_order_of_two_rows_is_detected(chain):
    _sql("UPDATE core_auditevent SET seq = 1000 WHERE seq = 2")
    _sql("UPDATE core_auditevent SET seq = 2 WHERE seq = 3")
    _sql("UPDATE core_auditevent SET seq = 3 WHERE seq = 1000")
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 3)


def test_inserting_a_forged_row_is_detected(chain):
    last = AuditEvent.objects.get(seq=5)
    _sql(
        "INSERT INTO core_auditevent (seq, at, actor_label, action, object_type, object_id, object_repr,"
        " reason, scope, prev_hash, hash) VALUES (6, %s, 'x', 'forged', '', '', '', '', '', %s, %s)",
        [last.at, last.hash, "f" * 64],
    )
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, 6)


def test_saima_audit_verify_prints_ok_and_exits_zero(chain, capsys):
    assert saima_main(["audit", "verify"]) == 0
    assert "OK: 5 audit events" in capsys.readouterr().out


def test_saima_audit_verify_names_the_first_broken_link(chain, capsys):
    _sql("UPDATE core_auditevent SET action = 'x' WHERE seq = 4")
    assert saima_main(["audit", "verify"]) == 1
    assert "BROKEN at event #4" in capsys.readouterr().err


def test_deleting_a_user_leaves_their_events_and_the_chain_intact(small_province):
    user = small_province.users["nobody"]
    event = record_event(actor=user, action="test.by_someone_later_deleted")
    user.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == event.actor_id and stored.actor_label == "nobody"
    assert verify_chain().ok


def test_values_json_cannot_hold_are_recorded_as_null_and_still_verify(db):
    record_event(actor=None, action="test.floats", after={"nan": float("nan"), "inf": float("inf")})
    assert AuditEvent.objects.get(action="test.floats").after == {"nan": None, "inf": None}
    assert verify_chain().ok


def test_events_carry_the_scope_of_the_unit_they_concern(small_province):
    from saima.org import services

    person = services.person_create(actor=None, name="张三", unit=small_province.county_a1)
    event = AuditEvent.objects.get(action="org.person.create", object_id=str(person.pk))
    assert event.scope == small_province.county_a1.path
    grant = AuditEvent.objects.filter(action="org.role.grant").first()
    assert grant.scope != ""
    user = services.user_create(actor=None, username="zhangsan", password="pw-for-tests")
    user_event = AuditEvent.objects.get(action="org.user.create", object_id=str(user.pk))
    assert user_event.scope == ""


def test_altering_an_events_scope_in_sql_is_detected(small_province):
    seq = AuditEvent.objects.exclude(scope="").order_by("seq").first().seq
    _sql("UPDATE core_auditevent SET scope = '/elsewhere/' WHERE seq = %s", [seq])
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, seq)


def test_each_reader_sees_the_events_of_their_own_scope(client, small_province):
    from saima.org import services

    services.person_create(actor=None, name="上城干部", unit=small_province.county_a1)
    services.person_create(actor=None, name="缙云干部", unit=small_province.county_b1)
    visible = {}
    for role in ("organiser", "discipline", "superuser"):
        client.force_login(small_province.users[role])
        page = client.get("/audit/?action=org.person")
        visible[role] = {e.object_repr for e in page.context["page"].object_list}
    # organiser and discipline officer hold 杭州市: its counties' events, not 丽水市's
    assert visible["organiser"] == visible["discipline"] == {"上城干部"}
    assert visible["superuser"] == {"上城干部", "缙云干部"}
    client.force_login(small_province.users["organiser"])
    shown = client.get("/audit/").context["page"].object_list
    assert "org.user.create" not in {event.action for event in shown}
