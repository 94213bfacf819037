"""What a key image must be to be attached to a procedure (a DSA frame, a cone-beam slice): a PNG or JPEG that
decodes whole, within the site's size limit, identified by the SHA-256 of its bytes (docs/key-images.md).

Pillow decodes it: reportlab, which prints the report, already ships it, so it adds nothing to the frozen app.
DICOM images wait: their pixel data need numpy (docs/decisions.md says how much it would add).
"""

from __future__ import annotations

import base64
import binascii
import io
import math
from dataclasses import dataclass

from .errors import TaceLogError
from .messages import Message

MEDIA_TYPES = {"PNG": "png", "JPEG": "jpeg"}  # Pillow's format name -> the key_image media_type choice
DEFAULT_LIMIT_MB = 10.0  # a DSA frame is 0.3-3 MB as PNG; a 1024x1024 16-bit export is about 2 MB
_DICOM_MAGIC = (128, b"DICM")


class KeyImageError(TaceLogError):
    """A file that cannot be a key image; the message says what it is and why."""


@dataclass(frozen=True)
class ImageFile:
    """An image's bytes, and what they were found to be."""

    data: bytes
    sha256: str
    media_type: str  # "png" or "jpeg"
    width: int
    height: int

    @property
    def megabytes(self) -> float:
        return len(self.data) / 1_000_000


def sha256_of(data: bytes) -> str:
    import hashlib  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    return hashlib.sha256(data).hexdigest()


def identify(data: bytes, name: str, limit_mb: float = DEFAULT_LIMIT_MB) -> ImageFile:
    """The image `data` (read from the file `name`, which messages name), or KeyImageError saying why it is not
    one TACE Log takes: too large, DICOM, another kind of file, or a PNG or JPEG that does not decode."""
    if len(data) > limit_mb * 1_000_000:
        raise KeyImageError(Message("key_image.too_large", name=name, size=f"{len(data) / 1_000_000:.1f}",
                                    limit=f"{limit_mb:g}"))
    start, magic = _DICOM_MAGIC
    if data[start:start + len(magic)] == magic:
        raise KeyImageError(Message("key_image.dicom", name=name))
    from PIL import Image, UnidentifiedImageError  # loaded on first use: only attaching an image needs it

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind not in MEDIA_TYPES:
                raise KeyImageError(Message("key_image.not_image", name=name))
            image.load()  # decodes every byte: a truncated or damaged file fails here, not in the report
            width, height = image.size
    except UnidentifiedImageError as exc:
        raise KeyImageError(Message("key_image.not_image", name=name)) from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:  # a damaged file, or a bomb
        raise KeyImageError(Message("key_image.damaged", name=name, reason=exc)) from exc
    return ImageFile(data, sha256_of(data), MEDIA_TYPES[kind], width, height)


def from_base64(sha256: str, text: str) -> ImageFile:
    """An image a document carries (`key_image_files`: its SHA-256 -> its bytes in base64), or KeyImageError when
    it is not one or is not the image its SHA-256 names. No size limit: the site's applies when an image is
    attached, and an image attached elsewhere is a record's."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyImageError(Message("type.base64")) from exc
    if sha256_of(data) != sha256:
        raise KeyImageError(Message("key_image.file_hash", sha256=sha256))
    return identify(data, sha256[:12], math.inf)


def carried_images(doc: dict) -> list[ImageFile]:
    """The images a tace-log/2 document carries, checked already (`envelope.check_document`)."""
    return [from_base64(sha256, text) for sha256, text in (doc.get("key_image_files") or {}).items()]


def to_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
