"""The permission matrix over every conduct view: role × view × own/other scope.

Rows are the users of the small world; columns every URL name of the app with a sample
object in 杭州市 (city A). Each cell is what the user gets on GET: 200, 403 (or 404), or a
login redirect (302) for the anonymous visitor. POSTs by refused users change nothing (the URL
sweep proves that for every view; tests/conduct/test_verification.py for every clue step).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from saima.conduct import awards, clues
from saima.conduct.models import AwardKind, ClueStatus, Rectification
from tests.conduct.conftest import jpeg, upload

OK, NO, LOGIN, MOVED = 200, 403, 302, 301
USERS = [
    "anonymous",
    "nobody",
    "reporter",
    "organiser",
    "judge",
    "viewer",
    "officer_a",
    "officer_county",
    "officer_b",
    "reporter_town",
    "superuser",
]
# view → expected answer per user (same order as USERS)
MATRIX = {
    "report": [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK],
    "receipt": [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK],
    "public_awards": [MOVED] * 11,  # to the portal (tests/portal/test_conduct.py)
    "index": [LOGIN, NO, NO, NO, NO, NO, OK, OK, OK, NO, OK],
    "clue_new": [LOGIN, NO, NO, NO, NO, NO, OK, OK, OK, NO, OK],
    "clue": [LOGIN, NO, NO, NO, NO, NO, OK, OK, NO, NO, OK],
    "clue_county": [LOGIN, NO, NO, NO, NO, NO, OK, NO, NO, NO, OK],  # 回避: own unit
    "clue_evidence": [LOGIN, NO, NO, NO, NO, NO, OK, OK, NO, NO, OK],
    "rounds": [LOGIN, NO, NO, NO, NO, NO, OK, OK, OK, NO, OK],
    "round": [LOGIN, NO, NO, NO, NO, NO, OK, NO, NO, NO, OK],
    "rectification": [LOGIN, NO, NO, OK, NO, NO, OK, OK, NO, OK, OK],  # organisers report too
}


@pytest.fixture
def objects(world):
    officer = world.users["officer_a"]
    clue, _ = clues.clue_submit(data=world.input(), evidence=[upload(jpeg())])
    about_county, _ = clues.clue_submit(data=world.input(unit=world.county))
    with time_machine.travel(dt.datetime(2026, 8, 1, tzinfo=dt.UTC), tick=False):
        found, _ = clues.clue_submit(data=world.input())
        found = clues.clue_assign(actor=officer, clue=found, assignee=officer)
        found = clues.clue_start(actor=officer, clue=found)
        found = clues.clue_decide(
            actor=officer, clue=found, decision=ClueStatus.SUBSTANTIATED, findings="属实"
        )
        award_round = awards.round_open(actor=officer, owner=world.city_a, year=2026, quarter=3)
        awards.award_add(
            actor=officer,
            award_round=award_round,
            kind=AwardKind.SNAIL,
            unit=found.unit,
            clue=found,
            reason="拖延",
        )
    awards.round_publish(actor=officer, award_round=award_round)
    item = Rectification.objects.get()
    return {
        "report": reverse("conduct:report"),
        "receipt": reverse("conduct:receipt"),
        "public_awards": reverse("conduct:public_awards"),
        "index": reverse("conduct:index"),
        "clue_new": reverse("conduct:clue_new"),
        "clue": reverse("conduct:clue", args=[clue.pk]),
        "clue_county": reverse("conduct:clue", args=[about_county.pk]),
        "clue_evidence": reverse("conduct:clue_evidence", args=[clue.pk, 1]),
        "rounds": reverse("conduct:rounds"),
        "round": reverse("conduct:round", args=[award_round.pk]),
        "rectification": reverse("conduct:rectification", args=[item.pk]),
    }


@pytest.mark.parametrize("view", list(MATRIX))
def test_each_user_gets_what_the_matrix_says(world, objects, view):
    got = []
    for name in USERS:
        client = Client()
        if name != "anonymous":
            client.force_login(world.users[name])
        status = client.get(objects[view]).status_code
        got.append(404 if status == 404 else status)
    expected = [NO if e == NO else e for e in MATRIX[view]]
    actual = [NO if s in (403, 404) else s for s in got]
    assert dict(zip(USERS, actual, strict=True)) == dict(zip(USERS, expected, strict=True))


def test_the_matrix_covers_every_url_name_of_the_app():
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    conduct = {
        n for n in get_resolver().namespace_dict["conduct"][1].reverse_dict if isinstance(n, str)
    }
    assert names  # the resolver was read
    posted_only = {"answer", "clue_action", "round_action"}  # covered by their own tests
    assert conduct - posted_only == {v for v in MATRIX if v != "clue_county"}
