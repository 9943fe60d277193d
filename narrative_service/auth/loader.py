"""How Flask-Login finds the signed-in user on each request."""

from __future__ import annotations

from flask_login import LoginManager

from ..extensions import db
from .models import User


def configure_login(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # The id carries the user's session version: deactivation, a password
        # reset or a role change bumps it, which signs the user out here.
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active_account or user.session_version != int(version):
            return None
        return user
