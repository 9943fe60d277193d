"""Milestones: marked as submitted (with a rationale when items are missing), collaborative
risk assessment audits and deliverables, evidence file descriptions, board learning summaries.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 15:47:04.279888

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('milestone_deliverables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('staff_satisfaction_percent', sa.Float(), nullable=True),
    sa.Column('service_user_satisfaction_percent', sa.Float(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_milestone_deliverables_created_by_id_users')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_milestone_deliverables_milestone_id_milestones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_deliverables'))
    )
    with op.batch_alter_table('milestone_deliverables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_deliverables_milestone_id'), ['milestone_id'], unique=False)

    op.create_table('risk_audits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('audited_on', sa.Date(), nullable=False),
    sa.Column('service_users', sa.Integer(), nullable=False),
    sa.Column('collaborated', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_risk_audits_created_by_id_users')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_risk_audits_milestone_id_milestones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_audits'))
    )
    with op.batch_alter_table('risk_audits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_audits_milestone_id'), ['milestone_id'], unique=False)

    op.create_table('board_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_board_summaries_approved_by_id_users')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_board_summaries_milestone_id_milestones')),
    sa.ForeignKeyConstraint(['session_id'], ['reflection_sessions.id'], name=op.f('fk_board_summaries_session_id_reflection_sessions')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_board_summaries_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_summaries'))
    )
    with op.batch_alter_table('board_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_summaries_milestone_id'), ['milestone_id'], unique=False)

    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.String(length=300), nullable=False, server_default=''))

    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shortfall_remedial_plan', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submission_rationale', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('submission_remedial_action', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('missing_when_submitted', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_foreign_key(batch_op.f('fk_milestones_submitted_by_id_users'), 'users', ['submitted_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_milestones_submitted_by_id_users'), type_='foreignkey')
        batch_op.drop_column('missing_when_submitted')
        batch_op.drop_column('submission_remedial_action')
        batch_op.drop_column('submission_rationale')
        batch_op.drop_column('submitted_by_id')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('shortfall_remedial_plan')

    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_column('description')

    with op.batch_alter_table('board_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_summaries_milestone_id'))

    op.drop_table('board_summaries')
    with op.batch_alter_table('risk_audits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_audits_milestone_id'))

    op.drop_table('risk_audits')
    with op.batch_alter_table('milestone_deliverables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_deliverables_milestone_id'))

    op.drop_table('milestone_deliverables')
