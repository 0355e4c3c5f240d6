"""Workflow steps as action objects, in the manner of Wagtail's ``wagtail/actions/``.

An action is one step (close a period, publish a result, answer an objection…) that one user
takes on one object. Built with the user, the object and the step's inputs, it answers three
questions, and every caller (view, template, command line, API) asks the same object:

- ``why_not()``: the reason it may not be taken now, or None. A user without the right gets
  ``forbidden``; a state that does not allow it (a closed period, an answered objection) gets
  the action's own ``refusal()``. ``allowed()`` is ``why_not() is None``. Templates call both
  without arguments, which is why the user is given to the constructor, as in Wagtail.
- ``check()``: raises ``ActionForbidden`` (a ``PermissionDenied``: the view answers 403) or
  ``ActionRefused`` (shown to the user as is).
- ``execute()``: checks, then does the work in one transaction; the service it calls records
  the audit event inside that transaction, so the change and its record commit together.

Permission predicates stay in each app's one permission module; ``permitted()`` calls them.
The service re-checks the state under a row lock, with the same rule, so two users acting at
once cannot both pass.

>>> class Hello(Action[str]):
...     label = "hello"
...     def permitted(self) -> bool:
...         return self.user == "ann"
...     def perform(self) -> str:
...         return "hello " + str(self.user)
>>> Hello("bob").why_not() == str(Action.forbidden)
True
>>> Hello("ann").allowed()
True
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")


class ActionForbidden(PermissionDenied):
    """The user may not take this action (answered with 403)."""


class ActionRefused(ValueError):
    """The action is not possible now, or its input is wrong; the message is meant for the user."""


class Action(ABC, Generic[T]):
    """One workflow step by ``user``; subclasses take the object and inputs as keywords."""

    label: ClassVar[str | Promise]
    forbidden: ClassVar[str | Promise] = _("你没有执行此操作的权限")

    def __init__(self, user: Any) -> None:
        self.user = user

    @abstractmethod
    def permitted(self) -> bool:
        """Whether the user holds the right (ask the app's permission module)."""

    def refusal(self) -> str | None:
        """Why the object's state does not allow the action now (None when it does)."""
        return None

    @abstractmethod
    def perform(self) -> T:
        """Do the work (call the service); runs inside ``execute``'s transaction."""

    @cached_property
    def _reason(self) -> str | None:
        return str(self.forbidden) if not self.permitted() else self.refusal()

    def why_not(self) -> str | None:
        """The reason shown beside a disabled button (asked once per object: pages ask often)."""
        return self._reason

    def allowed(self) -> bool:
        return self.why_not() is None

    def check(self) -> None:
        if not self.permitted():
            raise ActionForbidden(str(self.forbidden))
        reason = self.refusal()
        if reason is not None:
            raise ActionRefused(reason)

    def execute(self) -> T:
        self.check()
        with transaction.atomic():
            return self.perform()


def take(request: HttpRequest, action: Action[T], success: str | Callable[[T], str]) -> T | None:
    """A view's way to run ``action``: its outcome with ``success`` as a message (or the message
    ``success`` words for the outcome), or None with the refusal as an error message. No right
    raises ``ActionForbidden`` (answered with 403)."""
    try:
        outcome = action.execute()
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, success(outcome) if callable(success) else success)
    return outcome
