"""One rule for the free text the safeguards take in (statements, reasons, notices)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saima.safeguards.errors import SafeguardError
from saima.safeguards.models import TEXT_LIMIT


def clean_text(value: str, field: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    """``value`` stripped; refused naming ``field`` when it is missing, too long or holds NUL."""
    text = (value or "").strip()
    if required and not text:
        raise SafeguardError(_("请填写%(field)s") % {"field": field})
    if len(text) > limit:
        raise SafeguardError(
            _("%(field)s过长：%(length)d 字，最多 %(limit)d 字")
            % {"field": field, "length": len(text), "limit": limit}
        )
    if "\x00" in text:
        raise SafeguardError(_("%(field)s含有不可见的控制字符") % {"field": field})
    return text
