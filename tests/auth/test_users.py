"""Admins create users, change roles, deactivate and reset passwords."""

from __future__ import annotations

import re

from sqlalchemy import select

from narrative_service.auth import rules
from narrative_service.auth.models import User
from narrative_service.extensions import db


def test_admin_creates_a_user_and_sees_a_one_time_password(client_as, client):
    response = client_as("admin").post(
        "/admin/users/new",
        data={
            "name": "New Facilitator",
            "email": "new.facilitator@example.nhs.uk",
            "role": "facilitator",
        },
    )
    assert response.status_code == 200
    password = re.search(r'id="temporary-password">([^<]+)<', response.text).group(1)
    user = db.session.scalar(select(User).where(User.email == "new.facilitator@example.nhs.uk"))
    assert user.role == "facilitator"
    assert rules.verify_password(user.password_hash, password)


def test_a_duplicate_email_is_refused_and_the_form_kept(client_as, users):
    response = client_as("admin").post(
        "/admin/users/new",
        data={"name": "Someone", "email": users["lead"].email, "role": "lead"},
    )
    assert "already exists" in response.text
    assert 'value="Someone"' in response.text


def test_a_badly_formed_email_is_refused(client_as):
    response = client_as("admin").post(
        "/admin/users/new", data={"name": "Someone", "email": "not-an-email", "role": "lead"}
    )
    assert "correct format" in response.text


def test_admin_changes_a_role_which_signs_the_person_out(client_as, users):
    advocate = client_as("advocate")
    client_as("admin").post(f"/admin/users/{users['advocate'].id}", data={"role": "facilitator"})
    assert users["advocate"].role == "facilitator"
    assert advocate.get("/start").status_code == 302


def test_admin_cannot_change_their_own_role(client_as, users):
    response = client_as("admin").post(f"/admin/users/{users['admin'].id}", data={"role": "board"})
    assert "cannot change your own role" in response.text
    assert users["admin"].role == "admin"


def test_admin_cannot_deactivate_themselves(client_as, users):
    client = client_as("admin")
    client.post(f"/admin/users/{users['admin'].id}/deactivate")
    assert users["admin"].is_active_account


def test_reactivated_user_can_sign_in_again(client_as, users, client):
    admin = client_as("admin")
    admin.post(f"/admin/users/{users['lead'].id}/deactivate")
    assert not users["lead"].is_active_account
    admin.post(f"/admin/users/{users['lead'].id}/reactivate")
    assert users["lead"].is_active_account


def test_password_reset_gives_a_new_password_and_ends_sessions(client_as, users):
    lead = client_as("lead")
    response = client_as("admin").post(f"/admin/users/{users['lead'].id}/reset-password")
    password = re.search(r'id="temporary-password">([^<]+)<', response.text).group(1)
    assert rules.verify_password(users["lead"].password_hash, password)
    assert lead.get("/start").status_code == 302


def test_unknown_user_is_a_404_page(client_as):
    response = client_as("admin").get("/admin/users/99999")
    assert response.status_code == 404
    assert "Page not found" in response.text
