"""Speakers for each transcript segment, and segments a person has reviewed.

A segment's ``speaker`` is narrator, facilitator or ``other``; for ``other``,
``speaker_name`` holds who it is ("Interpreter", "Daughter"). A conversation turn made from
an accepted transcript carries the same name. ``reviewed_at`` and ``reviewed_by_id`` say a
person corrected or confirmed the segment, so the machine's doubts about it are no longer
shown; segments corrected before this revision count as reviewed when they were corrected.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-12 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transcript_segments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_transcript_segments_reviewed_by_id_users'),
            'users',
            ['reviewed_by_id'],
            ['id'],
        )

    with op.batch_alter_table('narrative_turns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_name', sa.String(length=80), nullable=True))

    op.execute(
        "UPDATE transcript_segments SET reviewed_at = edited_at, reviewed_by_id = edited_by_id "
        "WHERE edited_at IS NOT NULL"
    )


def downgrade():
    # Named speakers have nowhere to go in the earlier schema: their segments and turns
    # keep the speaker "other", without the name.
    with op.batch_alter_table('narrative_turns', schema=None) as batch_op:
        batch_op.drop_column('speaker_name')

    with op.batch_alter_table('transcript_segments', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_transcript_segments_reviewed_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('speaker_name')
