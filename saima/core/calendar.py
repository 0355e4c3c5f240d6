"""Working days: Monday to Friday, except the holidays and make-up days in ``CalendarDay``.

Deadlines that officials count in working days (the objection window, 5 working days by
default) follow the official calendar: a week with National Day off runs longer, a make-up
Saturday counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from saima.core.audit import record_event, snapshot
from saima.core.models import CalendarDay


def is_workday(day: dt.date, exceptions: dict[dt.date, bool]) -> bool:
    """The calendar's word where it has one, else Monday to Friday.

    >>> is_workday(dt.date(2026, 10, 1), {dt.date(2026, 10, 1): False})  # a Thursday off
    False
    >>> is_workday(dt.date(2026, 10, 10), {dt.date(2026, 10, 10): True})  # a make-up Saturday
    True
    >>> is_workday(dt.date(2026, 10, 12), {})  # an ordinary Monday
    True
    """
    return exceptions.get(day, day.weekday() < 5)


def _exceptions(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    return dict(
        CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "workday")
    )


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (23:59:59 local time) of the ``days``-th working day after ``start``'s date."""
    day = timezone.localtime(start).date()
    # Holidays rarely exceed a week at a time: one generous fetch, extended only if ever needed.
    span = dt.timedelta(days=3 * days + 21)
    fetched_to = day + span
    exceptions = _exceptions(day, fetched_to)
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day > fetched_to:
            exceptions |= _exceptions(day, fetched_to + span)
            fetched_to += span
        if is_workday(day, exceptions):
            left -= 1
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def calendar_day_save(*, actor: Any, day: CalendarDay) -> CalendarDay:
    """Add or change a calendar exception (a holiday or a make-up working day), audited."""
    with transaction.atomic():
        old = CalendarDay.objects.filter(pk=day.pk).first() if day.pk else None
        before = snapshot(old) if old is not None else None
        day.full_clean()
        day.save()
        after = snapshot(day)
        if before != after:
            action = "core.calendarday.create" if old is None else "core.calendarday.change"
            record_event(actor=actor, action=action, obj=day, before=before, after=after)
    return day


def calendar_day_delete(*, actor: Any, day: CalendarDay) -> None:
    with transaction.atomic():
        record_event(actor=actor, action="core.calendarday.delete", obj=day, before=snapshot(day))
        day.delete()
