"""Withdrawal of consent: the date it was withdrawn, how it was communicated, and what was
erased (as counts). Also erases what earlier withdrawals left behind: theme tags and their
quotes, anonymised versions, the blanked conversation turns and transcript segments, what
the person said in differences of perspective, and what they were told in feedback.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WITHDRAWN = "SELECT id FROM narratives WHERE status = 'withdrawn'"


def upgrade():
    with op.batch_alter_table("narratives", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("withdrawal_method", sa.String(length=30), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("erased_counts", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )

    # Copies that earlier versions of the service kept after a withdrawal. They cannot be
    # brought back by a downgrade, and must not be.
    op.execute(
        f"DELETE FROM theme_tags WHERE subject_type = 'narrative' AND subject_id IN ({WITHDRAWN})"
    )
    op.execute(
        "DELETE FROM anonymised_versions WHERE subject_type = 'narrative' "
        f"AND subject_id IN ({WITHDRAWN})"
    )
    op.execute(f"DELETE FROM narrative_turns WHERE narrative_id IN ({WITHDRAWN})")
    op.execute(
        "DELETE FROM transcript_segments WHERE recording_id IN "
        "(SELECT id FROM recordings WHERE status = 'erased')"
    )
    op.execute(
        "UPDATE recordings SET original_filename = '', content_type = '', sha256 = '', "
        "stored_path = '', failure_reason = '', claimed_by = '' WHERE status = 'erased'"
    )
    op.execute(
        "UPDATE differences_of_perspective SET person_view = '' WHERE session_id IN "
        "(SELECT reflection_session_id FROM reflection_session_narratives "
        f"WHERE narrative_id IN ({WITHDRAWN}))"
    )
    op.execute(
        "UPDATE participant_feedback SET told_outcome = '', improvements = '', response = '', "
        f"not_possible_reason = '' WHERE narrative_id IN ({WITHDRAWN})"
    )


def downgrade():
    with op.batch_alter_table("narratives", schema=None) as batch_op:
        batch_op.drop_column("erased_counts")
        batch_op.drop_column("withdrawal_method")
        batch_op.drop_column("consent_withdrawn_on")
