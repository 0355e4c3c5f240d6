"""Throttling the anonymous pages, per client and per target, and opening a clue by receipt.

The client is known only as ``request.anonymous_client`` (an HMAC of its address under a
secret that changes daily and never leaves the cache: ``saima.core.anonymity``). Limits come
from settings (``CONDUCT_*``, docs/conduct.md):

- clues per client per hour, and about one unit or person per day (a flood about one target
  is refused, and the officers' queue is not drowned);
- failed receipt codes per receipt (15 minutes; the locator names the receipt) and per client
  (one hour). A locked receipt refuses before any hash is computed; the other receipts are not
  touched, so guessing one locks nobody else out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.conduct import receipts
from saima.conduct.models import Clue
from saima.core import anonymity

HOUR = 3600
RECEIPT_WINDOW = 15 * 60


def client_of(request: HttpRequest) -> str:
    client = getattr(request, "anonymous_client", None)
    if client is None:  # the middleware did not run (a test calling the view directly)
        anonymity.scrub(request)
        client = request.anonymous_client  # type: ignore[attr-defined]
    return str(client)


def submission_refusal(request: HttpRequest, *, unit_id: int, person_id: int | None) -> str | None:
    """Count one submission; the reason it is refused, or None."""
    client = client_of(request)
    if not anonymity.hit(
        f"clue:client:{client}", limit=settings.CONDUCT_CLUES_PER_CLIENT, window=HOUR
    ):
        return _("提交过于频繁，请一小时后再试")
    target = f"p{person_id}" if person_id else f"u{unit_id}"
    day = timezone.localdate().isoformat()
    if not anonymity.hit(
        f"clue:target:{target}:{day}", limit=settings.CONDUCT_CLUES_PER_TARGET, window=86400
    ):
        return _("今天关于该对象的线索已达上限，请明天再提交；情况紧急请直接到纪检监察机关反映")
    return None


@dataclass(frozen=True)
class Opened:
    clue: Clue | None
    refusal: str = ""
    throttled: bool = False  # refused for too many failures (answered with 429)


WRONG = _("回执码不正确")  # one answer for an unknown locator and a wrong secret


def open_by_receipt(request: HttpRequest, text: str) -> Opened:
    """The clue whose receipt is ``text``, or why not; failures count per receipt and client."""
    client_key = f"receipt:client:{client_of(request)}"
    if anonymity.hits(client_key) >= settings.CONDUCT_RECEIPT_FAILURES_PER_CLIENT:
        return Opened(None, _("尝试次数过多，请一小时后再试"), throttled=True)
    receipt = receipts.parse(text)
    if receipt is None:
        anonymity.hit(client_key, limit=0, window=HOUR)
        return Opened(None, _("回执码格式不对：应为 20 位字母和数字，如 K3QZ-8W1M-4T7P-2D9X-6HVA"))
    receipt_key = f"receipt:locator:{receipt.locator}"
    if anonymity.hits(receipt_key) >= settings.CONDUCT_RECEIPT_FAILURES_PER_RECEIPT:
        return Opened(None, _("此回执码尝试次数过多，已暂停 15 分钟，请稍后再试"), throttled=True)
    clue = Clue.objects.filter(receipt_locator=receipt.locator).select_related("unit").first()
    if clue is None:
        receipts.burn_time(receipt.secret)
    if clue is None or not receipts.secret_matches(clue.receipt_hash, receipt.secret):
        anonymity.hit(client_key, limit=0, window=HOUR)
        anonymity.hit(receipt_key, limit=0, window=RECEIPT_WINDOW)
        return Opened(None, str(WRONG))
    return Opened(clue)
