"""Sign in, sign out, change your password, and the admin's user pages."""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..audit.rules import record
from ..errors import DomainError
from ..extensions import db, limiter
from ..forms import ConfirmForm
from ..web import apply_rule, get_or_404, safe_next_url
from . import rules
from .forms import ChangePasswordForm, ChangeRoleForm, NewUserForm, SignInForm
from .models import User
from .permissions import public, requires_role, signed_in

bp = Blueprint("auth", __name__)


def _sign_in_limit_key() -> str:
    return f"sign-in:{request.remote_addr}"


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute;60 per hour", methods=["POST"], key_func=_sign_in_limit_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        try:
            user = rules.authenticate(form.email.data, form.password.data)
        except DomainError as refused:
            error = refused.message
        else:
            # A fresh session at sign-in: nothing from before it carries over.
            next_url = safe_next_url(request.args.get("next"))
            session.clear()
            login_user(user)
            session.permanent = True
            return redirect(next_url or url_for("home.index"))
    return render_template("auth/sign_in.html", form=form, error=error), (401 if error else 200)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    record("sign_out", user_id=current_user.id, subject=current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not rules.verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append("Your current password is not correct")
        else:
            try:
                rules.set_password(user, form.new_password.data)
            except DomainError as wrong:
                form.new_password.errors.append(wrong.message)
            else:
                db.session.commit()
                # The version bump ended every session, this one included: start a new one.
                session.clear()
                login_user(user)
                session.permanent = True
                flash("Your password has been changed.")
                return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/admin/users")
@requires_role("admin")
def users():
    people = db.session.scalars(select(User).order_by(User.is_active_account.desc(), User.name))
    return render_template("auth/users.html", users=list(people))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires_role("admin")
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        password = secrets.token_urlsafe(12)
        try:
            user = rules.create_user(
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=password,
                created_by=current_user,
            )
        except DomainError as wrong:
            getattr(form, wrong.field or "email").errors.append(wrong.message)
        else:
            db.session.commit()
            return render_template("auth/password_issued.html", user=user, password=password)
    return render_template("auth/new_user.html", form=form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires_role("admin")
def user(user_id: int):
    person = get_or_404(User, user_id)
    form = ChangeRoleForm(role=person.role)
    if form.validate_on_submit():
        try:
            rules.change_role(person, form.role.data, by=current_user)
        except DomainError as wrong:
            form.role.errors.append(wrong.message)
        else:
            db.session.commit()
            flash(f"{person.name} is now {person.role_name}.")
            return redirect(url_for("auth.user", user_id=person.id))
    return render_template("auth/user.html", person=person, form=form, confirm=ConfirmForm())


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
@requires_role("admin")
def deactivate_user(user_id: int):
    return _set_active(user_id, False)


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@requires_role("admin")
def reactivate_user(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, is_active: bool):
    person = get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        apply_rule(
            lambda: rules.set_active(person, is_active, by=current_user),
            f"{person.name} has been {'reactivated' if is_active else 'deactivated'}.",
        )
    return redirect(url_for("auth.user", user_id=person.id))


@bp.route("/admin/users/<int:user_id>/reset-password", methods=["POST"])
@requires_role("admin")
def reset_password(user_id: int):
    person = get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("auth.user", user_id=person.id))
    password = rules.reset_password(person, by=current_user)
    db.session.commit()
    return render_template("auth/password_issued.html", user=person, password=password)
