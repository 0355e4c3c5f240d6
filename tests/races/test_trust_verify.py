"""Published results are covered by ``saima verify`` (issue 7, §3): a direct database edit of a
result row, of the frozen outputs or of the digest is named; the chain head is on every
published board and in the verification kit."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection
from django.urls import reverse

from saima.cli import main as saima_main
from saima.core.audit import chain_head
from saima.core.checkpoints import checkpoint_parse, signature_status
from saima.core.verification import registered_verifiers, verification_run
from saima.races.models import Result, ResultRow


def _problems() -> list[str]:
    report = verification_run()
    return next(item.problems for item in report.findings if item.name == "races.results")


def test_the_races_register_a_frozen_result_verifier(db):
    assert "races.results" in registered_verifiers()


def test_an_untouched_published_result_verifies(world):
    world.published()
    assert _problems() == []


def test_a_row_edited_in_the_database_is_named_by_saima_verify(world, capsys):
    result = world.published()
    unit = world.counties["桐庐县"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE races_resultrow SET rank = 1, score = 99.9 WHERE result_id = %s AND unit_id = %s",
            [result.pk, unit.pk],
        )
    assert saima_main(["verify"]) == 1
    err = capsys.readouterr().err
    assert "PROBLEMS in races.results: 1" in err
    assert f"(result #{result.pk}): board row of 桐庐县" in err
    assert "rank 1" in err and "score 99.9" in err


def test_frozen_outputs_edited_in_the_database_are_named(world):
    result = world.published()
    outputs = Result.objects.get(pk=result.pk).outputs
    outputs["rows"][0]["score"] = 99.9
    Result.objects.filter(pk=result.pk).update(outputs=outputs)
    problems = _problems()
    assert any("the stored outputs do not hash to the digest" in p for p in problems)


def test_frozen_inputs_and_digest_rewritten_together_are_named(world):
    result = world.published()
    inputs = Result.objects.get(pk=result.pk).inputs
    inputs["values"][0][0] = 50.0
    Result.objects.filter(pk=result.pk).update(inputs=inputs, digest="0" * 64)
    problems = _problems()
    assert any("differs from the audited" in p for p in problems)
    assert any("re-running the engine on the frozen inputs" in p for p in problems)


def test_a_deleted_row_is_named(world):
    result = world.published()
    ResultRow.objects.filter(result=result, unit=world.counties["上城区"]).delete()
    assert any("has no board row" in p for p in _problems())


def test_every_published_board_shows_the_chain_head_at_publication(client, world):
    result = world.published()
    head = chain_head()
    page = client.get(reverse("races:board", args=[result.pk])).content.decode()
    assert f"#{head.seq}" in page and head.hash in page


@pytest.mark.parametrize("extra_events", [0, 3])
def test_the_kit_carries_a_signed_checkpoint_and_says_how_to_use_it(client, world, extra_events):
    result = world.published()
    for _ in range(extra_events):
        world.period(2027, 1 + _)
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("races:kit", args=[result.pk])).content)
    )
    checkpoint = checkpoint_parse(archive.read("audit-checkpoint.json").decode())
    assert signature_status(checkpoint) == "valid"
    assert checkpoint["seq"] == chain_head().seq
    readme = archive.read("README.txt").decode()
    assert f"#{checkpoint['seq']}" in readme and checkpoint["hash"] in readme
    assert "saima verify --checkpoint audit-checkpoint.json" in readme
    json.loads(archive.read("audit-checkpoint.json"))
