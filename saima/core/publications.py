"""Publication news: a mechanism app says that something became public (or was corrected), and
whoever keeps copies of public pages (the portal's page cache, later the API's) hears of it.

Core knows neither side. The app that publishes calls, inside its publishing transaction::

    publication_changed(kind="races.result", object_id=result.pk)

and the listeners registered in ``ready()`` with ``on_publication(listener)`` are called once
the transaction commits (never for a publication that was rolled back). A listener that fails
is logged, not raised: the publication itself has already happened.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

Listener = Callable[[str, int | str], None]
_LISTENERS: dict[str, Listener] = {}
logger = logging.getLogger("saima.publications")


def on_publication(name: str, listener: Listener) -> None:
    """Add (or replace) the listener called ``name``."""
    _LISTENERS[name] = listener


def publication_listeners() -> dict[str, Listener]:
    return dict(_LISTENERS)


def publication_changed(*, kind: str, object_id: int | str) -> None:
    """Tell every listener, after the current transaction commits, that ``kind`` #``object_id``
    was published or corrected."""
    transaction.on_commit(lambda: _announce(kind, object_id))


def _announce(kind: str, object_id: int | str) -> None:
    for name, listener in list(_LISTENERS.items()):
        try:
            listener(kind, object_id)
        except Exception:  # a cache that cannot be told must not undo a publication
            logger.exception("publication listener %s failed for %s #%s", name, kind, object_id)
