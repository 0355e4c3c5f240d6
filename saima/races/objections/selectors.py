"""Reads about objections (异议): until when a result may be disputed.

The window counts working days after publication: Monday to Friday, less the public holidays
and plus the make-up working days entered in the work calendar (``saima.core.calendar``).
"""

from __future__ import annotations

import datetime as dt

from saima.core.calendar import add_working_days
from saima.races.models import Result


def objection_deadline(result: Result) -> dt.datetime | None:
    if result.published_at is None:
        return None
    return add_working_days(result.published_at, result.period.race.objection_window_days)
