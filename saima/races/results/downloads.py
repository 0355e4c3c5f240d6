"""Stored files handed back to the people allowed to see them."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from saima.core.exports import stored_attachment


def attachment(file: FieldFile, name: str) -> FileResponse:
    """Stream a stored file as a download (``saima.core.exports.stored_attachment``)."""
    return stored_attachment(file, name)
