"""Site photos (现场照片): JPEG or PNG by their first bytes, size-limited, decoded and written
again with Pillow so that no EXIF (GPS position, camera, time) or text chunk survives, stored
under a generated name (``models.photo_path``) and served only through a checked view.

>>> photo_kind(b"\\x89PNG\\r\\n\\x1a\\n....")
'png'
>>> photo_kind(b"GIF89a") is None
True
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from saima.core.uploads import MIB, safe_upload_name
from saima.projects.errors import ProjectError

MAX_PHOTO_BYTES = 8 * MIB
MAX_PHOTO_PIXELS = 40_000_000  # 40 megapixels: anything larger is refused, never decoded
MAX_PHOTOS_PER_REPORT = 12
MAX_EDGE = 4096  # stored photos are scaled to fit this edge
_MAGIC = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: the re-encoded bytes, its format, size and the original name."""

    content: bytes
    kind: str
    width: int
    height: int
    name: str


def photo_kind(head: bytes) -> str | None:
    """'jpg' or 'png' from the file's first bytes (never from its name); None otherwise."""
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def _read(upload: UploadedFile[Any]) -> bytes:
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ProjectError(_("照片不能超过 %(mib)s MB") % {"mib": MAX_PHOTO_BYTES // MIB})
    upload.seek(0)
    content = bytes(upload.read(MAX_PHOTO_BYTES + 1))
    if len(content) > MAX_PHOTO_BYTES:
        raise ProjectError(_("照片不能超过 %(mib)s MB") % {"mib": MAX_PHOTO_BYTES // MIB})
    return content


def _decode(content: bytes, kind: str) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content), formats=["JPEG" if kind == "jpg" else "PNG"])
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise ProjectError(_("照片像素过多（超过 4000 万像素），请缩小后上传"))
            image.load()
        except ProjectError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ProjectError(_("照片像素过多（超过 4000 万像素），请缩小后上传")) from None
        except Exception:
            raise ProjectError(_("无法读取照片（文件已损坏，或不是 JPEG/PNG 图片）")) from None
    return image


def clean_photo(upload: UploadedFile[Any]) -> CleanPhoto:
    """Check and re-encode an uploaded photo; ``ProjectError`` naming what is wrong."""
    content = _read(upload)
    kind = photo_kind(content[:8])
    if kind is None:
        raise ProjectError(_("照片只支持 JPEG 和 PNG 格式"))
    image = ImageOps.exif_transpose(_decode(content, kind))  # keep the picture upright
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    mode = "RGBA" if kind == "png" and image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    pixels = image.convert(mode)
    # A fresh image from the pixels alone: no info, EXIF, ICC, XMP or text chunk is carried over.
    bare = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if kind == "jpg":
        bare.save(out, format="JPEG", quality=85, optimize=True)
    else:
        bare.save(out, format="PNG", optimize=True)
    name = safe_upload_name(upload.name or "photo", "photo")
    return CleanPhoto(out.getvalue(), kind, image.width, image.height, name)
