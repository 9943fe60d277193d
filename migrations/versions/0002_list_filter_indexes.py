"""Indexes for the narratives list: each filter with its sort order and the author.

With these, a page's ids and the count come from an index alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:57:04

"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("narratives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_narratives_case_id"))
        batch_op.drop_index(batch_op.f("ix_narratives_narrator_type"))
        batch_op.drop_index("ix_narratives_status_captured_from")
        batch_op.create_index(
            "ix_narratives_status_captured_from",
            ["status", "captured_from", "created_by_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_narratives_case_id_captured_from",
            ["case_id", "captured_from", "created_by_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_narratives_narrator_type_captured_from",
            ["narrator_type", "captured_from", "created_by_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("narratives", schema=None) as batch_op:
        batch_op.drop_index("ix_narratives_narrator_type_captured_from")
        batch_op.drop_index("ix_narratives_case_id_captured_from")
        batch_op.drop_index("ix_narratives_status_captured_from")
        batch_op.create_index(
            "ix_narratives_status_captured_from", ["status", "captured_from"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_narratives_narrator_type"), ["narrator_type"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_narratives_case_id"), ["case_id"], unique=False)
