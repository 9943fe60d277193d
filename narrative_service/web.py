"""Web plumbing shared by every feature: security headers, error pages, small view helpers."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, jsonify, redirect, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import ClientDisconnected, NotFound
from werkzeug.wrappers import Response

from .audit.rules import record
from .auth.models import User
from .errors import DomainError, NotAllowed, ValidationFailed
from .errors import NotFound as RecordNotFound
from .extensions import db
from .request_checks import is_upload_route
from .units import size_label

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def current_person() -> User:
    """The person signed in: the account itself, not Flask-Login's proxy for it."""
    return current_user._get_current_object()


def get_or_404(model, object_id: int, **belongs_to):
    """The row, or a 404 page when there is none or it is not the one the address names:
    get_or_404(NarrativeTurn, turn_id, narrative_id=narrative.id)."""
    found = db.session.get(model, object_id)
    if found is None or any(getattr(found, name) != value for name, value in belongs_to.items()):
        abort(404)
    return found


def show_refusal(form, refused: DomainError, field: str | None = None) -> None:
    """A rule's refusal beside the field it names (or `field`), else at the top of the page;
    when several fields are wrong at once (ValidationFailed), each message beside its own."""
    wrong = refused.errors if isinstance(refused, ValidationFailed) else {refused.field: None}
    for named, message in wrong.items():
        message = message or refused.message
        name = named if named and named in form else field
        if name and name in form:
            form[name].errors = list(form[name].errors or []) + [message]
        else:
            flash(message, "error")


def submit_form(
    form,
    change: Callable[[], Any],
    done: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    *,
    field: str | None = None,
    after: Callable[[Any], object] | None = None,
) -> Response | None:
    """The step every form takes: validate it, run one rule, and commit, confirm and go to
    `then`; or roll back and put the refusal on its field (or `field`). `done` and `then`
    may be worked out from what the rule returned; `after` runs once it is committed (to
    queue a job for it). None means: show the form again."""
    if not form.validate_on_submit():
        return None
    try:
        result = change()
    except DomainError as refused:
        db.session.rollback()
        show_refusal(form, refused, field)
        return None
    db.session.commit()
    if after is not None:
        after(result)
    flash(done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)


def form_page(template: str, **context) -> tuple[str, int]:
    """A page with a form: 200 when it is first shown, 400 when it is shown again because
    what was sent was refused."""
    return render_template(template, **context), 400 if request.method == "POST" else 200


def edit_text_page(
    form,
    current: str,
    change: Callable[[str], Any],
    done: str | Callable[[Any], str],
    then: str,
    template: str,
    **context,
):
    """A page that corrects one text in place (a turn, a transcript segment): first shown,
    its form holds `current`; sent, `change(new_text)` is the rule, as in submit_form."""
    if request.method == "GET":
        form.text.data = current
    elif saved := submit_form(form, lambda: change(form.text.data or ""), done, then, field="text"):
        return saved
    return form_page(template, form=form, **context)


def apply_rule(change: Callable[[], Any], done: str | Callable[[Any], str]) -> bool:
    """Run one rule: commit and confirm it, or roll back and show the rule's own message.
    `done` may be worked out from what the rule returned."""
    try:
        result = change()
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return False
    db.session.commit()
    flash(done(result) if callable(done) else done)
    return True


@dataclass
class AuditEntry:
    """What a page view writes to the audit log once the page has been rendered."""

    action: str
    subject: Any = None
    detail: dict[str, Any] = field(default_factory=dict)


def render_audited(template: str, audit: AuditEntry, **context) -> str:
    """Render a page, then record and commit the audit event for having shown it.

    The order matters. Committing first would expire every loaded row and the
    template would reload each one with a query of its own; recording first
    would take the database's write lock for the whole render.
    """
    page = render_template(template, **context)
    record(audit.action, user_id=current_user.id, subject=audit.subject, **audit.detail)
    db.session.commit()
    return page


