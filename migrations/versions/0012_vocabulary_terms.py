"""The organisation's word list for transcription.

Leads keep terms Whisper mishears ("section 42", "IMCA", local place names); every
transcription gives them to the decoder. One row a term, in the lead's order.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'vocabulary_terms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=60), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['users.id'], name=op.f('fk_vocabulary_terms_updated_by_id_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_vocabulary_terms')),
    )


def downgrade():
    op.drop_table('vocabulary_terms')
