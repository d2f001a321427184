"""Keeping an uploaded file between the import pages (upload → columns → preview → import).

The file and what the person chose about it (the column mapping, the options) sit on disk under
IMPORT_DIR (the instance folder's ``imports/``) with a random id, never in the cookie session: a
plan can be megabytes, and it is not the browser's to change. Only the person who uploaded it
may use it; it is deleted once imported, and anything older than a day is cleared on the next
upload.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app

from tracker.common.errors import NotFound

MAX_AGE_SECONDS = 24 * 60 * 60
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass
class Upload:
    """One uploaded file's state between pages."""

    id: str
    kind: str  # "plan" or "recommendations"
    target_id: int  # the board's or the review's id
    person_id: int
    filename: str
    mapping: list | None = None
    create_people: bool = False
    skip_problem_rows: bool = False
    result: dict | None = None  # what was imported, once it was
    created: float = field(default_factory=time.time)

    def data(self) -> bytes:
        return _path(self.id, ".bin").read_bytes()

    def save(self) -> None:
        _path(self.id, ".json").write_text(json.dumps(asdict(self)))

    def finish(self, result: dict) -> None:
        """Record what was imported and delete the file itself."""
        self.result = result
        self.save()
        _path(self.id, ".bin").unlink(missing_ok=True)


def directory() -> Path:
    path = Path(
        current_app.config.get("IMPORT_DIR") or Path(current_app.config["INSTANCE_DIR"]) / "imports"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(upload_id: str, suffix: str) -> Path:
    return directory() / f"{upload_id}{suffix}"


def store(kind: str, target_id: int, person_id: int, filename: str, data: bytes) -> Upload:
    """Keep an uploaded file; clear out uploads more than a day old while at it."""
    directory().mkdir(parents=True, exist_ok=True)
    clear_old()
    upload = Upload(secrets.token_urlsafe(16), kind, target_id, person_id, filename)
    _path(upload.id, ".bin").write_bytes(data)
    upload.save()
    return upload


def load(upload_id: str, kind: str, target_id: int, person_id: int) -> Upload:
    """The upload, for the person who made it, for this board or review; NotFound otherwise."""
    if not upload_id or set(upload_id) - _ID_CHARS:
        raise NotFound("No such import.")
    try:
        values = json.loads(_path(upload_id, ".json").read_text())
    except (OSError, ValueError):
        raise NotFound(
            "This import has expired or was already done. Upload the file again."
        ) from None
    upload = Upload(**values)
    if (upload.kind, upload.target_id, upload.person_id) != (kind, target_id, person_id):
        raise NotFound("No such import.")
    return upload


def clear_old(now: float | None = None) -> int:
    """Delete uploads older than a day; return how many files went."""
    cutoff = (now or time.time()) - MAX_AGE_SECONDS
    removed = 0
    for path in directory().glob("*.*") if directory().is_dir() else ():
        if path.suffix in (".bin", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
