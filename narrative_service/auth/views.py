"""Sign in (password, then a code), sign out, your account, and the admin's user pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db, limiter
from ..forms import ConfirmForm
from ..timeutil import utcnow
from ..web import apply_rule, current_person, get_or_404, safe_next_url
from . import mfa, rules, sessions
from .forms import (
    ChangePasswordForm,
    ChangeRoleForm,
    CurrentPasswordForm,
    NewUserForm,
    SetUpTwoStepForm,
    SignInCodeForm,
    SignInForm,
)
from .loader import SESSION_TOKEN
from .models import User
from .permissions import during_account_setup, public, requires_role, signed_in

bp = Blueprint("auth", __name__)

# In the cookie between the password step and the code: who, when, and where to go next.
AWAITING_CODE = "_awaiting_code"


def _address() -> str:
    return request.remote_addr or ""


def _sign_in_limit_key() -> str:
    return f"sign-in:{request.remote_addr}"


def _code_limit_key() -> str:
    return f"sign-in-code:{request.remote_addr}"


def _begin_session(user: User) -> None:
    """A fresh session: nothing from before it carries over, and the server knows of it."""
    session.clear()
    token = sessions.start(user)
    db.session.commit()
    login_user(user)
    session[SESSION_TOKEN] = token
    session.permanent = True


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
            user = rules.authenticate(form.email.data, form.password.data, address=_address())
        except DomainError as refused:
            error = refused.message
        else:
            next_url = safe_next_url(request.args.get("next"))
            if user.has_two_step:
                session.clear()
                checked_at = utcnow().timestamp()
                session[AWAITING_CODE] = {"user": user.id, "at": checked_at, "next": next_url}
                return redirect(url_for("auth.sign_in_code"))
            _begin_session(user)
            return redirect(next_url or url_for("home.index"))
    return render_template("auth/sign_in.html", form=form, error=error), (401 if error else 200)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute;60 per hour", methods=["POST"], key_func=_code_limit_key)
def sign_in_code():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    waiting = session.get(AWAITING_CODE) or {}
    user = rules.awaiting_code(waiting.get("user", 0), waiting.get("at", 0))
    if user is None:
        session.pop(AWAITING_CODE, None)
        flash("Sign in with your email address and password first (a code is asked for after).")
        return redirect(url_for("auth.sign_in"))
    form = SignInCodeForm()
    error = None
    if form.validate_on_submit():
        try:
            rules.verify_second_step(user, form.code.data, address=_address())
        except DomainError as refused:
            error = refused.message
        else:
            _begin_session(user)
            return redirect(waiting.get("next") or url_for("home.index"))
    status = 401 if error else 200
    return render_template("auth/sign_in_code.html", form=form, error=error), status


@bp.route("/sign-out", methods=["POST"])
@during_account_setup
def sign_out():
    rules.sign_out(current_person(), session.get(SESSION_TOKEN))
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account")
@signed_in
def account():
    return _account_page(CurrentPasswordForm())


def _account_page(password_form: CurrentPasswordForm):
    user = current_person()
    return render_template(
        "auth/account.html",
        user=user,
        sessions=sessions.live_sessions(user),
        recovery_codes_left=rules.recovery_codes_left(user),
        is_two_step_required=mfa.is_required(user),
        password_form=password_form,
        confirm=ConfirmForm(),
    )


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@signed_in
def sign_out_everywhere():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    rules.sign_out_everywhere(current_person())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out of every device, this one included.")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@during_account_setup
def change_password():
    form = ChangePasswordForm()
    user = current_person()
    if form.validate_on_submit():
        try:
            rules.change_own_password(
                user, form.current_password.data, form.new_password.data, address=_address()
            )
        except DomainError as wrong:
            db.session.commit()  # a wrong current password counts as a failed attempt
            getattr(form, wrong.field or "new_password").errors.append(wrong.message)
        else:
            db.session.commit()
            # The change ended every session, this one included: start a new one here.
            _begin_session(user)
            flash("Your password has been changed. You have been signed out everywhere else.")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form, user=user)


@bp.route("/account/two-step", methods=["GET", "POST"])
@during_account_setup
def set_up_two_step():
    user = current_person()
    form = SetUpTwoStepForm()
    if form.validate_on_submit():
        try:
            codes = rules.confirm_two_step(
                user, form.code.data, password=form.current_password.data or "", address=_address()
            )
        except DomainError as wrong:
            db.session.commit()  # a wrong current password counts as a failed attempt
            getattr(form, wrong.field or "code").errors.append(wrong.message)
        else:
            db.session.commit()
            _begin_session(user)  # setting up ended every session, this one included
            return render_template("auth/recovery_codes.html", codes=codes, is_new_app=True)
    secret = rules.pending_two_step_secret(user)
    db.session.commit()
    return render_template(
        "auth/set_up_two_step.html",
        form=form,
        user=user,
        secret=mfa.grouped(secret),
        qr_code=mfa.qr_code_data_uri(mfa.provisioning_uri(secret, user.email)),
    )


@bp.route("/account/two-step/recovery-codes", methods=["POST"])
@signed_in
def new_recovery_codes():
    form = CurrentPasswordForm()
    if form.validate_on_submit():
        try:
            user = current_person()
            codes = rules.new_recovery_codes(user, form.current_password.data, address=_address())
        except DomainError as wrong:
            db.session.commit()  # a wrong current password counts as a failed attempt
            form.current_password.errors.append(wrong.message)
        else:
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes, is_new_app=False)
    return _account_page(form), 400


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
        try:
            user, password = rules.create_user_with_temporary_password(
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                created_by=current_user,
            )
        except DomainError as wrong:
            db.session.rollback()
            getattr(form, wrong.field or "email").errors.append(wrong.message)
        else:
            db.session.commit()
            return render_template(
                "auth/password_issued.html",
                user=user,
                password=password,
                days=rules.TEMPORARY_PASSWORD_DAYS,
            )
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
    return render_template(
        "auth/password_issued.html",
        user=person,
        password=password,
        days=rules.TEMPORARY_PASSWORD_DAYS,
    )


@bp.route("/admin/users/<int:user_id>/reset-two-step", methods=["POST"])
@requires_role("admin")
def reset_two_step(user_id: int):
    person = get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        apply_rule(
            lambda: rules.reset_two_step(person, by=current_user),
            f"{person.name}'s two-step verification has been reset and they have been signed "
            "out. If their role needs it, they set it up again when they next sign in.",
        )
    return redirect(url_for("auth.user", user_id=person.id))
