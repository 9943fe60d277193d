"""Evidence files for a milestone: minutes, slides, a bulletin, an audit report.

Kept under MEDIA_DIR/evidence with a checksum. Only document and image types a
commissioner can open are accepted, recognised by their first bytes as well as their
name, so a renamed program is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

from ..audit.rules import add_and_record, record
from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..transcription.storage import keep
from .models import DisseminationActivity, EvidenceFile, Milestone

DEFAULT_LIMIT_MB = 25
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # older Office files
# extension: (what it is, content type, first bytes it must start with; None = plain text)
ACCEPTED = {
    ".pdf": ("PDF", "application/pdf", (b"%PDF-",)),
    ".docx": (
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
    ),
    ".doc": ("Word 97-2003 document", "application/msword", OLE),
    ".pptx": (
        "PowerPoint slides",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ZIP,
    ),
    ".ppt": ("PowerPoint 97-2003 slides", "application/vnd.ms-powerpoint", OLE),
    ".xlsx": (
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
    ),
    ".odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text", ZIP),
    ".odp": ("OpenDocument slides", "application/vnd.oasis.opendocument.presentation", ZIP),
    ".ods": ("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".png": ("PNG image", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("JPEG image", "image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG image", "image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text", "text/plain; charset=utf-8", None),
    ".csv": ("CSV table", "text/csv; charset=utf-8", None),
}


def accepted_names() -> str:
    return ", ".join(sorted({extension.lstrip(".").upper() for extension in ACCEPTED}))


def limit_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_MB", DEFAULT_LIMIT_MB)) * 1024 * 1024


def _size(stream) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _looks_like(stream, signatures) -> bool:
    head = stream.read(4096)
    stream.seek(0)
    if signatures is None:  # text: no NUL bytes, and UTF-8 (a BOM is fine)
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as broken:
            # A multi-byte character cut at the end of the sample is not an error.
            return broken.start >= len(head) - 3
        return True
    return head.startswith(signatures)


def check_file(filename: str, stream) -> tuple[str, str]:
    """(extension, content type) of an acceptable evidence file, or a DomainError."""
    name = Path(filename or "").name
    if not name:
        raise DomainError("Choose a file to upload", "file")
    extension = Path(name).suffix.lower()
    if extension not in ACCEPTED:
        raise DomainError(
            f"“{name}” is not a type kept as evidence. Upload one of: {accepted_names()}",
            "file",
        )
    size = _size(stream)
    if size == 0:
        raise DomainError(f"“{name}” is empty", "file")
    limit = limit_bytes()
    if size > limit:
        raise DomainError(
            f"“{name}” is {size / 1024 / 1024:.1f} MB: evidence files can be up to "
            f"{limit // 1024 // 1024} MB",
            "file",
        )
    kind, content_type, signatures = ACCEPTED[extension]
    if not _looks_like(stream, signatures):
        raise DomainError(
            f"“{name}” is named as {kind} but its contents are not: it may be damaged or renamed",
            "file",
        )
    return extension, content_type


def add_evidence_file(
    milestone: Milestone,
    filename: str,
    stream,
    *,
    description: str = "",
    activity_id: int | None = None,
    by: User,
) -> EvidenceFile:
    extension, content_type = check_file(filename, stream)
    description = (description or "").strip()
    if len(description) > 300:
        raise DomainError("The description can be up to 300 characters", "description")
    if activity_id is not None:
        activity = db.session.get(DisseminationActivity, activity_id)
        if activity is None or activity.milestone_id != milestone.id:
            raise DomainError("Choose a dissemination activity of this milestone", "activity_id")
    stored = keep(stream, current_app.config["MEDIA_DIR"], extension, "evidence")
    evidence = EvidenceFile(
        milestone_id=milestone.id,
        dissemination_activity_id=activity_id,
        stored_path=stored.relative_path,
        original_filename=Path(filename).name[:255],
        content_type=content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        description=description,
        uploaded_by_id=by.id,
    )
    return add_and_record(
        evidence,
        "milestone.evidence_file",
        by=by,
        subject=milestone,
        id_as="evidence_file",
        sha256=stored.sha256,
    )


def path_of(evidence: EvidenceFile) -> Path:
    media = Path(current_app.config["MEDIA_DIR"]).resolve()
    path = (media / evidence.stored_path).resolve()
    if media not in path.parents:
        raise DomainError("That evidence file is not in the media folder")
    return path


def remove_evidence_file(evidence: EvidenceFile, *, by: User) -> Path:
    """Remove a file uploaded by mistake from the record; the caller deletes the returned
    path once the change is committed, so a failed commit loses nothing."""
    path = path_of(evidence)
    record(
        "milestone.evidence_file_removed",
        user_id=by.id,
        subject=db.session.get(Milestone, evidence.milestone_id),
        evidence_file=evidence.id,
    )
    db.session.delete(evidence)
    db.session.flush()
    return path
