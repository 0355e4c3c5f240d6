"""Working days follow the official calendar: holidays lengthen a window, make-up days count."""

from __future__ import annotations

import datetime as dt
import doctest

from django.utils import timezone

from saima.core import calendar
from saima.core.models import CalendarDay


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def test_the_documented_examples_hold():
    failures, tried = doctest.testmod(calendar)
    assert tried > 0 and failures == 0


def test_five_working_days_from_a_friday_end_the_next_friday_night(db):
    end = calendar.add_working_days(at(2026, 11, 27), 5)
    assert timezone.localtime(end) == timezone.make_aware(dt.datetime(2026, 12, 4, 23, 59, 59))


def test_a_holiday_week_pushes_the_end_out_and_a_make_up_saturday_counts(db):
    # Published Wednesday 30 Sept; 1-7 Oct off (Thu-Wed), Sat 10 Oct a make-up working day.
    for day in range(1, 8):
        CalendarDay.objects.create(date=dt.date(2026, 10, day), workday=False, name="国庆节")
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), workday=True, name="国庆节调休上班")
    end = calendar.add_working_days(at(2026, 9, 30), 5)
    # working days after 30 Sept: Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13
    assert timezone.localtime(end).date() == dt.date(2026, 10, 13)


def test_the_calendar_is_read_in_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar.add_working_days(at(2026, 1, 5), 20)


def test_a_long_run_of_holidays_past_the_first_fetch_is_still_honoured(db):
    start = dt.date(2027, 1, 4)
    for offset in range(1, 60):  # two months off, say a data-entry slip; still counted right
        CalendarDay.objects.create(date=start + dt.timedelta(days=offset), workday=False, name="x")
    end = calendar.add_working_days(at(2027, 1, 4), 1)
    first_workday_after = start + dt.timedelta(days=60)
    while first_workday_after.weekday() >= 5:
        first_workday_after += dt.timedelta(days=1)
    assert timezone.localtime(end).date() == first_workday_after
