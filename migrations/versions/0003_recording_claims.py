"""Recordings: purpose and speaker, and the worker's claim, so a crash never loses a job.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sa.String(20), nullable=False, server_default="interview")
        )
        batch_op.add_column(
            sa.Column("speaker", sa.String(20), nullable=False, server_default="narrator")
        )
        batch_op.add_column(
            sa.Column("processing_seconds", sa.Float(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("claimed_by", sa.String(200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(timezone=True)))


def downgrade():
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.drop_column("finished_at")
        batch_op.drop_column("started_at")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("processing_seconds")
        batch_op.drop_column("speaker")
        batch_op.drop_column("purpose")
