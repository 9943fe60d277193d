"""The start page after sign-in, and a health check for monitoring."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from .auth.permissions import public, signed_in
from .extensions import db
from .milestones import checklist

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    return redirect(url_for("home.start"))


@bp.route("/start")
@signed_in
def start():
    due, actions = [], []
    if current_user.role == "lead":
        due, actions = checklist.due_soon(), checklist.actions_due()
    return render_template("home/start.html", due=due, actions=actions)


@bp.route("/health")
@public
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
