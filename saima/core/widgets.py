"""Form widgets shared by every app."""

from __future__ import annotations

from django import forms


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker.

    ``<input type="datetime-local">`` shows a value only in ``yyyy-MM-ddThh:mm``; in any other
    format (such as the language's default) the field comes up empty.
    """

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
