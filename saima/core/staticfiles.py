"""The front-end packages' files Saima serves, named one by one.

``node_modules/echarts/dist`` holds 46 MB of builds and source maps, of which the pages use one
file. Listing the files served (``VENDOR_STATIC_FILES``: URL path → file) keeps ``collectstatic``
(hashing and compressing everything it gathers) to seconds and serves nothing unintended.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


class VendorFileFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files = {path: Path(source) for path, source in settings.VENDOR_STATIC_FILES.items()}

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(
                f"VENDOR_STATIC_FILES: {source} (for {path}) does not exist",
                hint="Run `npm ci` (make setup).",
                id="saima.E101",
            )
            for path, source in self.files.items()
            if not source.is_file()
        ]

    def find(  # type: ignore[override]
        self, path: str, find_all: bool = False, **kwargs: Any
    ) -> str | list[str] | None:
        source = self.files.get(path)
        if source is None or not source.is_file():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for path, source in self.files.items():
            if not source.is_file():
                continue
            folder, _, name = path.rpartition("/")
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = folder  # type: ignore[attr-defined]
            yield name, storage
