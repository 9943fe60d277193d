"""Reflection record versions (conflicts kept), learning point themes and authors.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 13:32:00.562295

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reflection_record_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("is_conflict", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("prompts", sa.JSON(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["users.id"],
            name=op.f("fk_reflection_record_versions_saved_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["reflection_sessions.id"],
            name=op.f("fk_reflection_record_versions_session_id_reflection_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflection_record_versions")),
    )
    with op.batch_alter_table("reflection_record_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reflection_record_versions_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "learning_point_themes",
        sa.Column("learning_point_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learning_point_id"],
            ["learning_points.id"],
            name=op.f("fk_learning_point_themes_learning_point_id_learning_points"),
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_learning_point_themes_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint(
            "learning_point_id", "theme_id", name=op.f("pk_learning_point_themes")
        ),
    )
    with op.batch_alter_table("learning_points", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_learning_points_created_by_id_users"), "users", ["created_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("learning_points", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_learning_points_created_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("created_by_id")

    op.drop_table("learning_point_themes")
    with op.batch_alter_table("reflection_record_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflection_record_versions_session_id"))

    op.drop_table("reflection_record_versions")
