"""Conversation prompts that leads keep (open, non-directive; offered, never imposed).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conversation_prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_conversation_prompts_updated_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_prompts")),
    )


def downgrade():
    op.drop_table("conversation_prompts")
