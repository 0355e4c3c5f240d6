"""The action-object base: one answer for the page, the view and the service."""

from __future__ import annotations

import doctest

import pytest

from saima.core import workflow
from saima.core.models import Notice
from saima.core.notices import notify
from saima.core.workflow import Action, ActionForbidden, ActionRefused
from tests.factories import build_small_province


class _Notify(Action[int]):
    label = "notify"

    def __init__(self, user, *, closed: bool = False, fail: bool = False) -> None:
        super().__init__(user)
        self.closed, self.fail = closed, fail

    def permitted(self) -> bool:
        return self.user.is_superuser

    def refusal(self) -> str | None:
        return "已关闭" if self.closed else None

    def perform(self) -> int:
        notify([self.user], "t", "b", "/")
        if self.fail:
            raise ActionRefused("写到一半失败")
        return 1


def test_the_docstring_example_holds():
    outcome = doctest.testmod(workflow)
    assert outcome.attempted > 0 and outcome.failed == 0


@pytest.fixture
def users(db):
    base = build_small_province()
    return base["users"]


def test_a_user_without_the_right_is_forbidden_before_anything_is_written(users):
    action = _Notify(users["reporter"])
    assert not action.allowed()
    with pytest.raises(ActionForbidden):
        action.execute()
    assert not Notice.objects.exists()


def test_a_state_refusal_carries_its_reason(users, django_user_model):
    admin = django_user_model.objects.create_superuser("wf-admin", password="x")
    action = _Notify(admin, closed=True)
    assert action.why_not() == "已关闭"
    with pytest.raises(ActionRefused, match="已关闭"):
        action.execute()


def test_a_step_that_fails_half_way_leaves_nothing_behind(users, django_user_model):
    admin = django_user_model.objects.create_superuser("wf-admin", password="x")
    with pytest.raises(ActionRefused):
        _Notify(admin, fail=True).execute()
    assert not Notice.objects.exists()
    assert _Notify(admin).execute() == 1
    assert Notice.objects.count() == 1
