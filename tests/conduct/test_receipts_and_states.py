"""Receipt codes (80-bit secret, slow hash, locator) and the clue's states, edge by edge."""

from __future__ import annotations

import itertools

import pytest

from saima.conduct import clues, receipts
from saima.conduct.errors import ConductError
from saima.conduct.models import DECISIONS, TRANSITIONS, Clue, ClueStatus, may_move
from tests.conduct.conftest import submit


def test_a_receipt_has_an_80_bit_secret_and_a_separate_locator():
    receipt = receipts.new_receipt()
    assert len(receipt.secret) == 16 and len(receipts.ALPHABET) == 32  # 16 × 5 = 80 bits
    assert len(receipt.locator) == 4
    assert receipt.code.count("-") == 4 and len(receipt.code) == 24


def test_receipts_are_not_repeated():
    codes = {receipts.new_receipt().code for _ in range(2000)}
    assert len(codes) == 2000


def test_a_receipt_typed_by_hand_is_read_back():
    receipt = receipts.Receipt("K3QZ", "8W1M4T7P2D9X6HVA")
    typed = " k3qz 8wlm-4t7p 2d9x-6hva "  # lower case, l for 1, spaces
    assert receipts.parse(typed) == receipt
    assert receipts.parse("O" + receipt.code[1:]) != receipt  # O reads as 0, not as Q
    assert receipts.parse(receipt.code[:-1]) is None
    assert receipts.parse(receipt.code.replace("K", "!")) is None


def test_only_an_argon2id_hash_of_the_secret_is_stored(world):
    clue, code = submit(world)
    receipt = receipts.parse(code)
    assert receipt is not None
    stored = Clue.objects.get(pk=clue.pk)
    assert stored.receipt_locator == receipt.locator
    assert stored.receipt_hash.startswith("$argon2id$")
    assert receipt.secret not in stored.receipt_hash
    assert receipts.secret_matches(stored.receipt_hash, receipt.secret)
    assert not receipts.secret_matches(stored.receipt_hash, receipt.secret[::-1])


def test_a_taken_locator_is_drawn_again(world, monkeypatch):
    first, _code = submit(world)
    draws = iter(
        [
            receipts.Receipt(first.receipt_locator, "0" * 16),
            receipts.Receipt("ZZZZ", "1" * 16),
        ]
    )
    monkeypatch.setattr(receipts, "new_receipt", lambda: next(draws))
    second, code = submit(world)
    assert second.receipt_locator == "ZZZZ" and code.startswith("ZZZZ")


STATES = list(ClueStatus.values)


@pytest.mark.parametrize("current,target", list(itertools.product(STATES, STATES)))
def test_each_move_is_allowed_exactly_when_listed(current, target):
    assert may_move(current, target) == ((current, target) in TRANSITIONS)


def test_decided_clues_never_move_again():
    for decided, target in itertools.product(DECISIONS, STATES):
        assert not may_move(decided, target)


def _clue_in(world, status: str) -> Clue:
    clue, _code = submit(world)
    Clue.objects.filter(pk=clue.pk).update(status=status, assignee=world.users["officer_a"])
    return Clue.objects.get(pk=clue.pk)


STEPS = {
    ClueStatus.ASSIGNED: lambda w, c: clues.clue_assign(
        actor=w.users["officer_a"], clue=c, assignee=w.users["officer_a"]
    ),
    ClueStatus.INVESTIGATING: lambda w, c: clues.clue_start(actor=w.users["officer_a"], clue=c),
    ClueStatus.AWAITING_ANSWER: lambda w, c: clues.clue_ask(
        actor=w.users["officer_a"], clue=c, text="请补充地点"
    ),
    **{
        decision: (
            lambda w, c, d=decision: clues.clue_decide(
                actor=w.users["officer_a"], clue=c, decision=d, findings="经核查"
            )
        )
        for decision in DECISIONS
    },
}


@pytest.mark.parametrize(
    "current,target", [(c, t) for c in STATES for t in STEPS], ids=lambda v: str(v)
)
def test_the_services_take_exactly_the_listed_edges(world, current, target):
    clue = _clue_in(world, current)
    if (current, target) in TRANSITIONS:
        assert STEPS[target](world, clue).__class__  # no refusal
        assert Clue.objects.get(pk=clue.pk).status == target
    else:
        with pytest.raises(ConductError):
            STEPS[target](world, clue)
        assert Clue.objects.get(pk=clue.pk).status == current


def test_the_answer_and_resume_edges_lead_back_to_investigating(world):
    clue = _clue_in(world, ClueStatus.AWAITING_ANSWER)
    clues.clue_answer(clue=clue, text="在人民路 12 号")
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.INVESTIGATING
    with pytest.raises(ConductError):
        clues.clue_answer(clue=clue, text="again")
    Clue.objects.filter(pk=clue.pk).update(status=ClueStatus.AWAITING_ANSWER)
    clues.clue_resume(actor=world.users["officer_a"], clue=clue)
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.INVESTIGATING
