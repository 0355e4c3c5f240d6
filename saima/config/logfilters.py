"""Logging filters named in ``LOGGING``.

A refused request (403) is an expected answer, not a failure of the code: Django logs it with
the exception's traceback, which buries real errors in the log. ``ForbiddenInOneLine`` keeps
the record (who was refused what) and drops the traceback.

``logging.config.dictConfig`` adds a logger's filters again each time it runs (it never removes
them), so the filter names the user once however often it is installed.
"""

from __future__ import annotations

import logging


class ForbiddenInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            named = getattr(record, "user_named", False)  # the filter may be installed twice
            if (
                user is not None
                and user.is_authenticated
                and not named
                and isinstance(record.args, tuple)
            ):
                record.msg = f"{record.msg} (user %s)"
                record.args = (*record.args, user.get_username())
                record.user_named = True
        return True
