"""Stored files handed back to the people allowed to see them."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


def attachment(file: FieldFile, name: str) -> FileResponse:
    """Stream a stored file as a download under its original (possibly Chinese) name."""
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type="application/octet-stream"
    )
