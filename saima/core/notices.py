"""Notices (通知): a message in each user's in-app inbox, and by e-mail where mail is on.

Any app notifies through ``notify``; the e-mail leaves only once the transaction that decided
to send it has committed, so a rolled-back change never mails anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail
from django.db import transaction

from saima.core.models import Notice


def notify(users: Iterable[AbstractUser], title: str, body: str, link: str) -> tuple[int, int]:
    """Give each user a notice; return (notices written, e-mails queued)."""
    users = list(users)
    Notice.objects.bulk_create(
        Notice(user_id=user.pk, title=title, body=body, link=link) for user in users
    )
    emails = (
        [user.email for user in users if user.email]
        if getattr(settings, "EMAIL_ENABLED", False)
        else []
    )
    if emails:
        transaction.on_commit(
            lambda: send_mail(title, f"{body}\n\n{link}", None, emails, fail_silently=True)
        )
    return len(users), len(emails)
