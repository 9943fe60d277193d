"""The audit log is chained and the database refuses to change it.

Each event gets ``previous_hash`` (the hash of the event before it; 64 zeros for the first)
and ``hash`` (SHA-256 of its own fields and that link). Events already in the log are chained
here, in id order. ``previous_hash`` is unique, so the chain cannot fork.

Triggers refuse every UPDATE and DELETE on audit_events (SQLite and PostgreSQL), and
TRUNCATE on PostgreSQL. DROP TABLE still works, so a downgrade does. On SQLite, a later
migration that rebuilds this table (batch mode copies it to a new one) must make the
triggers again.

Triggers stop the application and anyone using its credentials; the owner of a table can
still drop them. Where PostgreSQL is run with a separate owner role (which runs the
migrations) and application role (which the service connects as), give the application
only what it needs, as the owner:

    GRANT SELECT, INSERT ON audit_events TO narrative_app;
    GRANT USAGE ON SEQUENCE audit_events_id_seq TO narrative_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM narrative_app;

(narrative_app standing for the application's role). Then even a compromised application
cannot rewrite the log, and ``narrative-service audit verify`` shows any change made as owner.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 10:12:40.118204

"""
import hashlib
import json
from datetime import timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

GENESIS = "0" * 64

SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END""",
)
POSTGRESQL_TRIGGERS = (
    """CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit events cannot be changed or deleted (' || TG_OP || ')';
END
$$""",
    """CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()""",
)

audit_events = sa.table(
    'audit_events',
    sa.column('id', sa.Integer()),
    sa.column('at', sa.DateTime(timezone=True)),
    sa.column('user_id', sa.Integer()),
    sa.column('action', sa.String()),
    sa.column('object_type', sa.String()),
    sa.column('object_id', sa.Integer()),
    sa.column('detail', sa.JSON()),
    sa.column('previous_hash', sa.String()),
    sa.column('hash', sa.String()),
)


def event_hash(row, previous_hash):
    """The chain's hash as of this revision (narrative_service.audit.chain.event_hash)."""
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)
    fields = {
        "id": row.id,
        "at": at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "user_id": row.user_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "detail": json.loads(json.dumps(row.detail if row.detail is not None else {})),
        "previous_hash": previous_hash,
    }
    serialised = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(serialised.encode("ascii")).hexdigest()


def chain_existing_events(connection):
    rows = connection.execute(sa.select(audit_events).order_by(audit_events.c.id)).all()
    previous = GENESIS
    for row in rows:
        own = event_hash(row, previous)
        connection.execute(
            audit_events.update()
            .where(audit_events.c.id == row.id)
            .values(previous_hash=previous, hash=own)
        )
        previous = own


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    chain_existing_events(op.get_bind())

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('previous_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f('ix_audit_events_previous_hash'), ['previous_hash'], unique=True)

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, ()):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse_change()")

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_previous_hash'))
        batch_op.drop_column('hash')
        batch_op.drop_column('previous_hash')
