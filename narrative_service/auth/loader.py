"""How Flask-Login finds the signed-in user on each request."""

from __future__ import annotations

from flask import session
from flask_login import LoginManager

from ..extensions import db
from . import sessions
from .models import SignInSession, User

# The key in the cookie session under which the sign-in session's token is kept.
SESSION_TOKEN = "_sign_in_token"  # noqa: S105 (a key name, not a secret)


def configure_login(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # The cookie alone is not enough: its token must open a live session on the
        # server, which sign-out, a new password, a new role, deactivation and the
        # idle and absolute time limits all end.
        token = session.get(SESSION_TOKEN)
        if not user_id.isdigit() or not token:
            return None
        live = sessions.live_session(int(user_id), token)
        changed = db.session.dirty | db.session.deleted
        if changed and not db.session.new and all(isinstance(o, SignInSession) for o in changed):
            # The last-used time moved on, or the session ran out. This is usually the
            # first thing a request does; if the request had changes of its own
            # pending, they and this are committed together by the view instead.
            db.session.commit()
        if live is None:
            session.pop(SESSION_TOKEN, None)
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active_account:
            return None
        return user
