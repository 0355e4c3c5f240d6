"""Evidence files (佐证材料) of reports and objections: what is accepted, checked through core's
one upload store (``saima.core.uploads``) before anything else is written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.core.uploads import MIB, UploadRefused, upload_check
from saima.races.errors import RaceError

MAX_EVIDENCE_BYTES = 20 * MIB
# documents, scans and spreadsheets an office sends as proof (.ofd: China's e-document format)
EVIDENCE_SUFFIXES = (
    ".pdf",
    ".ofd",
    ".jpg",
    ".jpeg",
    ".png",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".csv",
    ".txt",
)


def evidence_field() -> forms.FileField:
    """The form field for an evidence file: the browser offers only the accepted types."""
    return forms.FileField(
        label=gettext_lazy("佐证材料"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EVIDENCE_SUFFIXES)}),
    )


def evidence_check(upload: UploadedFile[Any]) -> str:
    """The safe name to store ``upload`` under, or RaceError naming why it is refused (too big,
    a type that is not accepted)."""
    try:
        return upload_check(
            upload, max_bytes=MAX_EVIDENCE_BYTES, suffixes=EVIDENCE_SUFFIXES, fallback="evidence"
        )
    except UploadRefused as exc:
        raise RaceError(_("佐证材料：%(reason)s") % {"reason": exc}) from None
