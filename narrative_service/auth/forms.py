"""Sign-in and user administration forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from .models import ROLES

ROLE_CHOICES = [SelectChoice(value, label) for value, label in ROLES.items()]


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address", validators=[DataRequired("Enter your email address"), Length(max=254)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password"), Length(max=256)]
    )


class NewUserForm(FlaskForm):
    name = StringField(
        "Full name",
        validators=[
            DataRequired("Enter the person's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter an email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Choose a role")])


class ChangeRoleForm(FlaskForm):
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Choose a role")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        description=(
            "At least 12 characters. A few unrelated words make a strong password; "
            "common passwords, and your name or email address, are refused."
        ),
        validators=[DataRequired("Enter a new password"), Length(max=256)],
    )


class SignInCodeForm(FlaskForm):
    code = StringField(
        "Code",
        description="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        validators=[DataRequired("Enter the code from your authenticator app"), Length(max=40)],
    )


class SetUpTwoStepForm(FlaskForm):
    code = StringField(
        "Code from the app",
        description="The 6-digit code the app shows for Narrative service.",
        validators=[DataRequired("Enter the 6-digit code from the app"), Length(max=20)],
    )
    # Asked only when an app is already set up and is being replaced.
    current_password = PasswordField("Current password", validators=[Length(max=256)])


class CurrentPasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password"), Length(max=256)],
    )
