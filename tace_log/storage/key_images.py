"""The bytes of key images, kept once each in the logbook by their SHA-256 (`key_image_files`, migration 0010).

A procedure's `key_images` records name their image by hash; the bytes are stored when the image is attached
(before the procedure is saved, so nothing typed or chosen is lost), are never updated or deleted (triggers), and
every read recomputes the hash: bytes changed in the file are said, never shown as the image that was attached."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ..errors import LogbookCorruptError
from ..key_images import DEFAULT_LIMIT_MB, ImageFile, identify, sha256_of
from ..messages import Message
from ..times import now_utc
from .session import Session

_KEY_IMAGE_SCHEMA = 10  # the migration that made the tables


class KeyImages:
    """`Logbook.key_images`: attach (store) an image's bytes, read them back by hash."""

    def __init__(self, session: Session):
        self._session = session

    @property
    def _db(self) -> sqlite3.Connection:
        return self._session.db

    def _here(self) -> bool:
        return self._session.schema_version >= _KEY_IMAGE_SCHEMA

    def store(self, data: bytes, name: str, limit_mb: float = DEFAULT_LIMIT_MB) -> ImageFile:
        """Keep an image's bytes (read from the file `name`) in the logbook, once: KeyImageError, naming the file,
        when it is not a PNG or JPEG within `limit_mb` (the site's: `settings.load_key_image_limit_mb`). Returns
        what it is, to attach to a procedure."""
        image = identify(data, name, limit_mb)
        with self._session.transaction():
            self._insert([image])
        return image

    def _insert(self, images: Iterable[ImageFile]) -> None:
        """Inside the caller's transaction: the images not stored yet."""
        stamp = now_utc()
        self._db.executemany(
            "INSERT OR IGNORE INTO key_image_files (sha256, media_type, width, height, data, stored_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(i.sha256, i.media_type, i.width, i.height, i.data, stamp) for i in images])

    def stored(self, hashes: Iterable[str]) -> dict[str, str]:
        """Which of these images the logbook holds: SHA-256 -> media type."""
        wanted = sorted(set(hashes))
        if not wanted or not self._here():
            return {}
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            found.update(self._db.execute(
                f"SELECT sha256, media_type FROM key_image_files WHERE sha256 IN ({', '.join('?' * len(part))})",
                part).fetchall())
        return found

    def data(self, sha256: str) -> bytes:
        """The image's bytes; LogbookCorruptError when the logbook lacks them or they no longer hash to `sha256`."""
        row = self._db.execute("SELECT data FROM key_image_files WHERE sha256 = ?", [sha256]).fetchone() \
            if self._here() else None
        if row is None:
            raise LogbookCorruptError(Message("key_image.missing", sha256=sha256))
        if sha256_of(row[0]) != sha256:
            raise LogbookCorruptError(Message("key_image.file_hash", sha256=sha256))
        return bytes(row[0])

    def changed(self, hashes: Iterable[str]) -> set[str]:
        """Which of these images are missing or no longer hash to their name (what `audit verify` says)."""
        out = set()
        for sha256 in set(hashes):
            try:
                self.data(sha256)
            except LogbookCorruptError:
                out.add(sha256)
        return out
