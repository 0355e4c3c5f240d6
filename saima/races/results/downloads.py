"""Stored files handed back to the people allowed to see them."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from saima.core.exports import safe_download_name


def attachment(file: FieldFile, name: str) -> FileResponse:
    """Stream a stored file as a download under its original (possibly Chinese) name, cleaned
    of path separators and control characters (sent as RFC 5987 ``filename*``)."""
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=safe_download_name(name),
        content_type="application/octet-stream",
    )
