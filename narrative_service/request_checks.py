"""What a request may send, checked before a view runs.

Before sign-in nothing is written to disk: a request body is held in memory and capped
(1 MB signed out, MAX_FORM_MB signed in). Only a route marked with ``accepts_uploads``
streams files into the media folder, and only for a signed-in user whose role the route
allows and whose CSRF token, sent in the address or a header, is valid: all of that is
checked before the first byte of the body is read.

Every form field, query value and upload file name is also checked for NUL characters,
which are never part of text and which PostgreSQL and YAML refuse: the person is told which
field held one instead of meeting an error page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import BadRequest
from wtforms import ValidationError

from .extensions import login_manager

# The sign-in form is well under a kilobyte: a stranger never gets to send more than this.
SIGNED_OUT_LIMIT_BYTES = 1024 * 1024
# Room for the form's other fields beside an uploaded file.
FORM_ROOM_BYTES = 256 * 1024
STREAM_TO_DISK = "narrative_service.may_stream_to_disk"
UPLOAD_ROUTE = "narrative_service.is_upload_route"
# 25 rows a page: a million pages is 25 million rows, more than any list here holds.
MAX_PAGE = 1_000_000


def accepts_uploads(view: Callable) -> Callable:
    """Mark a view whose form carries a file: the only kind that may stream to disk."""
    view.accepts_uploads = True
    return view


def upload_limit_bytes() -> int:
    return int(current_app.config.get("MAX_UPLOAD_MB", 2048)) * 1024 * 1024 + FORM_ROOM_BYTES


def form_limit_bytes() -> int:
    return int(current_app.config.get("MAX_FORM_MB", 8)) * 1024 * 1024


def is_upload_route() -> bool:
    return bool(request.environ.get(UPLOAD_ROUTE))


def may_stream_to_disk(environ: dict) -> bool:
    """True once this request has passed sign-in, role and CSRF checks for an upload."""
    return bool(environ.get(STREAM_TO_DISK))


def _csrf_token_outside_the_body() -> str:
    return (
        request.args.get("csrf_token")
        or request.headers.get("X-CSRFToken")
        or request.headers.get("X-CSRF-Token")
        or ""
    )


def _check_csrf_before_the_body() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(_csrf_token_outside_the_body())
    except ValidationError as refused:
        raise CSRFError(str(refused)) from None


def limit_request_body():
    """before_request, ahead of the CSRF check (which reads the form): set this request's
    body limit, and for an upload route check who is sending before anything is read."""
    view = current_app.view_functions.get(request.endpoint or "")
    signed_in = current_user.is_authenticated
    # Only a multipart body can carry a file; any other body to an upload route is a form
    # like any other (held in memory, capped, its CSRF token checked in the usual way).
    if (
        getattr(view, "accepts_uploads", False)
        and request.method == "POST"
        and request.mimetype == "multipart/form-data"
    ):
        request.environ[UPLOAD_ROUTE] = True
        if not signed_in:
            return login_manager.unauthorized()
        allowed = getattr(view, "allowed_roles", frozenset())
        if current_user.role not in allowed:
            abort(403)
        _check_csrf_before_the_body()
        request.max_content_length = upload_limit_bytes()
        request.environ[STREAM_TO_DISK] = True
        return None
    request.max_content_length = form_limit_bytes() if signed_in else SIGNED_OUT_LIMIT_BYTES
    return None


def _shown(value: str) -> str:
    return value.replace("\x00", "␀")[:80]


def refuse_nul_characters() -> None:
    """before_request, after the CSRF check: a NUL anywhere in the input is a clear 400."""
    for where, values in (("address", request.args), ("form", request.form)):
        for name, value in values.items(multi=True):
            if "\x00" in name or "\x00" in value:
                raise BadRequest(
                    f"The {'form' if where == 'form' else 'address'}’s field “{_shown(name)}” "
                    "contains a NUL character (a zero byte), which is never part of text: it "
                    "usually comes from copying out of a damaged file. Remove it and send "
                    "again. Nothing was saved."
                )
    for name, upload in request.files.items(multi=True):
        if "\x00" in (upload.filename or "") or "\x00" in name:
            raise BadRequest(
                f"The file name “{_shown(upload.filename or name)}” contains a NUL character "
                "(a zero byte), which a file name never has. Rename the file and upload it "
                "again. Nothing was saved."
            )


def requested_page() -> int:
    """The ?page= of a list: 1 when missing or not a number; 404 beyond any list's length."""
    page = request.args.get("page", 1, type=int)
    if page is None or page < 1:
        return 1
    if page > MAX_PAGE:
        abort(404, f"There is no page {str(page)[:20]} of this list. Go back to its first page.")
    return page
