"""Tail rewrites: invisible to the chain alone, caught by a checkpoint kept outside."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from saima.cli import main as saima_main
from saima.core.audit import GENESIS_HASH, chain_head, event_hash, record_event, verify_chain
from saima.core.checkpoints import (
    CheckpointError,
    checkpoint_issue,
    checkpoint_parse,
    checkpoint_verify,
    signature_status,
)
from saima.core.models import AuditEvent


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@pytest.fixture
def chain(db):
    for n in range(1, 9):
        record_event(actor=None, action=f"test.e{n}", object_id=str(n), after={"n": n})


def _rehash_from(seq: int) -> None:
    """What an attacker with database access does: recompute every hash from ``seq`` on and
    the head, so the chain is consistent again."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = prev
        event.hash = event_hash(event)
        _sql(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s",
            [event.prev_hash, event.hash, event.seq],
        )
        prev = event.hash
    last = AuditEvent.objects.order_by("-seq").first()
    _sql("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [last.seq, last.hash])


def _rewrite_values(checkpoint_seq: int) -> None:
    _sql("UPDATE core_auditevent SET reason = 'rewritten' WHERE seq >= %s", [checkpoint_seq - 2])
    _rehash_from(checkpoint_seq - 2)


def _truncate(checkpoint_seq: int) -> None:
    _sql("DELETE FROM core_auditevent WHERE seq >= %s", [checkpoint_seq - 1])
    last = AuditEvent.objects.order_by("-seq").first()
    _sql("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [last.seq, last.hash])


def _replace_tail(checkpoint_seq: int) -> None:
    """Delete the last rows and append others in their place (a longer, forged history)."""
    _sql("DELETE FROM core_auditevent WHERE seq >= %s", [checkpoint_seq - 2])
    last = AuditEvent.objects.order_by("-seq").first()
    _sql("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [last.seq, last.hash])
    for n in range(5):
        record_event(actor=None, action="test.forged", object_id=str(n))


REWRITES = {"values": _rewrite_values, "truncate": _truncate, "replace": _replace_tail}


@pytest.mark.parametrize("kind", sorted(REWRITES))
def test_a_multi_row_tail_rewrite_passes_the_chain_check_alone(chain, kind):
    REWRITES[kind](7)
    assert verify_chain().ok  # why a checkpoint kept outside is needed


@pytest.mark.parametrize("kind", sorted(REWRITES))
def test_a_multi_row_tail_rewrite_is_caught_given_a_checkpoint(chain, kind):
    record_event(actor=None, action="test.e9")
    saved = json.loads(json.dumps(checkpoint_issue()))
    REWRITES[kind](9)
    report = checkpoint_verify(saved)
    assert not report.ok
    assert report.seq == 9
    assert "#9" in report.reason


def test_the_checkpoint_of_an_intact_chain_that_grew_is_extended(chain):
    saved = checkpoint_issue()
    record_event(actor=None, action="test.later")
    report = checkpoint_verify(saved)
    assert report.ok and report.signature == "valid"
    assert report.line().startswith("OK: the chain extends checkpoint #8")


def test_a_checkpoint_names_a_break_below_it(chain):
    saved = checkpoint_issue()
    _sql("UPDATE core_auditevent SET action = 'forged' WHERE seq = 3")
    report = checkpoint_verify(saved)
    assert not report.ok and "event #3" in report.reason


def test_an_altered_checkpoint_fails_its_signature(chain):
    saved = checkpoint_issue()
    saved["seq"] = 5
    saved["hash"] = AuditEvent.objects.get(seq=5).hash
    assert signature_status(saved) == "invalid"
    assert not checkpoint_verify(saved).ok


def test_an_unsigned_checkpoint_is_checked_against_the_chain_and_said_unsigned(chain):
    saved = checkpoint_issue()
    del saved["signature"]
    report = checkpoint_verify(saved)
    assert report.ok and report.signature == "unsigned"


def test_a_configured_signing_key_is_used(chain, settings):
    settings.AUDIT_SIGNING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    saved = checkpoint_issue()
    assert saved["signature"]["public_key"] == "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
    assert signature_status(saved) == "valid"
    settings.AUDIT_SIGNING_KEY = ""
    assert signature_status(saved) == "foreign key"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "not a Saima audit checkpoint"),
        ('{"format": "saima-audit-checkpoint/1", "seq": -1, "hash": ""}', "'seq'"),
        ('{"format": "saima-audit-checkpoint/1", "seq": 3, "hash": "xyz"}', "'hash'"),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_refused_with_the_reason(text, message):
    with pytest.raises(CheckpointError, match=message):
        checkpoint_parse(text, source="cp.json")


def test_chain_head_now_and_as_of_an_event(chain):
    assert chain_head().seq == 8
    assert chain_head().hash == AuditEvent.objects.get(seq=8).hash
    assert chain_head(at_seq=3).as_dict()["hash"] == AuditEvent.objects.get(seq=3).hash


def test_chain_head_of_an_empty_chain_is_genesis(db):
    head = chain_head()
    assert (head.seq, head.hash, head.at) == (0, GENESIS_HASH, None)


def test_saima_audit_verify_with_a_checkpoint(chain, tmp_path, capsys):
    path = tmp_path / "cp.json"
    path.write_text(json.dumps(checkpoint_issue()), encoding="utf-8")
    assert saima_main(["audit", "verify", "--checkpoint", str(path)]) == 0
    assert "extends checkpoint #8" in capsys.readouterr().out
    _truncate(8)
    assert saima_main(["audit", "verify", "--checkpoint", str(path)]) == 1
    err = capsys.readouterr().err
    assert "CHECKPOINT #8 NOT MATCHED: event #8 no longer exists" in err
    assert err.startswith("FAILED (1): CHECKPOINT #8 NOT MATCHED")  # the first line says it failed


def test_saima_audit_verify_refuses_a_missing_checkpoint_file_in_one_line(chain, tmp_path, capsys):
    assert saima_main(["audit", "verify", "--checkpoint", str(tmp_path / "none.json")]) == 2
    err = capsys.readouterr().err
    assert "cannot read checkpoint" in err and "Traceback" not in err


def test_saima_audit_checkpoint_prints_a_signed_checkpoint(chain, capsys):
    assert saima_main(["audit", "checkpoint"]) == 0
    data = checkpoint_parse(capsys.readouterr().out)
    assert data["seq"] == 8 and signature_status(data) == "valid"


def test_the_public_head_page_and_checkpoint_download_need_no_login(client, chain):
    page = client.get("/audit/head/")
    assert page.status_code == 200
    assert AuditEvent.objects.get(seq=8).hash in page.content.decode()
    download = client.get("/audit/checkpoint.json")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    data = checkpoint_parse(download.content.decode())
    assert data["seq"] == 8 and checkpoint_verify(data).ok


def test_the_chain_head_tag_renders_the_head_for_boards_and_kits(chain):
    from django.template import Context, Template

    html = Template("{% load audit_tags %}{% audit_chain_head %}|{% audit_chain_head 3 %}").render(
        Context({})
    )
    now, then = html.split("|")
    assert AuditEvent.objects.get(seq=8).hash in now and "#8" in now
    assert AuditEvent.objects.get(seq=3).hash in then and "#3" in then


@pytest.mark.parametrize("key", ["not base64!", "AAEC"])
def test_a_malformed_signing_key_fails_the_system_check(settings, key):
    from saima.core.checks import audit_signing_key

    settings.AUDIT_SIGNING_KEY = key
    [error] = audit_signing_key()
    assert error.id == "saima.E001" and "SAIMA_AUDIT_SIGNING_KEY" in error.msg
    settings.AUDIT_SIGNING_KEY = ""
    assert audit_signing_key() == []
