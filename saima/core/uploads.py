"""Storing an uploaded file, the same way for every app: size limit, safe name, audit.

    with transaction.atomic():
        evidence = Evidence(report=report, uploaded_by=actor)
        upload_store(
            actor=actor, instance=evidence, field="file", name_field="name", upload=upload,
            max_bytes=MAX_EVIDENCE_BYTES, action="races.evidence.add", after={"report": report.pk},
        )

``upload_check`` alone refuses a file before anything else is written (call it first when the
upload goes with other changes, so nothing is half-saved). ``clean_image`` accepts a JPEG or
PNG only and returns it re-encoded from its pixels (no metadata, nothing appended), for
uploads that must not carry what the camera or the editor wrote into them.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from saima.core.audit import record_event

MIB = 1024 * 1024


class UploadRefused(ValueError):
    """The upload is refused; the message is meant for the user."""


def safe_upload_name(name: str, fallback: str = "file") -> str:
    """The last path component, without control or reserved characters, ≤ 120 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return (base or fallback)[-120:]


def upload_check(
    upload: UploadedFile[Any],
    *,
    max_bytes: int,
    suffixes: Iterable[str] = (),
    fallback: str = "file",
) -> str:
    """The safe name to store ``upload`` under; ``UploadRefused`` if too big or of a wrong type."""
    if upload.size is not None and upload.size > max_bytes:
        raise UploadRefused(_("文件不能超过 %(mib)s MB") % {"mib": max_bytes // MIB})
    name = safe_upload_name(upload.name or fallback, fallback)
    allowed = tuple(s.lower() for s in suffixes)
    if allowed and not name.lower().endswith(allowed):
        raise UploadRefused(_("只支持 %(types)s 文件") % {"types": "、".join(allowed)})
    return name


def upload_store(
    *,
    actor: Any,
    instance: models.Model,
    field: str,
    upload: UploadedFile[Any],
    max_bytes: int,
    action: str,
    after: dict[str, Any] | None = None,
    suffixes: Iterable[str] = (),
    fallback: str = "file",
    name_field: str = "",
) -> str:
    """Check the upload, save it into ``instance.<field>``, save ``instance``, record ``action``.

    The safe name is also set on ``instance.<name_field>`` when given (before saving, so the
    audit event names the file). Returns it. One transaction: a refused file leaves nothing.
    """
    name = upload_check(upload, max_bytes=max_bytes, suffixes=suffixes, fallback=fallback)
    if name_field:
        setattr(instance, name_field, name)
    with transaction.atomic():
        getattr(instance, field).save(name, upload, save=False)
        instance.save()
        record_event(
            actor=actor,
            action=action,
            obj=instance,
            after={**(after or {}), "file": name, "size": upload.size},
        )
    return name


# ---------------------------------------------------------------- images, rewritten clean

IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
IMAGE_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused, never decoded


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str
    suffix: str
    width: int
    height: int


def clean_image(upload: UploadedFile[Any], *, max_bytes: int) -> CleanImage:
    """The picture of ``upload`` re-encoded from its pixels alone: ``UploadRefused`` otherwise.

    Only JPEG and PNG, recognised by their first bytes (the name and the declared type are not
    trusted). The file is decoded with a pixel limit (a decompression bomb is refused before it
    is expanded), turned upright by its EXIF orientation, and written anew: EXIF (camera, GPS,
    time), XMP, ICC profiles, comments, text chunks and anything appended after the image
    (a polyglot's second half) are left behind, because only pixels are copied.
    """
    if upload.size is not None and upload.size > max_bytes:
        raise UploadRefused(_("文件不能超过 %(mib)s MB") % {"mib": max_bytes // MIB})
    raw = upload.read(max_bytes + 1)
    if not raw:
        raise UploadRefused(_("文件是空的"))
    if len(raw) > max_bytes:
        raise UploadRefused(_("文件不能超过 %(mib)s MB") % {"mib": max_bytes // MIB})
    kind = next((k for magic, k in IMAGE_MAGIC.items() if raw.startswith(magic)), None)
    if kind is None:
        raise UploadRefused(_("只接受 JPEG 或 PNG 图片（按文件内容识别，不看扩展名）"))
    return _reencode(raw, kind)


def _reencode(raw: bytes, kind: str) -> CleanImage:
    refused = UploadRefused(_("图片无法读取：文件已损坏或不是真正的 JPEG/PNG 图片"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=[kind]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRefused(
                        _("图片像素过多（%(w)s×%(h)s），请缩小后再上传") % {"w": width, "h": height}
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _encode(upright, kind)
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(_("图片像素过多，请缩小后再上传")) from None
    except (OSError, ValueError, SyntaxError, struct.error, EOFError):
        raise refused from None


def _encode(image: Image.Image, kind: str) -> CleanImage:
    """Only the pixels go into a new image (``frombytes``: no ``info``, so no comment, EXIF,
    ICC or text chunk can be carried over by the encoder)."""
    if kind == "JPEG":
        mode = "RGB"
    else:
        mode = image.mode if image.mode in {"L", "LA", "RGB", "RGBA"} else "RGBA"
    pixels = image.convert(mode)
    fresh = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if kind == "JPEG":
        fresh.save(out, "JPEG", quality=90, optimize=True)
    else:
        fresh.save(out, "PNG", optimize=True)
    content_type, suffix = IMAGE_TYPES[kind]
    return CleanImage(out.getvalue(), content_type, suffix, fresh.width, fresh.height)