def safe_next_url(target: str | None) -> str | None:
    """Only same-site paths: never redirect a user to another host after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not request.path.startswith("/static/"):
        # Pages hold special-category data: no browser or proxy keeps a copy.
        headers["Cache-Control"] = "no-store"
    return response


access_log = logging.getLogger("narrative_service.access")


def start_timer() -> None:
    request.environ["narrative_service.started"] = time.perf_counter()


def log_request(response):
    """One line per request: method, path without its query, status, user id, time.

    Query strings and bodies can hold case references or a person's words, so
    they are never logged.
    """
    if not access_log.isEnabledFor(logging.INFO):
        return response
    started = request.environ.get("narrative_service.started", time.perf_counter())
    user_id = current_user.get_id().split(":")[0] if current_user.is_authenticated else "-"
    access_log.info(
        "%s %s %s user=%s %.0fms",
        request.method,
        request.path,
        response.status_code,
        user_id,
        (time.perf_counter() - started) * 1000,
    )
    return response


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def register_error_pages(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        if _wants_json():
            return jsonify(error=title, message=message), status
        return render_template(
            "errors/error.html", status=status, title=title, message=message
        ), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return page(
            400,
            "This form has expired",
            "The form was sent without its security token, or the token has expired. "
            "Go back, reload the page and send it again. Nothing you saved before has been lost.",
        )

    @app.errorhandler(ClientDisconnected)
    def upload_cut_off(error):
        return page(
            400,
            "The upload did not finish",
            "The connection closed before the whole file arrived, so nothing from it was kept "
            "(a part of a file is never taken for the whole). Upload it again.",
        )

    @app.errorhandler(400)
    def bad_request(error):
        return page(400, "Something in the request was not right", error.description or "")

    def _record_refusal() -> None:
        db.session.rollback()
        record(
            "access_denied",
            user_id=current_user.id,
            path=request.path,
            method=request.method,
            role=current_user.role,
        )
        db.session.commit()

    @app.errorhandler(403)
    def forbidden(error):
        if current_user.is_authenticated:
            _record_refusal()
        return page(
            403,
            "You do not have permission to see this page",
            "Your role does not give you access to this page. If you think it should, "
            "ask your safeguarding lead or administrator.",
        )

    @app.errorhandler(404)
    def not_found(error):
        message = "Check the address, or go back to the page you came from."
        if error.description and error.description != NotFound.description:
            message = error.description  # a page's own reason (a list has no such page)
        return page(404, "Page not found", message)

    # The rules' own refusals: a record this person may not know of looks like one that
    # does not exist; one they may see but not change is refused as the role's limit.
    @app.errorhandler(RecordNotFound)
    def record_not_found(error):
        if error.exists and current_user.is_authenticated:
            _record_refusal()
        return page(
            404, "Page not found", "Check the address, or go back to the page you came from."
        )

    app.register_error_handler(NotAllowed, forbidden)

    @app.errorhandler(405)
    def method_not_allowed(error):
        return page(405, "That cannot be done here", "Use the buttons and links on the page.")

    @app.errorhandler(413)
    def too_large(error):
        if not is_upload_route():
            limit = request.max_content_length or 0
            return page(
                413,
                "That is more than this page can take",
                f"What was sent is larger than {limit // (1024 * 1024)} MB, the most this page "
                "accepts, so nothing was saved. Go back and send less; if a long text was "
                "refused, ask your administrator about the limit (MAX_FORM_MB).",
            )
        size = size_label(current_app.config.get("MAX_UPLOAD_MB", 2048))
        return page(
            413,
            "That file is too large",
            f"Recordings and other files can be up to {size}. Nothing was saved from this "
            "upload: split the recording into parts, or ask your administrator about the "
            "limit (MAX_UPLOAD_MB).",
        )

    @app.errorhandler(429)
    def too_many(error):
        return page(
            429,
            "Too many attempts",
            "There have been too many attempts from your connection. "
            "Wait a few minutes and try again.",
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return page(
            500,
            "Sorry, there is a problem with the service",
            "Try again later. What you saved before this error has not been lost.",
        )
