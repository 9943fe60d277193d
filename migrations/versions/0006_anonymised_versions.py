"""Anonymised versions: redacted copies approved by a person before sharing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:40:40.591886

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "anonymised_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("replacements", sa.JSON(), nullable=False),
        sa.Column("undone", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_anonymised_versions_approved_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymised_versions")),
    )
    with op.batch_alter_table("anonymised_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_anonymised_versions_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_anonymised_versions_subject_type"), ["subject_type"], unique=False
        )


def downgrade():
    with op.batch_alter_table("anonymised_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anonymised_versions_subject_type"))
        batch_op.drop_index(batch_op.f("ix_anonymised_versions_subject_id"))

    op.drop_table("anonymised_versions")
