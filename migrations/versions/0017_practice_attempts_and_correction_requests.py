"""Practice attempts ("Làm thử") and correction requests

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-29 13:30:00

An organiser's practice attempt (``attempts.is_practice``) is taken as a taker takes the round but never
counts: it is never flagged as counting, and the finished attempts that the unit figures count (the partial
index ``ix_attempts_finished``) leave it out, so that index's condition gains ``is_practice IS false``. Every
attempt before this revision is a real one (false).

A resident may ask the organisers to correct their birth date, phone or gender
(``users.correction_request``, what they wrote, and ``users.correction_requested_at``), as they ask for the
deletion of their data (revision 0003).
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None

OLD = "state = 'finished' AND disqualified_reason IS NULL"


def _finished_index(practice: bool):
    sqlite_where, postgresql_where = OLD, OLD
    if practice:
        sqlite_where += " AND is_practice IS 0"
        postgresql_where += " AND is_practice IS false"
    op.create_index('ix_attempts_finished', 'attempts', ['round_id', 'group', 'unit_id'], unique=False,
                    sqlite_where=sa.text(sqlite_where), postgresql_where=sa.text(postgresql_where))


def upgrade():
    with op.batch_alter_table('attempts', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('is_practice', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.drop_index('ix_attempts_finished', table_name='attempts')
    _finished_index(practice=True)
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('correction_request', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('correction_requested_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('correction_requested_at')
        batch_op.drop_column('correction_request')
    op.drop_index('ix_attempts_finished', table_name='attempts')
    op.execute("DELETE FROM attempts WHERE is_practice")
    with op.batch_alter_table('attempts', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('is_practice')
    _finished_index(practice=False)
